import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ARENA, BULLET, MoveScheduler, OPEN_ARENA, SHIP, VIEW, ViewFollower, arenaFor, launchBullet, outsideArena, segmentHitsCircle,
  OPEN_SPAWN, spawnNear, spawnPoint, stepShip,
} from '../../src/game/space-rules.js';
import { DEFAULT_LIMITS } from '../../sdk/src/protocol.js';

const idle = { left: false, right: false, thrust: false, brake: false };

test('a coasting ship moves in a straight line (what others extrapolate)', () => {
  const ship = { x: 0, y: 0, vx: 100, vy: -50, angle: 0 };
  stepShip(ship, idle, 0.5);
  assert.deepEqual(ship, { x: 50, y: -25, vx: 100, vy: -50, angle: 0 });
});

test('thrust accelerates along the heading, capped at the ship\'s top speed', () => {
  const ship = { x: 0, y: 0, vx: 0, vy: 0, angle: Math.PI / 2 };
  stepShip(ship, { ...idle, thrust: true }, 0.1);
  assert.ok(Math.abs(ship.vx) < 1e-9);
  assert.ok(Math.abs(ship.vy - SHIP.thrust * 0.1) < 1e-9);
  for (let i = 0; i < 100; i += 1) stepShip(ship, { ...idle, thrust: true }, 0.05);
  assert.ok(Math.hypot(ship.vx, ship.vy) <= SHIP.maxSpeed + 1e-9);
});

test('turning changes the heading only; braking stops without reversing', () => {
  const ship = { x: 0, y: 0, vx: 10, vy: 0, angle: 0 };
  stepShip(ship, { ...idle, right: true }, 0.5);
  assert.ok(Math.abs(ship.angle - SHIP.turnRate * 0.5) < 1e-9);
  stepShip(ship, { ...idle, brake: true }, 1);
  assert.equal(ship.vx, 0);
  assert.equal(ship.vy, 0);
});

test('walls bounce the ship back inside and report it', () => {
  const ship = { x: ARENA.halfWidth - SHIP.radius - 1, y: 0, vx: 400, vy: 0, angle: 0 };
  const { bounced } = stepShip(ship, idle, 0.1);
  assert.ok(bounced);
  assert.ok(ship.x <= ARENA.halfWidth - SHIP.radius);
  assert.ok(ship.vx < 0);
  assert.equal(stepShip(ship, idle, 0.01).bounced, false);
});

test('bullets leave from the nose and stay under the relay\'s speed limit', () => {
  const ship = { x: 0, y: 0, vx: SHIP.maxSpeed, vy: 0, angle: 0 };
  const b = launchBullet(ship);
  assert.ok(b.x > SHIP.radius);
  assert.equal(b.vx, SHIP.maxSpeed + BULLET.speed);
  assert.ok(Math.hypot(b.vx, b.vy) <= DEFAULT_LIMITS.maxSpeed);
});

test('hit test follows the bullet\'s path, so a fast bullet cannot jump over a ship', () => {
  const ship = { x: 0, y: 0 };
  const r = SHIP.radius + BULLET.radius;
  assert.ok(segmentHitsCircle({ x: -50, y: 5 }, { x: 50, y: 5 }, ship, r), 'passes through');
  assert.ok(!segmentHitsCircle({ x: -50, y: 30 }, { x: 50, y: 30 }, ship, r), 'passes by');
  assert.ok(!segmentHitsCircle({ x: 30, y: 0 }, { x: 80, y: 0 }, ship, r), 'moving away, beyond reach');
  assert.ok(segmentHitsCircle({ x: 10, y: 0 }, { x: 10, y: 0 }, ship, r), 'standing still inside');
});

test('spawn points are inside the arena and outsideArena agrees', () => {
  for (const v of [0, 0.5, 0.999]) {
    const p = spawnPoint(() => v);
    assert.equal(outsideArena(p), false);
  }
  assert.equal(outsideArena({ x: ARENA.halfWidth + 10, y: 0 }), true);
  assert.equal(outsideArena({ x: ARENA.halfWidth + 10, y: 0 }, 20), false);
});

