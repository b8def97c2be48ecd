#!/usr/bin/env node
// End-to-end test of the browser game against a running relay, in a real headless Chromium.
//
//   RELAY_URL=http://127.0.0.1:8080 [SCREENSHOT_DIR=target/screenshots] node game-client/test/e2e/run-e2e.mjs
//
// Exits 0 when every check passed, 1 with the reason otherwise. Bounded: 120 s overall.
// Reads game state through the game's debug hook (window.__relayGame), not through pixels.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRun, screenshotDir } from './harness.mjs';

const OVERALL_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 15_000;
const baseUrl = process.env.RELAY_URL;
const runId = Math.random().toString(36).slice(2, 8);
const SHIP = 1;
const BULLET = 2;

let browser = null;
const { pageErrors, log, fail, check, launch, openPage, finish } = createRun({
  tag: 'e2e',
  overallTimeoutMs: OVERALL_TIMEOUT_MS,
});

/** Polls fn in the page until it returns something truthy. */
async function waitInPage(page, what, fn, arg, timeout = STEP_TIMEOUT_MS) {
  try {
    const handle = await page.waitForFunction(fn, arg, { timeout, polling: 50 });
    return await handle.jsonValue();
  } catch (error) {
    const state = await snapshot(page).catch(() => null);
    throw new Error(`${what} did not happen within ${timeout} ms; game state: ${JSON.stringify(state)}`);
  }
}

const snapshot = (page) => page.evaluate(() => window.__relayGame?.state.snapshot() ?? null);

async function openGame(label, contextOptions = {}, pagePath = '/') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, ...contextOptions });
  // keep every WebSocket the page opens, so a test can cut one like a network failure would
  await context.addInitScript(() => {
    window.__sockets = [];
    const NativeWebSocket = window.WebSocket;
    window.WebSocket = class extends NativeWebSocket {
      constructor(...args) {
        super(...args);
        window.__sockets.push(this);
      }
    };
  });
  const page = await openPage(context, label, new URL(pagePath, baseUrl).href,
    { stepTimeoutMs: STEP_TIMEOUT_MS, logConsoleErrors: true });
  await page.locator('#lobby').waitFor({ state: 'visible' });
  return page;
}

/** Joins from the lobby: by its list entry when listed, else by creating it. */
async function join(page, name, universe, { fromList = false } = {}) {
  await page.fill('#player-name', name);
  if (fromList) {
    await page.click(`#universe-list button[data-universe="${universe}"]`);
  } else {
    await page.fill('#new-universe', universe);
    await page.click('#create-button');
  }
  return waitInPage(page, `${name} flying in ${universe}`, () => {
    const s = window.__relayGame?.state;
    return s && s.connection === 'open' && s.myShipId !== null ? { you: s.you, ship: s.myShipId } : null;
  });
}

/** Waits until `page` sees a ship of player `owner`, and returns its position. */
const seesShipOf = (page, owner, what) => waitInPage(page, what, ([p, kind]) => {
  const s = window.__relayGame.state.snapshot();
  return s.entities.find((e) => e.owner === p && e.kind === kind) ?? null;
}, [owner, SHIP]);

/** Holds a key for a while (keyboard events go to the page's focused document). */
async function hold(page, key, ms) {
  await page.keyboard.down(key);
  await page.waitForTimeout(ms);
  await page.keyboard.up(key);
}

