#!/usr/bin/env node
// The game under added latency, in a real headless Chromium: both pilots reach the relay through a
// TCP proxy on loopback that delays every byte by DELAY_MS in each direction (150 ms by default:
// 300 ms more round trip). One pilot flies a pattern of thrust, turns and brakes; the other's
// screen is sampled every frame, and the remote ship must move without visible jumps. The flying
// pilot's own ship must answer its keys at once: in the frame after the key, long before the
// relay's acknowledgement of the move could come back.
//
//   RELAY_URL=http://127.0.0.1:8080 [DELAY_MS=150] [SCREENSHOT_DIR=target/screenshots] node game-client/test/e2e/run-latency.mjs
//
// Exits 0 when every check passed, 1 with the reason otherwise. Bounded: 120 s overall.
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRun, screenshotDir } from './harness.mjs';

const OVERALL_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 20_000;
const relayUrl = process.env.RELAY_URL;
const DELAY_MS = Number(process.env.DELAY_MS ?? 150);
const runId = Math.random().toString(36).slice(2, 8);
const SHIP_MAX_SPEED = 650; // space-rules.js SHIP.maxSpeed
/** A frame may move a ship at most this much faster than the fastest ship flies, plus a rounding slack. */
const SPEED_TOLERANCE = 1.5;
const SLACK_UNITS = 4;

let browser = null;
let proxy = null;
const { log, fail, check, launch, openPage, finish } = createRun({
  tag: 'latency',
  overallTimeoutMs: OVERALL_TIMEOUT_MS,
  screenshotPrefix: 'latency-',
  stacks: true,
  cleanup: () => proxy?.close(),
});

/**
 * A TCP proxy on 127.0.0.1 that forwards every chunk after `delayMs`, in order, both ways: the
 * network of a player far away, for HTTP and WebSocket alike.
 */
