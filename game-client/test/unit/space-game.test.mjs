import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpaceGame } from '../../src/game/space-game.js';
import { ARENA, BULLET, KIND, OPEN_ARENA, SHIP } from '../../src/game/space-rules.js';
import { RelayClient } from '../../sdk/src/relay-client.js';
import { FakeClock } from '../helpers/fake-clock.mjs';
import { makeFakeWebSocketClass } from '../helpers/fake-websocket.mjs';

const SERVER_OFFSET = 1_763_830_000_000;
const ME = 7;
const BOB = 3;

/** A game with a fake server, fake clock and no DOM; frames are driven by hand. */
async function playing() {
  const clock = new FakeClock(10_000);
  const { FakeWebSocket, sockets } = makeFakeWebSocketClass();
  const client = new RelayClient({
    universe: 'alpha', token: 't', baseUrl: 'http://relay.test/', WebSocket: FakeWebSocket, timers: clock, now: clock.now,
  });
  const toasts = [];
  const hud = new Proxy({}, { get: (_, name) => (name === 'toast' ? (text) => toasts.push(text) : () => {}) });
  const input = { controls: { left: false, right: false, thrust: false, brake: false, fire: false } };
  const game = new SpaceGame({ client, renderer: { draw() {} }, hud, input, random: () => 0.5 });
  game.start();
  const socket = sockets[0];
  socket.accept();
  socket.serverSendJson({
    t: 'welcome', v: 1, universe: 'alpha', you: ME, name: 'ada', s: clock.time + SERVER_OFFSET, resume: 'r',
    players: [{ p: BOB, name: 'bob' }], entities: [], limits: { rate: 30, burst: 60, maxEntities: 64, maxSpeed: 2000, bounds: 100000 },
  });
  let t = 0;
  const sent = () => socket.sentMessages().filter((m) => m.t !== 'ping');
  const serverTime = () => clock.time + SERVER_OFFSET;
  /** Confirms every spawn sent so far, like the relay would. */
  let nextId = 100;
  let confirmed = 0;
  const confirmSpawns = async () => {
    const spawns = sent().filter((m) => m.t === 'spawn').slice(confirmed);
    confirmed += spawns.length;
    for (const m of spawns) {
      socket.serverSendBinary([{ t: 'appeared', id: nextId++, o: ME, k: m.k, x: m.x, y: m.y, vx: m.vx, vy: m.vy, s: serverTime(), ref: m.ref }]);
    }
    await new Promise((resolve) => setImmediate(resolve));
  };
  const run = async (ms) => {
    for (let elapsed = 0; elapsed < ms; elapsed += 16) {
      clock.advance(16);
      t += 16;
      game.frame(t);
      await confirmSpawns();
    }
  };
  const enemyBullet = (id, x, y, vx, vy, owner = BOB) =>
    socket.serverSendBinary([{ t: 'appeared', id, o: owner, k: KIND.BULLET, x, y, vx, vy, s: serverTime(), ref: 0 }]);
  await run(32);
  return { game, client, socket, sockets, sent, run, enemyBullet, toasts, input, serverTime };
}

test('the ship spawns once connected and is confirmed by the relay', async () => {
  const { game, sent } = await playing();
  assert.deepEqual(sent().filter((m) => m.t === 'spawn').map((m) => m.k), [KIND.SHIP]);
  assert.equal(game.debug.state.myShipId, 100);
  game.stop();
});

test('a bullet of someone else hitting the ship makes its owner destroy it and respawn', async () => {
  const { game, sent, run, enemyBullet, toasts } = await playing();
  await run(SHIP.shieldMs + 100);
  const ship = game.ship;
  enemyBullet(60, ship.x - 200, ship.y + 5, 900, 0);
  await run(400);
  assert.equal(game.deaths, 1);
  assert.equal(game.ship, null);
  assert.ok(sent().some((m) => m.t === 'destroy' && m.id === 100), 'the ship was destroyed by its owner');
  assert.ok(toasts.some((text) => /Hit by bob/.test(text)));
  await run(SHIP.respawnMs + 100);
  assert.equal(sent().filter((m) => m.t === 'spawn' && m.k === KIND.SHIP).length, 2, 'respawned');
  assert.notEqual(game.debug.state.myShipId, null);
  game.stop();
});

test('own bullets and bullets during the spawn shield do not hit', async () => {
  const { game, run, enemyBullet } = await playing();
  const ship = game.ship;
  enemyBullet(61, ship.x - 200, ship.y, 900, 0); // while shielded
  await run(400);
  await run(SHIP.shieldMs);
  enemyBullet(62, ship.x - 200, ship.y, 900, 0, ME); // own bullet
  await run(400);
  assert.equal(game.deaths, 0);
  game.stop();
});

