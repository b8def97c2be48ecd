/**
 * Binary codec of relay v1 (`relay.v1.bin`): little-endian, one type byte then fixed fields.
 * A frame holds one or more messages back to back. One table describes every layout, so the
 * encoder and the decoder cannot disagree and both directions (client actions, server events)
 * are available — a bot or a test server can speak the protocol with the same code.
 * @module binary-codec
 */
export type FieldKind = 'u16' | 'u32' | 'f32' | 'f64' | 's32';
export type Layout = {
    type: import('./messages.js').MessageType;
    code: number;
    fields: Array<[string, FieldKind]>;
    size: number;
};
/** Type byte of a move with a `seq`. */
export declare const MOVE_WITH_SEQ_CODE = 22;
/** A frame that does not split exactly into known messages. */
export declare class FrameDecodeError extends Error {
    /** @param {string} message */
    constructor(message: string);
}
/**
 * Encoded size in bytes of one message (23 for spawn, 21 for move, 25 for a move with a `seq`...),
 * by type (the v1 form) or by message.
 * @param {string | {t: string, seq?: number}} typeOrMessage
 * @returns {number}
 */
export declare function binarySize(typeOrMessage: string | {
    t: string;
    seq?: number;
}): number;
/**
 * Checks that a message can go on the wire: known type, every field present and finite, integers
 * in range. The relay would answer `bad_message`/`out_of_bounds` otherwise; failing here, at the
 * call site, shows the game's bug where it is.
 * @param {import('./messages.js').Message} message
 * @throws {TypeError|RangeError}
 */
export declare function assertEncodable(message: import('./messages.js').Message): void;
/**
 * Encodes messages back to back into one binary frame.
 * @param {ReadonlyArray<import('./messages.js').Message>} messages objects in the JSON form
 *   (`{t:'move', id, x, y, vx, vy}`)
 * @returns {Uint8Array}
 */
export declare function encodeBinaryFrame(messages: ReadonlyArray<import('./messages.js').Message>): Uint8Array;
/**
 * Decodes a binary frame into messages in the JSON form.
 * @param {ArrayBuffer|ArrayBufferView} data
 * @param {(s32: number) => number} [unwrapServerTime] turns the wire's s32 into full server time
 *   (see {@link ServerClock#unwrap}); identity by default.
 * @returns {import('./messages.js').Message[]}
 * @throws {FrameDecodeError} when the frame is empty, has an unknown type byte or a cut message
 */
export declare function decodeBinaryFrame(data: ArrayBuffer | ArrayBufferView, unwrapServerTime?: (s32: number) => number): import('./messages.js').Message[];
