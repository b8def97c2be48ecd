import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RelayClient } from '../../sdk/src/relay-client.js';
import { FakeClock } from '../helpers/fake-clock.mjs';
import { makeFakeWebSocketClass } from '../helpers/fake-websocket.mjs';

const SERVER_OFFSET = 1_763_830_000_000;

function setup(options = {}) {
  const clock = new FakeClock(10_000);
  const { FakeWebSocket, sockets } = makeFakeWebSocketClass();
  const events = [];
  const client = new RelayClient({
    universe: 'alpha',
    token: 'tok-1',
    baseUrl: 'http://relay.test/game/index.html',
    WebSocket: FakeWebSocket,
    timers: clock,
    now: clock.now,
    backoff: { random: () => 0 },
    ...options,
  });
  for (const type of ['statechange', 'welcome', 'appeared', 'velocity', 'destroyed', 'hidden', 'joined', 'left', 'error', 'close', 'tokenexpired']) {
    client.on(type, (detail) => events.push({ type, ...detail }));
  }
  const last = () => sockets[sockets.length - 1];
  const welcome = (socket, overrides = {}, protocol = undefined) => {
    socket.accept(protocol);
    socket.serverSendJson({
      t: 'welcome', v: 1, universe: 'alpha', you: 7, name: 'ada', s: clock.time + SERVER_OFFSET,
      resume: 'resume-1', players: [{ p: 3, name: 'bob' }],
      entities: [
        { id: 12, o: 3, k: 1, x: 10, y: 0, vx: 100, vy: 0, s: clock.time + SERVER_OFFSET - 100 },
        { id: 20, o: 7, k: 1, x: 0, y: 0, vx: 0, vy: 0, s: clock.time + SERVER_OFFSET - 100 },
      ],
      limits: { rate: 30, burst: 60, maxEntities: 64, maxSpeed: 2000, bounds: 100000 },
      ...overrides,
    });
  };
  const sentActions = (socket) => socket.sentMessages().filter((m) => m.t !== 'ping');
  return { clock, client, sockets, events, last, welcome, sentActions };
}

const types = (events, type) => events.filter((e) => e.type === type);
const states = (events) => types(events, 'statechange').map((e) => e.state);

test('connects with the token in the query and the binary subprotocol preferred', () => {
  const { client, last, events } = setup();
  client.connect();
  const socket = last();
  assert.equal(socket.url.href, 'ws://relay.test/game/ws/universes/alpha?access_token=tok-1');
  assert.deepEqual(socket.protocols, ['relay.v1.bin', 'relay.v1.json']);
  assert.deepEqual(states(events), ['connecting']);
});

test('https pages connect with wss', () => {
  const { client, last } = setup({ baseUrl: 'https://relay.test/' });
  client.connect();
  assert.equal(last().url.protocol, 'wss:');
});

test('the welcome sets player, players, entities, limits and the server clock', () => {
  const { client, last, events, welcome, clock } = setup();
  client.connect();
  welcome(last());
  assert.equal(client.state, 'open');
  assert.equal(client.you, 7);
  assert.deepEqual([...client.players.keys()].sort(), [3, 7]);
  assert.equal(client.entities.size, 2);
  assert.equal(client.serverNow(), clock.time + SERVER_OFFSET);
  assert.deepEqual(client.entities.get(12).positionAt(client.serverNow()), { x: 20, y: 0 });
  assert.equal(types(events, 'welcome')[0].resumed, false);
  assert.deepEqual(states(events), ['connecting', 'open']);
});

test('binary events are decoded, unwrapped to full server time and applied, several per frame', () => {
  const { client, last, events, welcome, clock } = setup();
  client.connect();
  welcome(last());
  const s = clock.time + SERVER_OFFSET;
  last().serverSendBinary([
    { t: 'appeared', id: 30, o: 3, k: 2, x: 1, y: 2, vx: 3, vy: 4, s, ref: 0 },
    { t: 'velocity', id: 12, x: 50, y: 50, vx: 0, vy: 0, s },
    { t: 'destroyed', id: 30, s },
  ]);
  assert.deepEqual(types(events, 'appeared').map((e) => [e.entity.id, e.mine]), [[30, false]]);
  assert.equal(types(events, 'velocity')[0].entity.s, s, 'full server time, not s32');
  assert.equal(types(events, 'velocity')[0].previousSpeed, 100);
  assert.deepEqual(types(events, 'destroyed').map((e) => e.id), [30]);
  assert.equal(client.entities.has(30), false);
  clock.advance(1000);
  assert.deepEqual(client.entities.get(12).positionAt(client.serverNow()), { x: 50, y: 50 });
});

