/**
 * The two wire formats of relay v1 behind one interface, so the client does not care which
 * subprotocol the server picked. Both split outgoing actions into frames under the relay's
 * frame limit (a bigger frame would close the connection with 1009) and both read text frames as
 * JSON (control messages are JSON on every subprotocol).
 * @module wire-format
 */
import { assertEncodable, binarySize, decodeBinaryFrame, encodeBinaryFrame } from './binary-codec.js';
import { MAX_FRAME_BYTES, SUBPROTOCOL_BINARY, SUBPROTOCOL_JSON } from './protocol.js';

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
export function decodeJsonFrame(text) {
  /** @type {unknown} */
  const parsed = JSON.parse(text);
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  for (const m of messages) {
    if (m === null || typeof m !== 'object' || typeof m.t !== 'string') {
      throw new SyntaxError('JSON frame holds something that is not a message');
    }
  }
  return messages;
}

/**
 * @param {string|ArrayBuffer|ArrayBufferView} data
 * @param {(s32: number) => number} unwrap
 * @returns {Message[]}
 */
function decodeAnyFrame(data, unwrap) {
  return typeof data === 'string' ? decodeJsonFrame(data) : decodeBinaryFrame(data, unwrap);
}

/**
 * Groups items greedily into frames whose size stays within maxBytes.
 * @template T
 * @param {ReadonlyArray<T>} items
 * @param {(item: T) => number} sizeOf
 * @param {number} overhead
 * @param {number} separator
 * @param {number} maxBytes
 * @returns {T[][]}
 */
function groupBySize(items, sizeOf, overhead, separator, maxBytes) {
  /** @type {T[][]} */
  const groups = [];
  /** @type {T[]} */
  let current = [];
  let size = overhead;
  for (const item of items) {
    const added = sizeOf(item) + (current.length ? separator : 0);
    if (current.length && size + added > maxBytes) {
      groups.push(current);
      current = [];
      size = overhead + sizeOf(item);
    } else {
      size += added;
    }
    current.push(item);
  }
  if (current.length) groups.push(current);
  return groups;
}

/**
 * `relay.v1.bin`: actions and delta events binary, control messages JSON.
 * @type {Readonly<WireFormat>}
 */
export const BINARY_WIRE = Object.freeze({
  subprotocol: SUBPROTOCOL_BINARY,
  encodeFrames(messages, maxBytes = MAX_FRAME_BYTES) {
    return groupBySize(messages, (m) => binarySize(m), 0, 0, maxBytes).map((group) => encodeBinaryFrame(group));
  },
  decodeFrame: decodeAnyFrame,
});

/**
 * `relay.v1.json`: everything JSON; several actions go as one array.
 * @type {Readonly<WireFormat>}
 */
export const JSON_WIRE = Object.freeze({
  subprotocol: SUBPROTOCOL_JSON,
  encodeFrames(messages, maxBytes = MAX_FRAME_BYTES) {
    const texts = messages.map((m) => {
      assertEncodable(m); // JSON.stringify would silently turn NaN into null
      return JSON.stringify(m);
    });
    return groupBySize(texts, (t) => new TextEncoder().encode(t).length, 2, 1, maxBytes)
      .map((group) => (group.length === 1 ? group[0] : `[${group.join(',')}]`));
  },
  decodeFrame: decodeAnyFrame,
});

/**
 * The wire format for a subprotocol the server answered. The protocol says a connection without
 * a subprotocol speaks JSON.
 * @param {string} subprotocol
 * @returns {WireFormat}
 */
export function wireFor(subprotocol) {
  return subprotocol === SUBPROTOCOL_BINARY ? BINARY_WIRE : JSON_WIRE;
}
