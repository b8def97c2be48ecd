import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBinaryFrame, decodeBinaryFrame, binarySize } from '../../sdk/src/binary-codec.js';
import { EntityStore } from '../../sdk/src/entity-store.js';
import { FixedTimestep } from '../../sdk/src/fixed-timestep.js';
import { Interpolator } from '../../sdk/src/interpolation.js';
import { PredictedEntity } from '../../sdk/src/prediction.js';
import { RelayClient } from '../../sdk/src/relay-client.js';
import { JSON_WIRE } from '../../sdk/src/wire-format.js';
import { FakeClock } from '../helpers/fake-clock.mjs';
import { makeFakeWebSocketClass } from '../helpers/fake-websocket.mjs';

const SERVER_OFFSET = 1_763_830_000_000;
const hex = (bytes) => Buffer.from(bytes).toString('hex');

// ------------------------------------------------------------------ wire: the ack extension

test('a move with a seq has its own binary type 0x16 (25 bytes); without one it keeps the v1 bytes', () => {
  const plain = { t: 'move', id: 7, x: 1, y: 2, vx: 3, vy: 4 };
  const withSeq = { ...plain, seq: 0x01020304 };
  assert.equal(binarySize(plain), 21);
  assert.equal(binarySize(withSeq), 25);
  const bytes = encodeBinaryFrame([withSeq]);
  assert.equal(bytes[0], 0x16);
  assert.equal(hex(bytes).slice(2), hex(encodeBinaryFrame([plain])).slice(2) + '04030201');
  assert.deepEqual(decodeBinaryFrame(bytes), [withSeq]);
  assert.equal(encodeBinaryFrame([plain])[0], 0x12);
  assert.throws(() => encodeBinaryFrame([{ ...plain, seq: -1 }]), /seq/);
  assert.deepEqual(JSON.parse(/** @type {string} */ (JSON_WIRE.encodeFrames([withSeq])[0])), withSeq);
});

test('an ack is 0x05 u32 id, u32 seq, u32 s32 (13 bytes) and decodes to full server time', () => {
  const s = SERVER_OFFSET + 1234;
  const bytes = encodeBinaryFrame([{ t: 'ack', id: 9, seq: 77, s }]);
  assert.equal(hex(bytes), '05' + '09000000' + '4d000000' + Buffer.from(new Uint32Array([s % 2 ** 32]).buffer).toString('hex'));
  assert.deepEqual(decodeBinaryFrame(bytes, (s32) => s32 + (s - (s % 2 ** 32))), [{ t: 'ack', id: 9, seq: 77, s }]);
});

// ------------------------------------------------------------------ fixed timestep

test('the fixed timestep runs whole steps whatever the frame rate and carries the rest over', () => {
  const loop = new FixedTimestep({ stepMs: 10 });
  const ticks = [];
  assert.equal(loop.advance(1000, () => ticks.push('first frame only notes the time')), 0);
  assert.equal(loop.advance(1025, (dt, tick) => ticks.push([dt, tick])), 0.5);
  assert.deepEqual(ticks, [[0.01, 0], [0.01, 1]]);
  loop.advance(1030, (dt, tick) => ticks.push([dt, tick]));
  assert.deepEqual(ticks.at(-1), [0.01, 2], 'the half step left over makes a whole one with the next 5 ms');
  assert.equal(loop.tick, 3);
});

test('after a long pause the fixed timestep skips ahead instead of running hundreds of steps', () => {
  const loop = new FixedTimestep({ stepMs: 10, maxStepsPerFrame: 4 });
  loop.advance(0, () => {});
  let steps = 0;
  loop.advance(60_000, () => { steps += 1; });
  assert.equal(steps, 4);
  assert.throws(() => new FixedTimestep({ stepMs: 0 }), RangeError);
});

// ------------------------------------------------------------------ interpolation

test('interpolation draws the path between two known states, through both with both velocities', () => {
  const store = new EntityStore();
  const e = store.add({ id: 1, o: 3, k: 1, x: 0, y: 0, vx: 100, vy: 0, s: 1000 });
  store.applyVelocity({ id: 1, x: 100, y: 50, vx: 0, vy: 100, s: 2000 }, 2000);
  const interp = new Interpolator({ delayMs: 100 });
  const at = (t) => interp.sample(e, t);
  assert.deepEqual([at(1000).x, at(1000).y], [0, 0]);
  assert.deepEqual([at(2000).x, at(2000).y], [100, 50]);
  assert.ok(Math.abs(at(1000).vx - 100) < 1e-9 && Math.abs(at(2000).vy - 100) < 1e-9, 'velocities match at both ends');
  let previous = at(1000);
  for (let t = 1010; t < 2000; t += 10) {
    const p = at(t);
    assert.ok(Math.hypot(p.x - previous.x, p.y - previous.y) < 3, `no jump at ${t}`);
    assert.equal(p.extrapolating, false);
    previous = p;
  }
  assert.equal(interp.renderTime(5000), 4900);
});

