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
    /**
     * the drawn entity closes a gap to its path at most this
     * fast (units per second) on top of its own velocity; about a third of the entities' top speed
     */
    maxCorrectionSpeed?: number;
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
    /** Most speed (units per second) at which a gap to the path is closed. */
    maxCorrectionSpeed: number;
    /**
     * Where each entity was drawn last and for which time.
     * @type {WeakMap<Entity, {t: number, x: number, y: number}>}
     */
    drawn: WeakMap<Entity, {
        t: number;
        x: number;
        y: number;
    }>;
    /** @param {InterpolatorOptions} [options] */
    constructor({ delayMs, maxExtrapolationMs, correctionMs, snapDistance, maxCorrectionSpeed, }?: InterpolatorOptions);
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
    adapt(rttMs: number, dtSeconds: number, { marginMs, minDelayMs, maxDelayMs, maxDriftPerSecond }?: {
        marginMs?: number;
        minDelayMs?: number;
        maxDelayMs?: number;
        maxDriftPerSecond?: number;
    }): number;
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
     * Where to draw an entity now: its path at `serverNow - delayMs`, followed smoothly. The drawn
     * entity moves with the path's velocity and closes the gap to the path (a state that came late,
     * server timestamps that came bunched) gradually: by about 95% within `correctionMs`, but never
     * faster than `maxCorrectionSpeed`, so a correction never shows as a jump. Gaps above
     * `snapDistance` (a teleport, a respawn) are taken at once.
     * @param {Entity} entity
     * @param {number} serverNow the client's estimate for drawing (`client.smoothServerNow()`)
     * @returns {RenderState}
     */
    positionAt(entity: Entity, serverNow: number): RenderState;
}
