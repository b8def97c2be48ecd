import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorDetail, readJsonBody } from '../../sdk/src/http-json.js';
import { ConsoleApi, ConsoleApiError } from '../../console/console-api.js';
import { RelayApiError, listUniverses } from '../../sdk/src/relay-api.js';

const PROXY_PAGE = '<html><body><h1>502 Bad Gateway</h1></body></html>';

test('a body that is empty or not JSON reads as null, a JSON body as itself', async () => {
  assert.equal(await readJsonBody(new Response(null, { status: 204 })), null);
  assert.equal(await readJsonBody(new Response(PROXY_PAGE, { status: 502 })), null);
  assert.equal(await readJsonBody(new Response('{"cut', { status: 200 })), null);
  assert.deepEqual(await readJsonBody(new Response('[{"name":"alpha"}]')), [{ name: 'alpha' }]);
});

test('the relay\'s explanation is found where each kind of error puts it', () => {
  assert.equal(errorDetail({ message: 'no universe x' }), 'no universe x');
  assert.equal(errorDetail({ error: 'name taken' }), 'name taken');
  assert.equal(errorDetail({ _embedded: { errors: [{ message: 'name: must match' }] } }), 'name: must match');
  assert.equal(errorDetail(null), undefined);
  assert.equal(errorDetail({ status: 500 }), undefined);
});

test('a proxy\'s error page gives the HTTP status, in the SDK and in the console', async () => {
  const fetch = async () => new Response(PROXY_PAGE, { status: 502 });
  await assert.rejects(listUniverses({ baseUrl: 'http://relay.test/', fetch }),
    (e) => e instanceof RelayApiError && e.status === 502 && e.message === 'HTTP 502');
  await assert.rejects(new ConsoleApi('t', { fetch }).overview(),
    (e) => e instanceof ConsoleApiError && e.status === 502 && e.message === 'HTTP 502');
});
