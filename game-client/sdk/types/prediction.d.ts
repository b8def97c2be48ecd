/**
 * Client prediction and reconciliation for the player's own entities.
 *
 * The game applies its player's input at once, one fixed step at a time (see
 * {@link FixedTimestep}), with its own deterministic `step` function, and the player sees the
 * result in the same frame: no waiting for the server. When it tells the relay (`send()`), the
 * move carries a sequence number, and the relay answers with an `ack` when it applied it or an
 * `error` carrying the number when it refused it (protocol section 14). So the client always
 * knows the last state the server confirmed, and which inputs it applied since.
 *
 * When the server refuses a move, its state differs from the client's, and the client corrects:
 * - `rate_limited`: the server kept its older state but the client's is fine: the current state
 *   is sent again (paced by the client's rate limiter).
 * - any other refusal of the move itself (`out_of_bounds`, `too_fast`, `bad_message`): the
 *   client goes back to the last confirmed state and replays the inputs since, through `step`,
 *   then sends the result. If that is refused too, it takes the server's state (the last
 *   confirmed one, extrapolated), which the server already has.
 * - `unknown_entity`, `not_owner`: the entity is not the player's any more; nothing to correct
 *   (the game gets `destroyed`).
 *
 * The drawn position never jumps: {@link PredictedEntity#renderPosition} adds the difference
 * between where the entity was drawn and where it is now, blended out over `correctionMs`.
 * @module prediction
 */
export type Motion = import('./messages.js').Motion;
export type RelayClient = import('./relay-client.js').RelayClient;
export type CorrectionEvent = {
    /**
     * the refusal's error code
     */
    code: string;
    /**
     * the refused move's seq
     */
    seq: number;
    /**
     * where the entity was drawn
     */
    from: {
        x: number;
        y: number;
    };
    /**
     * where the corrected state puts it
     */
    to: {
        x: number;
        y: number;
    };
    /**
     * replayed the inputs since the last
     * confirmed state, took the server's state, or sent the same state again
     */
    how: 'replayed' | 'server-state' | 'resent';
};
export type PredictedEntityOptions<S extends Motion, I> = {
    /**
     * connected, with the entity in its `entities`
     */
    client: RelayClient;
    /**
     * the own entity (a confirmed spawn)
     */
    id: number;
    /**
     * its current state, at least `x, y, vx, vy`; more fields (a heading) are
     * carried along
     */
    state: S;
    /**
     * the game's simulation of one
     * fixed step: must be deterministic and return a new object, never change its argument
     */
    step: (state: S, input: I, dtSeconds: number) => S;
    /**
     * how long a correction is blended out in the drawn position
     */
    correctionMs?: number;
    /**
     * a correction larger than this is drawn at once
     */
    snapDistance?: number;
    /**
     * inputs kept for replay (at 60 steps per second, 600 is 10 s)
     */
    maxHistory?: number;
    /**
     * told after every correction
     */
    onCorrection?: (event: CorrectionEvent) => void;
};
/** @typedef {import('./messages.js').Motion} Motion */
/** @typedef {import('./relay-client.js').RelayClient} RelayClient */
/**
 * What {@link PredictedEntity} reports when it corrected the entity.
 * @typedef {object} CorrectionEvent
 * @property {string} code the refusal's error code
 * @property {number} seq the refused move's seq
 * @property {{x: number, y: number}} from where the entity was drawn
 * @property {{x: number, y: number}} to where the corrected state puts it
 * @property {'replayed' | 'server-state' | 'resent'} how replayed the inputs since the last
 *   confirmed state, took the server's state, or sent the same state again
 */
