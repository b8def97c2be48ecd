import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServerClock, unwrapS32 } from '../../sdk/src/server-clock.js';

const TWO_32 = 2 ** 32;

test('unwrapS32 gives back the full time when the estimate is close', () => {
  const full = 1763830000123;
  for (const error of [0, 1, -1, 5000, -5000, 3_600_000, -3_600_000]) {
    assert.equal(unwrapS32(full % TWO_32, full + error), full, `estimate off by ${error}`);
  }
});

test('unwrapS32 handles the wrap-around in both directions', () => {
  const wrapAt = 410 * TWO_32; // a full server time where s32 goes back to 0
  // event just after the wrap, estimate just before it
  assert.equal(unwrapS32(5, wrapAt - 20), wrapAt + 5);
  // event just before the wrap, estimate just after it
  assert.equal(unwrapS32(TWO_32 - 7, wrapAt + 30), wrapAt - 7);
  // exactly on the wrap
  assert.equal(unwrapS32(0, wrapAt), wrapAt);
});

test('unwrapS32 picks the nearest value up to half the range away', () => {
  const estimate = 100 * TWO_32 + 1000;
  assert.equal(unwrapS32(1000 + TWO_32 / 2 - 1, estimate), estimate + TWO_32 / 2 - 1);
  assert.equal(unwrapS32(1000 - TWO_32 / 2 + TWO_32 + 1, estimate), estimate - TWO_32 / 2 + 1);
});

test('seeding from the welcome sets the estimate to the server time', () => {
  let local = 500;
  const clock = new ServerClock({ now: () => local });
  clock.seed(1_000_000);
  assert.equal(clock.serverNow(), 1_000_000);
  local += 250;
  assert.equal(clock.serverNow(), 1_000_250);
  assert.ok(Number.isNaN(clock.rtt));
  assert.equal(clock.synced, false);
});

test('a ping/pong sample gives offset with half the round trip', () => {
  let local = 10_000;
  const clock = new ServerClock({ now: () => local });
  // true offset: server = local + 1_000_000; one-way delay 40 ms each way
  const sent = local;
  local += 80;
  clock.addSample(sent, sent + 40 + 1_000_000);
  assert.equal(clock.serverNow(), local + 1_000_000);
  assert.equal(clock.rtt, 80);
  assert.equal(clock.minRtt, 80);
  assert.ok(clock.synced);
});

test('the lowest-RTT sample among the last N wins (asymmetric delay on slow samples)', () => {
  let local = 0;
  const clock = new ServerClock({ now: () => local, samples: 4 });
  const trueOffset = 5_000_000;
  const sample = (up, down) => {
    const sent = local;
    local += up;
    const s = local + trueOffset;
    local += down;
    clock.addSample(sent, s);
  };
  sample(300, 20); // queued on the way up: offset estimate off by 140
  assert.equal(clock.serverNow() - local, trueOffset + 140);
  sample(10, 10); // clean sample wins
  assert.equal(clock.serverNow() - local, trueOffset);
  sample(20, 400);
  sample(250, 30);
  assert.equal(clock.serverNow() - local, trueOffset, 'still the clean sample');
  sample(25, 25);
  sample(30, 30);
  sample(30, 30);
  // the clean 10/10 sample is now older than the last 4, the 25/25 one wins (also exact)
  assert.equal(clock.serverNow() - local, trueOffset);
  assert.equal(clock.minRtt, 50);
  sample(100, 40); sample(100, 40); sample(100, 40); sample(100, 40);
  assert.equal(clock.serverNow() - local, trueOffset + 30, 'only old samples were good');
});

test('displayed RTT is the median of recent samples: one slow pong does not show as lag', () => {
  const clock = new ServerClock({ now: () => 0, samples: 5 });
  clock.addSample(0, 0, 100);
  assert.equal(clock.rtt, 100);
  clock.addSample(0, 0, 200);
  assert.equal(clock.rtt, 150);
  for (const rtt of [4, 5, 6]) clock.addSample(0, 0, rtt);
  assert.equal(clock.rtt, 6);
  clock.addSample(0, 0, 3);
  clock.addSample(0, 0, 4);
  assert.equal(clock.rtt, 4, 'the old slow samples are out');
});

test('unwrap uses the current estimate', () => {
  let local = 0;
  const clock = new ServerClock({ now: () => local });
  const serverTime = 37 * TWO_32 - 10;
  clock.seed(serverTime);
  local += 50; // the event happened after the wrap
  assert.equal(clock.unwrap(15), 37 * TWO_32 + 15);
  assert.equal(clock.unwrap(TWO_32 - 20), serverTime - 10);
});

test('the smoothed server time follows a better sample gently, and takes large changes at once', async () => {
  const { ServerClock } = await import('../../sdk/src/server-clock.js');
  let local = 1000;
  const clock = new ServerClock({ now: () => local });
  clock.seed(1_000_000);
  clock.addSample(local - 100, 1_000_000 - 1000 + 50 + 100, local); // rtt 100: offset estimate
  clock.addSample(local - 100, 1_000_000 - 1000 + 50 + 100, local);
  const before = clock.smoothNow();
  assert.equal(before, clock.serverNow());
  clock.addSample(local - 20, clock.serverNow() + 40, local); // a better sample: the estimate moves by +50
  assert.equal(clock.serverNow() - before, 50);
  local += 100;
  assert.equal(clock.smoothNow() - before, 100 + 5, 'at most 5% faster');
  local += 1000;
  assert.equal(clock.smoothNow(), clock.serverNow(), 'caught up');
  clock.addSample(local - 20, clock.serverNow() + 5000, local); // another node: 5 s off
  assert.equal(clock.smoothNow(), clock.serverNow(), 'taken at once');
});
