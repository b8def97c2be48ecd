/**
 * What a closed connection means and what to do about it, with a sentence a player can read.
 * Codes that mean "you are not welcome" (forbidden, full, replaced, abuse, too big) must not be
 * retried: retrying would fail the same way or fight the newer connection. Codes that mean "not
 * now" (going away, too slow, dropped) are retried with back-off.
 * @module close-policy
 */
import { CloseCode } from './protocol.js';

/** @typedef {'closed'|'retry'|'new-token'} CloseAction */

/** @type {Map<number, string>} */
const DESCRIPTIONS = new Map([
  [CloseCode.NORMAL, 'The connection was closed.'],
  [CloseCode.GOING_AWAY, 'The server is restarting or moving you to another node.'],
  [CloseCode.PROTOCOL_ERROR, 'The server refused a malformed WebSocket frame from this game.'],
  [CloseCode.ABNORMAL, 'The connection was lost (network problem or server unreachable).'],
  [CloseCode.INVALID_PAYLOAD, 'The server received a malformed text frame.'],
  [CloseCode.POLICY_VIOLATION, 'Disconnected: too many rejected messages.'],
  [CloseCode.FRAME_TOO_BIG, 'Disconnected: a message was larger than the server allows.'],
  [CloseCode.INTERNAL_ERROR, 'The server hit an internal error.'],
  [CloseCode.TRY_AGAIN_LATER, 'The connection could not keep up with the game; reconnecting.'],
  [CloseCode.TOKEN_EXPIRED, 'Your session expired.'],
  [CloseCode.FORBIDDEN_UNIVERSE, 'You are not allowed to join this universe.'],
  [CloseCode.UNIVERSE_FULL, 'This universe is full. Try another one.'],
  [CloseCode.REPLACED, 'You joined this universe from another tab or device, so this one was disconnected.'],
]);

/** @type {Set<number>} */
const DO_NOT_RETRY = new Set([
  CloseCode.PROTOCOL_ERROR,
  CloseCode.INVALID_PAYLOAD,
  CloseCode.POLICY_VIOLATION,
  CloseCode.FRAME_TOO_BIG,
  CloseCode.FORBIDDEN_UNIVERSE,
  CloseCode.UNIVERSE_FULL,
  CloseCode.REPLACED,
]);

/**
 * A sentence for a close code, for players.
 * @param {number} code
 * @param {string} [reason] the close frame's reason, shown for codes this table does not know
 * @returns {string}
 */
export function describeClose(code, reason = '') {
  return DESCRIPTIONS.get(code)
    ?? `The connection closed (code ${code}${reason ? `: ${reason}` : ''}).`;
}

/**
 * What to do after a close.
 * @param {number} code
 * @param {boolean} byUs whether this client asked for the close
 * @returns {CloseAction}
 */
export function closeAction(code, byUs) {
  if (byUs) return 'closed';
  if (code === CloseCode.TOKEN_EXPIRED) return 'new-token';
  if (DO_NOT_RETRY.has(code)) return 'closed';
  return 'retry';
}

/** @type {Map<string, string>} */
const ERROR_DESCRIPTIONS = new Map([
  ['bad_message', 'The server could not understand a message from this game.'],
  ['out_of_bounds', 'Something tried to leave the edge of the universe.'],
  ['too_fast', 'Something tried to move faster than the universe allows.'],
  ['not_owner', 'The game tried to control something that is not yours.'],
  ['unknown_entity', 'The game tried to control something that no longer exists.'],
  ['too_many_entities', 'You have too many things in this universe; wait for some to disappear.'],
  ['rate_limited', 'Too many actions too quickly; some were dropped.'],
  ['read_only', 'You are a spectator and cannot act in this universe.'],
]);

/**
 * A sentence for an `error` message's code, for players.
 * @param {string} code
 * @param {string} [msg] the server's own text, shown for codes this table does not know
 * @returns {string}
 */
export function describeError(code, msg = '') {
  return ERROR_DESCRIPTIONS.get(code) ?? `The server reported an error: ${code}${msg ? ` (${msg})` : ''}.`;
}
