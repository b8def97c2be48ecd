import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  assertEncodable, binarySize, decodeBinaryFrame, encodeBinaryFrame, FrameDecodeError,
} from '../../sdk/src/binary-codec.js';
import { unwrapS32 } from '../../sdk/src/server-clock.js';
import { BINARY_WIRE, JSON_WIRE, decodeJsonFrame, wireFor } from '../../sdk/src/wire-format.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');
const sharedVectors = path.resolve(repoRoot, '..', 'shared', 'protocol-v1-vectors.json');
const fixtureVectors = path.resolve(here, '..', 'fixtures', 'protocol-v1-vectors.json');
const vectorsPath = existsSync(sharedVectors) ? sharedVectors : fixtureVectors;
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8'));

const hexToBytes = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const bytesToHex = (bytes) => Buffer.from(bytes).toString('hex');
const asList = (json) => [json].flat();
// unwraps against an estimate a few seconds off, as a client's would be
const unwrapNear = (s32) => unwrapS32(s32, vectors.server_time_example + 4321);

test('the fixture copy of the vectors matches the shared contract', { skip: !existsSync(sharedVectors) }, () => {
  assert.deepEqual(JSON.parse(readFileSync(fixtureVectors, 'utf8')), JSON.parse(readFileSync(sharedVectors, 'utf8')));
});

test('there are vectors for every message type of both directions', () => {
  const types = new Set(vectors.valid.flatMap((v) => asList(v.json).map((m) => m.t)));
  for (const t of ['spawn', 'move', 'destroy', 'ping', 'appeared', 'velocity', 'destroyed']) assert.ok(types.has(t), t);
});

for (const [i, vector] of vectors.valid.entries()) {
  const label = `${vector.direction} vector ${i} (${asList(vector.json).map((m) => m.t).join('+')})`;

  test(`${label} encodes to the vector's bytes`, () => {
    assert.equal(bytesToHex(encodeBinaryFrame(asList(vector.json))), vector.hex);
  });

  test(`${label} decodes to the vector's messages`, () => {
    assert.deepEqual(decodeBinaryFrame(hexToBytes(vector.hex), unwrapNear), asList(vector.json));
  });

  test(`${label} size matches the protocol table`, () => {
    const expected = asList(vector.json).reduce((n, m) => n + binarySize(m.t), 0);
    assert.equal(vector.hex.length / 2, expected);
  });
}

test('decoding accepts an ArrayBuffer and a view into a larger buffer', () => {
  const hex = vectors.valid.find((v) => v.json.t === 'destroyed').hex;
  const padded = new Uint8Array(hex.length / 2 + 6);
  padded.set(hexToBytes(hex), 3);
  const view = padded.subarray(3, 3 + hex.length / 2);
  assert.deepEqual(decodeBinaryFrame(view, unwrapNear), decodeBinaryFrame(hexToBytes(hex).buffer, unwrapNear));
});

for (const invalid of vectors.invalid_client_frames) {
  test(`invalid client frame (${invalid.why}) is never produced by the encoder`, () => {
    let decoded;
    try {
      decoded = decodeBinaryFrame(hexToBytes(invalid.hex));
    } catch (error) {
      assert.ok(error instanceof FrameDecodeError, error.message);
      return; // structurally invalid: the encoder only writes whole, known messages
    }
    // structurally fine but with a non-finite value: the encoder refuses such messages
    assert.ok(decoded.length > 0);
    assert.throws(() => encodeBinaryFrame(decoded), RangeError);
  });
}

