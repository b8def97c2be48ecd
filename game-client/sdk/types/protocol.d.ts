/**
 * Constants of the relay wire protocol, version 1 (see the project's protocol document).
 * Kept in one place so the codecs, the client and the game agree on every number.
 * @module protocol
 */
/** Subprotocol for binary delta events and actions (smaller frames, preferred). */
export declare const SUBPROTOCOL_BINARY = "relay.v1.bin";
/** Subprotocol for JSON everything (easier to debug). */
export declare const SUBPROTOCOL_JSON = "relay.v1.json";
/** Close codes the relay uses (section 8 of the protocol). */
export declare const CloseCode: Readonly<{
    NORMAL: 1000;
    GOING_AWAY: 1001;
    PROTOCOL_ERROR: 1002;
    ABNORMAL: 1006;
    INVALID_PAYLOAD: 1007;
    POLICY_VIOLATION: 1008;
    FRAME_TOO_BIG: 1009;
    INTERNAL_ERROR: 1011;
    TRY_AGAIN_LATER: 1013;
    TOKEN_EXPIRED: 4001;
    FORBIDDEN_UNIVERSE: 4003;
    UNIVERSE_FULL: 4004;
    REPLACED: 4009;
}>;
export type KnownCloseCode = typeof CloseCode[keyof typeof CloseCode];
/** @typedef {typeof CloseCode[keyof typeof CloseCode]} KnownCloseCode */
/** Largest frame the relay accepts by default; larger ones close the connection with 1009. */
export declare const MAX_FRAME_BYTES = 1024;
/** Universe names the relay accepts. */
export declare const UNIVERSE_NAME_PATTERN: RegExp;
/**
 * Limits assumed until a welcome tells the real ones (the relay's defaults).
 * @type {Readonly<import('./messages.js').Limits>}
 */
export declare const DEFAULT_LIMITS: Readonly<import('./messages.js').Limits>;
