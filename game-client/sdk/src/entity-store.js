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

/** An entity: its last state and the correction still being blended out. */
export class Entity {
  /**
   * @param {{id:number, o:number, k:number, x:number, y:number, vx:number, vy:number, s:number}} m
   *   an `appeared` message or an entity of a welcome snapshot
   */
  constructor(m) {
    this.id = m.id;
    /** Player number of the owner. */
    this.owner = m.o;
    /** The game's own type number. */
    this.kind = m.k;
    this.setState(m);
    this.correction = null;
  }

  /** @private */
  setState({ x, y, vx, vy, s }) {
    this.x = x;
    this.y = y;
    this.vx = vx;
    this.vy = vy;
    /** Server time of this state, ms. */
    this.s = s;
  }

  /** Extrapolated position from the last state alone, without the correction. */
  extrapolate(serverTime) {
    const dt = (serverTime - this.s) / 1000;
    return { x: this.x + this.vx * dt, y: this.y + this.vy * dt };
  }

  /**
   * Where to draw the entity at a server time: the extrapolation plus what is left of the
   * correction.
   * @param {number} serverTime ms
   * @returns {{x:number, y:number}}
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

  /** Number of entities. */
  get size() {
    return this.byId.size;
  }

  /** @returns {Entity|undefined} */
  get(id) {
    return this.byId.get(id);
  }

  has(id) {
    return this.byId.has(id);
  }

  /** @returns {IterableIterator<Entity>} */
  values() {
    return this.byId.values();
  }

  /**
   * Replaces everything with a welcome snapshot: after a reconnect the server's view wins.
   * @param {object[]} entities
   */
  replaceAll(entities) {
    this.byId.clear();
    for (const m of entities) this.byId.set(m.id, new Entity(m));
  }

  /**
   * Adds an entity from an `appeared` event.
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
   * @param {{id:number, x:number, y:number, vx:number, vy:number, s:number}} m
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
   * @returns {Entity|undefined} the removed entity
   */
  remove(id) {
    const entity = this.byId.get(id);
    this.byId.delete(id);
    return entity;
  }
}
