/**
 * Server clock estimate, NTP style. Dead reckoning needs the server's time (entity states are
 * stamped with it), and the binary wire only carries it modulo 2^32.
 *
 * Each ping/pong gives one sample: offset = s + rtt/2 - receivedAt. A sample whose round trip
 * was short has the least room for asymmetric delay, so the estimate uses the sample with the
 * lowest RTT among the last N, which also rides out a burst of queueing delay.
 * @module server-clock
 */

const TWO_POW_32 = 2 ** 32;

/** The local clock: ms, high resolution and never jumping back (unlike Date.now()). */
/** @returns {number} */
export function monotonicNow() {
  return performance.timeOrigin + performance.now();
}

/**
 * Unwraps a server time modulo 2^32 to the full value nearest to an estimate of it.
 * Works as long as the estimate is within 2^31 ms (24 days) of the truth.
 * @param {number} s32 server ms modulo 2^32
 * @param {number} estimate current estimate of full server time, ms
 * @returns {number}
 */
export function unwrapS32(s32, estimate) {
  const base = estimate - (((estimate % TWO_POW_32) + TWO_POW_32) % TWO_POW_32);
  let value = base + s32;
  if (value - estimate > TWO_POW_32 / 2) value -= TWO_POW_32;
  else if (estimate - value >= TWO_POW_32 / 2) value += TWO_POW_32;
  return value;
}

export class ServerClock {
  /**
   * @param {object} [options]
   * @param {() => number} [options.now] local clock in ms (injectable for tests)
   * @param {number} [options.samples] how many recent samples to choose the best from
   */
  constructor({ now = monotonicNow, samples = 8 } = {}) {
    this.now = now;
    this.maxSamples = samples;
    /** @type {Array<{rtt: number, offset: number}>} */
    this.samples = [];
    this.offset = 0;
    /** @type {{offset: number, at: number} | null} the offset {@link ServerClock#smoothNow} uses */
    this.smooth = null;
  }

  /**
   * Round-trip time a player feels, ms: the median of the recent samples, so one slow pong (a
   * garbage collection, a busy frame) does not show as lag. NaN before the first pong.
   */
  /** @returns {number} */
  get rtt() {
    if (!this.samples.length) return NaN;
    const sorted = this.samples.map((s) => s.rtt).sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /**
   * Lowest round-trip time among the recent samples, ms; NaN before the first pong.
   * @returns {number}
   */
  get minRtt() {
    return this.samples.length ? Math.min(...this.samples.map((s) => s.rtt)) : NaN;
  }

  /**
   * True once at least one ping/pong sample was taken (the offset is then within rtt/2).
   * @returns {boolean}
   */
  get synced() {
    return this.samples.length > 0;
  }

  /**
   * Starts over from a server time just received (the welcome), e.g. after connecting to a
   * node whose clock may differ. Off by the one-way delay until the first pong.
   * @param {number} serverTime
   */
  seed(serverTime) {
    this.samples = [];
    this.offset = serverTime - this.now();
    this.smooth = null;
  }

  /**
   * Adds a ping/pong sample.
   * @param {number} clientSent the `c` echoed in the pong: local time the ping was sent
   * @param {number} serverTime the pong's `s`
   * @param {number} [receivedAt] local time the pong arrived
   */
  addSample(clientSent, serverTime, receivedAt = this.now()) {
    const rtt = Math.max(0, receivedAt - clientSent);
    this.samples.push({ rtt, offset: serverTime + rtt / 2 - receivedAt });
    if (this.samples.length > this.maxSamples) this.samples.shift();
    const best = this.samples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
    this.offset = best.offset;
  }

  /**
   * Current server time estimate, ms since the epoch.
   * @returns {number}
   */
  serverNow() {
    return this.now() + this.offset;
  }

  /**
   * Server time for drawing: like {@link ServerClock#serverNow}, but when a better sample moves
   * the estimate it is followed at most `maxDrift` faster or slower (5%: invisible) instead of at
   * once, so that things drawn from it never jump. Differences above `snapMs` (a new node, the
   * first samples) are taken at once.
   * @param {number} [maxDrift] most change of the offset per ms of local time
   * @param {number} [snapMs] larger differences are not smoothed
   * @returns {number}
   */
  smoothNow(maxDrift = 0.05, snapMs = 1000) {
    const now = this.now();
    const smooth = this.smooth;
    if (!smooth || Math.abs(this.offset - smooth.offset) > snapMs || this.samples.length < 2) {
      this.smooth = { offset: this.offset, at: now };
      return now + this.offset;
    }
    const step = maxDrift * Math.max(0, now - smooth.at);
    smooth.offset += Math.max(-step, Math.min(step, this.offset - smooth.offset));
    smooth.at = now;
    return now + smooth.offset;
  }

  /**
   * Full server time for an s32 from the binary wire.
   * @param {number} s32
   * @returns {number}
   */
  unwrap(s32) {
    return unwrapS32(s32, this.serverNow());
  }
}
