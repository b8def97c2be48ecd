/**
 * A fixed-timestep game loop: the simulation advances in equal steps whatever the frame rate, so
 * it behaves the same on a 30 Hz phone and a 144 Hz monitor, and so that replaying the same
 * inputs gives the same states (what {@link PredictedEntity} relies on to reconcile).
 *
 * Each animation frame calls {@link FixedTimestep#advance} with the frame's time; it runs as many
 * whole steps as the time since the last frame holds and returns how far the frame is into the
 * next step, for drawing between the last two states if the game wants to.
 * @module fixed-timestep
 */
export type FixedTimestepOptions = {
    /**
     * length of one step, ms (1000/60 by default)
     */
    stepMs?: number;
    /**
     * at most this many steps per frame: after a long pause (a
     * background tab, a breakpoint) the simulation skips ahead instead of running hundreds of steps
     */
    maxStepsPerFrame?: number;
};
/**
 * @typedef {object} FixedTimestepOptions
 * @property {number} [stepMs] length of one step, ms (1000/60 by default)
 * @property {number} [maxStepsPerFrame] at most this many steps per frame: after a long pause (a
 *   background tab, a breakpoint) the simulation skips ahead instead of running hundreds of steps
 */
export declare class FixedTimestep {
    /** Length of one step, ms. */
    stepMs: number;
    /** Most steps one frame runs. */
    maxStepsPerFrame: number;
    /** Steps run so far: the number of the next step. */
    tick: number;
    /** Time not yet simulated, ms (less than one step after each frame). */
    accumulator: number;
    /** @type {number | null} time of the last frame, ms */
    lastTime: number | null;
    /** @param {FixedTimestepOptions} [options] */
    constructor({ stepMs, maxStepsPerFrame }?: FixedTimestepOptions);
    /**
     * Runs the steps due at `now`.
     * @param {number} now the frame's time, ms (`requestAnimationFrame`'s argument)
     * @param {(dtSeconds: number, tick: number) => void} step the simulation of one step
     * @returns {number} 0..1: how far `now` is between the last step and the next
     */
    advance(now: number, step: (dtSeconds: number, tick: number) => void): number;
    /** Starts over: the next {@link FixedTimestep#advance} only notes the time. */
    reset(): void;
}
