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
export type EntityState = import('./messages.js').EntityState;
export type Point = {
    x: number;
    y: number;
};
export type Correction = {
    dx: number;
    dy: number;
    start: number;
    duration: number;
};
/** An entity: its last state, its recent states and the correction still being blended out. */
export declare class Entity {
    /** Entity id. */
    id: number;
    /** Player number of the owner. */
    owner: number;
    /** The game's own type number. */
    kind: number;
    x: number;
    y: number;
    vx: number;
    vy: number;
    /** Server time of this state, ms. */
    s: number;
    /**
     * The last states, oldest first (at most 8, ordered by `s`): what {@link Interpolator}
     * renders from.
     * @type {EntityState[]}
     */
    history: EntityState[];
    /** Counts state changes, so a renderer can notice that the path changed. */
    revision: number;
    /** @type {Correction | null} */
    correction: Correction | null;
    /**
     * @param {import('./messages.js').EntitySnapshot} m an `appeared` message or an entity of a
     *   welcome snapshot
     */
    constructor(m: import('./messages.js').EntitySnapshot);
    /**
     * @param {EntityState} state
     * @internal
     */
    setState({ x, y, vx, vy, s }: EntityState): void;
    /**
     * Extrapolated position from the last state alone, without the correction.
     * @param {number} serverTime ms
     * @returns {Point}
     */
    extrapolate(serverTime: number): Point;
    /**
     * Where to draw the entity at a server time: the extrapolation plus what is left of the
     * correction.
     * @param {number} serverTime ms
     * @returns {Point}
     */
    positionAt(serverTime: number): Point;
}
export declare class EntityStore {
    correctionMs: number;
    snapDistance: number;
    /** @type {Map<number, Entity>} */
    byId: Map<number, Entity>;
    /**
     * @param {object} [options]
     * @param {number} [options.correctionMs] how long a correction is blended out (100-200 ms
     *   hides it without making the entity lag noticeably)
     * @param {number} [options.snapDistance] errors larger than this jump at once
     */
    constructor({ correctionMs, snapDistance }?: {
        correctionMs?: number;
        snapDistance?: number;
    });
    /**
     * Number of entities.
     * @returns {number}
     */
    get size(): number;
    /**
     * @param {number} id
     * @returns {Entity|undefined}
     */
    get(id: number): Entity | undefined;
    /**
     * @param {number} id
     * @returns {boolean}
     */
    has(id: number): boolean;
    /** @returns {IterableIterator<Entity>} */
    values(): IterableIterator<Entity>;
    /** @returns {IterableIterator<Entity>} */
    [Symbol.iterator](): IterableIterator<Entity>;
    /**
     * Replaces everything with a welcome snapshot: after a reconnect the server's view wins.
     * @param {ReadonlyArray<import('./messages.js').EntitySnapshot>} entities
     */
    replaceAll(entities: ReadonlyArray<import('./messages.js').EntitySnapshot>): void;
    /**
     * Adds an entity from an `appeared` event.
     * @param {import('./messages.js').EntitySnapshot} m
     * @returns {Entity}
     */
    add(m: import('./messages.js').EntitySnapshot): Entity;
    /**
     * Applies a `velocity` event and starts blending out the difference between where the entity
     * was drawn and where the new state puts it.
     * @param {{id: number} & EntityState} m a `velocity` event
     * @param {number} serverNow current server time estimate
     * @returns {Entity|undefined} the entity, or undefined when it is not known
     */
    applyVelocity(m: {
        id: number;
    } & EntityState, serverNow: number): Entity | undefined;
    /**
     * Sets the state of an entity this client owns, as it sends it: the owner is the authority,
     * so nothing is blended.
     * @param {number} id
     * @param {EntityState} state
     * @returns {Entity|undefined}
     */
    setOwnState(id: number, state: EntityState): Entity | undefined;
    /**
     * Removes an entity.
     * @param {number} id
     * @returns {Entity|undefined} the removed entity
     */
    remove(id: number): Entity | undefined;
}
