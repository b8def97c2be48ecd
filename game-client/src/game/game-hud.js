/**
 * The heads-up display over the canvas: universe, connection state, round trip, deaths, the
 * player list, short notices and the reason a game ended. Plain DOM, updated only on change.
 * @module game-hud
 */
import { playerColor } from './player-colors.js';

const STATE_LABELS = {
  idle: 'Starting',
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

export class GameHud {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    this.root = doc.getElementById('hud');
    this.el = (id) => doc.getElementById(id);
    this.shown = {};
  }

  /** Shows or hides the whole HUD. */
  setVisible(visible) {
    this.root.hidden = !visible;
    if (visible) {
      this.el('hud-banner').hidden = true;
      this.el('hud-ended').hidden = true;
      this.el('hud-toasts').replaceChildren();
      this.shown = {};
    }
  }

  /** @private Sets an element's text only when it changed (no needless layout). */
  text(id, value) {
    if (this.shown[id] === value) return;
    this.shown[id] = value;
    this.el(id).textContent = value;
  }

  setUniverse(name) {
    this.text('hud-universe', name);
  }

  /** @param {string} state a RelayClient state */
  setConnection(state) {
    this.text('hud-state', STATE_LABELS[state] ?? state);
    this.el('hud-state').dataset.state = state;
  }

  /** @param {number} rtt ms, NaN when unknown */
  setRtt(rtt) {
    this.text('hud-rtt', Number.isFinite(rtt) ? `${Math.round(rtt)} ms` : '– ms');
  }

  setDeaths(deaths) {
    this.text('hud-deaths', String(deaths));
  }

  /**
   * @param {Iterable<{p:number, name:string}>} players
   * @param {number|null} you
   */
  setPlayers(players, you) {
    const list = [...players].sort((a, b) => a.p - b.p);
    const signature = `${you}|${list.map((p) => `${p.p}:${p.name}`).join(',')}`;
    if (this.shown.players === signature) return;
    this.shown.players = signature;
    this.el('hud-player-count').textContent = String(list.length);
    this.el('hud-players').replaceChildren(...list.map((player) => {
      const item = this.doc.createElement('li');
      item.dataset.player = String(player.p);
      const swatch = this.doc.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = playerColor(player.p);
      swatch.style.boxShadow = `0 0 8px ${playerColor(player.p)}`;
      const name = this.doc.createElement('span');
      name.textContent = player.p === you ? `${player.name} (you)` : player.name;
      item.append(swatch, name);
      return item;
    }));
  }

  /**
   * A short notice that fades away.
   * @param {string} message
   * @param {'info'|'warn'|'error'} [kind]
   */
  toast(message, kind = 'info') {
    const box = this.el('hud-toasts');
    const item = this.doc.createElement('div');
    item.className = `toast ${kind}`;
    item.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    item.textContent = message;
    box.append(item);
    while (box.children.length > 4) box.firstElementChild.remove();
    setTimeout(() => item.remove(), kind === 'error' ? 7000 : 4000);
  }

  /** A lasting notice at the top (e.g. while reconnecting); null hides it. */
  banner(message) {
    this.el('hud-banner').hidden = !message;
    if (message) this.text('hud-banner-text', message);
  }

  /** The game is over for good: why, and the way back. */
  ended(message) {
    this.el('hud-ended').hidden = false;
    this.el('hud-ended-text').textContent = message;
  }
}