test('joined and left keep the player list', () => {
  const { client, last, events, welcome } = setup();
  client.connect();
  welcome(last());
  last().serverSendJson({ t: 'joined', p: 9, name: 'cy' });
  assert.equal(client.players.get(9).name, 'cy');
  last().serverSendJson({ t: 'left', p: 3 });
  assert.equal(client.players.has(3), false);
  assert.deepEqual(types(events, 'left').map((e) => e.player.name), ['bob']);
});

test('spawn resolves with the entity once the server echoes its ref; an error with the ref rejects', async () => {
  const { client, last, welcome, clock, sentActions } = setup();
  client.connect();
  welcome(last());
  const ship = client.spawn({ kind: 1, x: 5, y: 6, vx: 0, vy: 10 });
  const bullet = client.spawn({ kind: 2, x: 5, y: 6, vx: 0, vy: 10 });
  const [spawnShip, spawnBullet] = sentActions(last());
  assert.equal(spawnShip.t, 'spawn');
  assert.equal(typeof last().sent[last().sent.length - 1], 'object', 'actions are binary');
  last().serverSendBinary([{ t: 'appeared', id: 40, o: 7, k: 1, x: 5, y: 6, vx: 0, vy: 10, s: clock.time + SERVER_OFFSET, ref: spawnShip.ref }]);
  assert.equal((await ship).id, 40);
  last().serverSendJson({ t: 'error', code: 'too_many_entities', msg: 'limit', ref: spawnBullet.ref });
  await assert.rejects(bullet, (error) => error.code === 'too_many_entities');
});

test('move updates the own entity at once and goes to the server; others\' entities are refused', () => {
  const { client, last, welcome, sentActions } = setup();
  client.connect();
  welcome(last());
  assert.equal(client.move(20, { x: 1, y: 2, vx: 3, vy: 4 }), true);
  assert.deepEqual(sentActions(last()), [{ t: 'move', id: 20, x: 1, y: 2, vx: 3, vy: 4 }]);
  assert.equal(client.entities.get(20).x, 1);
  assert.throws(() => client.move(12, { x: 1, y: 2, vx: 3, vy: 4 }), RangeError);
  assert.throws(() => client.move(20, { x: 1, y: 2, vx: 3000, vy: 0 }), /maxSpeed/);
  assert.throws(() => client.move(20, { x: 200000, y: 2, vx: 0, vy: 0 }), /outside/);
  assert.equal(client.move(999, { x: 1, y: 2, vx: 3, vy: 4 }), false);
  assert.equal(client.destroy(20), true);
  assert.equal(client.entities.has(20), false);
  assert.deepEqual(sentActions(last()).at(-1), { t: 'destroy', id: 20 });
});

test('a dropped connection resumes with the token from the welcome, and queued actions follow', () => {
  const { client, last, sockets, events, welcome, clock, sentActions } = setup();
  client.connect();
  welcome(last());
  last().serverClose(1006);
  assert.equal(client.state, 'reconnecting');
  assert.equal(types(events, 'close')[0].willRetry, true);
  assert.equal(types(events, 'close')[0].wasOpen, true);
  // while offline: the game keeps moving its ship and fires
  for (let x = 1; x <= 20; x += 1) client.move(20, { x, y: 0, vx: 10, vy: 0 });
  client.spawn({ kind: 2, x: 0, y: 0, vx: 500, vy: 0 }).catch(() => {});
  assert.equal(sockets.length, 1, 'waits for the back-off');
  clock.advance(250);
  assert.equal(sockets.length, 2);
  assert.equal(last().url.searchParams.get('resume'), 'resume-1');
  assert.equal(last().url.searchParams.get('access_token'), 'tok-1');
  assert.equal(sentActions(last()).length, 0, 'nothing before the welcome');
  welcome(last(), {
    resume: 'resume-2',
    entities: [{ id: 20, o: 7, k: 1, x: 0, y: 0, vx: 0, vy: 0, s: clock.time + SERVER_OFFSET }],
  });
  assert.equal(types(events, 'welcome')[1].resumed, true);
  assert.deepEqual(sentActions(last()).map((m) => [m.t, m.x]), [['move', 20], ['spawn', 0]],
    'one move (the latest), then the spawn');
  assert.equal(client.entities.has(12), false, 'the snapshot replaced local state');
  assert.equal(client.entities.get(20).x, 0);
  assert.deepEqual(states(events), ['connecting', 'open', 'reconnecting', 'open']);
  // the next drop resumes with the newer token
  last().serverClose(1001);
  clock.advance(250);
  assert.equal(last().url.searchParams.get('resume'), 'resume-2');
});

