/**
 * Paces the client's actions to the relay's rate limit, so a well-behaved game never gets
 * `rate_limited`, and keeps them while the connection is down.
 *
 * - `spawn` and `destroy` are sent in the order they were issued.
 * - `view` is a full state too: a newer view replaces a pending one in place.
 * - `move` is a full state, so only the latest one per entity matters: a newer move replaces a
 *   pending one in place (the game may call move as often as it likes), and a destroy drops the
 *   pending moves of its entity.
 * - Everything that is sendable now goes as one batch (the relay accepts several messages per
 *   frame), the rest waits for tokens.
 * @module action-outbox
 */

/** @typedef {import('./messages.js').ActionMessage} ActionMessage */
/** @typedef {import('./messages.js').ClientMessage} ClientMessage */

/**
 * Timer functions (the browser's or Node's globals, or a fake clock in tests).
 * @typedef {object} Timers
 * @property {(fn: () => void, ms?: number) => any} setTimeout
 * @property {(handle: any) => void} clearTimeout
 */

export class ActionOutbox {
  /**
   * @param {object} options
   * @param {import('./token-bucket.js').TokenBucket} options.bucket meters every message sent
   * @param {Timers} options.timers
   * @param {(messages: ClientMessage[]) => void} options.transmit sends one batch (the client
   *   splits it into frames)
   */
  constructor({ bucket, timers, transmit }) {
    this.bucket = bucket;
    this.timers = timers;
    this.transmit = transmit;
    /** @type {ActionMessage[]} pending actions, oldest first */
    this.queue = [];
    this.open = false;
    /** @type {any} */
    this.timer = null;
  }

  /**
   * Number of actions waiting.
   * @returns {number}
   */
  get pending() {
    return this.queue.length;
  }

  /**
   * Queues an action and sends what the rate allows.
   * @param {ActionMessage} action spawn, move, destroy or view in the JSON form
   */
  enqueue(action) {
    if (action.t === 'move' || action.t === 'view') {
      const id = action.t === 'move' ? action.id : undefined;
      const index = this.queue.findIndex((a) => a.t === action.t && (a.t !== 'move' || a.id === id)); // one view
      if (index >= 0) {
        this.queue[index] = action;
        return; // the pending slot keeps its place, so a busy entity cannot starve the others
      }
    } else if (action.t === 'destroy') {
      this.forget(action.id);
    }
    this.queue.push(action);
    this.flush();
  }

  /**
   * Sends a message only if a token is free right now and nothing is waiting, for messages that
   * are worthless when late (a ping measures the round trip from the moment it is sent).
   * @param {ClientMessage} message
   * @returns {boolean} whether it was sent
   */
  sendIfIdle(message) {
    if (!this.open || this.queue.length || !this.bucket.take()) return false;
    this.transmit([message]);
    return true;
  }

  /**
   * Drops the pending moves of an entity (it is gone).
   * @param {number} id
   */
  forget(id) {
    this.queue = this.queue.filter((a) => !(a.t === 'move' && a.id === id));
  }

  /**
   * Keeps only the actions that still make sense after a fresh (not resumed) session: spawns,
   * views, and moves/destroys of entities that the new session owns.
   * @param {(id: number) => boolean} owns
   */
  retainOwned(owns) {
    this.queue = this.queue.filter((a) => a.t === 'spawn' || a.t === 'view' || owns(a.id));
  }

  /** The connection is up: send what waits. */
  resume() {
    this.open = true;
    this.flush();
  }

  /** The connection is down: keep everything for later. */
  pause() {
    this.open = false;
    this.cancelTimer();
  }

  /** @private */
  cancelTimer() {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** Sends as many pending actions as there are tokens, and plans the next send. */
  flush() {
    if (!this.open || !this.queue.length) return;
    const count = Math.min(this.queue.length, this.bucket.available());
    if (count > 0) {
      this.bucket.take(count);
      this.transmit(this.queue.splice(0, count));
    }
    if (this.queue.length && this.timer === null) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = null;
        this.flush();
      }, Math.max(1, this.bucket.msUntil(1)));
    }
  }
}
