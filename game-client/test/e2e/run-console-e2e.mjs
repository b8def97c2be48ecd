#!/usr/bin/env node
// End-to-end test of the operator console (/console) against a running relay, in a real headless
// Chromium: a non-admin token is refused (UI and API), an admin signs in, sees a universe appear
// while scripted players join it, opens it (members, live minimap), kicks a player (whose own
// client sees the close code 4003) and sees the overview's charts.
//
//   RELAY_URL=http://127.0.0.1:8080 ADMIN_TOKEN=… PLAYER_TOKEN=… [SCREENSHOT_DIR=target/screenshots] \
//     node game-client/test/e2e/run-console-e2e.mjs
//
// Exits 0 when every check passed, 1 with the reason otherwise. Bounded: 120 s overall.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRun, screenshotDir } from './harness.mjs';

const OVERALL_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 15_000;
const baseUrl = process.env.RELAY_URL;
const adminToken = process.env.ADMIN_TOKEN;
const playerToken = process.env.PLAYER_TOKEN;
const runId = Math.random().toString(36).slice(2, 8);
const PILOTS = ['ada', 'bob', 'cyd'];

let browser = null;
const { pageErrors, log, fail, check, launch, openPage, finish } = createRun({
  tag: 'console-e2e',
  overallTimeoutMs: OVERALL_TIMEOUT_MS,
  screenshotPrefix: 'console-',
});

async function waitInPage(page, what, fn, arg, timeout = STEP_TIMEOUT_MS) {
  try {
    const handle = await page.waitForFunction(fn, arg, { timeout, polling: 50 });
    return await handle.jsonValue();
  } catch (error) {
    throw new Error(`${what} did not happen within ${timeout} ms (${error.message.split('\n')[0]})`);
  }
}

async function openConsolePage(label, pagePath, viewport = { width: 1400, height: 900 }) {
  const context = await browser.newContext({ viewport });
  return openPage(context, label, new URL(pagePath, baseUrl).href, { stepTimeoutMs: STEP_TIMEOUT_MS, logConsoleErrors: true });
}

async function signIn(page, token) {
  await page.locator('#login').waitFor({ state: 'visible' });
  await page.fill('#token', token);
  await page.click('#login-form button[type=submit]');
}

/**
 * Scripted players in a page of the relay's origin: each logs in as a guest, joins over the JSON
 * subprotocol, spawns a ship and flies it in a circle (a move every 250 ms, within the rate).
 */
function startPilots([names, universe]) {
  window.__pilots = {};
  const origin = location.origin.replace(/^http/, 'ws');
  names.forEach(async (name, i) => {
    const login = await fetch('/api/login', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }),
    });
    const { access_token: token } = await login.json();
    const pilot = { name, you: null, ship: null, close: null, errors: [] };
    window.__pilots[name] = pilot;
    const ws = new WebSocket(`${origin}/ws/universes/${universe}?access_token=${token}`, 'relay.v1.json');
    const radius = 600 + i * 350;
    let angle = i * 2;
    const position = () => ({ x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
    ws.onmessage = (event) => {
      const parsed = JSON.parse(event.data);
      // the relay may batch several messages of one flush into a JSON array (docs/protocol.md)
      for (const m of Array.isArray(parsed) ? parsed : [parsed]) handle(m);
    };
    const handle = (m) => {
      if (m.t === 'welcome') {
        pilot.you = m.you;
        ws.send(JSON.stringify({ t: 'spawn', ref: 1, k: 1, ...position(), vx: 0, vy: 0 }));
      } else if (m.t === 'error') {
        pilot.errors.push(`${m.code}: ${m.msg}`);
      } else if (m.t === 'appeared' && m.o === pilot.you && pilot.ship === null) {
        pilot.ship = m.id;
        pilot.timer = setInterval(() => {
          angle += 0.08;
          const speed = radius * 0.32; // 0.08 rad per 250 ms
          ws.send(JSON.stringify({ t: 'move', id: m.id, ...position(), vx: -Math.sin(angle) * speed, vy: Math.cos(angle) * speed }));
        }, 250);
      }
    };
    ws.onclose = (event) => {
      pilot.close = event.code;
      clearInterval(pilot.timer);
    };
  });
}

