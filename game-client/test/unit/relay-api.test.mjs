import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeApiError } from '../../src/game/lobby.js';
import { GuestTokenSource, RelayApiError, guestLogin, isValidPlayerName, isValidUniverseName, listUniverses } from '../../sdk/src/relay-api.js';
import { closeAction, describeClose, describeError } from '../../sdk/src/close-policy.js';

function fakeFetch(answers) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    calls.push({ url: String(url), init });
    const [status, body] = answers.shift();
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  };
  return { fetch, calls };
}

test('guest login posts the name to a URL relative to the page', async () => {
  const { fetch, calls } = fakeFetch([[200, { access_token: 'jwt', token_type: 'Bearer', expires_in: 3600 }]]);
  const answer = await guestLogin('ada', { baseUrl: 'http://relay.test/index.html', fetch });
  assert.equal(answer.access_token, 'jwt');
  assert.equal(calls[0].url, 'http://relay.test/api/login');
  assert.equal(calls[0].init.method, 'POST');
  assert.deepEqual(JSON.parse(calls[0].init.body), { name: 'ada' });
});

test('an error answer carries the server\'s message', async () => {
  const { fetch } = fakeFetch([[400, { message: 'bad name' }], [500, 'oops']]);
  await assert.rejects(guestLogin('x y', { baseUrl: 'http://relay.test/', fetch }),
    (e) => e instanceof RelayApiError && e.status === 400 && e.message === 'bad name');
  await assert.rejects(listUniverses({ baseUrl: 'http://relay.test/', fetch }), (e) => e.status === 500);
});

test('the token source logs in once, renews before expiry and after invalidate', async () => {
  let now = 0;
  const { fetch, calls } = fakeFetch([
    [200, { access_token: 't1', expires_in: 120 }],
    [200, { access_token: 't2', expires_in: 120 }],
    [200, { access_token: 't3', expires_in: 120 }],
  ]);
  const tokens = new GuestTokenSource('ada', { baseUrl: 'http://relay.test/', fetch, now: () => now, renewBeforeMs: 60_000 });
  assert.equal(await tokens.getToken(), 't1');
  now = 59_000;
  assert.equal(await tokens.getToken(), 't1');
  now = 61_000;
  assert.equal(await tokens.getToken(), 't2');
  tokens.invalidate();
  assert.equal(await tokens.getToken(), 't3');
  assert.equal(calls.length, 3);
});

test('names are checked like the server does', () => {
  assert.ok(isValidPlayerName('ada_-9'));
  assert.ok(!isValidPlayerName(''));
  assert.ok(!isValidPlayerName('a b'));
  assert.ok(!isValidPlayerName('x'.repeat(33)));
  assert.ok(isValidUniverseName('x'.repeat(64)));
  assert.ok(!isValidUniverseName('x'.repeat(65)));
  assert.ok(!isValidUniverseName('é'));
});

test('every close code and error code has a sentence for players', () => {
  for (const code of [1000, 1001, 1006, 1007, 1008, 1009, 1011, 1013, 4001, 4003, 4004, 4009]) {
    assert.doesNotMatch(describeClose(code), /code \d+/, `close ${code}`);
  }
  assert.match(describeClose(4321, 'odd'), /4321: odd/);
  for (const code of ['bad_message', 'out_of_bounds', 'too_fast', 'not_owner', 'unknown_entity',
    'too_many_entities', 'rate_limited', 'read_only']) {
    assert.doesNotMatch(describeError(code), /reported an error/, code);
  }
  assert.match(describeError('new_code', 'details'), /new_code \(details\)/);
  assert.equal(closeAction(1000, true), 'closed');
  assert.equal(closeAction(4001, false), 'new-token');
});

test('lobby messages for failed requests', () => {
  assert.match(describeApiError(new RelayApiError(400, 'name too long')), /did not accept.*name too long/);
  assert.match(describeApiError(new RelayApiError(404, 'x')), /switched off/);
  assert.match(describeApiError(new TypeError('fetch failed')), /Cannot reach/);
});
