import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActionOutbox } from '../../sdk/src/action-outbox.js';
import { TokenBucket } from '../../sdk/src/token-bucket.js';
import { FakeClock } from '../helpers/fake-clock.mjs';

function makeOutbox(clock, { rate = 30, capacity = 52 } = {}) {
  const sent = []; // {at, message}
  const outbox = new ActionOutbox({
    bucket: new TokenBucket({ rate, capacity, now: clock.now }),
    timers: clock,
    transmit: (messages) => { for (const message of messages) sent.push({ at: clock.time, message }); },
  });
  return { outbox, sent };
}

/** Replays send times into the server's bucket (rate, burst), with per-message latency. */
function serverRejections(sendTimes, { rate, burst }, latency = () => 0) {
  const arrivals = sendTimes.map((t) => t + latency()).sort((a, b) => a - b);
  let tokens = burst;
  let last = arrivals[0] ?? 0;
  let rejected = 0;
  for (const at of arrivals) {
    tokens = Math.min(burst, tokens + ((at - last) / 1000) * rate);
    last = at;
    if (tokens >= 1) tokens -= 1;
    else rejected += 1;
  }
  return rejected;
}

test('token bucket: starts full, refills at the rate, never beyond capacity', () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket({ rate: 10, capacity: 5, now: clock.now });
  assert.equal(bucket.available(), 5);
  assert.ok(bucket.take(5));
  assert.equal(bucket.take(), false);
  assert.equal(bucket.msUntil(1), 100);
  clock.advance(100);
  assert.ok(bucket.take());
  clock.advance(10_000);
  assert.equal(bucket.available(), 5);
});

test('a flood of spawns is sent at no more than burst + rate per second and in order', () => {
  const clock = new FakeClock();
  const { outbox, sent } = makeOutbox(clock);
  outbox.resume();
  for (let ref = 1; ref <= 200; ref += 1) outbox.enqueue({ t: 'spawn', ref, k: 1, x: 0, y: 0, vx: 0, vy: 0 });
  clock.advance(10_000);
  assert.equal(sent.length, 200);
  assert.deepEqual(sent.map((s) => s.message.ref), Array.from({ length: 200 }, (_, i) => i + 1));
  const times = sent.map((s) => s.at);
  for (const start of times) {
    const inWindow = times.filter((t) => t >= start && t < start + 1000).length;
    assert.ok(inWindow <= 60 + 30, `${inWindow} messages in the second from ${start}`);
  }
  // once the saved tokens are spent, any second holds at most `rate` messages (+1 for rounding)
  for (const start of times.filter((t) => t > times[51])) {
    const inWindow = times.filter((t) => t >= start && t < start + 1000).length;
    assert.ok(inWindow <= 31, `${inWindow} messages in the second from ${start}`);
  }
  assert.equal(serverRejections(times, { rate: 30, burst: 60 }), 0);
});

test('with latency jitter the server never rate-limits a steady stream of actions', () => {
  const clock = new FakeClock();
  const { outbox, sent } = makeOutbox(clock);
  outbox.resume();
  let seed = 42;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  // a game that wants 50 spawn/destroy per second for 20 s
  let ref = 1;
  for (let t = 0; t < 20_000; t += 20) {
    outbox.enqueue({ t: 'spawn', ref: ref++, k: 2, x: 0, y: 0, vx: 0, vy: 0 });
    clock.advance(20);
  }
  clock.advance(30_000);
  const times = sent.map((s) => s.at);
  assert.equal(serverRejections(times, { rate: 30, burst: 60 }, () => 20 + random() * 200), 0);
});

test('moves are coalesced per entity: the latest state wins and keeps its place', () => {
  const clock = new FakeClock();
  const { outbox, sent } = makeOutbox(clock, { rate: 10, capacity: 1 });
  outbox.resume();
  outbox.enqueue({ t: 'spawn', ref: 1, k: 1, x: 0, y: 0, vx: 0, vy: 0 }); // uses the only token
  outbox.enqueue({ t: 'move', id: 5, x: 1, y: 0, vx: 0, vy: 0 });
  outbox.enqueue({ t: 'move', id: 6, x: 1, y: 0, vx: 0, vy: 0 });
  for (let x = 2; x <= 50; x += 1) outbox.enqueue({ t: 'move', id: 5, x, y: 0, vx: 0, vy: 0 });
  assert.equal(outbox.pending, 2);
  clock.advance(1000);
  assert.deepEqual(sent.map((s) => [s.message.t, s.message.id ?? s.message.ref, s.message.x]),
    [['spawn', 1, 0], ['move', 5, 50], ['move', 6, 1]]);
});

test('destroy drops pending moves of its entity; spawns and destroys keep their order', () => {
  const clock = new FakeClock();
  const { outbox, sent } = makeOutbox(clock);
  outbox.enqueue({ t: 'move', id: 5, x: 1, y: 0, vx: 0, vy: 0 });
  outbox.enqueue({ t: 'spawn', ref: 1, k: 1, x: 0, y: 0, vx: 0, vy: 0 });
  outbox.enqueue({ t: 'destroy', id: 5 });
  outbox.enqueue({ t: 'spawn', ref: 2, k: 1, x: 0, y: 0, vx: 0, vy: 0 });
  assert.equal(sent.length, 0, 'nothing goes while paused');
  outbox.resume();
  assert.deepEqual(sent.map((s) => s.message.t + (s.message.ref ?? s.message.id)), ['spawn1', 'destroy5', 'spawn2']);
});

test('pings go only when idle and a token is free', () => {
  const clock = new FakeClock();
  const { outbox, sent } = makeOutbox(clock, { rate: 10, capacity: 1 });
  assert.equal(outbox.sendIfIdle({ t: 'ping', c: 1 }), false, 'not while paused');
  outbox.resume();
  assert.equal(outbox.sendIfIdle({ t: 'ping', c: 2 }), true);
  assert.equal(outbox.sendIfIdle({ t: 'ping', c: 3 }), false, 'no token left');
  outbox.enqueue({ t: 'destroy', id: 1 });
  clock.advance(50);
  assert.equal(outbox.sendIfIdle({ t: 'ping', c: 4 }), false, 'actions wait');
  clock.advance(100);
  assert.deepEqual(sent.map((s) => s.message.t), ['ping', 'destroy']);
});
