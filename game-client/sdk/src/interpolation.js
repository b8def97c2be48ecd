/**
 * Interpolation of remote entities: others' entities are drawn a little in the past, at
 * `serverNow - delayMs`, where the states that surround that moment are usually both known
 * already. Between two states the path is a cubic Hermite curve through both positions with both
 * velocities, so a turn or a burst of thrust is drawn as the curve it was, not as a kink or a
 * jump. Past the newest state the entity is extrapolated from it, for at most
 * `maxExtrapolationMs`: when its updates stop (its owner's connection dropped), it stops instead
 * of flying off. When a new state changes the path at the moment being drawn (it came later than
 * the delay), the difference is blended out over `correctionMs` instead of jumping.
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
 */

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
 * @returns {{x: number, y: number, vx: number, vy: number}}
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
  // derivatives (per unit of u), divided by span for units per second
  const d00 = 6 * u2 - 6 * u;
  const d10 = 3 * u2 - 4 * u + 1;
  const d01 = -6 * u2 + 6 * u;
  const d11 = 3 * u2 - 2 * u;
  return {
    x: h00 * a.x + h10 * span * a.vx + h01 * b.x + h11 * span * b.vx,
    y: h00 * a.y + h10 * span * a.vy + h01 * b.y + h11 * span * b.vy,
    vx: (d00 * a.x + d10 * span * a.vx + d01 * b.x + d11 * span * b.vx) / span,
    vy: (d00 * a.y + d10 * span * a.vy + d01 * b.y + d11 * span * b.vy) / span,
  };
}

export class Interpolator {
  /** @param {InterpolatorOptions} [options] */
  constructor({ delayMs = 100, maxExtrapolationMs = 1000, correctionMs = 150, snapDistance = 400 } = {}) {
    /** How far behind the estimated server time entities are drawn, ms (may be changed any time). */
    this.delayMs = delayMs;
    /** Extrapolation past the newest state stops after this, ms. */
    this.maxExtrapolationMs = maxExtrapolationMs;
    /** How long a change of path is blended out, ms. */
    this.correctionMs = correctionMs;
    /** A change of path larger than this is taken at once. */
    this.snapDistance = snapDistance;
    /**
     * What was drawn last per entity, to notice and smooth a change of path.
     * @type {WeakMap<Entity, {revision: number, t: number, x: number, y: number, vx: number, vy: number,
     *   dx: number, dy: number, start: number}>}
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
    return { ...hermite(a, b, t), extrapolating: false, stale: false };
  }

  /**
   * Where to draw an entity now: its path at `serverNow - delayMs`, with a change of path
   * blended out.
   * @param {Entity} entity
   * @param {number} serverNow the client's estimate (`client.serverNow()`)
   * @returns {RenderState}
   */
  positionAt(entity, serverNow) {
    const t = this.renderTime(serverNow);
    const raw = this.sample(entity, t);
    let memory = this.drawn.get(entity);
    if (memory && memory.revision !== entity.revision && t >= memory.t) {
      // the path changed: where the old path would have gone, from where it was drawn last
      const elapsed = (t - memory.t) / 1000;
      const dx = memory.x + memory.vx * elapsed - raw.x;
      const dy = memory.y + memory.vy * elapsed - raw.y;
      const jump = Math.hypot(dx, dy);
      if (jump <= this.snapDistance) Object.assign(memory, { dx, dy, start: t });
      else Object.assign(memory, { dx: 0, dy: 0, start: t });
    }
    if (!memory) {
      memory = { revision: entity.revision, t, x: raw.x, y: raw.y, vx: raw.vx, vy: raw.vy, dx: 0, dy: 0, start: t };
      this.drawn.set(entity, memory);
    }
    let { x, y } = raw;
    if (memory.dx !== 0 || memory.dy !== 0) {
      const progress = this.correctionMs > 0 ? (t - memory.start) / this.correctionMs : 1;
      if (progress >= 1) {
        memory.dx = 0;
        memory.dy = 0;
      } else {
        const remaining = progress <= 0 ? 1 : (1 - progress) ** 2; // ease-out
        x += memory.dx * remaining;
        y += memory.dy * remaining;
      }
    }
    Object.assign(memory, { revision: entity.revision, t, x, y, vx: raw.vx, vy: raw.vy });
    return { ...raw, x, y };
  }
}