test('the encoder refuses values the wire cannot carry', () => {
  const move = { t: 'move', id: 1, x: 0, y: 0, vx: 0, vy: 0 };
  assert.throws(() => assertEncodable({ ...move, x: NaN }), RangeError);
  assert.throws(() => assertEncodable({ ...move, y: Infinity }), RangeError);
  assert.throws(() => assertEncodable({ ...move, vx: 1e39 }), RangeError); // overflows float32
  assert.throws(() => assertEncodable({ ...move, id: -1 }), RangeError);
  assert.throws(() => assertEncodable({ ...move, id: 2 ** 32 }), RangeError);
  assert.throws(() => assertEncodable({ ...move, id: 1.5 }), RangeError);
  assert.throws(() => assertEncodable({ ...move, vy: undefined }), RangeError);
  assert.throws(() => assertEncodable({ t: 'spawn', ref: 1, k: 65536, x: 0, y: 0, vx: 0, vy: 0 }), RangeError);
  assert.throws(() => assertEncodable({ t: 'teleport' }), TypeError);
  assert.doesNotThrow(() => assertEncodable(move));
});

test('binary frames are split under the frame limit, in order', () => {
  const moves = Array.from({ length: 100 }, (_, i) => ({ t: 'move', id: i + 1, x: i, y: -i, vx: 1, vy: 2 }));
  const frames = BINARY_WIRE.encodeFrames(moves, 1024);
  assert.ok(frames.length >= 3);
  for (const f of frames) assert.ok(f.byteLength <= 1024, `frame of ${f.byteLength} bytes`);
  assert.deepEqual(frames.flatMap((f) => decodeBinaryFrame(f)), moves);
});

test('JSON frames are split under the frame limit and hold arrays when batched', () => {
  const moves = Array.from({ length: 40 }, (_, i) => ({ t: 'move', id: i + 1, x: i + 0.5, y: -i - 1, vx: 1, vy: 2 }));
  const frames = JSON_WIRE.encodeFrames(moves, 1024);
  assert.ok(frames.length >= 2);
  for (const f of frames) assert.ok(Buffer.byteLength(f) <= 1024);
  assert.deepEqual(frames.flatMap((f) => decodeJsonFrame(f)), moves);
  assert.equal(JSON_WIRE.encodeFrames([moves[0]])[0], JSON.stringify(moves[0]));
  assert.throws(() => JSON_WIRE.encodeFrames([{ ...moves[0], x: NaN }]), RangeError);
});

test('text frames decode as JSON on both wires', () => {
  const joined = { t: 'joined', p: 3, name: 'bob' };
  assert.deepEqual(BINARY_WIRE.decodeFrame(JSON.stringify(joined)), [joined]);
  assert.deepEqual(JSON_WIRE.decodeFrame(JSON.stringify([joined, joined])), [joined, joined]);
  assert.throws(() => decodeJsonFrame('[1,2]'), SyntaxError);
  assert.throws(() => decodeJsonFrame('{"t":'), SyntaxError);
});

test('a connection without the binary subprotocol speaks JSON', () => {
  assert.equal(wireFor('relay.v1.bin'), BINARY_WIRE);
  assert.equal(wireFor('relay.v1.json'), JSON_WIRE);
  assert.equal(wireFor(''), JSON_WIRE);
});

// Interest management extension (protocol section 13), vectors written out by hand from the layout.
test('view encodes as 0x15 f32 x, f32 y, f32 r, 13 bytes', () => {
  const view = { t: 'view', x: 1.5, y: -2, r: 500 };
  assert.equal(bytesToHex(encodeBinaryFrame([view])), '150000c03f000000c00000fa43');
  assert.equal(binarySize('view'), 13);
  assert.deepEqual(decodeBinaryFrame(hexToBytes('150000c03f000000c00000fa43')), [view]);
  assert.throws(() => assertEncodable({ ...view, r: NaN }), RangeError);
});

test('hidden decodes from 0x04 u32 id, 5 bytes, batched with other events', () => {
  assert.deepEqual(decodeBinaryFrame(hexToBytes('040c000000030c000000fbe975ac04ffffffff'), unwrapNear), [
    { t: 'hidden', id: 12 },
    { t: 'destroyed', id: 12, s: unwrapNear(0xac75e9fb) },
    { t: 'hidden', id: 0xffffffff },
  ]);
  assert.equal(binarySize('hidden'), 5);
  assert.throws(() => decodeBinaryFrame(hexToBytes('040c0000')), FrameDecodeError);
});
