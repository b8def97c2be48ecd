/**
 * Interpolation of remote entities: others' entities are drawn a little in the past, at
 * `serverNow - delayMs`, where the states that surround that moment are usually both known
 * already. Between two states the path is a cubic Hermite curve through both positions with both
 * velocities, so a turn or a burst of thrust is drawn as the curve it was, not as a kink or a
 * jump. Past the newest state the entity is extrapolated from it, for at most
 * `maxExtrapolationMs`: when its updates stop (its owner's connection dropped), it stops instead
 * of flying off. When a new state changes the path at the moment being drawn (it came later than
 * the delay), the drawn entity catches up with the new path within about `correctionMs`, never
 * faster than `maxCorrectionSpeed`, instead of jumping.
 *
 * The relay sends a `velocity` event only when an owner changes its entity's motion, stamped
 * with the server time `s` when the relay applied it; the entity's `history` keeps the last few.
 * @module interpolation
 */

/** @typedef {import('./entity-store.js').Entity} Entity */
/** @typedef {import('./messages.js').EntityState} EntityState */

/**
 * A drawn position and velocity.
 * @typedef {object} RenderState
 * @property {number} x
 * @property {number} y
 * @property {number} vx
 * @property {number} vy
 * @property {boolean} extrapolating true past the newest state
 * @property {boolean} stale true when the newest state is older than `maxExtrapolationMs`
 */

/**
 * @typedef {object} InterpolatorOptions
 * @property {number} [delayMs] how far behind the estimated server time entities are drawn;
 *   about the one-way latency plus the jitter, so that updates come before they are needed
 * @property {number} [maxExtrapolationMs] extrapolation past the newest state stops after this
 * @property {number} [correctionMs] how long a change of path is blended out
 * @property {number} [snapDistance] a change of path larger than this is taken at once (a respawn)
 * @property {number} [maxCorrectionSpeed] the drawn entity closes a gap to its path at most this
 *   fast (units per second) on top of its own velocity; about a third of the entities' top speed
 */

/** A gap to the path below this (world units) is closed at once. */
const SETTLED_DISTANCE = 0.01;

/**
 * The position at time t of a state extrapolated linearly.
 * @param {EntityState} state
 * @param {number} t
 */
function extrapolated(state, t) {
  const dt = (t - state.s) / 1000;
  return { x: state.x + state.vx * dt, y: state.y + state.vy * dt };
}

/**
 * Cubic Hermite between two states: passes through both positions with both velocities.
 * @param {EntityState} a
 * @param {EntityState} b
 * @param {number} t between a.s and b.s
 * @returns {{x: number, y: number}}
 */
function hermite(a, b, t) {
  const span = (b.s - a.s) / 1000;
  const u = (t - a.s) / (b.s - a.s);
  const u2 = u * u;
  const u3 = u2 * u;
  const h00 = 2 * u3 - 3 * u2 + 1;
  const h10 = u3 - 2 * u2 + u;
  const h01 = -2 * u3 + 3 * u2;
  const h11 = u3 - u2;
  return {
    x: h00 * a.x + h10 * span * a.vx + h01 * b.x + h11 * span * b.vx,
    y: h00 * a.y + h10 * span * a.vy + h01 * b.y + h11 * span * b.vy,
  };
}

export class Interpolator {
  /** @param {InterpolatorOptions} [options] */
  constructor({
    delayMs = 100, maxExtrapolationMs = 1000, correctionMs = 150, snapDistance = 400, maxCorrectionSpeed = 400,
  } = {}) {
    /** How far behind the estimated server time entities are drawn, ms (may be changed any time). */
    this.delayMs = delayMs;
    /** Extrapolation past the newest state stops after this, ms. */
    this.maxExtrapolationMs = maxExtrapolationMs;
    /** How long a change of path is blended out, ms. */
    this.correctionMs = correctionMs;
    /** A change of path larger than this is taken at once. */
    this.snapDistance = snapDistance;
    /** Most speed (units per second) at which a gap to the path is closed. */
    this.maxCorrectionSpeed = maxCorrectionSpeed;
    /**
     * Where each entity was drawn last and for which time.
     * @type {WeakMap<Entity, {t: number, x: number, y: number}>}
     */
    this.drawn = new WeakMap();
  }