function startDelayingProxy(target, delayMs) {
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: target.hostname, port: Number(target.port) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    const pipe = (from, to) => {
      from.on('data', (chunk) => setTimeout(() => { if (!to.destroyed) to.write(chunk); }, delayMs));
      from.on('end', () => setTimeout(() => to.end(), delayMs));
      from.on('close', () => setTimeout(() => to.destroy(), delayMs + 10));
    };
    pipe(client, upstream);
    pipe(upstream, client);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}/`,
      close: () => { for (const s of sockets) s.destroy(); server.close(); },
    }));
  });
}

async function waitInPage(page, what, fn, arg, timeout = STEP_TIMEOUT_MS) {
  try {
    const handle = await page.waitForFunction(fn, arg, { timeout, polling: 50 });
    return await handle.jsonValue();
  } catch {
    const state = await page.evaluate(() => window.__relayGame?.state.snapshot() ?? null).catch(() => null);
    throw new Error(`${what} did not happen within ${timeout} ms; game state: ${JSON.stringify(state)}`);
  }
}

async function openPilot(label, name, universe, format) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await openPage(context, label, `${proxy.url}?format=${format}`,
    { stepTimeoutMs: STEP_TIMEOUT_MS, loadTimeoutMs: 30_000 });
  await page.locator('#lobby').waitFor({ state: 'visible' });
  await page.fill('#player-name', name);
  await page.fill('#new-universe', universe);
  await page.click('#create-button');
  const joined = await waitInPage(page, `${name} flying`, () => {
    const s = window.__relayGame?.state;
    return s && s.connection === 'open' && s.myShipId !== null ? { you: s.you, ship: s.myShipId } : null;
  });
  return { page, ...joined };
}

/**
 * Starts recording, every frame the game draws, where a ship was drawn and for which time: the
 * server time others' ships are drawn for, the frame's time for the own ship. On a busy machine
 * frames run late and unevenly; what is measured is whether a ship's drawn path is continuous in
 * the time it is drawn for.
 */
function startRecording(page, shipId, clock) {
  return page.evaluate(([id, clockName]) => {
    window.__samples = [];
    window.__recording = true;
    let lastFrame = null;
    const sample = () => {
      const state = window.__relayGame.state;
      if (state.drawnAt !== lastFrame) {
        lastFrame = state.drawnAt;
        const ship = state.drawnShips.find((s) => s.id === id);
        if (ship) window.__samples.push({ t: state[clockName], x: ship.x, y: ship.y });
      }
      if (window.__recording) requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  }, [shipId, clock]);
}

const stopRecording = (page) => page.evaluate(() => {
  window.__recording = false;
  return window.__samples;
});

/** Per frame: how far the ship moved beyond what the fastest ship could have flown in that time. */
function jumps(samples) {
  const result = [];
  for (let i = 1; i < samples.length; i += 1) {
    const a = samples[i - 1];
    const b = samples[i];
    const dt = (b.t - a.t) / 1000;
    const moved = Math.hypot(b.x - a.x, b.y - a.y);
    result.push({ at: b.t, moved, allowed: SHIP_MAX_SPEED * dt * SPEED_TOLERANCE + SLACK_UNITS, dt });
  }
  return result;
}

async function hold(page, keys, ms) {
  for (const key of keys) await page.keyboard.down(key);
  await page.waitForTimeout(ms);
  for (const key of keys) await page.keyboard.up(key);
}

async function main() {
  if (!relayUrl) await fail('RELAY_URL is not set (e.g. RELAY_URL=http://127.0.0.1:8080)');
  mkdirSync(screenshotDir, { recursive: true });
  proxy = await startDelayingProxy(new URL(relayUrl), DELAY_MS);
  log(`relay ${relayUrl} behind ${proxy.url}, ${DELAY_MS} ms each way`);
  browser = await launch();

  const universe = `latency-${runId}`;
  let ada;
  let bob;

  await check('two pilots play through the delaying proxy, and the game measures the added round trip', async () => {
    ada = await openPilot('ada', 'ada', universe, process.env.ADA_FORMAT ?? 'binary'); // ada flies, on relay.v1.bin
    bob = await openPilot('bob', 'bob', universe, 'json'); // bob watches, on relay.v1.json
    await waitInPage(bob.page, 'bob seeing ada\'s ship', (id) => window.__relayGame.state.entities.has(id), ada.ship);
    const rtt = await waitInPage(ada.page, 'a round trip measured', () => {
      const r = window.__relayGame.state.rtt;
      return Number.isFinite(r) ? r : null;
    });
    if (rtt < 2 * DELAY_MS) throw new Error(`measured rtt ${rtt} ms, below the added ${2 * DELAY_MS} ms: the proxy is not in the way`);
    log(`ada's round trip: ${Math.round(rtt)} ms`);
  });

  await check('the own ship answers the key in the next frames, before the relay could confirm anything', async () => {
    await ada.page.evaluate(() => { // installed before the key is pressed; the answer lands in window.__reaction
      window.__reaction = null;
      const resolve = (reaction) => { window.__reaction = reaction; };
      const game = window.__relayGame;
      const acks = [];
      let seqAtKey = Infinity;
      const off = game.client.on('ack', ({ seq }) => { if (seq > seqAtKey) acks.push(seq); }); // moves sent after the key
      const me = () => game.state.drawnShips.find((s) => s.me);
      let speedBefore = null;
      let pressedAt = null;
      let frames = 0;
      let lastFrame = game.state.frameTime;
      window.addEventListener('keydown', (event) => {
        if (event.code === 'ArrowUp' && pressedAt === null) {
          pressedAt = performance.now();
          seqAtKey = game.client.lastMoveSeq;
          speedBefore = Math.hypot(me().vx, me().vy);
        }
      }, { capture: true });
      const watch = () => {
        const frameTime = game.state.frameTime;
        if (pressedAt !== null && frameTime !== lastFrame) {
          frames += 1;
          const ship = me();
          const done = Math.hypot(ship.vx, ship.vy) > speedBefore + 1 || frames > 30;
          if (done) {
            off();
            resolve({ frames, msAfterKey: frameTime - pressedAt, acksSinceKey: acks.length, reacted: frames <= 30 });
            return;
          }
        }
        lastFrame = frameTime;
        requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    });
    await ada.page.keyboard.down('ArrowUp');
    const reaction = await waitInPage(ada.page, 'the reaction to the key', () => window.__reaction);
    await ada.page.waitForTimeout(300);
    await ada.page.keyboard.up('ArrowUp');
    log(`own ship reacted in frame ${reaction.frames} after the key (${Math.round(reaction.msAfterKey)} ms), acks since the key: ${reaction.acksSinceKey}`);
    if (!reaction.reacted) throw new Error(`the own ship did not speed up within 30 frames of the key: ${JSON.stringify(reaction)}`);
    if (reaction.frames > 3) throw new Error(`the own ship reacted only in frame ${reaction.frames} after the key`);
    if (reaction.acksSinceKey !== 0) throw new Error('an ack came back before the ship reacted: the reaction waited for the relay');
  });

  let remote;
  let own;
  await check('under latency, the remote ship moves on the other screen without visible jumps', async () => {
    // let bob's interpolation delay settle to the measured latency
    await waitInPage(bob.page, 'bob\'s interpolation delay following the latency', (d) => window.__relayGame.state.remoteDelayMs >= d, DELAY_MS);
    await bob.page.evaluate((id) => {
      window.__velocities = 0;
      window.__relayGame.client.on('velocity', ({ entity }) => { if (entity.id === id) window.__velocities += 1; });
    }, ada.ship);
    await startRecording(bob.page, ada.ship, 'drawnServerTime'); // others are drawn for a server time
    await startRecording(ada.page, ada.ship, 'frameTime'); // the own ship for the frame's time
    const pattern = [
      [['ArrowUp'], 700], [['ArrowUp', 'ArrowRight'], 500], [[], 300], [['ArrowDown'], 350],
      [['ArrowUp', 'ArrowLeft'], 600], [['ArrowRight'], 300], [['ArrowUp'], 400], [['ArrowDown'], 400],
      [['ArrowUp', 'ArrowLeft'], 500], [[], 400],
    ];
    for (const [keys, ms] of pattern) await hold(ada.page, keys, ms);
    await bob.page.waitForTimeout(2 * DELAY_MS + 300); // the last moves reach bob's screen
    remote = await stopRecording(bob.page);
    own = await stopRecording(ada.page);
    const velocities = await bob.page.evaluate(() => window.__velocities);
    const path = remote.slice(1).reduce((sum, p, i) => sum + Math.hypot(p.x - remote[i].x, p.y - remote[i].y), 0);
    const worst = jumps(remote).reduce((w, j) => (j.moved - j.allowed > w.moved - w.allowed ? j : w), { moved: 0, allowed: Infinity });
    log(`bob drew ada's ship in ${remote.length} frames over ${Math.round(remote.at(-1).t - remote[0].t)} ms, `
      + `${Math.round(path)} units, ${velocities} velocity events; largest step ${worst.moved.toFixed(1)} units `
      + `in ${Math.round(worst.dt * 1000)} ms (allowed ${worst.allowed.toFixed(1)})`);
    if (remote.length < 40) throw new Error(`only ${remote.length} frames sampled`);
    if (velocities < 8) throw new Error(`only ${velocities} velocity events: the pattern did not change the motion enough to test anything`);
    if (path < 300) throw new Error(`the remote ship moved only ${Math.round(path)} units`);
    const bad = jumps(remote).filter((j) => j.moved > j.allowed);
    if (bad.length) throw new Error(`the remote ship jumped in ${bad.length} frames: ${JSON.stringify(bad.slice(0, 5))}`);
  });

  await check('the own ship moves without jumps too, and no move was refused', async () => {
    const bad = jumps(own).filter((j) => j.moved > j.allowed);
    if (own.length < 40) throw new Error(`only ${own.length} frames sampled`);
    if (bad.length) throw new Error(`the own ship jumped in ${bad.length} frames: ${JSON.stringify(bad.slice(0, 5))}`);
    const corrections = await ada.page.evaluate(() => window.__relayGame.state.corrections);
    if (corrections !== 0) throw new Error(`${corrections} corrections`);
    await ada.page.waitForFunction(() => window.__relayGame.state.pendingMoves === 0, undefined, { timeout: STEP_TIMEOUT_MS });
  });

  await check('a picture of the remote ship under latency', async () => {
    // ada comes into bob's view (a teleport: a move like any other), then thrusts and fires
    const bobShip = await bob.page.evaluate(() => {
      const s = window.__relayGame.state.snapshot();
      return s.entities.find((e) => e.id === s.myShipId);
    });
    await ada.page.evaluate(([x, y]) => window.__relayGame.state.teleport(x, y), [bobShip.x - 260, bobShip.y + 40]);
    // ships never jump on screen: bob's view of ada slides there at a bounded speed
    await waitInPage(bob.page, 'ada drawn next to bob', ([id, x, y]) => {
      const drawn = window.__relayGame.state.drawnShips.find((d) => d.id === id);
      return drawn && Math.hypot(drawn.x - x, drawn.y - y) < 400;
    }, [ada.ship, bobShip.x, bobShip.y], 30_000);
    await hold(ada.page, ['ArrowUp', 'Space'], 400);
    await bob.page.waitForTimeout(2 * DELAY_MS + 150);
    await bob.page.screenshot({ path: path.join(screenshotDir, 'latency.png') });
  });

  await finish();
}

main().catch((error) => fail(error?.stack ?? String(error)));
