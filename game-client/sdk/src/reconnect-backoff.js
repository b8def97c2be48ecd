/**
 * Exponential back-off with jitter for reconnecting. Jitter spreads the reconnects of many
 * clients dropped at once (a server restart) so they do not all come back in the same instant.
 * @module reconnect-backoff
 */
export class ReconnectBackoff {
  /**
   * @param {object} [options]
   * @param {number} [options.initialMs] first delay
   * @param {number} [options.maxMs] delays never exceed this
   * @param {number} [options.factor] growth per attempt
   * @param {number} [options.jitter] 0..1, the share of each delay that is random
   * @param {() => number} [options.random] uniform in [0, 1)
   */
  constructor({ initialMs = 250, maxMs = 8000, factor = 2, jitter = 0.5, random = Math.random } = {}) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.factor = factor;
    this.jitter = jitter;
    this.random = random;
    this.attempts = 0;
  }

  /** Delay before the next attempt, ms; each call counts one attempt. */
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
