/**
 * Universe Relay client SDK: everything a browser (or Node.js) game needs, as plain ES modules.
 * `import { RelayClient, guestLogin } from '@universe-relay/client'`
 * @module @universe-relay/client
 */
export { RelayClient } from './relay-client.js';
export { guestLogin, listUniverses, isValidPlayerName, isValidUniverseName, GuestTokenSource, RelayApiError, } from './relay-api.js';
export { Entity, EntityStore } from './entity-store.js';
export { ServerClock, unwrapS32 } from './server-clock.js';
export { describeClose, describeError, closeAction } from './close-policy.js';
export { encodeBinaryFrame, decodeBinaryFrame, FrameDecodeError } from './binary-codec.js';
export { CloseCode, DEFAULT_LIMITS, SUBPROTOCOL_BINARY, SUBPROTOCOL_JSON } from './protocol.js';
export { FixedTimestep } from './fixed-timestep.js';
export { Interpolator } from './interpolation.js';
export { PredictedEntity } from './prediction.js';
export type Message = import('./messages.js').Message;
export type ClientMessage = import('./messages.js').ClientMessage;
export type ServerMessage = import('./messages.js').ServerMessage;
export type ServerErrorCode = import('./messages.js').ServerErrorCode;
export type Limits = import('./messages.js').Limits;
export type Motion = import('./messages.js').Motion;
export type EntityState = import('./messages.js').EntityState;
export type RelayClientOptions = import('./relay-client.js').RelayClientOptions;
export type RelayEventMap = import('./relay-client.js').RelayEventMap;
export type RelayErrorEvent = import('./relay-client.js').RelayErrorEvent;
export type RelayCloseEvent = import('./relay-client.js').RelayCloseEvent;
export type ConnectionState = import('./relay-client.js').ConnectionState;
export type WebSocketConstructor = import('./relay-client.js').WebSocketConstructor;
export type RenderState = import('./interpolation.js').RenderState;
export type CorrectionEvent = import('./prediction.js').CorrectionEvent;
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
