/**
 * The console's calls to the relay's admin API, with the admin token in `Authorization` (never in
 * a URL). Every call that answers 401 or 403 throws a {@link ConsoleApiError} with that status, so
 * the page can go back to its sign-in form.
 * @module console-api
 */
import { errorDetail, readJsonBody } from '../sdk/src/http-json.js';

export class ConsoleApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ConsoleApiError';
    this.status = status;
  }
}

export class ConsoleApi {
  /** @param {string} token an admin JWT */
  constructor(token, { fetch = globalThis.fetch.bind(globalThis) } = {}) {
    this.token = token;
    this.fetch = fetch;
  }

  async call(method, path) {
    const response = await this.fetch(path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
      cache: 'no-store',
    });
    const body = await readJsonBody(response);
    if (!response.ok) {
      const detail = errorDetail(body);
      const fallback = response.status === 401 ? 'this token is not valid (expired, or signed with another key)'
        : response.status === 403 ? 'this token does not have the admin role' : `HTTP ${response.status}`;
      throw new ConsoleApiError(response.status, response.status === 401 || response.status === 403 ? fallback : detail ?? fallback);
    }
    return body;
  }

  overview() { return this.call('GET', '/api/console/overview'); }
  history(since = 0) { return this.call('GET', `/api/console/history?since=${since}`); }
  universes(sort = 'players') { return this.call('GET', `/api/console/universes?sort=${encodeURIComponent(sort)}`); }
  universe(name) { return this.call('GET', `/api/console/universes/${encodeURIComponent(name)}`); }
  watchToken(name) { return this.call('POST', `/api/console/universes/${encodeURIComponent(name)}/watch`); }
  kick(name, player) { return this.call('DELETE', `/api/universes/${encodeURIComponent(name)}/players/${player}`); }
  closeUniverse(name) { return this.call('DELETE', `/api/universes/${encodeURIComponent(name)}`); }
  startRecording(name) { return this.call('POST', `/api/admin/recordings/${encodeURIComponent(name)}`); }
  stopRecording(name) { return this.call('DELETE', `/api/admin/recordings/${encodeURIComponent(name)}`); }
  drain(node) { return this.call('POST', `/api/console/nodes/${encodeURIComponent(node)}/drain`); }
}
