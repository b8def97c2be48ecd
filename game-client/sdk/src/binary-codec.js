/**
 * Binary codec of relay v1 (`relay.v1.bin`): little-endian, one type byte then fixed fields.
 * A frame holds one or more messages back to back. One table describes every layout, so the
 * encoder and the decoder cannot disagree and both directions (client actions, server events)
 * are available — a bot or a test server can speak the protocol with the same code.
 * @module binary-codec
 */

/** @typedef {'u16'|'u32'|'f32'|'f64'|'s32'} FieldKind */
/** @typedef {{type: import('./messages.js').MessageType, code: number, fields: Array<[string, FieldKind]>, size: number}} Layout */

/** @type {Record<FieldKind, number>} */
const FIELD_BYTES = { u16: 2, u32: 4, f32: 4, f64: 8, s32: 4 };
const TWO_POW_32 = 2 ** 32;

/**
 * [type, code, fields]; `s32` is server time in ms modulo 2^32 on the wire. A `move` carrying a
 * `seq` (input acknowledgement extension, protocol section 14) has its own type byte, so that a
 * move without one keeps its v1 bytes.
 * @type {Array<[import('./messages.js').MessageType, number, Array<[string, FieldKind]>]>}
 */
const LAYOUT_TABLE = [
  ['spawn', 0x11, [['ref', 'u32'], ['k', 'u16'], ['x', 'f32'], ['y', 'f32'], ['vx', 'f32'], ['vy', 'f32']]],
  ['move', 0x12, [['id', 'u32'], ['x', 'f32'], ['y', 'f32'], ['vx', 'f32'], ['vy', 'f32']]],
  ['destroy', 0x13, [['id', 'u32']]],
  ['ping', 0x14, [['c', 'f64']]],
  ['view', 0x15, [['x', 'f32'], ['y', 'f32'], ['r', 'f32']]], // interest management extension
  ['move', 0x16, [['id', 'u32'], ['x', 'f32'], ['y', 'f32'], ['vx', 'f32'], ['vy', 'f32'], ['seq', 'u32']]], // ack extension
  ['appeared', 0x01, [['id', 'u32'], ['o', 'u32'], ['k', 'u16'], ['x', 'f32'], ['y', 'f32'],
    ['vx', 'f32'], ['vy', 'f32'], ['s', 's32'], ['ref', 'u32']]],
  ['velocity', 0x02, [['id', 'u32'], ['x', 'f32'], ['y', 'f32'], ['vx', 'f32'], ['vy', 'f32'], ['s', 's32']]],
  ['destroyed', 0x03, [['id', 'u32'], ['s', 's32']]],
  ['hidden', 0x04, [['id', 'u32']]], // interest management extension
  ['ack', 0x05, [['id', 'u32'], ['seq', 'u32'], ['s', 's32']]], // input acknowledgement extension
];

/** Type byte of a move with a `seq`. */
export const MOVE_WITH_SEQ_CODE = 0x16;

/** @type {Map<string, Layout>} by type, the v1 layout (a plain move) */
const LAYOUTS_BY_TYPE = new Map();
/** @type {Map<number, Layout>} */
const LAYOUTS_BY_CODE = new Map();
for (const [type, code, fields] of LAYOUT_TABLE) {
  const layout = { type, code, fields, size: 1 + fields.reduce((n, [, kind]) => n + FIELD_BYTES[kind], 0) };
  if (!LAYOUTS_BY_TYPE.has(type)) LAYOUTS_BY_TYPE.set(type, layout);
  LAYOUTS_BY_CODE.set(code, layout);
}
const MOVE_WITH_SEQ = /** @type {Layout} */ (LAYOUTS_BY_CODE.get(MOVE_WITH_SEQ_CODE));

/**
 * The layout a message is encoded with.
 * @param {{t: string, seq?: number}} message
 * @returns {Layout|undefined}
 */
function layoutOf(message) {
  if (message.t === 'move' && message.seq !== undefined) return MOVE_WITH_SEQ;
  return LAYOUTS_BY_TYPE.get(message.t);
}

/** A frame that does not split exactly into known messages. */
export class FrameDecodeError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'FrameDecodeError';
  }
}

/**
 * Encoded size in bytes of one message (23 for spawn, 21 for move, 25 for a move with a `seq`...),
 * by type (the v1 form) or by message.
 * @param {string | {t: string, seq?: number}} typeOrMessage
 * @returns {number}
 */
export function binarySize(typeOrMessage) {
  const layout = typeof typeOrMessage === 'string' ? LAYOUTS_BY_TYPE.get(typeOrMessage) : layoutOf(typeOrMessage);
  const type = typeof typeOrMessage === 'string' ? typeOrMessage : typeOrMessage.t;
  if (!layout) throw new TypeError(`no binary form for message type ${type}`);
  return layout.size;
}