test('firing spawns bullets at a limited rate, and their owner destroys them after their lifetime', async () => {
  const { game, sent, run, input } = await playing();
  input.controls.fire = true;
  await run(1000);
  input.controls.fire = false;
  const bullets = sent().filter((m) => m.t === 'spawn' && m.k === KIND.BULLET);
  assert.ok(bullets.length >= 3 && bullets.length <= Math.ceil(1000 / BULLET.cooldownMs), `${bullets.length} bullets`);
  await run(BULLET.lifetimeMs + 100);
  const destroyed = sent().filter((m) => m.t === 'destroy').map((m) => m.id);
  assert.equal(destroyed.length, bullets.length);
  assert.equal([...game.client.entities.values()].filter((e) => e.kind === KIND.BULLET).length, 0);
  game.stop();
});

test('moves go out while thrusting, well under the rate limit', async () => {
  const { game, sent, run, input } = await playing();
  input.controls.thrust = true;
  await run(2000);
  input.controls.thrust = false;
  await run(1000);
  const moves = sent().filter((m) => m.t === 'move');
  assert.ok(moves.length >= 8 && moves.length <= 14, `${moves.length} moves in 3 s`);
  assert.ok(Math.hypot(moves.at(-1).vx, moves.at(-1).vy) > 100, 'the last move tells the coasting speed');
  game.stop();
});

test('after a resume the ship is kept and own entities nobody tracks are destroyed', async () => {
  const { game, sockets, run, serverTime } = await playing();
  const shipId = game.debug.state.myShipId;
  sockets[0].serverClose(1006);
  await run(300); // back-off, then a new socket
  const socket = sockets[1];
  assert.equal(socket.url.searchParams.get('resume'), 'r');
  socket.accept();
  socket.serverSendJson({
    t: 'welcome', v: 1, universe: 'alpha', you: ME, name: 'ada', s: serverTime(), resume: 'r2', players: [],
    entities: [
      { id: shipId, o: ME, k: KIND.SHIP, x: 0, y: 0, vx: 0, vy: 0, s: serverTime() },
      { id: 77, o: ME, k: KIND.BULLET, x: 0, y: 0, vx: 0, vy: 0, s: serverTime() }, // its confirmation was lost
      { id: 78, o: BOB, k: KIND.SHIP, x: 50, y: 0, vx: 0, vy: 0, s: serverTime() },
    ],
    limits: { rate: 30, burst: 60, maxEntities: 64, maxSpeed: 2000, bounds: 100000 },
  });
  await run(50);
  assert.equal(game.debug.state.myShipId, shipId);
  assert.deepEqual(socket.sentMessages().filter((m) => m.t === 'destroy').map((m) => m.id), [77]);
  game.stop();
});

test('a fresh session after the grace period spawns a new ship', async () => {
  const { game, sockets, run, serverTime } = await playing();
  sockets[0].serverClose(1006);
  await run(300);
  const socket = sockets[1];
  socket.accept();
  socket.serverSendJson({
    t: 'welcome', v: 1, universe: 'alpha', you: ME + 10, name: 'ada', s: serverTime(), resume: 'r3', players: [],
    entities: [{ id: 100, o: BOB, k: KIND.SHIP, x: 0, y: 0, vx: 0, vy: 0, s: serverTime() }], // ids restarted
    limits: { rate: 30, burst: 60, maxEntities: 64, maxSpeed: 2000, bounds: 100000 },
  });
  await run(50);
  const spawns = socket.sentMessages().filter((m) => m.t === 'spawn');
  assert.deepEqual(spawns.map((m) => m.k), [KIND.SHIP]);
  assert.equal(socket.sentMessages().filter((m) => m.t === 'destroy').length, 0, 'nothing of anybody else destroyed');
  game.stop();
});

test('the view follows the camera, a few times a second at most, and hidden ships are forgotten', async () => {
  const { game, sent, run, input, socket, serverTime } = await playing();
  assert.deepEqual(sent().filter((m) => m.t === 'view'), [{ t: 'view', x: 0, y: 0, r: 2000 }]);
  input.controls.thrust = true;
  await run(3000);
  input.controls.thrust = false;
  const views = sent().filter((m) => m.t === 'view');
  assert.ok(views.length >= 2 && views.length <= 10, `${views.length} views in 3 s`);
  const lastView = views.at(-1);
  assert.ok(Math.hypot(game.camera.x - lastView.x, game.camera.y - lastView.y) < 300 + 20, 'the last view is near the camera');
  socket.serverSendBinary([{ t: 'appeared', id: 90, o: BOB, k: KIND.SHIP, x: lastView.x, y: lastView.y, vx: 100, vy: 0, s: serverTime(), ref: 0 }]);
  await run(32);
  assert.ok(game.headings.has(90));
  socket.serverSendBinary([{ t: 'hidden', id: 90 }]);
  await run(32);
  assert.equal(game.headings.has(90), false);
  assert.equal(game.client.entities.has(90), false);
  game.stop();
});

