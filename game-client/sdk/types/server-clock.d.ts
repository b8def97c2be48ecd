/**
 * Server clock estimate, NTP style. Dead reckoning needs the server's time (entity states are
 * stamped with it), and the binary wire only carries it modulo 2^32.
 *
 * Each ping/pong gives one sample: offset = s + rtt/2 - receivedAt. A sample whose round trip
 * was short has the least room for asymmetric delay, so the estimate uses the sample with the
 * lowest RTT among the last N, which also rides out a burst of queueing delay.
 * @module server-clock
 */
/** The local clock: ms, high resolution and never jumping back (unlike Date.now()). */
/** @returns {number} */
export declare function monotonicNow(): number;
/**
 * Unwraps a server time modulo 2^32 to the full value nearest to an estimate of it.
 * Works as long as the estimate is within 2^31 ms (24 days) of the truth.
 * @param {number} s32 server ms modulo 2^32
 * @param {number} estimate current estimate of full server time, ms
 * @returns {number}
 */
export declare function unwrapS32(s32: number, estimate: number): number;
export declare class ServerClock {
    now: () => number;
    maxSamples: number;
    /** @type {Array<{rtt: number, offset: number}>} */
    samples: Array<{
        rtt: number;
        offset: number;
    }>;
    offset: number;
    /** @type {{offset: number, at: number} | null} the offset {@link ServerClock#smoothNow} uses */
    smooth: {
        offset: number;
        at: number;
    } | null;
    /**
     * @param {object} [options]
     * @param {() => number} [options.now] local clock in ms (injectable for tests)
     * @param {number} [options.samples] how many recent samples to choose the best from
     */
    constructor({ now, samples }?: {
        now?: () => number;
        samples?: number;
    });
    /**
     * Round-trip time a player feels, ms: the median of the recent samples, so one slow pong (a
     * garbage collection, a busy frame) does not show as lag. NaN before the first pong.
     */
    /** @returns {number} */
    get rtt(): number;
    /**
     * Lowest round-trip time among the recent samples, ms; NaN before the first pong.
     * @returns {number}
     */
    get minRtt(): number;
    /**
     * True once at least one ping/pong sample was taken (the offset is then within rtt/2).
     * @returns {boolean}
     */
    get synced(): boolean;
    /**
     * Starts over from a server time just received (the welcome), e.g. after connecting to a
     * node whose clock may differ. Off by the one-way delay until the first pong.
     * @param {number} serverTime
     */
    seed(serverTime: number): void;
    /**
     * Adds a ping/pong sample.
     * @param {number} clientSent the `c` echoed in the pong: local time the ping was sent
     * @param {number} serverTime the pong's `s`
     * @param {number} [receivedAt] local time the pong arrived
     */
    addSample(clientSent: number, serverTime: number, receivedAt?: number): void;
    /**
     * Current server time estimate, ms since the epoch.
     * @returns {number}
     */
    serverNow(): number;
    /**
     * Server time for drawing: like {@link ServerClock#serverNow}, but when a better sample moves
     * the estimate it is followed at most `maxDrift` faster or slower (5%: invisible) instead of at
     * once, so that things drawn from it never jump. Differences above `snapMs` (a new node, the
     * first samples) are taken at once.
     * @param {number} [maxDrift] most change of the offset per ms of local time
     * @param {number} [snapMs] larger differences are not smoothed
     * @returns {number}
     */
    smoothNow(maxDrift?: number, snapMs?: number): number;
    /**
     * Full server time for an s32 from the binary wire.
     * @param {number} s32
     * @returns {number}
     */
    unwrap(s32: number): number;
}
