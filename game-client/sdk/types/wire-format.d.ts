export type Message = import('./messages.js').Message;
export type WireFormat = {
    subprotocol: string;
    encodeFrames: (messages: ReadonlyArray<Message>, maxBytes?: number) => Array<string | Uint8Array>;
    decodeFrame: (data: string | ArrayBuffer | ArrayBufferView, unwrap: (s32: number) => number) => Message[];
};
/** @typedef {import('./messages.js').Message} Message */
/**
 * @typedef {object} WireFormat
 * @property {string} subprotocol
 * @property {(messages: ReadonlyArray<Message>, maxBytes?: number) => Array<string|Uint8Array>} encodeFrames
 * @property {(data: string|ArrayBuffer|ArrayBufferView, unwrap: (s32:number)=>number) => Message[]} decodeFrame
 */
/**
 * Parses a JSON text frame: one message object or an array of them.
 * @param {string} text
 * @returns {Message[]}
 */
export declare function decodeJsonFrame(text: string): Message[];
/**
 * `relay.v1.bin`: actions and delta events binary, control messages JSON.
 * @type {Readonly<WireFormat>}
 */
export declare const BINARY_WIRE: Readonly<WireFormat>;
/**
 * `relay.v1.json`: everything JSON; several actions go as one array.
 * @type {Readonly<WireFormat>}
 */
export declare const JSON_WIRE: Readonly<WireFormat>;
/**
 * The wire format for a subprotocol the server answered. The protocol says a connection without
 * a subprotocol speaks JSON.
 * @param {string} subprotocol
 * @returns {WireFormat}
 */
export declare function wireFor(subprotocol: string): WireFormat;
