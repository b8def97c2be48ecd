/**
 * Universe Relay client SDK: everything a browser game needs, as plain ES modules.
 * `import { RelayClient, guestLogin } from './net/index.js'`
 * @module relay-sdk
 */
export { RelayClient } from './relay-client.js';
export {
  guestLogin, listUniverses, isValidPlayerName, isValidUniverseName, GuestTokenSource, RelayApiError,
} from './relay-api.js';
export { Entity, EntityStore } from './entity-store.js';
export { ServerClock, unwrapS32 } from './server-clock.js';
export { describeClose, describeError, closeAction } from './close-policy.js';
export { encodeBinaryFrame, decodeBinaryFrame, FrameDecodeError } from './binary-codec.js';
export { CloseCode, DEFAULT_LIMITS, SUBPROTOCOL_BINARY, SUBPROTOCOL_JSON } from './protocol.js';
