/**
 * The relay's HTTP API for games: guest login and the universe list. URLs are relative to the
 * page by default, so a game served by the relay needs no configuration.
 * @module relay-api
 */
import { UNIVERSE_NAME_PATTERN } from './protocol.js';
import { errorDetail, readJsonBody } from './http-json.js';

/** Player names that are safe for guest login. */
export const PLAYER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * @param {string} name
 * @returns {boolean}
 */
export function isValidPlayerName(name) {
  return PLAYER_NAME_PATTERN.test(name);
}

/**
 * @param {string} name
 * @returns {boolean}
 */
export function isValidUniverseName(name) {
  return UNIVERSE_NAME_PATTERN.test(name);
}

/** An HTTP answer that was not a success, with the server's message when it gave one. */
export class RelayApiError extends Error {
  /**
   * @param {number} status HTTP status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.name = 'RelayApiError';
    /** HTTP status. */
    this.status = status;
  }
}

/**
 * @typedef {object} HttpOptions
 * @property {string | URL} [baseUrl] the relay's HTTP address; the page's own by default
 * @property {(input: URL, init?: RequestInit) => Promise<Response>} [fetch] a fetch implementation
 */

/**
 * @typedef {object} GuestToken
 * @property {string} access_token the JWT
 * @property {string} token_type `Bearer`
 * @property {number} expires_in seconds
 */

/**
 * @typedef {object} UniverseSummary
 * @property {string} name
 * @property {number} players
 * @property {number} entities
 */

/**
 * @param {Response} response
 * @returns {Promise<any>}
 */
async function readJson(response) {
  const body = await readJsonBody(response);
  if (!response.ok) {
    throw new RelayApiError(response.status, errorDetail(body) || `HTTP ${response.status}`);
  }
  return body;
}

/**
 * Gets a guest token for a display name.
 * @param {string} name 1 to 32 of `A-Z a-z 0-9 _ -`
 * @param {HttpOptions} [options]
 * @returns {Promise<GuestToken>}
 */
export async function guestLogin(name, { baseUrl = globalThis.location?.href, fetch: fetchImpl = globalThis.fetch } = {}) {
  const response = await fetchImpl(new URL('api/login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ name }),
  });
  return readJson(response);
}

/**
 * Lists the live universes.
 * @param {HttpOptions} [options] same as {@link guestLogin}
 * @returns {Promise<UniverseSummary[]>}
 */
export async function listUniverses({ baseUrl = globalThis.location?.href, fetch: fetchImpl = globalThis.fetch } = {}) {
  const response = await fetchImpl(new URL('api/universes', baseUrl), { headers: { accept: 'application/json' } });
  return readJson(response);
}

/**
 * Guest tokens for one name that renew themselves: pass `getToken` to a RelayClient, and the
 * client survives a token expiry (close 4001) without the game doing anything.
 */
export class GuestTokenSource {
  /**
   * @param {string} name
   * @param {HttpOptions & {now?: () => number, renewBeforeMs?: number}} [options] as for
   *   {@link guestLogin}, plus `now` (ms clock) and `renewBeforeMs` (renew this long before expiry)
   */
  constructor(name, { now = () => Date.now(), renewBeforeMs = 60_000, ...loginOptions } = {}) {
    this.name = name;
    this.now = now;
    this.renewBeforeMs = renewBeforeMs;
    this.loginOptions = loginOptions;
    /** @type {string | null} */
    this.token = null;
    this.expiresAt = 0;
  }

  /**
   * A token valid for a while yet, logging in again when needed (a bound function: pass it as is).
   * @type {() => Promise<string>}
   */
  getToken = async () => {
    if (!this.token || this.now() >= this.expiresAt - this.renewBeforeMs) {
      const answer = await guestLogin(this.name, this.loginOptions);
      this.token = answer.access_token;
      this.expiresAt = this.now() + answer.expires_in * 1000;
    }
    return /** @type {string} */ (this.token);
  };

  /** Forgets the token (the server said it expired), so the next getToken logs in again. */
  invalidate() {
    this.token = null;
  }
}