test('after the grace period a reconnect starts fresh and drops actions on old entities', () => {
  const { client, last, events, welcome, clock, sentActions } = setup({ resumeGraceMs: 10_000, backoff: { random: () => 0, initialMs: 11_000, maxMs: 20_000 } });
  client.connect();
  welcome(last());
  last().serverClose(1006);
  client.move(20, { x: 5, y: 0, vx: 0, vy: 0 });
  const respawn = client.spawn({ kind: 1, x: 0, y: 0 });
  clock.advance(11_000);
  assert.equal(last().url.searchParams.has('resume'), false);
  welcome(last(), { you: 8, entities: [] });
  assert.equal(types(events, 'welcome')[1].resumed, false);
  assert.deepEqual(sentActions(last()).map((m) => m.t), ['spawn']);
  assert.equal(client.you, 8);
  respawn.catch(() => {});
});

test('a spawn sent but not confirmed before the drop is rejected after the reconnect', async () => {
  const { client, last, welcome, clock } = setup();
  client.connect();
  welcome(last());
  const lost = client.spawn({ kind: 1, x: 0, y: 0 });
  last().serverClose(1006);
  clock.advance(250);
  welcome(last());
  await assert.rejects(lost, /connection was lost/);
});

for (const code of [4003, 4004, 4009, 1008, 1009]) {
  test(`close ${code} is final: no retry, a reason for the player`, () => {
    const { client, last, sockets, events, welcome, clock } = setup();
    client.connect();
    welcome(last());
    last().serverClose(code, 'server says no');
    clock.advance(60_000);
    assert.equal(sockets.length, 1);
    assert.equal(client.state, 'closed');
    const close = types(events, 'close')[0];
    assert.equal(close.willRetry, false);
    assert.equal(close.code, code);
    assert.ok(close.text.length > 10);
  });
}

for (const code of [1001, 1013, 1006, 1011]) {
  test(`close ${code} is retried`, () => {
    const { client, last, sockets, welcome, clock } = setup();
    client.connect();
    welcome(last());
    last().serverClose(code);
    clock.advance(250);
    assert.equal(sockets.length, 2);
    assert.equal(client.state, 'reconnecting');
  });
}

test('4001 asks getToken for a fresh token and reconnects with it at once', async () => {
  let issued = 0;
  const { client, last, sockets, events, welcome, clock } = setup({ token: undefined, getToken: async () => `tok-${++issued}` });
  client.connect();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(last().url.searchParams.get('access_token'), 'tok-1');
  welcome(last());
  last().serverClose(4001, 'token expired');
  assert.equal(types(events, 'tokenexpired').length, 1);
  clock.advance(0);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(sockets.length, 2);
  assert.equal(last().url.searchParams.get('access_token'), 'tok-2');
  assert.equal(last().url.searchParams.get('resume'), 'resume-1');
});

test('4001 without getToken closes with a reason', () => {
  const { client, last, events, welcome } = setup();
  client.connect();
  welcome(last());
  last().serverClose(4001);
  assert.equal(client.state, 'closed');
  assert.match(types(events, 'close')[0].text, /expired/);
});

test('back-off grows exponentially with jitter, is capped, and gives up after the maximum', () => {
  const draws = [0.0, 1.0 - 1e-9, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0];
  const { client, last, sockets, events, clock } = setup({
    maxReconnectAttempts: 6,
    backoff: { initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => draws.shift() ?? 0 },
  });
  client.connect();
  const delays = [];
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const before = clock.time;
    last().serverClose(1006);
    const count = sockets.length;
    while (sockets.length === count) clock.advance(1);
    delays.push(clock.time - before);
  }
  assert.deepEqual(delays, [100, 100, 300, 800, 1000, 1000]);
  assert.ok(types(events, 'close').every((e) => e.wasOpen === false), 'no attempt got a welcome');
  last().serverClose(1006);
  assert.equal(client.state, 'closed');
  assert.match(types(events, 'close').at(-1).text, /Gave up after 6 attempts/);
});

test('close() by the game sends 1000 and never reconnects', () => {
  const { client, last, sockets, events, welcome, clock } = setup();
  client.connect();
  welcome(last());
  const socket = last();
  client.close();
  assert.deepEqual(socket.closedWith, { code: 1000, reason: 'bye' });
  socket.serverClose(1000);
  clock.advance(60_000);
  assert.equal(sockets.length, 1);
  assert.deepEqual(states(events), ['connecting', 'open', 'closed']);
});

test('pings measure the round trip and sync the clock', () => {
  const { client, last, welcome, clock } = setup();
  client.connect();
  welcome(last());
  const [ping] = last().sentMessages().filter((m) => m.t === 'ping');
  assert.equal(ping.c, clock.time);
  clock.advance(60);
  last().serverSendJson({ t: 'pong', c: ping.c, s: ping.c + SERVER_OFFSET + 500 + 30 });
  assert.equal(client.clock.rtt, 60);
  assert.equal(client.serverNow(), clock.time + SERVER_OFFSET + 500);
  clock.advance(5000);
  assert.ok(last().sentMessages().filter((m) => m.t === 'ping').length >= 4, 'keeps pinging');
});

