/**
 * The entities of a universe as last reported, with dead reckoning: an entity's position at any
 * server time follows from its last state (`position = (x, y) + (vx, vy) * (t - s) / 1000`).
 *
 * When a new state arrives for an entity someone else owns, the new extrapolation usually
 * differs a little from where the entity was being drawn. Jumping there would be a visible snap,
 * so the difference is blended out over a short time instead (ease-out), unless it is so large
 * (a teleport, a respawn) that blending would look worse than jumping.
 * @module entity-store
 */

/** @typedef {import('./messages.js').EntityState} EntityState */
/** @typedef {{x: number, y: number}} Point */
/** @typedef {{dx: number, dy: number, start: number, duration: number}} Correction */

/** States kept per entity for interpolation (see {@link Interpolator}): the last few updates. */
const HISTORY_LENGTH = 8;

/** An entity: its last state, its recent states and the correction still being blended out. */
export class Entity {
  /**
   * @param {import('./messages.js').EntitySnapshot} m an `appeared` message or an entity of a
   *   welcome snapshot
   */
  constructor(m) {
    /** Entity id. */
    this.id = m.id;
    /** Player number of the owner. */
    this.owner = m.o;
    /** The game's own type number. */
    this.kind = m.k;
    this.x = m.x;
    this.y = m.y;
    this.vx = m.vx;
    this.vy = m.vy;
    /** Server time of this state, ms. */
    this.s = m.s;
    /**
     * The last states, oldest first (at most 8, ordered by `s`): what {@link Interpolator}
     * renders from.
     * @type {EntityState[]}
     */
    this.history = [{ x: m.x, y: m.y, vx: m.vx, vy: m.vy, s: m.s }];
    /** Counts state changes, so a renderer can notice that the path changed. */
    this.revision = 0;
    /** @type {Correction | null} */
    this.correction = null;
  }

  /**
   * @param {EntityState} state
   * @internal
   */
  setState({ x, y, vx, vy, s }) {
    this.x = x;
    this.y = y;
    this.vx = vx;
    this.vy = vy;
    this.s = s;
    this.revision += 1;
    const history = this.history;
    while (history.length && history[history.length - 1].s > s) history.pop(); // a state from the past replaces what came after
    history.push({ x, y, vx, vy, s });
    if (history.length > HISTORY_LENGTH) history.shift();
  }

  /**
   * Extrapolated position from the last state alone, without the correction.
   * @param {number} serverTime ms
   * @returns {Point}
   */
  extrapolate(serverTime) {
    const dt = (serverTime - this.s) / 1000;
    return { x: this.x + this.vx * dt, y: this.y + this.vy * dt };
  }

  /**
   * Where to draw the entity at a server time: the extrapolation plus what is left of the
   * correction.
   * @param {number} serverTime ms
   * @returns {Point}
   */
  positionAt(serverTime) {
    const p = this.extrapolate(serverTime);
    const c = this.correction;
    if (c) {
      const progress = (serverTime - c.start) / c.duration;
      if (progress >= 1) {
        this.correction = null;
      } else {
        const remaining = progress <= 0 ? 1 : (1 - progress) ** 2; // ease-out: fast first, gentle end
        p.x += c.dx * remaining;
        p.y += c.dy * remaining;
      }
    }
    return p;
  }
}

export class EntityStore {
  /**
   * @param {object} [options]
   * @param {number} [options.correctionMs] how long a correction is blended out (100-200 ms
   *   hides it without making the entity lag noticeably)
   * @param {number} [options.snapDistance] errors larger than this jump at once
   */
  constructor({ correctionMs = 150, snapDistance = 400 } = {}) {
    this.correctionMs = correctionMs;
    this.snapDistance = snapDistance;
    /** @type {Map<number, Entity>} */
    this.byId = new Map();
  }

  /**
   * Number of entities.
   * @returns {number}
   */
  get size() {
    return this.byId.size;
  }

  /**
   * @param {number} id
   * @returns {Entity|undefined}
   */
  get(id) {
    return this.byId.get(id);
  }

  /**
   * @param {number} id
   * @returns {boolean}
   */
  has(id) {
    return this.byId.has(id);
  }

  /** @returns {IterableIterator<Entity>} */
  values() {
    return this.byId.values();
  }

  /** @returns {IterableIterator<Entity>} */
  [Symbol.iterator]() {
    return this.byId.values();
  }

  /**
   * Replaces everything with a welcome snapshot: after a reconnect the server's view wins.
   * @param {ReadonlyArray<import('./messages.js').EntitySnapshot>} entities
   */
  replaceAll(entities) {
    this.byId.clear();
    for (const m of entities) this.byId.set(m.id, new Entity(m));
  }

  /**
   * Adds an entity from an `appeared` event.
   * @param {import('./messages.js').EntitySnapshot} m
   * @returns {Entity}
   */
  add(m) {
    const entity = new Entity(m);
    this.byId.set(entity.id, entity);
    return entity;
  }

  /**
   * Applies a `velocity` event and starts blending out the difference between where the entity
   * was drawn and where the new state puts it.
   * @param {{id: number} & EntityState} m a `velocity` event
   * @param {number} serverNow current server time estimate
   * @returns {Entity|undefined} the entity, or undefined when it is not known
   */
  applyVelocity(m, serverNow) {
    const entity = this.byId.get(m.id);
    if (!entity) return undefined;
    const drawn = entity.positionAt(serverNow);
    entity.setState(m);
    const next = entity.extrapolate(serverNow);
    const dx = drawn.x - next.x;
    const dy = drawn.y - next.y;
    const error = Math.hypot(dx, dy);
    entity.correction = error > 0 && error <= this.snapDistance
      ? { dx, dy, start: serverNow, duration: this.correctionMs }
      : null;
    return entity;
  }

  /**
   * Sets the state of an entity this client owns, as it sends it: the owner is the authority,
   * so nothing is blended.
   * @param {number} id
   * @param {EntityState} state
   * @returns {Entity|undefined}
   */
  setOwnState(id, state) {
    const entity = this.byId.get(id);
    if (entity) {
      entity.setState(state);
      entity.correction = null;
    }
    return entity;
  }

  /**
   * Removes an entity.
   * @param {number} id
   * @returns {Entity|undefined} the removed entity
   */
  remove(id) {
    const entity = this.byId.get(id);
    this.byId.delete(id);
    return entity;
  }
}
