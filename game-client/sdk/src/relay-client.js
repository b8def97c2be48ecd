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
import { assertEncodable } from './binary-codec.js';
import { closeAction, describeClose, describeError } from './close-policy.js';
import { EntityStore } from './entity-store.js';
import { CloseCode, DEFAULT_LIMITS, SUBPROTOCOL_BINARY, SUBPROTOCOL_JSON, UNIVERSE_NAME_PATTERN } from './protocol.js';
import { ReconnectBackoff } from './reconnect-backoff.js';
import { monotonicNow, ServerClock } from './server-clock.js';
import { TokenBucket } from './token-bucket.js';
import { wireFor } from './wire-format.js';

/**
 * The client's bucket keeps this share of the rate unused below the server's burst: messages
 * sent evenly can arrive bunched (latency varies), and the server counts arrivals.
 */
const BURST_RESERVE_SECONDS = 0.25;

/** Pings right after a welcome come quicker, to get a good clock estimate early. */
const QUICK_PINGS = 3;
const QUICK_PING_INTERVAL_MS = 300;

/** @typedef {import('./messages.js').ServerMessage} ServerMessage */
/** @typedef {import('./messages.js').ClientMessage} ClientMessage */
/** @typedef {import('./messages.js').Motion} Motion */
/** @typedef {import('./messages.js').ServerErrorCode} ServerErrorCode */
/** @typedef {import('./entity-store.js').Entity} Entity */

/**
 * What a game needs of a WebSocket: the browser's, or the `ws` package's in Node.js 20.
 * @typedef {object} WebSocketLike
 * @property {string} protocol the subprotocol the server chose
 * @property {string} binaryType set to `arraybuffer`
 * @property {((event: any) => void) | null} onopen
 * @property {((event: {data: any}) => void) | null} onmessage
 * @property {((event: {code: number, reason: string}) => void) | null} onclose
 * @property {(data: string | ArrayBuffer | ArrayBufferView) => void} send
 * @property {(code?: number, reason?: string) => void} close
 */

/** @typedef {new (url: string, protocols?: string | string[]) => WebSocketLike} WebSocketConstructor */

/** @typedef {'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'} ConnectionState */

/**
 * Errors the client reports besides the server's: no token could be had, or a frame could not
 * be read.
 * @typedef {'token_unavailable' | 'undecodable_frame'} ClientErrorCode
 */

/**
 * The `error` event: the server refused an action (`code` is the server's), or the client hit
 * a problem of its own.
 * @typedef {object} RelayErrorEvent
 * @property {ServerErrorCode | ClientErrorCode} code match on this
 * @property {string} msg the server's (or the client's) text for developers
 * @property {number} [ref] the refused spawn's ref
 * @property {number} [seq] the refused move's seq (protocol section 14)
 * @property {string} text a sentence for players
 */

/**
 * The `close` event.
 * @typedef {object} RelayCloseEvent
 * @property {number} code the WebSocket close code (see `CloseCode`)
 * @property {string} reason the close frame's reason
 * @property {string} text a sentence for players
 * @property {boolean} willRetry whether the client reconnects by itself
 * @property {boolean} wasOpen false when the connection never got a welcome
 */

/**
 * Every event of {@link RelayClient} and its detail.
 * @typedef {object} RelayEventMap
 * @property {{state: ConnectionState, previous: ConnectionState}} statechange
 * @property {{welcome: import('./messages.js').WelcomeMessage, resumed: boolean}} welcome
 * @property {{entity: Entity, ref: number, mine: boolean}} appeared
 * @property {{entity: Entity, previousSpeed: number}} velocity
 * @property {{id: number, entity: Entity | undefined}} destroyed
 * @property {{id: number, entity: Entity | undefined}} hidden
 * @property {{player: import('./messages.js').PlayerInfo}} joined
 * @property {{player: import('./messages.js').PlayerInfo}} left
 * @property {{id: number, seq: number, s: number}} ack
 * @property {RelayErrorEvent} error
 * @property {RelayCloseEvent} close
 * @property {{}} tokenexpired
 */

