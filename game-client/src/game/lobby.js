/**
 * The lobby: pick a pilot name, see the live universes, join one or create a new one.
 * @module lobby
 */
import { isValidPlayerName, isValidUniverseName, listUniverses, RelayApiError } from '../../sdk/src/index.js';

const NAME_KEY = 'universe-relay.name';
const AUTO_REFRESH_MS = 5000;

/**
 * A sentence for a failed login or list request, for players.
 * @param {unknown} error
 */
export function describeApiError(error) {
  if (error instanceof RelayApiError) {
    if (error.status === 400) return `The server did not accept that name: ${error.message}`;
    if (error.status === 404) return 'Guest login is switched off on this server.';
    if (error.status === 429 || error.status === 503) return 'The server is busy. Try again in a moment.';
    return `The server answered with an error (${error.message}).`;
  }
  return 'Cannot reach the server. Check your connection and try again.';
}

export class Lobby {
  /**
   * @param {Document} doc
   * @param {object} options
   * @param {(name: string, universe: string) => Promise<void>} options.onJoin rejects with an
   *   error to show
   * @param {Storage} [options.storage] remembers the pilot name
   */
  constructor(doc, { onJoin, storage = globalThis.localStorage }) {
    this.doc = doc;
    this.onJoin = onJoin;
    this.storage = storage;
    this.el = (id) => doc.getElementById(id);
    this.busy = false;
    this.refreshing = false;
    this.autoRefresh = null;
    this.listFailed = false;
    const nameInput = this.el('player-name');
    nameInput.value = storage?.getItem(NAME_KEY) ?? `pilot-${Math.floor(100 + Math.random() * 900)}`;
    nameInput.addEventListener('input', () => this.validateName());
    this.el('refresh-universes').addEventListener('click', () => this.refresh());
    this.el('universe-list').addEventListener('click', (event) => {
      const button = event.target.closest('button[data-universe]');
      if (button) this.join(button.dataset.universe);
    });
    this.el('create-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.join(this.el('new-universe').value.trim());
    });
    const fromLink = decodeURIComponent(doc.location?.hash?.slice(1) ?? '');
    if (isValidUniverseName(fromLink)) this.el('new-universe').value = fromLink;
  }

  /** Shows the lobby, optionally with a message; the universe list refreshes itself while shown. */
  show(message = '') {
    this.el('lobby').hidden = false;
    this.message(message);
    this.refresh();
    clearInterval(this.autoRefresh);
    this.autoRefresh = setInterval(() => this.refresh(), AUTO_REFRESH_MS);
  }

  hide() {
    this.el('lobby').hidden = true;
    clearInterval(this.autoRefresh);
    this.autoRefresh = null;
  }

  /** @private */
  message(text, kind = 'error') {
    const box = this.el('lobby-message');
    box.textContent = text;
    box.dataset.kind = kind;
    box.hidden = !text;
  }

  /** @private */
  validateName() {
    const name = this.el('player-name').value.trim();
    const ok = isValidPlayerName(name);
    this.el('name-hint').hidden = ok;
    this.el('player-name').setAttribute('aria-invalid', String(!ok));
    return ok ? name : null;
  }

  /** Loads the universe list. */
  async refresh() {
    if (this.refreshing) return;
    this.refreshing = true;
    const list = this.el('universe-list');
    list.setAttribute('aria-busy', 'true');
    try {
      const universes = await listUniverses();
      universes.sort((a, b) => b.players - a.players || a.name.localeCompare(b.name));
      list.replaceChildren(...universes.map((u) => this.universeRow(u)));
      this.el('universe-empty').hidden = universes.length > 0;
      if (this.listFailed) this.message(''); // the server is back
      this.listFailed = false;
    } catch (error) {
      this.message(describeApiError(error));
      this.listFailed = true;
    } finally {
      list.setAttribute('aria-busy', 'false');
      this.refreshing = false;
    }
  }

  /** @private */
  universeRow({ name, players, entities }) {
    const row = this.doc.createElement('li');
    row.dataset.universe = name;
    const title = this.doc.createElement('span');
    title.className = 'universe-name';
    title.textContent = name;
    const stats = this.doc.createElement('span');
    stats.className = 'universe-stats';
    stats.textContent = `${players} ${players === 1 ? 'pilot' : 'pilots'} · ${entities} objects`;
    const button = this.doc.createElement('button');
    button.type = 'button';
    button.dataset.universe = name;
    button.textContent = 'Join';
    row.append(title, stats, button);
    return row;
  }

  /** @private */
  async join(universe) {
    if (this.busy) return;
    const name = this.validateName();
    if (!name) {
      this.message('Pick a pilot name first: 1 to 32 letters, digits, _ or -.');
      this.el('player-name').focus();
      return;
    }
    if (!isValidUniverseName(universe)) {
      this.message('Universe names are 1 to 64 letters, digits, _ or - (no spaces).');
      this.el('new-universe').focus();
      return;
    }
    this.busy = true;
    this.message('Signing in…', 'info');
    try {
      await this.onJoin(name, universe);
      this.storage?.setItem(NAME_KEY, name);
      this.message('');
    } catch (error) {
      this.message(describeApiError(error));
    } finally {
      this.busy = false;
    }
  }
}