test('moves are sent on changes and periodically, never every frame', () => {
  const moves = new MoveScheduler({ acceleratingMs: 200, coastingMs: 1000 });
  const sentAt = [];
  let accelerating = false;
  for (let t = 0; t <= 3000; t += 1000 / 60) {
    if (t >= 500 && t < 1500) accelerating = true; else accelerating = false;
    if (moves.due(t, { accelerating, bounced: t > 2500 && t < 2520 })) sentAt.push(Math.round(t));
  }
  // first frame, thrust on at 500, every ~200 ms while thrusting, thrust off at 1500, bounce, coasting
  assert.equal(sentAt[0], 0);
  assert.ok(sentAt.includes(500));
  assert.ok(sentAt.includes(1500));
  const whileThrusting = sentAt.filter((t) => t > 500 && t < 1500);
  assert.ok(whileThrusting.length >= 4 && whileThrusting.length <= 5, `${whileThrusting}`);
  assert.ok(sentAt.some((t) => t > 2500 && t < 2520), 'bounce sent at once');
  assert.ok(sentAt.length <= 12, `${sentAt.length} moves in 3 s`);
});

test('the view follows the camera only once it has moved far enough', () => {
  const views = new ViewFollower({ radius: 2000, resendDistance: 300 });
  assert.deepEqual(views.next({ x: 0, y: 0 }), { x: 0, y: 0, r: 2000 }, 'the first view at once');
  assert.equal(views.next({ x: 299, y: 0 }), null);
  assert.deepEqual(views.next({ x: 200, y: 250 }), { x: 200, y: 250, r: 2000 });
  assert.equal(views.next({ x: 200, y: 250 }), null);
  assert.ok(VIEW.radius > Math.hypot(1280, 720) + VIEW.resendDistance, 'a large screen stays inside the view');
});

test('open worlds are played on a field much larger than the screen and the view', () => {
  assert.equal(arenaFor('alpha'), ARENA);
  assert.equal(arenaFor('open-sector-7'), OPEN_ARENA);
  assert.ok(OPEN_ARENA.halfWidth > VIEW.radius * 4 && OPEN_ARENA.halfHeight > VIEW.radius * 3);
  const ship = { x: ARENA.halfWidth + 100, y: 0, vx: 400, vy: 0, angle: 0 };
  assert.equal(stepShip(ship, {}, 0.1, OPEN_ARENA).bounced, false);
  assert.equal(outsideArena(ship, 0, OPEN_ARENA), false);
  const wall = { x: OPEN_ARENA.halfWidth - SHIP.radius - 1, y: 0, vx: 400, vy: 0, angle: 0 };
  assert.equal(stepShip(wall, {}, 0.1, OPEN_ARENA).bounced, true);
  const p = spawnPoint(() => 0.99, OPEN_ARENA);
  assert.ok(p.x > ARENA.halfWidth && !outsideArena(p, 0, OPEN_ARENA));
});

test('in an open world a new ship starts near another pilot\'s ship, inside the field', () => {
  const ships = [{ x: 9000, y: -6000 }, { x: -300, y: 200 }];
  let seed = 1;
  const random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  const near = [0, 0];
  for (let i = 0; i < 200; i++) {
    const p = spawnNear(ships, random);
    const distances = ships.map((s) => Math.hypot(p.x - s.x, p.y - s.y));
    const closest = Math.min(...distances);
    assert.ok(closest >= OPEN_SPAWN.minGap - 1e-9 && closest <= OPEN_SPAWN.maxGap + 1e-9, `${closest} from the nearest ship`);
    assert.ok(closest < VIEW.radius, 'within the view of that pilot');
    assert.equal(outsideArena(p, 0, OPEN_ARENA), false);
    near[distances.indexOf(closest)] += 1;
  }
  assert.ok(near[0] > 50 && near[1] > 50, `picks either ship: ${near}`);
  // at the wall, it stays inside the field
  const edge = spawnNear([{ x: OPEN_ARENA.halfWidth - 10, y: OPEN_ARENA.halfHeight - 10 }], () => 0.01);
  assert.ok(edge.x < OPEN_ARENA.halfWidth - SHIP.radius && edge.y < OPEN_ARENA.halfHeight - SHIP.radius, JSON.stringify(edge));
});

test('in an empty open world ships start in a small area, within sight of each other', () => {
  const corners = [spawnNear([], () => 0), spawnNear([], () => 0.9999)];
  const { halfWidth, halfHeight } = OPEN_SPAWN.startArea;
  for (const p of corners) assert.ok(Math.abs(p.x) <= halfWidth && Math.abs(p.y) <= halfHeight, JSON.stringify(p));
  assert.ok(Math.hypot(corners[0].x - corners[1].x, corners[0].y - corners[1].y) < VIEW.radius);
});
