// A Node.js 20 program playing against a real relay with the packed SDK and the `ws` package
// (Node 20 has no global WebSocket). Exits 0 when every step worked, 1 with the reason otherwise.
import assert from 'node:assert/strict';
import {
  CloseCode, GuestTokenSource, PredictedEntity, RelayClient, guestLogin,
} from '@universe-relay/client';
import WebSocket from 'ws';

const baseUrl = process.env.RELAY_URL;
if (!baseUrl) throw new Error('RELAY_URL is needed');
const universe = `pkg-${process.pid}`;
const deadline = setTimeout(() => { console.error('FAILED: timed out'); process.exit(1); }, 60_000);

/** Resolves with the first event of a type whose detail passes the check. */
function next(client, type, check = () => true) {
  return new Promise((resolve) => {
    const off = client.on(type, (detail) => {
      if (check(detail)) { off(); resolve(detail); }
    });
  });
}

function connect(options) {
  const client = new RelayClient({ universe, baseUrl, WebSocket, ...options });
  const welcome = next(client, 'welcome');
  client.connect();
  return { client, welcome };
}

try {
  // Node 20 has no global WebSocket: without an implementation passed in, the SDK says what to do
  if (typeof globalThis.WebSocket !== 'function') {
    assert.throws(() => new RelayClient({ universe, baseUrl, token: 't' }), /ws package/);
  }

  const ada = new GuestTokenSource('ada', { baseUrl });
  const a = connect({ getToken: ada.getToken });
  const bobToken = (await guestLogin('bob', { baseUrl })).access_token;
  const b = connect({ token: bobToken, format: 'json' });
  await Promise.all([a.welcome, b.welcome]);
  console.log(`connected: ada is player ${a.client.you} (binary), bob is player ${b.client.you} (json)`);

  // ada spawns; bob sees it appear
  const seen = next(b.client, 'appeared', ({ entity }) => entity.owner === a.client.you);
  const rock = await a.client.spawn({ kind: 7, x: 10, y: 20, vx: 0, vy: 0 });
  assert.equal((await seen).entity.id, rock.id);

  // prediction: ada's moves carry a seq, the relay acknowledges them, bob sees the velocity
  const own = new PredictedEntity({
    client: a.client, id: rock.id, state: { x: 10, y: 20, vx: 0, vy: 0 },
    step: (s, thrust, dt) => ({ x: s.x + (s.vx + thrust * dt) * dt, y: s.y, vx: s.vx + thrust * dt, vy: 0 }),
  });
  for (let i = 0; i < 6; i += 1) own.apply(100, 1 / 60);
  const velocity = next(b.client, 'velocity', ({ entity }) => entity.id === rock.id);
  const acked = next(a.client, 'ack', ({ id }) => id === rock.id);
  const seq = own.send();
  const ack = await acked;
  assert.equal(ack.seq, seq);
  assert.equal(own.pending, 0);
  assert.equal(own.confirmed.state, own.state, 'the acknowledged state is the confirmed one');
  assert.ok(Math.abs((await velocity).entity.vx - own.state.vx) < 1e-3);
  console.log(`move ${seq} acknowledged at server time ${ack.s}; bob saw vx=${own.state.vx.toFixed(2)}`);

  // a typed error with a clear message: the relay under test allows 2 entities per player
  await a.client.spawn({ kind: 7, x: 0, y: 0 });
  const error = next(a.client, 'error');
  await assert.rejects(a.client.spawn({ kind: 7, x: 0, y: 0 }), (e) => e.code === 'too_many_entities');
  const detail = await error;
  assert.equal(detail.code, 'too_many_entities');
  assert.match(detail.text, /too many things/);
  assert.equal(typeof detail.ref, 'number');
  console.log(`error event: ${detail.code}: ${detail.text}`);

  // a typed close: bob joins again from "another tab"; the old connection is replaced (4009, final)
  const closed = next(b.client, 'close');
  const again = connect({ token: bobToken });
  await again.welcome;
  const close = await closed;
  assert.equal(close.code, CloseCode.REPLACED);
  assert.equal(close.willRetry, false);
  assert.match(close.text, /another tab or device/);
  assert.equal(b.client.state, 'closed');
  console.log(`close event: ${close.code}: ${close.text}`);

  // a dropped connection resumes by itself with the same player number
  const player = a.client.you;
  const resumed = next(a.client, 'welcome');
  a.client.socket.terminate(); // ws: drop the TCP connection without a close frame
  const { resumed: wasResumed } = await resumed;
  assert.equal(wasResumed, true);
  assert.equal(a.client.you, player);
  assert.ok(a.client.entities.has(rock.id), 'own entities kept');
  console.log(`resumed as player ${a.client.you}`);

  a.client.close();
  again.client.close();
  own.dispose();
  clearTimeout(deadline);
  console.log('OK: the packed SDK plays against the relay from Node.js', process.versions.node);
} catch (error) {
  console.error('FAILED:', error);
  process.exit(1);
}