test('past the newest state the entity is extrapolated, and stops after maxExtrapolationMs', () => {
  const store = new EntityStore();
  const e = store.add({ id: 1, o: 3, k: 1, x: 0, y: 0, vx: 100, vy: 0, s: 1000 });
  const interp = new Interpolator({ delayMs: 0, maxExtrapolationMs: 500 });
  assert.deepEqual([interp.sample(e, 1300).x, interp.sample(e, 1300).extrapolating], [30, true]);
  const stopped = interp.sample(e, 5000);
  assert.deepEqual([stopped.x, stopped.vx, stopped.stale], [50, 0, true]);
});

test('a state that comes later than the delay changes the path without a jump in the drawn position', () => {
  const store = new EntityStore();
  const e = store.add({ id: 1, o: 3, k: 1, x: 0, y: 0, vx: 200, vy: 0, s: 0 });
  const interp = new Interpolator({ delayMs: 50, correctionMs: 150 });
  let serverNow = 100;
  const frames = [];
  const frame = () => { frames.push(interp.positionAt(e, serverNow)); serverNow += 16; };
  for (let i = 0; i < 20; i += 1) frame();
  // the owner stopped at x=40 at server time 200; the event arrives at 420, long after
  store.applyVelocity({ id: 1, x: 40, y: 0, vx: 0, vy: 0, s: 200 }, serverNow);
  for (let i = 0; i < 30; i += 1) frame();
  const steps = frames.slice(1).map((p, i) => Math.hypot(p.x - frames[i].x, p.y - frames[i].y));
  assert.ok(Math.max(...steps) < 200 * 0.016 * 2.5, `largest step ${Math.max(...steps)}`);
  assert.ok(Math.abs(frames.at(-1).x - 40) < 1e-6, 'the correction is blended out: it ends where the server says');
});

// ------------------------------------------------------------------ prediction and reconciliation

function connected() {
  const clock = new FakeClock(10_000);
  const { FakeWebSocket, sockets } = makeFakeWebSocketClass();
  const client = new RelayClient({
    universe: 'alpha', token: 't', baseUrl: 'http://relay.test/', WebSocket: FakeWebSocket, timers: clock, now: clock.now,
  });
  client.connect();
  const socket = sockets[0];
  socket.accept();
  const serverTime = () => clock.time + SERVER_OFFSET;
  socket.serverSendJson({
    t: 'welcome', v: 1, universe: 'alpha', you: 7, name: 'ada', s: serverTime(), resume: 'r', players: [],
    entities: [{ id: 20, o: 7, k: 1, x: 0, y: 0, vx: 0, vy: 0, s: serverTime() }],
    limits: { rate: 30, burst: 60, maxEntities: 64, maxSpeed: 2000, bounds: 1000 },
  });
  const moves = () => socket.sentMessages().filter((m) => m.t === 'move');
  return { clock, client, socket, sockets, serverTime, moves };
}

/** The game's step: thrust to the right at 100 units/s², walls at ±950. */
const step = (state, input, dt) => {
  const vx = state.vx + (input.thrust ? 100 * dt : 0);
  return { ...state, x: Math.max(-950, Math.min(950, state.x + vx * dt)), vx, steps: state.steps + 1 };
};

test('input is applied at once; each move goes with a seq and the ack confirms it', () => {
  const { client, socket, moves, serverTime } = connected();
  const acks = [];
  client.on('ack', (a) => acks.push(a));
  const own = new PredictedEntity({ client, id: 20, state: { x: 0, y: 0, vx: 0, vy: 0, steps: 0 }, step });
  own.apply({ thrust: true }, 0.1);
  assert.ok(own.state.vx > 0 && own.state.x > 0, 'the input shows before any answer');
  const seq = own.send();
  assert.equal(moves().at(-1).seq, seq);
  assert.equal(socket.sent.at(-1)[0], 0x16, 'binary move with a seq');
  assert.equal(own.pending, 1);
  socket.serverSendBinary([{ t: 'ack', id: 20, seq, s: serverTime() }]);
  assert.deepEqual(acks, [{ id: 20, seq, s: serverTime() }]);
  assert.equal(own.pending, 0);
  assert.equal(own.confirmed.state, own.state);
  assert.equal(own.history.length, 0, 'inputs up to the confirmed state are forgotten');
});

