/**
 * Paces the client's actions to the relay's rate limit, so a well-behaved game never gets
 * `rate_limited`, and keeps them while the connection is down.
 *
 * - `spawn` and `destroy` are sent in the order they were issued.
 * - `view` is a full state too: a newer view replaces a pending one in place.
 * - `move` is a full state, so only the latest one per entity matters: a newer move replaces a
 *   pending one in place (the game may call move as often as it likes), and a destroy drops the
 *   pending moves of its entity.
 * - Everything that is sendable now goes as one batch (the relay accepts several messages per
 *   frame), the rest waits for tokens.
 * @module action-outbox
 */
export type ActionMessage = import('./messages.js').ActionMessage;
export type ClientMessage = import('./messages.js').ClientMessage;
export type Timers = {
    setTimeout: (fn: () => void, ms?: number) => any;
    clearTimeout: (handle: any) => void;
};
/** @typedef {import('./messages.js').ActionMessage} ActionMessage */
/** @typedef {import('./messages.js').ClientMessage} ClientMessage */
/**
 * Timer functions (the browser's or Node's globals, or a fake clock in tests).
 * @typedef {object} Timers
 * @property {(fn: () => void, ms?: number) => any} setTimeout
 * @property {(handle: any) => void} clearTimeout
 */
export declare class ActionOutbox {
    bucket: import("./token-bucket.js").TokenBucket;
    timers: Timers;
    transmit: (messages: ClientMessage[]) => void;
    /** @type {ActionMessage[]} pending actions, oldest first */
    queue: ActionMessage[];
    open: boolean;
    /** @type {any} */
    timer: any;
    /**
     * @param {object} options
     * @param {import('./token-bucket.js').TokenBucket} options.bucket meters every message sent
     * @param {Timers} options.timers
     * @param {(messages: ClientMessage[]) => void} options.transmit sends one batch (the client
     *   splits it into frames)
     */
    constructor({ bucket, timers, transmit }: {
        bucket: import('./token-bucket.js').TokenBucket;
        timers: Timers;
        transmit: (messages: ClientMessage[]) => void;
    });
    /**
     * Number of actions waiting.
     * @returns {number}
     */
    get pending(): number;
    /**
     * Queues an action and sends what the rate allows.
     * @param {ActionMessage} action spawn, move, destroy or view in the JSON form
     */
    enqueue(action: ActionMessage): void;
    /**
     * Sends a message only if a token is free right now and nothing is waiting, for messages that
     * are worthless when late (a ping measures the round trip from the moment it is sent).
     * @param {ClientMessage} message
     * @returns {boolean} whether it was sent
     */
    sendIfIdle(message: ClientMessage): boolean;
    /**
     * Drops the pending moves of an entity (it is gone).
     * @param {number} id
     */
    forget(id: number): void;
    /**
     * Keeps only the actions that still make sense after a fresh (not resumed) session: spawns,
     * views, and moves/destroys of entities that the new session owns.
     * @param {(id: number) => boolean} owns
     */
    retainOwned(owns: (id: number) => boolean): void;
    /** The connection is up: send what waits. */
    resume(): void;
    /** The connection is down: keep everything for later. */
    pause(): void;
    /** @private */
    private cancelTimer;
    /** Sends as many pending actions as there are tokens, and plans the next send. */
    flush(): void;
}
