/**
 * A token bucket: `rate` tokens per second, at most `capacity` saved up. The relay meters every
 * client message with one (rate 30/s, burst 60 by default); the client keeps its own to never
 * be the one that overdraws.
 * @module token-bucket
 */
export declare class TokenBucket {
    now: () => number;
    rate: number;
    capacity: number;
    tokens: number;
    refilledAt: number;
    /**
     * @param {object} options
     * @param {number} options.rate tokens per second
     * @param {number} options.capacity most tokens saved up (starts full)
     * @param {() => number} options.now clock in ms
     */
    constructor({ rate, capacity, now }: {
        rate: number;
        capacity: number;
        now: () => number;
    });
    /**
     * Changes rate and capacity, keeping the tokens saved so far (capped).
     * @param {{rate: number, capacity: number}} shape
     */
    configure({ rate, capacity }: {
        rate: number;
        capacity: number;
    }): void;
    /** @private */
    private refill;
    /**
     * Whole tokens available now.
     * @returns {number}
     */
    available(): number;
    /**
     * Takes n tokens if there are that many.
     * @param {number} [n]
     * @returns {boolean} whether they were taken
     */
    take(n?: number): boolean;
    /**
     * Milliseconds until n tokens are available (0 when they are now).
     * @param {number} [n]
     * @returns {number}
     */
    msUntil(n?: number): number;
}