test('a refused move goes back to the confirmed state, replays the inputs since, resends, and is drawn without a jump', () => {
  const { client, socket, moves, serverTime, clock } = connected();
  const corrections = [];
  const own = new PredictedEntity({
    client, id: 20, state: { x: 0, y: 0, vx: 0, vy: 0, steps: 0 }, step, onCorrection: (c) => corrections.push(c),
  });
  own.apply({ thrust: true }, 0.1);
  const first = own.send();
  socket.serverSendBinary([{ t: 'ack', id: 20, seq: first, s: serverTime() }]);
  own.apply({ thrust: true }, 0.1);
  // the game puts its entity somewhere the server refuses (say, a zone its rules forbid)
  own.state = { ...own.state, x: 300 };
  const refused = own.send();
  own.apply({ thrust: false }, 0.1);
  const drawnBefore = own.renderPosition();
  socket.serverSendJson({ t: 'error', code: 'out_of_bounds', msg: 'x', seq: refused });
  assert.equal(corrections.length, 1);
  assert.equal(corrections[0].how, 'replayed');
  // replay from the confirmed state (after step 1) through steps 2 and 3: no teleport
  let expected = step(step(step({ x: 0, y: 0, vx: 0, vy: 0, steps: 0 }, { thrust: true }, 0.1), { thrust: true }, 0.1), { thrust: false }, 0.1);
  assert.deepEqual(own.state, expected);
  assert.deepEqual(own.renderPosition(), drawnBefore, 'the drawn position does not jump');
  clock.advance(200);
  assert.deepEqual(own.renderPosition(), { x: expected.x, y: expected.y }, 'the correction is blended out');
  assert.deepEqual(moves().at(-1), { t: 'move', id: 20, x: Math.fround(expected.x), y: 0, vx: Math.fround(expected.vx), vy: 0, seq: refused + 1 });
});

test('refused twice in a row, the entity takes the server state (the last confirmed one, extrapolated)', () => {
  const { client, socket, serverTime, clock } = connected();
  const own = new PredictedEntity({ client, id: 20, state: { x: 0, y: 0, vx: 0, vy: 0, steps: 0 }, step });
  own.apply({ thrust: true }, 0.5);
  const first = own.send();
  const confirmedAt = serverTime();
  socket.serverSendBinary([{ t: 'ack', id: 20, seq: first, s: confirmedAt }]);
  const confirmed = own.state;
  own.apply({ thrust: true }, 0.5);
  socket.serverSendJson({ t: 'error', code: 'too_fast', msg: 'x', seq: own.send() });
  const resent = [...own.inFlight.keys()].at(-1);
  clock.advance(1000);
  socket.serverSendJson({ t: 'error', code: 'too_fast', msg: 'x', seq: resent });
  const serverX = confirmed.x + confirmed.vx * ((serverTime() - confirmedAt) / 1000);
  assert.ok(Math.abs(own.state.x - serverX) < 1e-9, `${own.state.x} vs ${serverX}`);
  assert.equal(own.state.vx, confirmed.vx);
  assert.equal(own.pending, 0, 'nothing is sent: the server has that state');
});

test('a rate-limited move is sent again; an unknown entity is not corrected', () => {
  const { client, socket, moves } = connected();
  const own = new PredictedEntity({ client, id: 20, state: { x: 0, y: 0, vx: 0, vy: 0, steps: 0 }, step });
  own.apply({ thrust: true }, 0.1);
  const seq = own.send();
  const before = own.state;
  socket.serverSendJson({ t: 'error', code: 'rate_limited', msg: 'x', seq });
  assert.equal(own.state, before);
  assert.equal(moves().at(-1).seq, seq + 1);
  socket.serverSendJson({ t: 'error', code: 'unknown_entity', msg: 'x', seq: seq + 1 });
  assert.equal(own.state, before);
  assert.equal(own.pending, 0);
  own.dispose();
});

test('after a reconnect the predicted entity tells its state again', () => {
  const { client, sockets, serverTime, clock } = connected();
  const own = new PredictedEntity({ client, id: 20, state: { x: 0, y: 0, vx: 0, vy: 0, steps: 0 }, step });
  own.apply({ thrust: true }, 0.1);
  own.send();
  sockets[0].serverClose(1006);
  clock.advance(10_000);
  const socket = sockets[1];
  socket.accept();
  socket.serverSendJson({
    t: 'welcome', v: 1, universe: 'alpha', you: 7, name: 'ada', s: serverTime(), resume: 'r', players: [],
    entities: [{ id: 20, o: 7, k: 1, x: 0, y: 0, vx: 0, vy: 0, s: serverTime() }],
  });
  const moves = socket.sentMessages().filter((m) => m.t === 'move');
  assert.equal(moves.length, 1, 'the queued move and the new one coalesce');
  assert.ok(moves[0].seq > 0 && own.inFlight.has(moves[0].seq));
});

test('errors carry the seq of a refused move to the application', () => {
  const { client, socket } = connected();
  const errors = [];
  client.on('error', (e) => errors.push(e));
  socket.serverSendJson({ t: 'error', code: 'out_of_bounds', msg: 'x too large', seq: 5 });
  assert.deepEqual(errors, [{ code: 'out_of_bounds', msg: 'x too large', seq: 5, text: 'Something tried to leave the edge of the universe.' }]);
});

test('the interpolation delay follows half the round trip plus a margin, gently', () => {
  const interp = new Interpolator({ delayMs: 100 });
  assert.equal(interp.adapt(NaN, 0.016), 100, 'no measure yet: unchanged');
  interp.adapt(300, 0.1); // target 200, at most 5 ms in 0.1 s
  assert.equal(interp.delayMs, 105);
  for (let i = 0; i < 100; i += 1) interp.adapt(300, 0.1);
  assert.equal(interp.delayMs, 200);
  for (let i = 0; i < 100; i += 1) interp.adapt(10, 0.1);
  assert.equal(interp.delayMs, 100, 'never below the minimum');
});
