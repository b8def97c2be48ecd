/**
 * The rules of the space game, as pure functions: ship handling, bullets, the arena, hits and
 * when to tell the others. No DOM, no network, so they are tested alone.
 * @module space-rules
 */

/** Entity kinds this game gives the relay. */
export const KIND = Object.freeze({ SHIP: 1, BULLET: 2 });

/** The playing field, centred on (0, 0); ships bounce off its walls. */
export const ARENA = Object.freeze({ halfWidth: 1600, halfHeight: 1100 });

/**
 * The field of open worlds: universes named `open-…`, where the relay's default configuration
 * turns interest management on, so that a pilot gets only what is near however large the world.
 */
export const OPEN_ARENA = Object.freeze({ halfWidth: 12000, halfHeight: 8000 });

/** The field a universe is played on, by its name. */
export function arenaFor(universe) {
  return universe.startsWith('open-') ? OPEN_ARENA : ARENA;
}

export const SHIP = Object.freeze({
  radius: 16,
  turnRate: 3.6, // rad/s
  thrust: 420, // units/s²
  brake: 520, // units/s²
  maxSpeed: 650,
  wallBounce: 0.6, // share of speed kept when hitting a wall
  respawnMs: 1600,
  shieldMs: 2000, // invulnerable after spawning
});

export const BULLET = Object.freeze({
  radius: 3,
  speed: 900,
  lifetimeMs: 1100,
  cooldownMs: 220,
  maxInFlight: 6,
});

/**
 * Advances the own ship by dt seconds under the controls.
 * @param {{x:number, y:number, vx:number, vy:number, angle:number}} ship changed in place
 * @param {{left:boolean, right:boolean, thrust:boolean, brake:boolean}} controls
 * @param {number} dt seconds
 * @param {{halfWidth: number, halfHeight: number}} [arena]
 * @returns {{bounced: boolean}} whether it hit a wall (its motion changed abruptly)
 */
export function stepShip(ship, controls, dt, arena = ARENA) {
  const turn = (controls.right ? 1 : 0) - (controls.left ? 1 : 0);
  ship.angle += turn * SHIP.turnRate * dt;
  if (controls.thrust) {
    ship.vx += Math.cos(ship.angle) * SHIP.thrust * dt;
    ship.vy += Math.sin(ship.angle) * SHIP.thrust * dt;
  }
  if (controls.brake) {
    const speed = Math.hypot(ship.vx, ship.vy);
    const slower = Math.max(0, speed - SHIP.brake * dt);
    const factor = speed > 0 ? slower / speed : 0;
    ship.vx *= factor;
    ship.vy *= factor;
  }
  const speed = Math.hypot(ship.vx, ship.vy);
  if (speed > SHIP.maxSpeed) {
    ship.vx *= SHIP.maxSpeed / speed;
    ship.vy *= SHIP.maxSpeed / speed;
  }
  ship.x += ship.vx * dt;
  ship.y += ship.vy * dt;
  let bounced = false;
  const maxX = arena.halfWidth - SHIP.radius;
  const maxY = arena.halfHeight - SHIP.radius;
  if (Math.abs(ship.x) > maxX) {
    ship.x = Math.sign(ship.x) * maxX;
    ship.vx = -Math.sign(ship.x) * Math.abs(ship.vx) * SHIP.wallBounce;
    bounced = true;
  }
  if (Math.abs(ship.y) > maxY) {
    ship.y = Math.sign(ship.y) * maxY;
    ship.vy = -Math.sign(ship.y) * Math.abs(ship.vy) * SHIP.wallBounce;
    bounced = true;
  }
  return { bounced };
}

/**
 * Where a bullet fired now starts and how it flies: from the nose, with the ship's velocity
 * added (so it does not fall behind a fast ship).
 * @returns {{x:number, y:number, vx:number, vy:number}}
 */
export function launchBullet(ship) {
  const dirX = Math.cos(ship.angle);
  const dirY = Math.sin(ship.angle);
  return {
    x: ship.x + dirX * (SHIP.radius + 4),
    y: ship.y + dirY * (SHIP.radius + 4),
    vx: ship.vx + dirX * BULLET.speed,
    vy: ship.vy + dirY * BULLET.speed,
  };
}

/** Whether a point is outside the arena (plus a margin). */
export function outsideArena({ x, y }, margin = 0, arena = ARENA) {
  return Math.abs(x) > arena.halfWidth + margin || Math.abs(y) > arena.halfHeight + margin;
}

/**
 * Whether a bullet that moved from a to b during the last frame passed within r of c.
 * Testing the segment, not only the end point, keeps fast bullets from jumping over a ship.
 */
export function segmentHitsCircle(a, b, c, r) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((c.x - a.x) * dx + (c.y - a.y) * dy) / lengthSquared));
  return Math.hypot(a.x + t * dx - c.x, a.y + t * dy - c.y) <= r;
}

