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
export type BackoffOptions = {
    /**
     * first delay
     */
    initialMs?: number;
    /**
     * delays never exceed this
     */
    maxMs?: number;
    /**
     * growth per attempt
     */
    factor?: number;
    /**
     * 0..1, the share of each delay that is random
     */
    jitter?: number;
    /**
     * uniform in [0, 1)
     */
    random?: () => number;
};
export declare class ReconnectBackoff {
    initialMs: number;
    maxMs: number;
    factor: number;
    jitter: number;
    random: () => number;
    attempts: number;
    /**
     * @param {BackoffOptions} [options]
     */
    constructor({ initialMs, maxMs, factor, jitter, random }?: BackoffOptions);
    /**
     * Delay before the next attempt, ms; each call counts one attempt.
     * @returns {number}
     */
    next(): number;
    /** Back to the first delay (after a connection succeeded). */
    reset(): void;
}
