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
export class PredictedEntity {
  /** @param {PredictedEntityOptions<S, I>} options */
  constructor({ client, id, state, step, correctionMs = 150, snapDistance = 400, maxHistory = 600, onCorrection }) {
    this.client = client;
    /** The entity's id. */
    this.id = id;
    /** The predicted state: what the player sees. */
    this.state = state;
    /** The state before the last step, for drawing between steps. */
    this.previous = state;
    /** The `alpha` of the last {@link PredictedEntity#renderPosition}. */
    this.lastAlpha = 1;
    this.step = step;
    this.correctionMs = correctionMs;
    this.snapDistance = snapDistance;
    this.maxHistory = maxHistory;
    this.onCorrection = onCorrection;
    /** Steps applied so far. */
    this.tick = 0;
    /**
     * Inputs applied since the last confirmed state, oldest first.
     * @type {Array<{tick: number, input: I, dt: number}>}
     */
    this.history = [];
    /**
     * Moves sent and not answered yet, by seq, in the order sent.
     * @type {Map<number, {tick: number, state: S}>}
     */
    this.inFlight = new Map();
    const entity = client.entities.get(id);
    /**
     * The last state the server confirmed, the step it was at and the server time it was applied.
     * @type {{tick: number, state: S, s: number}}
     */
    this.confirmed = { tick: 0, state, s: entity?.s ?? client.serverNow() };
    /** Refusals in a row (an ack resets it). */
    this.refusals = 0;
    /** @type {{dx: number, dy: number, start: number} | null} the drawn correction */
    this.offset = null;
    this.unsubscribe = [
      client.on('ack', ({ id: acked, seq, s }) => {
        if (acked === this.id) this.onAck(seq, s);
      }),
      client.on('error', ({ code, seq }) => {
        if (seq !== undefined && this.inFlight.has(seq)) this.onRefused(code, seq);
      }),
      client.on('welcome', () => this.onWelcome()),
    ];
  }

  /**
   * Moves sent and not answered yet.
   * @returns {number}
   */
  get pending() {
    return this.inFlight.size;
  }

  /**
   * Applies one step of input at once.
   * @param {I} input
   * @param {number} dtSeconds the fixed step
   * @returns {S} the new state
   */
  apply(input, dtSeconds) {
    this.previous = this.state;
    this.state = this.step(this.state, input, dtSeconds);
    this.tick += 1;
    this.history.push({ tick: this.tick, input, dt: dtSeconds });
    if (this.history.length > this.maxHistory) this.history.shift();
    return this.state;
  }

  /**
   * Tells the relay the current state (a `move` with a `seq`). Call it when the motion changed
   * in a way extrapolation does not show (thrust, a turn, a bounce), and now and then.
   * @returns {number | null} the move's seq; null when the entity is not known any more
   */
  send() {
    const seq = this.client.nextMoveSeq();
    const { x, y, vx, vy } = this.state;
    if (!this.client.move(this.id, { x, y, vx, vy }, { seq })) return null;
    this.inFlight.set(seq, { tick: this.tick, state: this.state });
    return seq;
  }

  /**
   * Where to draw the entity: between the last two predicted states (`alpha`, from
   * {@link FixedTimestep#advance}, so that the entity moves as much as the frame's time, not in
   * whole steps) plus what is left of the last correction.
   * @param {number} [alpha] 0..1: how far the frame is from the state before the last step to the last
   * @returns {{x: number, y: number}}
   */
  renderPosition(alpha = 1) {
    this.lastAlpha = alpha;
    const a = this.previous;
    const b = this.state;
    const x = a.x + (b.x - a.x) * alpha;
    const y = a.y + (b.y - a.y) * alpha;
    const offset = this.offset;
    if (!offset) return { x, y };
    const progress = (this.client.clock.now() - offset.start) / this.correctionMs;
    if (!(progress < 1)) {
      this.offset = null;
      return { x, y };
    }
    const remaining = progress <= 0 ? 1 : (1 - progress) ** 2;
    return { x: x + offset.dx * remaining, y: y + offset.dy * remaining };
  }

  /** Stops listening to the client (the entity was destroyed). */
  dispose() {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  /**
   * Drops the in-flight moves up to and including seq (answers come in the order sent; a move
   * replaced in the outbox before it went out is never answered).
   * @private
   * @param {number} seq
   * @returns {{tick: number, state: S} | undefined} the move with that seq
   */
  settle(seq) {
    const found = this.inFlight.get(seq);
    for (const key of [...this.inFlight.keys()]) {
      this.inFlight.delete(key);
      if (key === seq) break;
    }
    return found;
  }

  /**
   * @private
   * @param {number} seq
   * @param {number} s
   */
  onAck(seq, s) {
    const move = this.settle(seq);
    if (!move) return;
    this.confirmed = { tick: move.tick, state: move.state, s };
    this.refusals = 0;
    while (this.history.length && this.history[0].tick <= move.tick) this.history.shift();
  }

  /**
   * @private
   * @param {string} code
   * @param {number} seq
   */
  onRefused(code, seq) {
    this.settle(seq);
    if (code === 'unknown_entity' || code === 'not_owner' || code === 'read_only') return;
    const from = this.renderPosition(this.lastAlpha);
    if (code === 'rate_limited') {
      if (this.inFlight.size === 0) this.send();
      this.onCorrection?.({ code, seq, from, to: from, how: 'resent' });
      return;
    }
    this.refusals += 1;
    const { tick, state, s } = this.confirmed;
    const complete = !this.history.length || this.history[0].tick <= tick + 1;
    /** @type {'replayed' | 'server-state'} */
    let how;
    if (this.refusals === 1 && complete) {
      let next = state;
      for (const h of this.history) if (h.tick > tick) next = this.step(next, h.input, h.dt);
      this.state = next;
      how = 'replayed';
    } else {
      const dt = (this.client.serverNow() - s) / 1000;
      this.state = { ...this.state, x: state.x + state.vx * dt, y: state.y + state.vy * dt, vx: state.vx, vy: state.vy };
      this.confirmed = { tick: this.tick, state: this.state, s: this.client.serverNow() };
      this.history = [];
      how = 'server-state';
    }
    this.previous = this.state; // drawn from the corrected state on; the offset hides the change
    const to = { x: this.state.x, y: this.state.y };
    const dx = from.x - to.x;
    const dy = from.y - to.y;
    this.offset = Math.hypot(dx, dy) <= this.snapDistance ? { dx, dy, start: this.client.clock.now() } : null;
    if (how === 'replayed' && this.inFlight.size === 0) this.send();
    this.onCorrection?.({ code, seq, from, to, how });
  }

  /** @private After a reconnect, answers to moves sent before are lost: tell the state again. */
  onWelcome() {
    this.inFlight.clear();
    this.refusals = 0;
    const entity = this.client.entities.get(this.id);
    if (entity && entity.owner === this.client.you) this.send();
  }
}