/**
 * @typedef {object} RelayClientOptions
 * @property {string} universe universe name (`[A-Za-z0-9_-]{1,64}`)
 * @property {string} [token] access token (JWT), when it will not need renewing
 * @property {() => (string | Promise<string>)} [getToken] asked for a token before every
 *   connection attempt; needed to survive a 4001 (token expired) close
 * @property {'binary' | 'json'} [format] wire format; binary is smaller
 * @property {string | URL} [baseUrl] the relay's address (http/https/ws/wss); the page's own by
 *   default, so a game served by the relay needs no configuration (required outside browsers)
 * @property {number} [pingIntervalMs] time between clock pings once synced
 * @property {number} [resumeGraceMs] how long after losing the connection the server keeps the
 *   player for a resume (the server's grace period, 10 s by default)
 * @property {number} [maxReconnectAttempts] consecutive failed attempts before giving up
 * @property {import('./reconnect-backoff.js').BackoffOptions} [backoff] reconnect back-off
 * @property {number} [correctionMs] how long dead-reckoning corrections are blended out
 * @property {WebSocketConstructor} [WebSocket] the WebSocket implementation: the global one by
 *   default; in Node.js 20, pass the `ws` package's
 * @property {import('./action-outbox.js').Timers} [timers] injectable for tests
 * @property {() => number} [now] local clock in ms, injectable for tests
 */

/**
 * @param {{rate: number, burst: number}} limits
 * @returns {{rate: number, capacity: number}}
 */
function bucketShape({ rate, burst }) {
  return { rate, capacity: Math.max(1, burst - Math.ceil(rate * BURST_RESERVE_SECONDS)) };
}

export class RelayClient extends EventTarget {
  /**
   * @param {RelayClientOptions} options
   */
  constructor({
    universe,
    token,
    getToken,
    format = 'binary',
    baseUrl = globalThis.location?.href,
    pingIntervalMs = 2000,
    resumeGraceMs = 10000,
    maxReconnectAttempts = 12,
    backoff = {},
    correctionMs = 150,
    WebSocket: Socket = /** @type {WebSocketConstructor} */ (/** @type {unknown} */ (globalThis.WebSocket)),
    timers = globalThis,
    now = monotonicNow,
  }) {
    super();
    if (!UNIVERSE_NAME_PATTERN.test(universe ?? '')) throw new RangeError(`invalid universe name: ${universe}`);
    if (!token && !getToken) throw new TypeError('a token or getToken is needed');
    if (format !== 'binary' && format !== 'json') throw new RangeError(`unknown format ${format}`);
    if (typeof Socket !== 'function') {
      throw new TypeError('no WebSocket implementation: pass one as options.WebSocket (in Node.js 20, the ws package)');
    }
    if (baseUrl === undefined) throw new TypeError('options.baseUrl is needed outside a browser page');
    /** The universe's name. */
    this.universe = universe;
    this.token = token;
    this.getToken = getToken;
    this.subprotocols = format === 'binary' ? [SUBPROTOCOL_BINARY, SUBPROTOCOL_JSON] : [SUBPROTOCOL_JSON];
    this.baseUrl = baseUrl;
    this.pingIntervalMs = pingIntervalMs;
    this.resumeGraceMs = resumeGraceMs;
    this.maxReconnectAttempts = maxReconnectAttempts;
    this.Socket = Socket;
    this.timers = timers;

    /**
     * Connection state: idle, connecting, open, reconnecting or closed.
     * @type {ConnectionState}
     */
    this.state = 'idle';
    /**
     * This player's number in the universe (null before the first welcome).
     * @type {number | null}
     */
    this.you = null;
    /**
     * This player's display name, as the server knows it.
     * @type {string | null}
     */
    this.name = null;
    /**
     * The server's limits from the welcome.
     * @type {import('./messages.js').Limits}
     */
    this.limits = { ...DEFAULT_LIMITS };
    /** @type {Map<number, {p: number, name: string}>} everybody present, this player included */
    this.players = new Map();
    /**
     * The area set by {@link RelayClient#setView}, sent again after every welcome; null: everything.
     * @type {{x: number, y: number, r: number} | null}
     */
    this.view = null;
    /** Everybody's entities with dead reckoning. */
    this.entities = new EntityStore({ correctionMs });
    /** Server time estimate and round-trip time. */
    this.clock = new ServerClock({ now });

    /** @type {WebSocketLike | null} */
    this.socket = null;
    this.wire = wireFor(SUBPROTOCOL_JSON);
    /** @type {string | null} */
    this.resumeToken = null;
    this.sentResume = false;
    /** @type {number | null} */
    this.disconnectedAt = null;
    this.failedAttempts = 0;
    this.attempt = 0;
    /** @type {any} */
    this.reconnectTimer = null;
    /** @type {any} */
    this.pingTimer = null;
    this.pingsSinceWelcome = 0;
    this.nextRef = 1;
    this.lastMoveSeq = 0;
    /** @type {Map<number, {resolve: (entity: Entity) => void, reject: (error: Error) => void, sent: boolean}>} */
    this.pendingSpawns = new Map();
    this.backoff = new ReconnectBackoff(backoff);
    this.outbox = new ActionOutbox({
      bucket: new TokenBucket({ ...bucketShape(this.limits), now }),
      timers,
      transmit: (messages) => this.transmit(messages),
    });
  }