async function main() {
  if (!baseUrl || !adminToken || !playerToken) await fail('RELAY_URL, ADMIN_TOKEN and PLAYER_TOKEN must be set');
  mkdirSync(screenshotDir, { recursive: true });
  log(`relay ${baseUrl}, screenshots in ${screenshotDir}`);
  browser = await launch();

  const universe = `console-e2e-${runId}`;
  let consolePage;
  let players;

  await check('a token without the admin role is refused, by the API and in the page', async () => {
    for (const [token, status] of [[playerToken, 403], ['not-a-token', 401]]) {
      const response = await fetch(new URL('/api/console/overview', baseUrl), { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== status) throw new Error(`the API answered ${response.status} to ${token.slice(0, 8)}…, not ${status}`);
    }
    consolePage = await openConsolePage('console', '/console');
    await signIn(consolePage, playerToken);
    await waitInPage(consolePage, 'the refusal shown', () => document.querySelector('#login-error').textContent.includes('admin role'));
    if (await consolePage.locator('#view').isVisible()) throw new Error('the console view is shown to a player');
    if (await consolePage.locator('#nodes').count()) throw new Error('node data rendered for a player');
    await signIn(consolePage, 'not-a-token');
    await waitInPage(consolePage, 'the refusal shown', () => document.querySelector('#login-error').textContent.includes('not valid'));
  });

  await check('an admin signs in and sees this node, ready', async () => {
    await signIn(consolePage, adminToken);
    await waitInPage(consolePage, 'the overview with this node', () => {
      const row = document.querySelector('#nodes tbody tr');
      return row && row.querySelector('.state')?.textContent === 'ready';
    });
  });

  await check('a universe appears in the list while scripted players join it', async () => {
    await consolePage.click('#nav a[data-view=universes]');
    await consolePage.locator('#universes').waitFor({ state: 'visible' });
    players = await openConsolePage('players', '/favicon.svg', { width: 400, height: 300 });
    await players.evaluate(startPilots, [PILOTS, universe]);
    await waitInPage(players, 'every pilot flying', (names) => names.every((n) => window.__pilots[n]?.ship != null), PILOTS)
      .catch(async (error) => {
        const state = await players.evaluate(() => JSON.stringify(window.__pilots, (k, v) => (k === 'timer' ? undefined : v)));
        throw new Error(`${error.message}; pilots: ${state}`);
      });
    await waitInPage(consolePage, `${universe} listed with 3 players`, (name) => {
      const row = document.querySelector(`#universes tr[data-universe="${name}"]`);
      return row && row.children[1].textContent === '3' && row.children[3].textContent === '3';
    }, universe);
    // sorting by name puts the column's header in charge
    await consolePage.click('#universes th[data-sort=name]');
    await waitInPage(consolePage, 'the list sorted by name', () => document.querySelector('#universes th.sorted')?.dataset.sort === 'name');
  });

  await check('the universe page shows its players and their ships on the live map', async () => {
    await consolePage.click(`#universes tr[data-universe="${universe}"]`);
    await waitInPage(consolePage, 'the three players listed', (names) => {
      const cells = [...document.querySelectorAll('#members tbody tr')].map((r) => r.children[1].textContent);
      return names.every((n) => cells.includes(n));
    }, PILOTS);
    await waitInPage(consolePage, 'three ships on the minimap', () => window.__console.minimap?.size >= 3);
    const address = await consolePage.locator('#members tbody tr', { hasText: 'ada' }).locator('td').nth(5).textContent();
    if (address !== '127.0.0.1') throw new Error(`ada's address shown as ${address}`);
    await consolePage.waitForTimeout(1500); // ships move on the map for the screenshot
    const errors = await players.evaluate(() => Object.values(window.__pilots).flatMap((p) => p.errors));
    if (errors.length) throw new Error(`the pilots' moves were refused: ${errors.slice(0, 3).join('; ')}`);
    await consolePage.screenshot({ path: path.join(screenshotDir, 'console-universe.png') });
  });

  await check('kicking a player (confirmed) closes its connection with 4003', async () => {
    const bob = await players.evaluate(() => window.__pilots.bob.you);
    await consolePage.click(`#members button[data-kick="${bob}"]`);
    await consolePage.locator('#confirm').waitFor({ state: 'visible' });
    if (!(await consolePage.locator('#confirm-text').textContent()).includes('bob')) throw new Error('the confirmation does not name bob');
    await consolePage.click('#confirm-ok');
    const code = await waitInPage(players, 'bob closed', () => window.__pilots.bob.close, undefined);
    if (code !== 4003) throw new Error(`bob's client saw close code ${code}, not 4003`);
    await waitInPage(consolePage, 'bob gone from the members', () =>
      ![...document.querySelectorAll('#members tbody tr')].some((r) => r.children[1].textContent === 'bob'));
    const others = await players.evaluate(() => [window.__pilots.ada.close, window.__pilots.cyd.close]);
    if (others.some((c) => c !== null)) throw new Error(`the other pilots were closed too: ${others}`);
  });

  await check('a cancelled kick does nothing', async () => {
    const cyd = await players.evaluate(() => window.__pilots.cyd.you);
    await consolePage.click(`#members button[data-kick="${cyd}"]`);
    await consolePage.locator('#confirm').waitFor({ state: 'visible' });
    await consolePage.click('#confirm button[value=cancel]');
    await consolePage.locator('#confirm').waitFor({ state: 'hidden' });
    const state = await players.evaluate(() => window.__pilots.cyd.close);
    if (state !== null) throw new Error(`cyd was closed with ${state}`);
  });

  await check('the overview charts the last minutes', async () => {
    await consolePage.click('#nav a[data-view=overview]');
    await waitInPage(consolePage, 'charts with a line', () => {
      const line = document.querySelector('#chart-in path[data-series]');
      return line && line.getAttribute('d').split('L').length >= 3;
    });
    await waitInPage(consolePage, 'events in shown', () => Number.parseFloat(document.querySelector('#sum-in').textContent) > 0);
    await consolePage.screenshot({ path: path.join(screenshotDir, 'console-overview.png') });
  });

  await check('no uncaught errors in any page', async () => {
    if (pageErrors.length) throw new Error(pageErrors.join('; '));
  });

  await finish();
}

main().catch((error) => fail(error?.stack ?? String(error)));
