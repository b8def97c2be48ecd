import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EntityStore } from '../../sdk/src/entity-store.js';

const near = (actual, expected, eps = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= eps, `${actual} is not within ${eps} of ${expected}`);

test('dead reckoning extrapolates from the last state', () => {
  const store = new EntityStore();
  const e = store.add({ id: 7, o: 2, k: 1, x: 10, y: -4, vx: 100, vy: -50, s: 1000 });
  assert.deepEqual(e.positionAt(1000), { x: 10, y: -4 });
  assert.deepEqual(e.positionAt(1500), { x: 60, y: -29 });
  assert.deepEqual(e.positionAt(900), { x: 0, y: 1 });
  assert.equal(e.owner, 2);
  assert.equal(e.kind, 1);
});

test('a velocity event does not snap: the drawn position is continuous', () => {
  const store = new EntityStore({ correctionMs: 150 });
  const e = store.add({ id: 1, o: 2, k: 1, x: 0, y: 0, vx: 100, vy: 0, s: 0 });
  const now = 1000;
  const before = e.positionAt(now); // (100, 0)
  // the owner turned: the new state says it is at (90, 0) moving up since t=950
  store.applyVelocity({ id: 1, x: 90, y: 0, vx: 0, vy: 200, s: 950 }, now);
  const after = e.positionAt(now);
  near(after.x, before.x);
  near(after.y, before.y);
});

test('the correction is blended out within the correction time and shrinks steadily', () => {
  const store = new EntityStore({ correctionMs: 150 });
  const e = store.add({ id: 1, o: 2, k: 1, x: 0, y: 0, vx: 0, vy: 0, s: 0 });
  store.applyVelocity({ id: 1, x: 30, y: 40, vx: 0, vy: 0, s: 1000 }, 1000); // error of 50
  let previousError = Infinity;
  let maxStep = 0;
  let previous = e.positionAt(1000);
  for (let t = 1000; t <= 1150; t += 1000 / 60) {
    const p = e.positionAt(t);
    const error = Math.hypot(p.x - 30, p.y - 40);
    assert.ok(error <= previousError + 1e-9, 'error never grows');
    maxStep = Math.max(maxStep, Math.hypot(p.x - previous.x, p.y - previous.y));
    previousError = error;
    previous = p;
  }
  assert.deepEqual(e.positionAt(1151), { x: 30, y: 40 });
  assert.equal(e.correction, null);
  assert.ok(maxStep < 50 / 3, `largest step per frame ${maxStep} is a visible snap`);
});

test('a huge error jumps at once (teleport)', () => {
  const store = new EntityStore({ snapDistance: 400 });
  const e = store.add({ id: 1, o: 2, k: 1, x: 0, y: 0, vx: 0, vy: 0, s: 0 });
  store.applyVelocity({ id: 1, x: 5000, y: 0, vx: 0, vy: 0, s: 10 }, 10);
  assert.deepEqual(e.positionAt(10), { x: 5000, y: 0 });
});

test('velocity of an unknown entity is ignored', () => {
  const store = new EntityStore();
  assert.equal(store.applyVelocity({ id: 9, x: 0, y: 0, vx: 0, vy: 0, s: 0 }, 0), undefined);
  assert.equal(store.size, 0);
});

test('own state is set as is, without blending', () => {
  const store = new EntityStore();
  const e = store.add({ id: 1, o: 1, k: 1, x: 0, y: 0, vx: 0, vy: 0, s: 0 });
  store.setOwnState(1, { x: 100, y: 0, vx: 10, vy: 0, s: 100 });
  assert.deepEqual(e.positionAt(200), { x: 101, y: 0 });
});

test('a snapshot replaces everything', () => {
  const store = new EntityStore();
  store.add({ id: 1, o: 1, k: 1, x: 0, y: 0, vx: 0, vy: 0, s: 0 });
  store.replaceAll([{ id: 2, o: 3, k: 2, x: 1, y: 2, vx: 0, vy: 0, s: 5 }]);
  assert.equal(store.has(1), false);
  assert.equal(store.get(2).owner, 3);
  assert.deepEqual([...store.values()].map((e) => e.id), [2]);
  assert.equal(store.remove(2).id, 2);
  assert.equal(store.size, 0);
});