  /**
   * Subscribes to an event with a plain callback.
   * @template {keyof RelayEventMap} K
   * @param {K} type
   * @param {(detail: RelayEventMap[K]) => void} listener gets the event's detail
   * @returns {() => void} unsubscribes
   */
  on(type, listener) {
    /** @param {Event} event */
    const wrapped = (event) => listener(/** @type {CustomEvent<RelayEventMap[K]>} */ (event).detail);
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }

  /**
   * Current server time estimate, ms since the epoch: the time base of every entity state.
   * @returns {number}
   */
  serverNow() {
    return this.clock.serverNow();
  }

  /**
   * Server time for drawing: the estimate, but never jumping when a better clock sample arrives
   * (see {@link ServerClock#smoothNow}). Pass it to {@link Interpolator#positionAt}.
   * @returns {number}
   */
  smoothServerNow() {
    return this.clock.smoothNow();
  }

  /** Starts connecting. Listen to `welcome` to know when the universe is ready. */
  connect() {
    if (this.state !== 'idle') throw new Error(`connect() called in state ${this.state}`);
    this.setState('connecting');
    this.openSocket();
  }

  /**
   * Spawns an entity. Queued while disconnected; paced to the rate limit.
   * @param {{kind: number, x: number, y: number, vx?: number, vy?: number}} state
   * @returns {Promise<Entity>} the entity once the server confirms it; rejected with the
   *   server's error (an `Error` with its `code`), or when the connection is lost before
   *   confirmation
   */
  spawn({ kind, x, y, vx = 0, vy = 0 }) {
    const ref = this.nextRef;
    this.nextRef = this.nextRef >= 0xffffffff ? 1 : this.nextRef + 1;
    /** @type {import('./messages.js').SpawnMessage} */
    const action = { t: 'spawn', ref, k: kind, x, y, vx, vy };
    this.checkAction(action);
    return new Promise((resolve, reject) => {
      this.pendingSpawns.set(ref, { resolve, reject, sent: false });
      this.outbox.enqueue(action);
    });
  }

  /**
   * Tells the others where an own entity is now and how it moves. Call it whenever the motion
   * changes; calling often is fine, only the latest pending move per entity is sent.
   * @param {number} id
   * @param {Motion} state
   * @param {{seq?: number}} [options] `seq` (1..2^32-1) asks the server for an `ack` of this move
   *   (protocol section 14); {@link PredictedEntity} numbers its moves this way
   * @returns {boolean} false when the entity is unknown (already destroyed)
   */
  move(id, { x, y, vx, vy }, { seq } = {}) {
    const entity = this.entities.get(id);
    if (!entity) return false;
    if (entity.owner !== this.you) throw new RangeError(`entity ${id} belongs to player ${entity.owner}`);
    /** @type {import('./messages.js').MoveMessage} */
    const action = seq === undefined ? { t: 'move', id, x, y, vx, vy } : { t: 'move', id, x, y, vx, vy, seq };
    if (seq !== undefined && !(seq >= 1)) throw new RangeError(`move.seq must be in 1..2^32-1: ${seq}`);
    this.checkAction(action);
    this.entities.setOwnState(id, { x, y, vx, vy, s: this.serverNow() });
    this.outbox.enqueue(action);
    return true;
  }

