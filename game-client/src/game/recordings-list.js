/**
 * The lobby's "Watch" entry: lists the recordings the server keeps (GET /api/recordings, with a
 * guest token of the pilot name) and links each to the replay page, watch.html#<id>.
 * Hidden when the server has recordings switched off (404) or none to show.
 * @module recordings-list
 */
import { GuestTokenSource, isValidPlayerName } from '../../sdk/src/index.js';

/** "1:05" for 65000 ms. */
export function formatDuration(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export class RecordingsList {
  /**
   * @param {Document} doc
   * @param {object} [options]
   * @param {typeof fetch} [options.fetch]
   */
  constructor(doc, { fetch = globalThis.fetch.bind(globalThis) } = {}) {
    this.doc = doc;
    this.fetch = fetch;
    this.tokens = null;
    this.loading = false;
    doc.getElementById('refresh-recordings')?.addEventListener('click', () => this.refresh());
  }

  /** Loads the list with a token of the pilot name in the lobby. */
  async refresh() {
    if (this.loading) return;
    const section = this.doc.getElementById('recordings');
    const name = this.doc.getElementById('player-name')?.value.trim() || 'watcher';
    if (!isValidPlayerName(name)) return;
    this.loading = true;
    try {
      if (!this.tokens || this.tokens.name !== name) this.tokens = new GuestTokenSource(name);
      const token = await this.tokens.getToken();
      const response = await this.fetch(new URL('api/recordings', globalThis.location.href), {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!response.ok) {
        section.hidden = true;
        return;
      }
      const recordings = await response.json();
      const list = this.doc.getElementById('recording-list');
      list.replaceChildren(...recordings.slice(0, 20).map((r) => this.row(r)));
      section.hidden = recordings.length === 0;
    } catch {
      section.hidden = true;
    } finally {
      this.loading = false;
    }
  }

  /** @private */
  row({ id, universe, start, duration, players, complete }) {
    const row = this.doc.createElement('li');
    row.dataset.recording = id;
    const title = this.doc.createElement('span');
    title.className = 'universe-name';
    title.textContent = universe;
    const stats = this.doc.createElement('span');
    stats.className = 'universe-stats';
    const when = new Date(start).toLocaleString();
    stats.textContent = `${when} · ${formatDuration(duration)} · ${players.length} ${players.length === 1 ? 'pilot' : 'pilots'}${complete ? '' : ' · cut short'}`;
    const link = this.doc.createElement('a');
    link.className = 'button';
    link.href = `watch.html#${encodeURIComponent(id)}`;
    link.dataset.recording = id;
    link.textContent = 'Watch';
    row.append(title, stats, link);
    return row;
  }
}