/**
 * @param {string} type
 * @param {string} name
 * @param {FieldKind} kind
 * @param {unknown} value
 */
function checkField(type, name, kind, value) {
  /** @param {string} why @returns {never} */
  const fail = (why) => { throw new RangeError(`${type}.${name} ${why}: ${value}`); };
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a finite number');
  switch (kind) {
    case 'u16':
      if (!Number.isInteger(value) || value < 0 || value > 0xffff) fail('must be an integer in 0..65535');
      break;
    case 'u32':
      if (!Number.isInteger(value) || value < 0 || value >= TWO_POW_32) fail('must be an integer in 0..2^32-1');
      break;
    case 'f32':
      if (!Number.isFinite(Math.fround(value))) fail('does not fit a 32-bit float');
      break;
    case 's32':
      if (value < 0) fail('must be a server time (ms, not negative)');
      break;
    default:
      break;
  }
}

/**
 * Checks that a message can go on the wire: known type, every field present and finite, integers
 * in range. The relay would answer `bad_message`/`out_of_bounds` otherwise; failing here, at the
 * call site, shows the game's bug where it is.
 * @param {import('./messages.js').Message} message
 * @throws {TypeError|RangeError}
 */
export function assertEncodable(message) {
  const layout = message && typeof message === 'object' ? layoutOf(message) : undefined;
  if (!layout) throw new TypeError(`unknown message type ${message?.t}`);
  const fields = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (message));
  for (const [name, kind] of layout.fields) checkField(layout.type, name, kind, fields[name]);
}

/**
 * Encodes messages back to back into one binary frame.
 * @param {ReadonlyArray<import('./messages.js').Message>} messages objects in the JSON form
 *   (`{t:'move', id, x, y, vx, vy}`)
 * @returns {Uint8Array}
 */
export function encodeBinaryFrame(messages) {
  let size = 0;
  for (const m of messages) {
    assertEncodable(m);
    size += binarySize(m);
  }
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const m of messages) {
    const layout = /** @type {Layout} */ (layoutOf(m));
    const fields = /** @type {Record<string, number>} */ (/** @type {unknown} */ (m));
    view.setUint8(offset, layout.code);
    offset += 1;
    for (const [name, kind] of layout.fields) {
      const value = fields[name];
      switch (kind) {
        case 'u16': view.setUint16(offset, value, true); break;
        case 'u32': view.setUint32(offset, value, true); break;
        case 'f32': view.setFloat32(offset, value, true); break;
        case 'f64': view.setFloat64(offset, value, true); break;
        case 's32': view.setUint32(offset, Math.floor(value) % TWO_POW_32, true); break;
        default: break;
      }
      offset += FIELD_BYTES[kind];
    }
  }
  return bytes;
}

/**
 * Decodes a binary frame into messages in the JSON form.
 * @param {ArrayBuffer|ArrayBufferView} data
 * @param {(s32: number) => number} [unwrapServerTime] turns the wire's s32 into full server time
 *   (see {@link ServerClock#unwrap}); identity by default.
 * @returns {import('./messages.js').Message[]}
 * @throws {FrameDecodeError} when the frame is empty, has an unknown type byte or a cut message
 */
export function decodeBinaryFrame(data, unwrapServerTime = (s32) => s32) {
  const view = ArrayBuffer.isView(data)
    ? new DataView(data.buffer, data.byteOffset, data.byteLength)
    : new DataView(data);
  if (view.byteLength === 0) throw new FrameDecodeError('empty frame');
  /** @type {import('./messages.js').Message[]} */
  const messages = [];
  let offset = 0;
  while (offset < view.byteLength) {
    const code = view.getUint8(offset);
    const layout = LAYOUTS_BY_CODE.get(code);
    if (!layout) throw new FrameDecodeError(`unknown type byte 0x${code.toString(16)} at ${offset}`);
    if (offset + layout.size > view.byteLength) {
      throw new FrameDecodeError(`${layout.type} at ${offset} is cut: needs ${layout.size} bytes`);
    }
    /** @type {Record<string, string|number>} */
    const message = { t: layout.type };
    let at = offset + 1;
    for (const [name, kind] of layout.fields) {
      switch (kind) {
        case 'u16': message[name] = view.getUint16(at, true); break;
        case 'u32': message[name] = view.getUint32(at, true); break;
        case 'f32': message[name] = view.getFloat32(at, true); break;
        case 'f64': message[name] = view.getFloat64(at, true); break;
        case 's32': message[name] = unwrapServerTime(view.getUint32(at, true)); break;
        default: break;
      }
      at += FIELD_BYTES[kind];
    }
    messages.push(/** @type {import('./messages.js').Message} */ (/** @type {unknown} */ (message)));
    offset += layout.size;
  }
  return messages;
}
