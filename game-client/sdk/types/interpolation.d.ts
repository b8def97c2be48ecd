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
export type Entity = import('./entity-store.js').Entity;
export type EntityState = import('./messages.js').EntityState;
export type RenderState = {
    x: number;
    y: number;
    vx: number;
    vy: number;
    /**
     * true past the newest state
     */
    extrapolating: boolean;
    /**
     * true when the newest state is older than `maxExtrapolationMs`
     */
    stale: boolean;
};
export type InterpolatorOptions = {
    /**
     * how far behind the estimated server time entities are drawn;
     * about the one-way latency plus the jitter, so that updates come before they are needed
     */
    delayMs?: number;
    /**
     * extrapolation past the newest state stops after this
     */
    maxExtrapolationMs?: number;
    /**
     * how long a change of path is blended out
     */
    correctionMs?: number;
    /**
     * a change of path larger than this is taken at once (a respawn)
     */
    snapDistance?: number;
};
export declare class Interpolator {
    /** How far behind the estimated server time entities are drawn, ms (may be changed any time). */
    delayMs: number;
    /** Extrapolation past the newest state stops after this, ms. */
    maxExtrapolationMs: number;
    /** How long a change of path is blended out, ms. */
    correctionMs: number;
    /** A change of path larger than this is taken at once. */
    snapDistance: number;
    /**
     * What was drawn last per entity, to notice and smooth a change of path.
     * @type {WeakMap<Entity, {revision: number, t: number, x: number, y: number, vx: number, vy: number,
     *   dx: number, dy: number, start: number}>}
     */
    drawn: WeakMap<Entity, {
        revision: number;
        t: number;
        x: number;
        y: number;
        vx: number;
        vy: number;
        dx: number;
        dy: number;
        start: number;
    }>;
    /** @param {InterpolatorOptions} [options] */
    constructor({ delayMs, maxExtrapolationMs, correctionMs, snapDistance }?: InterpolatorOptions);
    /**
     * The server time entities are drawn at.
     * @param {number} serverNow the client's estimate (`client.serverNow()`)
     * @returns {number}
     */
    renderTime(serverNow: number): number;
    /**
     * Where an entity is at a server time, from its history alone (no smoothing).
     * @param {Entity} entity
     * @param {number} t server time, ms
     * @returns {RenderState}
     */
    sample(entity: Entity, t: number): RenderState;
    /**
     * Where to draw an entity now: its path at `serverNow - delayMs`, with a change of path
     * blended out.
     * @param {Entity} entity
     * @param {number} serverNow the client's estimate (`client.serverNow()`)
     * @returns {RenderState}
     */
    positionAt(entity: Entity, serverNow: number): RenderState;
}