  /**
   * Moves `delayMs` gently towards half the round trip plus a margin, so that updates keep
   * arriving before they are drawn when the latency grows, and entities are not drawn later than
   * needed when it shrinks. The delay changes by at most `maxDriftPerSecond` ms per second (the
   * entities' clock runs at most that much slower or faster: invisible), never with a jump.
   * @param {number} rttMs the measured round trip (`client.clock.rtt`); ignored when NaN
   * @param {number} dtSeconds time since the last call
   * @param {{marginMs?: number, minDelayMs?: number, maxDelayMs?: number, maxDriftPerSecond?: number}} [options]
   * @returns {number} the new delay, ms
   */
  adapt(rttMs, dtSeconds, { marginMs = 50, minDelayMs = 100, maxDelayMs = 500, maxDriftPerSecond = 50 } = {}) {
    if (!Number.isFinite(rttMs) || !(dtSeconds > 0)) return this.delayMs;
    const target = Math.min(maxDelayMs, Math.max(minDelayMs, rttMs / 2 + marginMs));
    const step = maxDriftPerSecond * dtSeconds;
    this.delayMs += Math.max(-step, Math.min(step, target - this.delayMs));
    return this.delayMs;
  }

  /**
   * The server time entities are drawn at.
   * @param {number} serverNow the client's estimate (`client.serverNow()`)
   * @returns {number}
   */
  renderTime(serverNow) {
    return serverNow - this.delayMs;
  }

  /**
   * Where an entity is at a server time, from its history alone (no smoothing).
   * @param {Entity} entity
   * @param {number} t server time, ms
   * @returns {RenderState}
   */
  sample(entity, t) {
    const history = entity.history;
    const newest = history[history.length - 1];
    if (t >= newest.s) {
      const capped = Math.min(t, newest.s + this.maxExtrapolationMs);
      return {
        ...extrapolated(newest, capped),
        vx: t > capped ? 0 : newest.vx,
        vy: t > capped ? 0 : newest.vy,
        extrapolating: true,
        stale: t > capped,
      };
    }
    const oldest = history[0];
    if (t <= oldest.s) return { ...extrapolated(oldest, t), vx: oldest.vx, vy: oldest.vy, extrapolating: false, stale: false };
    let i = history.length - 1;
    while (history[i - 1].s > t) i -= 1;
    const a = history[i - 1];
    const b = history[i];
    const stop = { x: b.x, y: b.y, vx: b.vx, vy: b.vy };
    if (b.s - a.s < 1) return { ...stop, extrapolating: false, stale: false };
    const drift = extrapolated(a, b.s);
    if (Math.hypot(drift.x - b.x, drift.y - b.y) > this.snapDistance) {
      // a teleport between the two states: follow the first until the second
      return { ...extrapolated(a, t), vx: a.vx, vy: a.vy, extrapolating: false, stale: false };
    }
    const u = (t - a.s) / (b.s - a.s);
    const curve = hermite(a, b, t);
    // the velocity the entity had (blended), not the curve's: when server timestamps come bunched
    // the curve is steeper than any real motion, and following it would look like a jump
    return {
      x: curve.x, y: curve.y, vx: a.vx + (b.vx - a.vx) * u, vy: a.vy + (b.vy - a.vy) * u, extrapolating: false, stale: false,
    };
  }

  /**
   * Where to draw an entity now: its path at `serverNow - delayMs`, followed smoothly. The drawn
   * entity moves with the path's velocity and closes the gap to the path (a state that came late,
   * server timestamps that came bunched) gradually: by about 95% within `correctionMs`, but never
   * faster than `maxCorrectionSpeed`, so a correction never shows as a jump. Gaps above
   * `snapDistance` (a teleport, a respawn) are taken at once.
   * @param {Entity} entity
   * @param {number} serverNow the client's estimate for drawing (`client.smoothServerNow()`)
   * @returns {RenderState}
   */
  positionAt(entity, serverNow) {
    const t = this.renderTime(serverNow);
    const raw = this.sample(entity, t);
    const memory = this.drawn.get(entity);
    if (!memory || t < memory.t || t - memory.t > this.maxExtrapolationMs) {
      this.drawn.set(entity, { t, x: raw.x, y: raw.y });
      return raw;
    }
    const dt = (t - memory.t) / 1000;
    const px = memory.x + raw.vx * dt;
    const py = memory.y + raw.vy * dt;
    const ex = raw.x - px;
    const ey = raw.y - py;
    const gap = Math.hypot(ex, ey);
    let x = raw.x;
    let y = raw.y;
    if (gap <= this.snapDistance && gap > SETTLED_DISTANCE) {
      const tau = this.correctionMs / 3;
      const share = tau > 0 ? 1 - Math.exp(-(dt * 1000) / tau) : 1;
      const step = Math.min(gap * share, this.maxCorrectionSpeed * dt);
      x = px + (ex / gap) * step;
      y = py + (ey / gap) * step;
    }
    memory.t = t;
    memory.x = x;
    memory.y = y;
    return { ...raw, x, y };
  }
}
