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

/**
 * @typedef {object} FixedTimestepOptions
 * @property {number} [stepMs] length of one step, ms (1000/60 by default)
 * @property {number} [maxStepsPerFrame] at most this many steps per frame: after a long pause (a
 *   background tab, a breakpoint) the simulation skips ahead instead of running hundreds of steps
 */

export class FixedTimestep {
  /** @param {FixedTimestepOptions} [options] */
  constructor({ stepMs = 1000 / 60, maxStepsPerFrame = 5 } = {}) {
    if (!(stepMs > 0)) throw new RangeError(`stepMs must be above 0: ${stepMs}`);
    if (!(maxStepsPerFrame >= 1)) throw new RangeError(`maxStepsPerFrame must be at least 1: ${maxStepsPerFrame}`);
    /** Length of one step, ms. */
    this.stepMs = stepMs;
    /** Most steps one frame runs. */
    this.maxStepsPerFrame = maxStepsPerFrame;
    /** Steps run so far: the number of the next step. */
    this.tick = 0;
    /** Time not yet simulated, ms (less than one step after each frame). */
    this.accumulator = 0;
    /** @type {number | null} time of the last frame, ms */
    this.lastTime = null;
  }

  /**
   * Runs the steps due at `now`.
   * @param {number} now the frame's time, ms (`requestAnimationFrame`'s argument)
   * @param {(dtSeconds: number, tick: number) => void} step the simulation of one step
   * @returns {number} 0..1: how far `now` is between the last step and the next
   */
  advance(now, step) {
    if (this.lastTime === null || now < this.lastTime) {
      this.lastTime = now;
      return 0;
    }
    const budget = this.stepMs * this.maxStepsPerFrame;
    this.accumulator = Math.min(this.accumulator + (now - this.lastTime), budget);
    this.lastTime = now;
    const dt = this.stepMs / 1000;
    while (this.accumulator >= this.stepMs) {
      this.accumulator -= this.stepMs;
      const tick = this.tick;
      this.tick += 1;
      step(dt, tick);
    }
    return this.accumulator / this.stepMs;
  }

  /** Starts over: the next {@link FixedTimestep#advance} only notes the time. */
  reset() {
    this.accumulator = 0;
    this.lastTime = null;
  }
}
