/**
 * A token bucket: `rate` tokens per second, at most `capacity` saved up. The relay meters every
 * client message with one (rate 30/s, burst 60 by default); the client keeps its own to never
 * be the one that overdraws.
 * @module token-bucket
 */
export class TokenBucket {
  /**
   * @param {object} options
   * @param {number} options.rate tokens per second
   * @param {number} options.capacity most tokens saved up (starts full)
   * @param {() => number} options.now clock in ms
   */
  constructor({ rate, capacity, now }) {
    this.now = now;
    this.rate = rate;
    this.capacity = capacity;
    this.tokens = capacity;
    this.refilledAt = now();
  }

  /**
   * Changes rate and capacity, keeping the tokens saved so far (capped).
   * @param {{rate: number, capacity: number}} shape
   */
  configure({ rate, capacity }) {
    this.refill();
    this.rate = rate;
    this.capacity = capacity;
    this.tokens = Math.min(this.tokens, capacity);
  }

  /** @private */
  refill() {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    this.refilledAt = now;
  }

  /**
   * Whole tokens available now.
   * @returns {number}
   */
  available() {
    this.refill();
    return Math.floor(this.tokens);
  }

  /**
   * Takes n tokens if there are that many.
   * @param {number} [n]
   * @returns {boolean} whether they were taken
   */
  take(n = 1) {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /**
   * Milliseconds until n tokens are available (0 when they are now).
   * @param {number} [n]
   * @returns {number}
   */
  msUntil(n = 1) {
    this.refill();
    return this.tokens >= n ? 0 : Math.ceil(((n - this.tokens) / this.rate) * 1000);
  }
}
