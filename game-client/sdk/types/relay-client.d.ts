/**
 * RelayClient: one player's connection to one universe of a Universe Relay server.
 *
 * It hides what every multiplayer game would otherwise rewrite: the wire formats, the server
 * clock, dead reckoning of everybody's entities, reconnecting (with the resume token, so the
 * player keeps its number and its entities), keeping actions while offline and pacing them to the
 * server's rate limit.
 *
 * Events (an EventTarget; `client.on(type, fn)` passes `event.detail` to fn):
 * - `statechange` `{state, previous}`: `connecting`, `open`, `reconnecting`, `closed`
 * - `welcome` `{welcome, resumed}`: a (re)connection is ready; local state was replaced by the
 *   server's snapshot. `resumed` is true when the player kept its number and entities.
 * - `appeared` `{entity, ref, mine}`, `velocity` `{entity, previousSpeed}`, `destroyed`
 *   `{id, entity}`: what others did (and the server's echo of this client's spawns)
 * - `hidden` `{id, entity}`: an entity left this client's view (interest management, see
 *   {@link RelayClient#setView}); it was removed from `entities` but still exists
 * - `joined` `{player}`, `left` `{player}`
 * - `error` `{code, msg, ref, text}`: the server rejected an action; `text` is for players
 * - `close` `{code, reason, text, willRetry, wasOpen}`: the socket closed; `wasOpen` is false
 *   when it never got a welcome (a refused handshake looks like that: a stale token, a server
 *   restarted with another key)
 * - `tokenexpired`: the server closed with 4001; `getToken` is asked for a fresh one
 * - `ack` `{id, seq, s}`: the server applied this client's `move` with that `seq` (protocol
 *   section 14; {@link PredictedEntity} uses it)
 * @module relay-client
 */
