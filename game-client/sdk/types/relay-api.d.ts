/** Player names that are safe for guest login. */
export declare const PLAYER_NAME_PATTERN: RegExp;
/**
 * @param {string} name
 * @returns {boolean}
 */
export declare function isValidPlayerName(name: string): boolean;
/**
 * @param {string} name
 * @returns {boolean}
 */
export declare function isValidUniverseName(name: string): boolean;
/** An HTTP answer that was not a success, with the server's message when it gave one. */
export declare class RelayApiError extends Error {
    /** HTTP status. */
    status: number;
    /**
     * @param {number} status HTTP status
     * @param {string} message
     */
    constructor(status: number, message: string);
}
export type HttpOptions = {
    /**
     * the relay's HTTP address; the page's own by default
     */
    baseUrl?: string | URL;
    /**
     * a fetch implementation
     */
    fetch?: (input: URL, init?: RequestInit) => Promise<Response>;
};
export type GuestToken = {
    /**
     * the JWT
     */
    access_token: string;
    /**
     * `Bearer`
     */
    token_type: string;
    /**
     * seconds
     */
    expires_in: number;
};
export type UniverseSummary = {
    name: string;
    players: number;
    entities: number;
};
/**
 * Gets a guest token for a display name.
 * @param {string} name 1 to 32 of `A-Z a-z 0-9 _ -`
 * @param {HttpOptions} [options]
 * @returns {Promise<GuestToken>}
 */
export declare function guestLogin(name: string, { baseUrl, fetch: fetchImpl }?: HttpOptions): Promise<GuestToken>;
/**
 * Lists the live universes.
 * @param {HttpOptions} [options] same as {@link guestLogin}
 * @returns {Promise<UniverseSummary[]>}
 */
export declare function listUniverses({ baseUrl, fetch: fetchImpl }?: HttpOptions): Promise<UniverseSummary[]>;
/**
 * Guest tokens for one name that renew themselves: pass `getToken` to a RelayClient, and the
 * client survives a token expiry (close 4001) without the game doing anything.
 */
export declare class GuestTokenSource {
    name: string;
    now: () => number;
    renewBeforeMs: number;
    loginOptions: {
        baseUrl?: string | URL;
        fetch?: (input: URL, init?: RequestInit) => Promise<Response>;
    };
    /** @type {string | null} */
    token: string | null;
    expiresAt: number;
    /**
     * @param {string} name
     * @param {HttpOptions & {now?: () => number, renewBeforeMs?: number}} [options] as for
     *   {@link guestLogin}, plus `now` (ms clock) and `renewBeforeMs` (renew this long before expiry)
     */
    constructor(name: string, { now, renewBeforeMs, ...loginOptions }?: HttpOptions & {
        now?: () => number;
        renewBeforeMs?: number;
    });
    /**
     * A token valid for a while yet, logging in again when needed (a bound function: pass it as is).
     * @type {() => Promise<string>}
     */
    getToken: () => Promise<string>;
    /** Forgets the token (the server said it expired), so the next getToken logs in again. */
    invalidate(): void;
}