test('in an open world the ship flies on past the small arena\'s walls', async () => {
  const clock = new FakeClock(10_000);
  const { FakeWebSocket } = makeFakeWebSocketClass();
  const client = new RelayClient({
    universe: 'open-far', token: 't', baseUrl: 'http://relay.test/', WebSocket: FakeWebSocket, timers: clock, now: clock.now,
  });
  const hud = new Proxy({}, { get: () => () => {} });
  const input = { controls: { left: false, right: false, thrust: false, brake: false, fire: false } };
  const game = new SpaceGame({ client, renderer: { draw() {} }, hud, input });
  assert.equal(game.arena, OPEN_ARENA);
  game.ship = { x: ARENA.halfWidth - 20, y: 0, vx: 600, vy: 0, angle: 0, id: 1, shieldUntil: 0 };
  game.frame(0);
  game.frame(60); // three fixed steps of 1/60 s
  assert.ok(game.ship.x > ARENA.halfWidth, `at ${game.ship.x}`);
  assert.equal(game.ship.vx, 600);
});

test('in an open world the first ship spawns near a ship of the welcome snapshot', async () => {
  const clock = new FakeClock(10_000);
  const { FakeWebSocket, sockets } = makeFakeWebSocketClass();
  const client = new RelayClient({
    universe: 'open-meet', token: 't', baseUrl: 'http://relay.test/', WebSocket: FakeWebSocket, timers: clock, now: clock.now,
  });
  const hud = new Proxy({}, { get: () => () => {} });
  const input = { controls: { left: false, right: false, thrust: false, brake: false, fire: false } };
  const game = new SpaceGame({ client, renderer: { draw() {} }, hud, input, random: () => 0.25 });
  game.start();
  const socket = sockets[0];
  socket.accept();
  const s = clock.time + SERVER_OFFSET;
  socket.serverSendJson({
    t: 'welcome', v: 1, universe: 'open-meet', you: ME, name: 'ada', s, resume: 'r',
    players: [{ p: BOB, name: 'bob' }],
    entities: [
      { id: 50, o: BOB, k: KIND.SHIP, x: 8000, y: -5000, vx: 0, vy: 0, s },
      { id: 51, o: BOB, k: KIND.BULLET, x: -8000, y: 5000, vx: 0, vy: 0, s },
    ],
    limits: { rate: 30, burst: 60, maxEntities: 64, maxSpeed: 2000, bounds: 100000 },
  });
  for (let t = 16; t <= 64; t += 16) {
    clock.advance(16);
    game.frame(t);
  }
  const spawn = socket.sentMessages().find((m) => m.t === 'spawn');
  assert.ok(spawn, 'a ship was spawned');
  const gap = Math.hypot(spawn.x - 8000, spawn.y + 5000);
  assert.ok(gap >= 450 && gap <= 900, `spawned ${gap} from bob's ship, at ${spawn.x},${spawn.y}`);
  game.stop();
});

test('the own ship answers the keys in the next frame, and its moves ask the relay for an ack', async () => {
  const { game, sent, run, input } = await playing();
  const before = { ...game.ship };
  input.controls.thrust = true;
  await run(32);
  assert.ok(Math.hypot(game.ship.vx, game.ship.vy) > Math.hypot(before.vx, before.vy), 'faster before any answer');
  const moves = sent().filter((m) => m.t === 'move');
  assert.ok(moves.length >= 1 && moves.every((m) => m.seq > 0), 'moves carry a seq');
  assert.ok(game.debug.state.pendingMoves >= 1, 'not acknowledged yet');
  game.stop();
});

test('a move the relay refuses is reconciled: the ship is corrected and drawn without a jump', async () => {
  const { game, sent, run, input, socket, serverTime } = await playing();
  input.controls.thrust = true;
  await run(100);
  const first = sent().filter((m) => m.t === 'move').at(-1);
  socket.serverSendBinary([{ t: 'ack', id: first.id, seq: first.seq, s: serverTime() }]);
  await run(100);
  const refused = sent().filter((m) => m.t === 'move').at(-1);
  const drawnBefore = game.drawnShips.find((s) => s.me);
  socket.serverSendJson({ t: 'error', code: 'too_fast', msg: 'speed', seq: refused.seq });
  assert.equal(game.debug.state.corrections, 1);
  await run(16);
  const drawnAfter = game.drawnShips.find((s) => s.me);
  assert.ok(Math.hypot(drawnAfter.x - drawnBefore.x, drawnAfter.y - drawnBefore.y) < 20, 'no jump');
  assert.ok(sent().filter((m) => m.t === 'move').at(-1).seq > refused.seq, 'the corrected state is sent');
  game.stop();
});