  /**
   * A new sequence number for a `move` that asks for an `ack` (protocol section 14): unique on
   * this client, so an `error` carrying it names one move.
   * @returns {number} 1..2^32-1
   */
  nextMoveSeq() {
    this.lastMoveSeq = this.lastMoveSeq >= 0xffffffff ? 1 : this.lastMoveSeq + 1;
    return this.lastMoveSeq;
  }

  /**
   * Destroys an own entity (removed locally at once).
   * @param {number} id
   * @returns {boolean} false when the entity is unknown
   */
  destroy(id) {
    const entity = this.entities.get(id);
    if (!entity) return false;
    if (entity.owner !== this.you) throw new RangeError(`entity ${id} belongs to player ${entity.owner}`);
    this.entities.remove(id);
    this.outbox.enqueue({ t: 'destroy', id });
    return true;
  }

  /**
   * Asks to get only the entities within `r` of `(x, y)`, the player's own always included
   * (interest management, protocol section 13): others' entities then `appeared` when they come
   * into the area and are `hidden` when they leave it. Call it when the camera moves noticeably;
   * only the latest pending view is sent (it counts towards the rate limit), and it is sent again
   * after every reconnect. Universes without interest management accept and ignore it.
   * @param {{x: number, y: number, r: number}} view centre and radius, in world units
   */
  setView({ x, y, r }) {
    /** @type {import('./messages.js').ViewMessage} */
    const action = { t: 'view', x, y, r };
    this.checkAction(action);
    this.view = { x, y, r };
    this.outbox.enqueue(action);
  }

  /** Leaves the universe for good (close 1000: the server destroys this player's entities). */
  close() {
    if (this.state === 'closed') return;
    const socket = this.socket;
    this.shutDown(new Error('client closed'));
    socket?.close(CloseCode.NORMAL, 'bye');
    this.emit('close', {
      code: CloseCode.NORMAL, reason: 'bye', text: describeClose(CloseCode.NORMAL), willRetry: false, wasOpen: this.state === 'open',
    });
    this.setState('closed');
  }

  /**
   * Throws for actions the server would reject for their content.
   * @private
   * @param {import('./messages.js').ActionMessage} action
   */
  checkAction(action) {
    assertEncodable(action);
    if (action.t === 'destroy') return;
    const { bounds, maxSpeed } = this.limits;
    if (Math.abs(action.x) > bounds || Math.abs(action.y) > bounds) {
      throw new RangeError(`position (${action.x}, ${action.y}) is outside the universe (bounds ${bounds})`);
    }
    if (action.t === 'view') {
      if (!(action.r > 0)) throw new RangeError(`view radius ${action.r} must be above 0`);
      return;
    }
    if (Math.hypot(action.vx, action.vy) > maxSpeed) {
      throw new RangeError(`speed ${Math.hypot(action.vx, action.vy)} exceeds maxSpeed ${maxSpeed}`);
    }
  }

  /**
   * @private
   * @template {keyof RelayEventMap} K
   * @param {K} type
   * @param {RelayEventMap[K]} detail
   */
  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /**
   * @private
   * @param {ConnectionState} state
   */
  setState(state) {
    if (state === this.state) return;
    const previous = this.state;
    this.state = state;
    this.emit('statechange', { state, previous });
  }

  /**
   * @private
   * @param {string} token
   * @param {string | null} resume
   * @returns {string}
   */
  socketUrl(token, resume) {
    const url = new URL(`ws/universes/${encodeURIComponent(this.universe)}`, this.baseUrl);
    if (url.protocol === 'http:') url.protocol = 'ws:';
    if (url.protocol === 'https:') url.protocol = 'wss:';
    url.searchParams.set('access_token', token);
    if (resume) url.searchParams.set('resume', resume);
    return url.href;
  }

