/**
 * Exponential back-off with jitter for reconnecting. Jitter spreads the reconnects of many
 * clients dropped at once (a server restart) so they do not all come back in the same instant.
 * @module reconnect-backoff
 */
/**
 * @typedef {object} BackoffOptions
 * @property {number} [initialMs] first delay
 * @property {number} [maxMs] delays never exceed this
 * @property {number} [factor] growth per attempt
 * @property {number} [jitter] 0..1, the share of each delay that is random
 * @property {() => number} [random] uniform in [0, 1)
 */

export class ReconnectBackoff {
  /**
   * @param {BackoffOptions} [options]
   */
  constructor({ initialMs = 250, maxMs = 8000, factor = 2, jitter = 0.5, random = Math.random } = {}) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.factor = factor;
    this.jitter = jitter;
    this.random = random;
    this.attempts = 0;
  }

  /**
   * Delay before the next attempt, ms; each call counts one attempt.
   * @returns {number}
   */
  next() {
    const ceiling = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempts);
    this.attempts += 1;
    return Math.round(ceiling * (1 - this.jitter * this.random()));
  }

  /** Back to the first delay (after a connection succeeded). */
  reset() {
    this.attempts = 0;
  }
}