import { ActionOutbox } from './action-outbox.js';
import { EntityStore } from './entity-store.js';
import { ReconnectBackoff } from './reconnect-backoff.js';
import { ServerClock } from './server-clock.js';
export type ServerMessage = import('./messages.js').ServerMessage;
export type ClientMessage = import('./messages.js').ClientMessage;
export type Motion = import('./messages.js').Motion;
export type ServerErrorCode = import('./messages.js').ServerErrorCode;
export type Entity = import('./entity-store.js').Entity;
export type WebSocketLike = {
    /**
     * the subprotocol the server chose
     */
    protocol: string;
    /**
     * set to `arraybuffer`
     */
    binaryType: string;
    onopen: ((event: any) => void) | null;
    onmessage: ((event: {
        data: any;
    }) => void) | null;
    onclose: ((event: {
        code: number;
        reason: string;
    }) => void) | null;
    send: (data: string | ArrayBuffer | ArrayBufferView) => void;
    close: (code?: number, reason?: string) => void;
};
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
export type ClientErrorCode = 'token_unavailable' | 'undecodable_frame';
export type RelayErrorEvent = {
    /**
     * match on this
     */
    code: ServerErrorCode | ClientErrorCode;
    /**
     * the server's (or the client's) text for developers
     */
    msg: string;
    /**
     * the refused spawn's ref
     */
    ref?: number;
    /**
     * the refused move's seq (protocol section 14)
     */
    seq?: number;
    /**
     * a sentence for players
     */
    text: string;
};
export type RelayCloseEvent = {
    /**
     * the WebSocket close code (see `CloseCode`)
     */
    code: number;
    /**
     * the close frame's reason
     */
    reason: string;
    /**
     * a sentence for players
     */
    text: string;
    /**
     * whether the client reconnects by itself
     */
    willRetry: boolean;
    /**
     * false when the connection never got a welcome
     */
    wasOpen: boolean;
};
export type RelayEventMap = {
    statechange: {
        state: ConnectionState;
        previous: ConnectionState;
    };
    welcome: {
        welcome: import('./messages.js').WelcomeMessage;
        resumed: boolean;
    };
    appeared: {
        entity: Entity;
        ref: number;
        mine: boolean;
    };
    velocity: {
        entity: Entity;
        previousSpeed: number;
    };
    destroyed: {
        id: number;
        entity: Entity | undefined;
    };
    hidden: {
        id: number;
        entity: Entity | undefined;
    };
    joined: {
        player: import('./messages.js').PlayerInfo;
    };
    left: {
        player: import('./messages.js').PlayerInfo;
    };
    ack: {
        id: number;
        seq: number;
        s: number;
    };
    error: RelayErrorEvent;
    close: RelayCloseEvent;
    tokenexpired: {};
};
export type RelayClientOptions = {
    /**
     * universe name (`[A-Za-z0-9_-]{1,64}`)
     */
    universe: string;
    /**
     * access token (JWT), when it will not need renewing
     */
    token?: string;
    /**
     * asked for a token before every
     * connection attempt; needed to survive a 4001 (token expired) close
     */
    getToken?: () => (string | Promise<string>);
    /**
     * wire format; binary is smaller
     */
    format?: 'binary' | 'json';
    /**
     * the relay's address (http/https/ws/wss); the page's own by
     * default, so a game served by the relay needs no configuration (required outside browsers)
     */
    baseUrl?: string | URL;
    /**
     * time between clock pings once synced
     */
    pingIntervalMs?: number;
    /**
     * how long after losing the connection the server keeps the
     * player for a resume (the server's grace period, 10 s by default)
     */
    resumeGraceMs?: number;
    /**
     * consecutive failed attempts before giving up
     */
    maxReconnectAttempts?: number;
    /**
     * reconnect back-off
     */
    backoff?: import('./reconnect-backoff.js').BackoffOptions;
    /**
     * how long dead-reckoning corrections are blended out
     */
    correctionMs?: number;
    /**
     * the WebSocket implementation: the global one by
     * default; in Node.js 20, pass the `ws` package's
     */
    WebSocket?: WebSocketConstructor;
    /**
     * injectable for tests
     */
    timers?: import('./action-outbox.js').Timers;
    /**
     * local clock in ms, injectable for tests
     */
    now?: () => number;
};
export declare class RelayClient extends EventTarget {
    /** The universe's name. */
    universe: string;
    token: string | undefined;
    getToken: (() => (string | Promise<string>)) | undefined;
    subprotocols: string[];
    baseUrl: string | URL;
    pingIntervalMs: number;
    resumeGraceMs: number;
    maxReconnectAttempts: number;
    Socket: WebSocketConstructor;
    timers: import("./action-outbox.js").Timers;
    /**
     * Connection state: idle, connecting, open, reconnecting or closed.
     * @type {ConnectionState}
     */
    state: ConnectionState;
    /**
     * This player's number in the universe (null before the first welcome).
     * @type {number | null}
     */
    you: number | null;
    /**
     * This player's display name, as the server knows it.
     * @type {string | null}
     */
    name: string | null;
    /**
     * The server's limits from the welcome.
     * @type {import('./messages.js').Limits}
     */
    limits: import('./messages.js').Limits;
    /** @type {Map<number, {p: number, name: string}>} everybody present, this player included */
    players: Map<number, {
        p: number;
        name: string;
    }>;
    /**
     * The area set by {@link RelayClient#setView}, sent again after every welcome; null: everything.
     * @type {{x: number, y: number, r: number} | null}
     */
    view: {
        x: number;
        y: number;
        r: number;
    } | null;
    /** Everybody's entities with dead reckoning. */
    entities: EntityStore;
    /** Server time estimate and round-trip time. */
    clock: ServerClock;
    /** @type {WebSocketLike | null} */
    socket: WebSocketLike | null;
    wire: import("./wire-format.js").WireFormat;
    /** @type {string | null} */
    resumeToken: string | null;
    sentResume: boolean;
    /** @type {number | null} */
    disconnectedAt: number | null;
    failedAttempts: number;
    attempt: number;
    /** @type {any} */
    reconnectTimer: any;
    /** @type {any} */
    pingTimer: any;
    pingsSinceWelcome: number;
    nextRef: number;
    lastMoveSeq: number;
    /** @type {Map<number, {resolve: (entity: Entity) => void, reject: (error: Error) => void, sent: boolean}>} */
    pendingSpawns: Map<number, {
        resolve: (entity: Entity) => void;
        reject: (error: Error) => void;
        sent: boolean;
    }>;
    backoff: ReconnectBackoff;
    outbox: ActionOutbox;
    /**
     * @param {RelayClientOptions} options
     */
    constructor({ universe, token, getToken, format, baseUrl, pingIntervalMs, resumeGraceMs, maxReconnectAttempts, backoff, correctionMs, WebSocket: Socket, timers, now, }: RelayClientOptions);
    /**
     * Subscribes to an event with a plain callback.
     * @template {keyof RelayEventMap} K
     * @param {K} type
     * @param {(detail: RelayEventMap[K]) => void} listener gets the event's detail
     * @returns {() => void} unsubscribes
     */
    on<K extends keyof RelayEventMap>(type: K, listener: (detail: RelayEventMap[K]) => void): () => void;
    /**
     * Current server time estimate, ms since the epoch: the time base of every entity state.
     * @returns {number}
     */
    serverNow(): number;
    /**
     * Server time for drawing: the estimate, but never jumping when a better clock sample arrives
     * (see {@link ServerClock#smoothNow}). Pass it to {@link Interpolator#positionAt}.
     * @returns {number}
     */
    smoothServerNow(): number;
    /** Starts connecting. Listen to `welcome` to know when the universe is ready. */
    connect(): void;
    /**
     * Spawns an entity. Queued while disconnected; paced to the rate limit.
     * @param {{kind: number, x: number, y: number, vx?: number, vy?: number}} state
     * @returns {Promise<Entity>} the entity once the server confirms it; rejected with the
     *   server's error (an `Error` with its `code`), or when the connection is lost before
     *   confirmation
     */
    spawn({ kind, x, y, vx, vy }: {
        kind: number;
        x: number;
        y: number;
        vx?: number;
        vy?: number;
    }): Promise<Entity>;
    /**
     * Tells the others where an own entity is now and how it moves. Call it whenever the motion
     * changes; calling often is fine, only the latest pending move per entity is sent.
     * @param {number} id
     * @param {Motion} state
     * @param {{seq?: number}} [options] `seq` (1..2^32-1) asks the server for an `ack` of this move
     *   (protocol section 14); {@link PredictedEntity} numbers its moves this way
     * @returns {boolean} false when the entity is unknown (already destroyed)
     */
    move(id: number, { x, y, vx, vy }: Motion, { seq }?: {
        seq?: number;
    }): boolean;
    /**
     * A new sequence number for a `move` that asks for an `ack` (protocol section 14): unique on
     * this client, so an `error` carrying it names one move.
     * @returns {number} 1..2^32-1
     */
    nextMoveSeq(): number;
    /**
     * Destroys an own entity (removed locally at once).
     * @param {number} id
     * @returns {boolean} false when the entity is unknown
     */
    destroy(id: number): boolean;
    /**
     * Asks to get only the entities within `r` of `(x, y)`, the player's own always included
     * (interest management, protocol section 13): others' entities then `appeared` when they come
     * into the area and are `hidden` when they leave it. Call it when the camera moves noticeably;
     * only the latest pending view is sent (it counts towards the rate limit), and it is sent again
     * after every reconnect. Universes without interest management accept and ignore it.
     * @param {{x: number, y: number, r: number}} view centre and radius, in world units
     */
    setView({ x, y, r }: {
        x: number;
        y: number;
        r: number;
    }): void;
    /** Leaves the universe for good (close 1000: the server destroys this player's entities). */
    close(): void;
    /**
     * Throws for actions the server would reject for their content.
     * @private
     * @param {import('./messages.js').ActionMessage} action
     */
    private checkAction;
    /**
     * @private
     * @template {keyof RelayEventMap} K
     * @param {K} type
     * @param {RelayEventMap[K]} detail
     */
    private emit;
    /**
     * @private
     * @param {ConnectionState} state
     */
    private setState;
    /**
     * @private
     * @param {string} token
     * @param {string | null} resume
     * @returns {string}
     */
    private socketUrl;
    /** @private */
    private openSocket;
    /**
     * @private
     * @param {string | ArrayBuffer | ArrayBufferView} data
     */
    private receive;
    /**
     * @private
     * @param {ServerMessage} m
     */
    private handle;
    /**
     * @private
     * @param {import('./messages.js').WelcomeMessage} m
     */
    private onWelcome;
    /**
     * @private
     * @param {import('./messages.js').AppearedMessage} m
     */
    private onAppeared;
    /**
     * @private
     * @param {import('./messages.js').ErrorMessage} m
     */
    private onError;
    /**
     * @private
     * @param {ClientMessage[]} messages
     */
    private transmit;
    /** @private */
    private startPinging;
    /** @private */
    private stopPinging;
    /**
     * The socket closed without us asking.
     * @private
     * @param {number} code
     * @param {string} reason
     */
    private lost;
    /**
     * @private
     * @param {number} delay
     */
    private scheduleReconnect;
    /**
     * Stops timers and rejects what can no longer complete.
     * @private
     * @param {Error} reason
     */
    private shutDown;
}
