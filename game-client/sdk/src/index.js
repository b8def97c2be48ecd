/**
 * Universe Relay client SDK: everything a browser (or Node.js) game needs, as plain ES modules.
 * `import { RelayClient, guestLogin } from '@universe-relay/client'`
 * @module @universe-relay/client
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
export { FixedTimestep } from './fixed-timestep.js';
export { Interpolator } from './interpolation.js';
export { PredictedEntity } from './prediction.js';

/**
 * @typedef {import('./messages.js').Message} Message
 * @typedef {import('./messages.js').ClientMessage} ClientMessage
 * @typedef {import('./messages.js').ServerMessage} ServerMessage
 * @typedef {import('./messages.js').ServerErrorCode} ServerErrorCode
 * @typedef {import('./messages.js').Limits} Limits
 * @typedef {import('./messages.js').Motion} Motion
 * @typedef {import('./messages.js').EntityState} EntityState
 * @typedef {import('./relay-client.js').RelayClientOptions} RelayClientOptions
 * @typedef {import('./relay-client.js').RelayEventMap} RelayEventMap
 * @typedef {import('./relay-client.js').RelayErrorEvent} RelayErrorEvent
 * @typedef {import('./relay-client.js').RelayCloseEvent} RelayCloseEvent
 * @typedef {import('./relay-client.js').ConnectionState} ConnectionState
 * @typedef {import('./relay-client.js').WebSocketConstructor} WebSocketConstructor
 * @typedef {import('./interpolation.js').RenderState} RenderState
 * @typedef {import('./prediction.js').CorrectionEvent} CorrectionEvent
 */