test('json format offers only relay.v1.json and sends JSON text', () => {
  const { client, last, welcome, sentActions } = setup({ format: 'json' });
  client.connect();
  assert.deepEqual(last().protocols, ['relay.v1.json']);
  welcome(last());
  client.move(20, { x: 1, y: 2, vx: 3, vy: 4 });
  assert.equal(typeof last().sent.at(-1), 'string');
  assert.deepEqual(sentActions(last()), [{ t: 'move', id: 20, x: 1, y: 2, vx: 3, vy: 4 }]);
});

test('a server that picks no subprotocol gets JSON', () => {
  const { client, last, welcome } = setup();
  client.connect();
  welcome(last(), {}, '');
  client.move(20, { x: 1, y: 2, vx: 3, vy: 4 });
  assert.equal(last().sent.at(-1), JSON.stringify({ t: 'move', id: 20, x: 1, y: 2, vx: 3, vy: 4 }));
});

test('an undecodable frame is reported, not thrown', () => {
  const { client, last, events, welcome } = setup();
  client.connect();
  welcome(last());
  last().onmessage({ data: new Uint8Array([0x7f]).buffer });
  assert.equal(types(events, 'error')[0].code, 'undecodable_frame');
  assert.equal(client.state, 'open');
});

test('invalid options are refused', () => {
  assert.throws(() => new RelayClient({ universe: 'bad name!', token: 't' }), RangeError);
  assert.throws(() => new RelayClient({ universe: 'ok' }), TypeError);
});

test('a failing getToken is reported and retried with back-off', async () => {
  let calls = 0;
  const getToken = async () => {
    calls += 1;
    if (calls < 3) throw new Error('login service down');
    return 'tok-late';
  };
  const { client, last, sockets, events, clock } = setup({ token: undefined, getToken });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  client.connect();
  await settle();
  assert.equal(types(events, 'error')[0].code, 'token_unavailable');
  assert.equal(sockets.length, 0);
  clock.advance(250);
  await settle();
  clock.advance(500);
  await settle();
  assert.equal(sockets.length, 1);
  assert.equal(last().url.searchParams.get('access_token'), 'tok-late');
  assert.equal(client.state, 'connecting');
});

// ---- interest management (protocol section 13)

test('setView sends a view, only the latest pending one, and refuses views the server would refuse', () => {
  const { client, last, welcome, sentActions, clock } = setup();
  client.connect();
  welcome(last());
  client.setView({ x: 10, y: -20, r: 1500 });
  assert.deepEqual(sentActions(last()), [{ t: 'view', x: 10, y: -20, r: 1500 }]);
  assert.throws(() => client.setView({ x: 0, y: 0, r: 0 }), RangeError);
  assert.throws(() => client.setView({ x: 0, y: 0, r: NaN }), RangeError);
  assert.throws(() => client.setView({ x: 200000, y: 0, r: 10 }), RangeError);
  assert.deepEqual(client.view, { x: 10, y: -20, r: 1500 });
  last().serverClose(1006);
  client.setView({ x: 1, y: 1, r: 100 });
  client.setView({ x: 2, y: 2, r: 100 });
  clock.advance(250);
  welcome(last());
  assert.deepEqual(sentActions(last()), [{ t: 'view', x: 2, y: 2, r: 100 }], 'the latest view, once');
});

test('the view is sent again after every welcome, resumed or not', () => {
  const { client, last, welcome, sentActions, clock } = setup({ format: 'json' });
  client.connect();
  welcome(last());
  client.setView({ x: 5, y: 5, r: 800 });
  last().serverClose(1006);
  clock.advance(250);
  welcome(last(), { resume: 'resume-2' });
  assert.deepEqual(sentActions(last()), [{ t: 'view', x: 5, y: 5, r: 800 }]);
  last().serverClose(1006);
  clock.advance(20_000); // beyond the grace period: a fresh session
  welcome(last(), { you: 8 });
  assert.deepEqual(sentActions(last()).filter((m) => m.t === 'view'), [{ t: 'view', x: 5, y: 5, r: 800 }]);
});

test('hidden removes the entity from the store and says so; it may appear again', () => {
  const { client, last, events, welcome, clock } = setup();
  client.connect();
  welcome(last());
  const s = clock.time + SERVER_OFFSET;
  last().serverSendBinary([{ t: 'hidden', id: 12 }]);
  assert.equal(client.entities.has(12), false);
  assert.deepEqual(types(events, 'hidden').map((e) => [e.id, e.entity.owner]), [[12, 3]]);
  last().serverSendJson({ t: 'appeared', id: 12, o: 3, k: 1, x: 900, y: 0, vx: 0, vy: 0, s, ref: 0 });
  assert.equal(client.entities.get(12).x, 900);
  assert.deepEqual(types(events, 'destroyed'), []);
});