/** A random spawn point near the middle of the arena, so players meet. */
export function spawnPoint(random = Math.random, arena = ARENA) {
  return {
    x: (random() - 0.5) * arena.halfWidth * 0.4,
    y: (random() - 0.5) * arena.halfHeight * 0.4,
    angle: random() * Math.PI * 2,
  };
}

/**
 * Where a new ship starts in an open world, whose field is far larger than a view: pilots spread
 * over it at random would rarely meet. `gap` is how far from another pilot's ship it starts:
 * beyond point-blank range, well within the view (VIEW.radius) so that both see each other at once.
 */
export const OPEN_SPAWN = Object.freeze({ minGap: 450, maxGap: 900, startArea: { halfWidth: 600, halfHeight: 400 } });

/**
 * A spawn point in an open world: near the ship of a random other pilot (`ships`, their current
 * positions, e.g. from the welcome snapshot), at a random distance between `OPEN_SPAWN.minGap` and
 * `maxGap`, kept inside the arena; with no other ship, in a small start area around the centre
 * (the next pilots will spawn near this one).
 * @param {Array<{x: number, y: number}>} ships
 * @param {() => number} [random]
 * @param {{halfWidth: number, halfHeight: number}} [arena]
 * @returns {{x: number, y: number, angle: number}}
 */
export function spawnNear(ships, random = Math.random, arena = OPEN_ARENA) {
  if (ships.length === 0) {
    const area = OPEN_SPAWN.startArea; // any two points in it are within a view of each other
    return { x: (random() * 2 - 1) * area.halfWidth, y: (random() * 2 - 1) * area.halfHeight, angle: random() * Math.PI * 2 };
  }
  const other = ships[Math.min(ships.length - 1, Math.floor(random() * ships.length))];
  const direction = random() * Math.PI * 2;
  const gap = OPEN_SPAWN.minGap + random() * (OPEN_SPAWN.maxGap - OPEN_SPAWN.minGap);
  const maxX = arena.halfWidth - SHIP.radius * 4;
  const maxY = arena.halfHeight - SHIP.radius * 4;
  return {
    x: Math.max(-maxX, Math.min(maxX, other.x + Math.cos(direction) * gap)),
    y: Math.max(-maxY, Math.min(maxY, other.y + Math.sin(direction) * gap)),
    angle: random() * Math.PI * 2,
  };
}

/**
 * Decides when to send the own ship's state. Moves cost rate-limit tokens shared with bullets,
 * so they go when the motion changed (thrust or brake toggled, a wall bounce), often while
 * accelerating (others extrapolate in straight lines), and rarely while coasting (a straight
 * line is exactly what others extrapolate).
 */
export class MoveScheduler {
  /**
   * @param {object} [options]
   * @param {number} [options.acceleratingMs] period while thrusting or braking
   * @param {number} [options.coastingMs] period while coasting
   */
  constructor({ acceleratingMs = 200, coastingMs = 1000 } = {}) {
    this.acceleratingMs = acceleratingMs;
    this.coastingMs = coastingMs;
    this.lastSentAt = -Infinity;
    this.lastAccelerating = false;
  }

  /**
   * @param {number} now ms
   * @param {{accelerating: boolean, bounced: boolean}} motion
   * @returns {boolean} whether to send a move now (and it counts as sent)
   */
  due(now, { accelerating, bounced }) {
    const changed = bounced || accelerating !== this.lastAccelerating;
    const period = accelerating ? this.acceleratingMs : this.coastingMs;
    this.lastAccelerating = accelerating;
    if (!changed && now - this.lastSentAt < period) return false;
    this.lastSentAt = now;
    return true;
  }
}

/**
 * The area a player asks the relay for (interest management, where the server has it): a
 * 2560x1440 screen's half-diagonal at 1:1 scale and a margin, so that nothing pops into sight.
 */
export const VIEW = Object.freeze({ radius: 2000, resendDistance: 300 });

/**
 * Decides when to tell the relay where the camera is. A view costs a rate-limit token like a
 * move, so a new one goes only when the camera has moved a good part of the margin between the
 * screen's corners and the view's edge, never every frame.
 */
export class ViewFollower {
  /**
   * @param {object} [options]
   * @param {number} [options.radius] radius of the view, world units
   * @param {number} [options.resendDistance] how far the camera moves before the view follows
   */
  constructor({ radius = VIEW.radius, resendDistance = VIEW.resendDistance } = {}) {
    this.radius = radius;
    this.resendDistance = resendDistance;
    this.last = null;
  }

  /**
   * @param {{x: number, y: number}} camera
   * @returns {{x: number, y: number, r: number}|null} the view to send now (it counts as sent), or null
   */
  next(camera) {
    if (this.last && Math.hypot(camera.x - this.last.x, camera.y - this.last.y) < this.resendDistance) return null;
    this.last = { x: camera.x, y: camera.y, r: this.radius };
    return this.last;
  }
}