  /** @private */
  async openSocket() {
    const attempt = ++this.attempt;
    /** @type {string} */
    let token;
    try {
      const value = this.getToken ? await this.getToken() : this.token;
      if (!value) throw new Error('no token was given');
      token = value;
    } catch (error) {
      if (attempt !== this.attempt || this.state === 'closed') return;
      this.emit('error', { code: 'token_unavailable', msg: String(/** @type {any} */ (error)?.message ?? error), text: 'Could not get a token to connect.' });
      this.lost(CloseCode.ABNORMAL, 'no token');
      return;
    }
    if (attempt !== this.attempt || this.state === 'closed') return;
    const withinGrace = this.disconnectedAt !== null && this.clock.now() - this.disconnectedAt < this.resumeGraceMs;
    const resume = withinGrace ? this.resumeToken : null;
    this.sentResume = Boolean(resume);
    const socket = new this.Socket(this.socketUrl(token, resume), this.subprotocols);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      if (socket === this.socket) this.wire = wireFor(socket.protocol);
    };
    socket.onmessage = (event) => {
      if (socket === this.socket) this.receive(event.data);
    };
    socket.onclose = (event) => {
      if (socket === this.socket) this.lost(event.code, event.reason);
    };
  }

  /**
   * @private
   * @param {string | ArrayBuffer | ArrayBufferView} data
   */
  receive(data) {
    let messages;
    try {
      messages = this.wire.decodeFrame(data, (s32) => this.clock.unwrap(s32));
    } catch (error) {
      this.emit('error', { code: 'undecodable_frame', msg: String(/** @type {any} */ (error)?.message ?? error), text: 'Received a message this game cannot read.' });
      return;
    }
    for (const m of messages) this.handle(/** @type {ServerMessage} */ (m));
  }

  /**
   * @private
   * @param {ServerMessage} m
   */
  handle(m) {
    switch (m.t) {
      case 'welcome': this.onWelcome(m); break;
      case 'appeared': this.onAppeared(m); break;
      case 'velocity': {
        const before = this.entities.get(m.id);
        const previousSpeed = before ? Math.hypot(before.vx, before.vy) : 0;
        const entity = this.entities.applyVelocity(m, this.serverNow());
        if (entity) this.emit('velocity', { entity, previousSpeed });
        break;
      }
      case 'destroyed': {
        const entity = this.entities.remove(m.id);
        this.outbox.forget(m.id);
        this.emit('destroyed', { id: m.id, entity });
        break;
      }
      case 'hidden': {
        const entity = this.entities.remove(m.id);
        this.emit('hidden', { id: m.id, entity });
        break;
      }
      case 'joined': {
        const player = { p: m.p, name: m.name };
        this.players.set(m.p, player);
        this.emit('joined', { player });
        break;
      }
      case 'left': {
        const player = this.players.get(m.p) ?? { p: m.p, name: `player ${m.p}` };
        this.players.delete(m.p);
        this.emit('left', { player });
        break;
      }
      case 'ack': this.emit('ack', { id: m.id, seq: m.seq, s: m.s }); break;
      case 'pong': this.clock.addSample(m.c, m.s); break;
      case 'error': this.onError(m); break;
      default: break; // additive protocol extensions: ignore what is not known
    }
  }

  /**
   * @private
   * @param {import('./messages.js').WelcomeMessage} m
   */
  onWelcome(m) {
    const resumed = this.sentResume && m.you === this.you;
    this.you = m.you;
    this.name = m.name;
    this.resumeToken = m.resume ?? null;
    this.limits = { ...DEFAULT_LIMITS, ...m.limits };
    this.clock.seed(m.s);
    this.players = new Map([[m.you, { p: m.you, name: m.name }]]);
    for (const p of m.players ?? []) this.players.set(p.p, { p: p.p, name: p.name });
    this.entities.replaceAll(m.entities ?? []);
    for (const [ref, pending] of this.pendingSpawns) {
      if (pending.sent) {
        this.pendingSpawns.delete(ref);
        pending.reject(new Error('the connection was lost before the spawn was confirmed'));
      }
    }
    if (!resumed) this.outbox.retainOwned((id) => this.entities.get(id)?.owner === this.you);
    if (this.view) this.outbox.enqueue({ t: 'view', ...this.view }); // the server may not know it (a new session)
    this.outbox.bucket.configure(bucketShape(this.limits));
    this.disconnectedAt = null;
    this.failedAttempts = 0;
    this.backoff.reset();
    this.outbox.resume();
    this.startPinging();
    this.setState('open');
    this.emit('welcome', { welcome: m, resumed });
  }

  /**
   * @private
   * @param {import('./messages.js').AppearedMessage} m
   */
  onAppeared(m) {
    const entity = this.entities.add(m);
    const mine = entity.owner === this.you;
    const pending = mine && m.ref ? this.pendingSpawns.get(m.ref) : undefined;
    if (pending) {
      this.pendingSpawns.delete(m.ref);
      pending.resolve(entity);
    }
    this.emit('appeared', { entity, ref: m.ref, mine });
  }

  /**
   * @private
   * @param {import('./messages.js').ErrorMessage} m
   */
  onError(m) {
    const pending = m.ref ? this.pendingSpawns.get(m.ref) : undefined;
    const text = describeError(m.code, m.msg);
    if (pending && m.ref) {
      this.pendingSpawns.delete(m.ref);
      pending.reject(Object.assign(new Error(text), { code: m.code }));
    }
    /** @type {RelayErrorEvent} */
    const detail = { code: m.code, msg: m.msg, text };
    if (m.ref !== undefined) detail.ref = m.ref;
    if (m.seq !== undefined) detail.seq = m.seq;
    this.emit('error', detail);
  }

  /**
   * @private
   * @param {ClientMessage[]} messages
   */
  transmit(messages) {
    for (const m of messages) {
      if (m.t === 'spawn') {
        const pending = this.pendingSpawns.get(m.ref);
        if (pending) pending.sent = true;
      }
    }
    const socket = this.socket;
    if (!socket) return;
    for (const frame of this.wire.encodeFrames(messages)) socket.send(frame);
  }

  /** @private */
  startPinging() {
    this.stopPinging();
    this.pingsSinceWelcome = 0;
    const tick = () => {
      this.outbox.sendIfIdle({ t: 'ping', c: this.clock.now() });
      this.pingsSinceWelcome += 1;
      const delay = this.pingsSinceWelcome < QUICK_PINGS ? QUICK_PING_INTERVAL_MS : this.pingIntervalMs;
      this.pingTimer = this.timers.setTimeout(tick, delay);
    };
    tick();
  }

  /** @private */
  stopPinging() {
    if (this.pingTimer !== null) this.timers.clearTimeout(this.pingTimer);
    this.pingTimer = null;
  }

  /**
   * The socket closed without us asking.
   * @private
   * @param {number} code
   * @param {string} reason
   */
  lost(code, reason) {
    this.socket = null;
    this.stopPinging();
    this.outbox.pause();
    const wasOpen = this.state === 'open';
    if (wasOpen) this.disconnectedAt = this.clock.now();
    let action = closeAction(code, false);
    if (action === 'new-token' && !this.getToken) action = 'closed';
    if (action !== 'closed' && this.failedAttempts >= this.maxReconnectAttempts) action = 'closed';
    const text = action === 'closed' && closeAction(code, false) === 'retry'
      ? `${describeClose(code, reason)} Gave up after ${this.failedAttempts} attempts.`
      : describeClose(code, reason);
    this.emit('close', { code, reason, text, willRetry: action !== 'closed', wasOpen });
    if (action === 'closed') {
      this.shutDown(Object.assign(new Error(text), { code }));
      this.setState('closed');
      return;
    }
    if (action === 'new-token') this.emit('tokenexpired', {});
    this.scheduleReconnect(action === 'new-token' ? 0 : this.backoff.next());
  }

  /**
   * @private
   * @param {number} delay
   */
  scheduleReconnect(delay) {
    this.failedAttempts += 1;
    this.setState(this.you === null && this.state === 'connecting' ? 'connecting' : 'reconnecting');
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      this.openSocket();
    }, delay);
  }

  /**
   * Stops timers and rejects what can no longer complete.
   * @private
   * @param {Error} reason
   */
  shutDown(reason) {
    this.attempt += 1; // a token request still under way must not open a socket
    this.socket = null;
    this.stopPinging();
    this.outbox.pause();
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    for (const pending of this.pendingSpawns.values()) pending.reject(reason);
    this.pendingSpawns.clear();
  }
}