async function main() {
  if (!baseUrl) await fail('RELAY_URL is not set (e.g. RELAY_URL=http://127.0.0.1:8080)');
  mkdirSync(screenshotDir, { recursive: true });
  log(`relay ${baseUrl}, screenshots in ${screenshotDir}`);
  browser = await launch(['--disable-quic']);

  const arena = `e2e-arena-${runId}`;
  const elsewhere = `e2e-elsewhere-${runId}`;
  let ada;
  let bob;
  let adaPlayer;
  let bobPlayer;

  await check('the lobby loads and the first pilot creates a universe', async () => {
    ada = await openGame('ada');
    adaPlayer = await join(ada, 'ada', arena);
  });

  await check('the lobby lists the live universe (refresh)', async () => {
    bob = await openGame('bob', {}, '/?format=json'); // bob speaks relay.v1.json, ada relay.v1.bin
    await bob.click('#refresh-universes');
    const row = bob.locator(`#universe-list li[data-universe="${arena}"]`);
    await row.waitFor({ state: 'visible' });
    const stats = await row.locator('.universe-stats').textContent();
    if (!/1 pilot/.test(stats)) throw new Error(`expected "1 pilot" in "${stats}"`);
    await bob.fill('#player-name', 'bob');
    await bob.screenshot({ path: path.join(screenshotDir, 'lobby.png') });
  });

  await check('a bad universe name is refused in the lobby with a message', async () => {
    await bob.fill('#new-universe', 'no spaces allowed');
    await bob.click('#create-button');
    await bob.locator('#lobby-message', { hasText: 'Universe names are' }).waitFor({ state: 'visible' });
    if (await bob.evaluate(() => Boolean(window.__relayGame))) throw new Error('joined anyway');
  });

  await check('a second pilot joins from the list and both see each other', async () => {
    bobPlayer = await join(bob, 'bob', arena, { fromList: true });
    if (bobPlayer.you === adaPlayer.you) throw new Error('both got the same player number');
    const protocols = [await ada.evaluate(() => window.__sockets.at(-1).protocol), await bob.evaluate(() => window.__sockets.at(-1).protocol)];
    if (protocols.join() !== 'relay.v1.bin,relay.v1.json') throw new Error(`subprotocols were ${protocols}`);
    await seesShipOf(ada, bobPlayer.you, 'ada seeing bob\'s ship');
    await seesShipOf(bob, adaPlayer.you, 'bob seeing ada\'s ship');
    const names = await ada.locator('#hud-players li').allTextContents();
    if (!names.some((n) => n.includes('bob')) || !names.some((n) => n.includes('ada (you)'))) {
      throw new Error(`player list is ${JSON.stringify(names)}`);
    }
    // both just spawned near the middle: a picture of the two of them, ada shooting
    await hold(ada, 'Space', 250);
    await bob.waitForTimeout(120);
    await bob.screenshot({ path: path.join(screenshotDir, 'game.png') });
  });

  for (const [mover, watcher, moverPlayer, label] of [[() => ada, () => bob, () => adaPlayer, 'ada'], [() => bob, () => ada, () => bobPlayer, 'bob']]) {
    await check(`${label}'s ship moves on the other screen when ${label} thrusts`, async () => {
      const owner = moverPlayer().you;
      const before = await seesShipOf(watcher(), owner, `${label}'s ship`);
      await hold(mover(), 'ArrowUp', 700);
      await waitInPage(watcher(), `${label}'s ship moving on the other screen`, ([p, kind, x0, y0]) => {
        const s = window.__relayGame.state.snapshot();
        const ship = s.entities.find((e) => e.owner === p && e.kind === kind);
        return ship && Math.hypot(ship.x - x0, ship.y - y0) > 40 && Math.hypot(ship.vx, ship.vy) > 50;
      }, [owner, SHIP, before.x, before.y]);
    });
  }

  await check('bullets fired by one pilot appear for the other', async () => {
    const seen = waitInPage(bob, 'ada\'s bullet on bob\'s screen', ([p, kind]) =>
      window.__relayGame.state.snapshot().entities.some((e) => e.owner === p && e.kind === kind), [adaPlayer.you, BULLET]);
    await hold(ada, 'Space', 400);
    await seen;
  });

  let cy;
  await check('a pilot in another universe sees neither of them (phone layout)', async () => {
    cy = await openGame('cy', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const cyPlayer = await join(cy, 'cy', elsewhere);
    await hold(ada, 'ArrowUp', 300);
    await cy.waitForTimeout(500);
    const s = await snapshot(cy);
    const foreign = s.entities.filter((e) => e.owner !== cyPlayer.you);
    if (foreign.length) throw new Error(`cy sees ${JSON.stringify(foreign)}`);
    if (s.players.length !== 1) throw new Error(`cy's players: ${JSON.stringify(s.players)}`);
    const adaSees = await snapshot(ada);
    if (adaSees.players.some((p) => p.name === 'cy')) throw new Error('ada lists cy');
    if (!(await cy.locator('#touch-controls').isVisible())) throw new Error('no touch controls on a phone');
    await cy.screenshot({ path: path.join(screenshotDir, 'game-phone.png') });
  });

  await check('a dropped connection resumes with the same player number and ship', async () => {
    const before = await snapshot(bob);
    const socketsBefore = await bob.evaluate(() => window.__sockets.length);
    await bob.evaluate(() => window.__sockets.at(-1).close(3000, 'e2e: simulated network drop'));
    await waitInPage(bob, 'bob reconnecting', () => window.__relayGame.state.connection !== 'open');
    const after = await waitInPage(bob, 'bob back online', (n) => {
      const s = window.__relayGame.state;
      return window.__sockets.length > n && s.connection === 'open' ? s.snapshot() : null;
    }, socketsBefore);
    if (after.you !== before.you) throw new Error(`player number changed from ${before.you} to ${after.you}`);
    if (after.myShipId !== before.myShipId) throw new Error(`ship changed from ${before.myShipId} to ${after.myShipId}`);
    const adaSees = await snapshot(ada);
    if (!adaSees.players.some((p) => p.p === before.you)) throw new Error('ada saw bob leave');
    // and bob still plays: his thrust reaches ada
    const start = await seesShipOf(ada, before.you, 'bob\'s ship after the resume');
    await hold(bob, 'ArrowUp', 500);
    await waitInPage(ada, 'bob moving after the resume', ([p, kind, x0, y0]) => {
      const ship = window.__relayGame.state.snapshot().entities.find((e) => e.owner === p && e.kind === kind);
      return ship && Math.hypot(ship.x - x0, ship.y - y0) > 30;
    }, [before.you, SHIP, start.x, start.y]);
  });

  await check('leaving returns to the lobby and the others see the pilot go', async () => {
    await cy.click('#leave-button');
    await cy.locator('#lobby').waitFor({ state: 'visible' });
    await bob.click('#leave-button');
    await waitInPage(ada, 'bob gone from ada\'s player list', (p) =>
      !window.__relayGame.state.snapshot().players.some((x) => x.p === p), bobPlayer.you);
    await waitInPage(ada, 'bob\'s ship gone from ada\'s screen', ([p, kind]) =>
      !window.__relayGame.state.snapshot().entities.some((e) => e.owner === p && e.kind === kind), [bobPlayer.you, SHIP]);
  });

  await check('in an open world pilots far apart do not see each other, and do once near (interest management)', async () => {
    const world = `open-e2e-${runId}`;
    const shipOf = ([p, kind]) => window.__relayGame.state.snapshot().entities.find((e) => e.owner === p && e.kind === kind) ?? null;
    const noShipOf = ([p, kind]) => !window.__relayGame.state.snapshot().entities.some((e) => e.owner === p && e.kind === kind);
    const dan = await openGame('dan');
    const danPlayer = await join(dan, 'dan', world);
    const eve = await openGame('eve', {}, '/?format=json');
    const evePlayer = await join(eve, 'eve', world);
    // eve's ship starts near dan's, on a field of 24000 x 16000: they see each other at once
    const danShip = await seesShipOf(eve, danPlayer.you, 'eve seeing dan\'s ship (she spawned near it)');
    const eveShip = await seesShipOf(dan, evePlayer.you, 'dan seeing eve\'s ship');
    const gap = Math.hypot(danShip.x - eveShip.x, danShip.y - eveShip.y);
    if (gap > 1500) throw new Error(`eve spawned ${Math.round(gap)} units from dan`);

    // eve goes far away: the relay hides each ship from the other (her view follows her camera)
    const farX = danShip.x > 0 ? danShip.x - 9000 : danShip.x + 9000;
    if (!(await eve.evaluate(([x, y]) => window.__relayGame.state.teleport(x, y), [farX, danShip.y]))) throw new Error('eve has no ship');
    await waitInPage(dan, 'eve\'s ship gone from dan\'s screen', noShipOf, [evePlayer.you, SHIP]);
    await waitInPage(eve, 'dan\'s ship gone from eve\'s screen', noShipOf, [danPlayer.you, SHIP]);
    await eve.waitForTimeout(400); // a few interest ticks: still nothing of each other
    for (const [page, other, who] of [[dan, evePlayer.you, 'dan'], [eve, danPlayer.you, 'eve']]) {
      const s = await snapshot(page);
      if (s.entities.some((e) => e.owner === other)) throw new Error(`${who} still sees ${JSON.stringify(s.entities)}`);
      if (!s.players.some((p) => p.p === other)) throw new Error(`${who} lost the other from the player list`);
    }

    // and comes back: each ship appears on the other screen
    await eve.evaluate(([x, y]) => window.__relayGame.state.teleport(x, y), [danShip.x + 600, danShip.y]);
    const back = await waitInPage(dan, 'eve\'s ship back on dan\'s screen', shipOf, [evePlayer.you, SHIP]);
    if (Math.abs(back.x - (danShip.x + 600)) > 50) throw new Error(`eve's ship drawn at ${back.x}, not ${danShip.x + 600}`);
    await waitInPage(eve, 'dan\'s ship back on eve\'s screen', shipOf, [danPlayer.you, SHIP]);
    await eve.screenshot({ path: path.join(screenshotDir, 'open-world.png') });
    await dan.click('#leave-button');
    await eve.click('#leave-button');
  });

  await check('no uncaught errors in any page', async () => {
    if (pageErrors.length) throw new Error(pageErrors.join('; '));
  });

  await finish();
}

main().catch((error) => fail(error?.stack ?? String(error)));
