import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConsoleApi, ConsoleApiError } from '../../console/console-api.js';
import { compact } from '../../console/line-chart.js';

function fakeFetch(status, body) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return { ok: status >= 200 && status < 300, status, text: async () => (body === undefined ? '' : JSON.stringify(body)) };
  };
  return { fetch, calls };
}

test('the admin token goes in the Authorization header, never in the URL', async () => {
  const { fetch, calls } = fakeFetch(200, { node: 'local' });
  const api = new ConsoleApi('secret.token.value', { fetch });
  assert.deepEqual(await api.overview(), { node: 'local' });
  assert.equal(calls[0].url, '/api/console/overview');
  assert.equal(calls[0].init.headers.authorization, 'Bearer secret.token.value');
  assert.ok(!calls[0].url.includes('secret'));
});

test('names are encoded into paths, and actions use the admin API', async () => {
  const { fetch, calls } = fakeFetch(204);
  const api = new ConsoleApi('t', { fetch });
  await api.kick('a b/c', 7);
  await api.closeUniverse('x');
  await api.drain('node-1');
  await api.startRecording('r 1');
  await api.stopRecording('r 1');
  assert.deepEqual(calls.map((c) => `${c.init.method} ${c.url}`), [
    'DELETE /api/universes/a%20b%2Fc/players/7',
    'DELETE /api/universes/x',
    'POST /api/console/nodes/node-1/drain',
    'POST /api/admin/recordings/r%201',
    'DELETE /api/admin/recordings/r%201',
  ]);
});

test('401 and 403 become errors that say why, other failures carry the server message', async () => {
  for (const [status, words] of [[401, 'not valid'], [403, 'admin role']]) {
    const api = new ConsoleApi('t', { fetch: fakeFetch(status, { status, message: 'ignored' }).fetch });
    await assert.rejects(api.overview(), (e) => e instanceof ConsoleApiError && e.status === status && e.message.includes(words));
  }
  const api = new ConsoleApi('t', { fetch: fakeFetch(404, { message: 'no universe x on node local' }).fetch });
  await assert.rejects(api.universe('x'), (e) => e.status === 404 && e.message === 'no universe x on node local');
});

test('chart axes use short numbers', () => {
  assert.equal(compact(0), '0');
  assert.equal(compact(2.25), '2.3');
  assert.equal(compact(950), '950');
  assert.equal(compact(12_500), '12.5k');
  assert.equal(compact(3_200_000), '3.2M');
});