/**
 * @template {Motion} S
 * @template I
 * @typedef {object} PredictedEntityOptions
 * @property {RelayClient} client connected, with the entity in its `entities`
 * @property {number} id the own entity (a confirmed spawn)
 * @property {S} state its current state, at least `x, y, vx, vy`; more fields (a heading) are
 *   carried along
 * @property {(state: S, input: I, dtSeconds: number) => S} step the game's simulation of one
 *   fixed step: must be deterministic and return a new object, never change its argument
 * @property {number} [correctionMs] how long a correction is blended out in the drawn position
 * @property {number} [snapDistance] a correction larger than this is drawn at once
 * @property {number} [maxHistory] inputs kept for replay (at 60 steps per second, 600 is 10 s)
 * @property {(event: CorrectionEvent) => void} [onCorrection] told after every correction
 */
/**
 * @template {Motion} S the game's state of the entity
 * @template I the game's input of one step
 */
export declare class PredictedEntity<S extends Motion, I> {
    client: import("./relay-client.js").RelayClient;
    /** The entity's id. */
    id: number;
    /** The predicted state: what the player sees. */
    state: S;
    /** The state before the last step, for drawing between steps. */
    previous: S;
    /** The `alpha` of the last {@link PredictedEntity#renderPosition}. */
    lastAlpha: number;
    step: (state: S, input: I, dtSeconds: number) => S;
    correctionMs: number;
    snapDistance: number;
    maxHistory: number;
    onCorrection: ((event: CorrectionEvent) => void) | undefined;
    /** Steps applied so far. */
    tick: number;
    /**
     * Inputs applied since the last confirmed state, oldest first.
     * @type {Array<{tick: number, input: I, dt: number}>}
     */
    history: Array<{
        tick: number;
        input: I;
        dt: number;
    }>;
    /**
     * Moves sent and not answered yet, by seq, in the order sent.
     * @type {Map<number, {tick: number, state: S}>}
     */
    inFlight: Map<number, {
        tick: number;
        state: S;
    }>;
    /**
     * The last state the server confirmed, the step it was at and the server time it was applied.
     * @type {{tick: number, state: S, s: number}}
     */
    confirmed: {
        tick: number;
        state: S;
        s: number;
    };
    /** Refusals in a row (an ack resets it). */
    refusals: number;
    /** @type {{dx: number, dy: number, start: number} | null} the drawn correction */
    offset: {
        dx: number;
        dy: number;
        start: number;
    } | null;
    unsubscribe: (() => void)[];
    /** @param {PredictedEntityOptions<S, I>} options */
    constructor({ client, id, state, step, correctionMs, snapDistance, maxHistory, onCorrection }: PredictedEntityOptions<S, I>);
    /**
     * Moves sent and not answered yet.
     * @returns {number}
     */
    get pending(): number;
    /**
     * Applies one step of input at once.
     * @param {I} input
     * @param {number} dtSeconds the fixed step
     * @returns {S} the new state
     */
    apply(input: I, dtSeconds: number): S;
    /**
     * Tells the relay the current state (a `move` with a `seq`). Call it when the motion changed
     * in a way extrapolation does not show (thrust, a turn, a bounce), and now and then.
     * @returns {number | null} the move's seq; null when the entity is not known any more
     */
    send(): number | null;
    /**
     * Where to draw the entity: between the last two predicted states (`alpha`, from
     * {@link FixedTimestep#advance}, so that the entity moves as much as the frame's time, not in
     * whole steps) plus what is left of the last correction.
     * @param {number} [alpha] 0..1: how far the frame is from the state before the last step to the last
     * @returns {{x: number, y: number}}
     */
    renderPosition(alpha?: number): {
        x: number;
        y: number;
    };
    /** Stops listening to the client (the entity was destroyed). */
    dispose(): void;
    /**
     * Drops the in-flight moves up to and including seq (answers come in the order sent; a move
     * replaced in the outbox before it went out is never answered).
     * @private
     * @param {number} seq
     * @returns {{tick: number, state: S} | undefined} the move with that seq
     */
    private settle;
    /**
     * @private
     * @param {number} seq
     * @param {number} s
     */
    private onAck;
    /**
     * @private
     * @param {string} code
     * @param {number} seq
     */
    private onRefused;
    /** @private After a reconnect, answers to moves sent before are lost: tell the state again. */
    private onWelcome;
}
