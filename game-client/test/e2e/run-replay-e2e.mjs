#!/usr/bin/env node
// End-to-end test of watching a recording in the browser game, in a real headless Chromium.
//
//   RELAY_URL=http://127.0.0.1:8080 RECORDING_ID=... RECORDING_START=<epoch ms> node game-client/test/e2e/run-replay-e2e.mjs
//
// The recording (prepared by ReplayBrowserTest): ada's ship (kind 1) flies along x at 100 units/s
// from x=0 for 10 s, with a velocity event every second; bob's ship stands at (200, 100).
// Reads what is drawn through the replay page's debug hook (window.__relayReplay). Bounded: 90 s.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRun, screenshotDir } from './harness.mjs';

const baseUrl = process.env.RELAY_URL;
const id = process.env.RECORDING_ID;
const start = Number(process.env.RECORDING_START);
let browser = null;
const { log, fail, check, launch, finish } = createRun({ tag: 'replay-e2e', overallTimeoutMs: 90_000 });

const drawn = (page) => page.evaluate(() => window.__relayReplay?.snapshot() ?? null);

async function until(page, what, fn, arg) {
  try {
    const handle = await page.waitForFunction(fn, arg, { timeout: 15_000, polling: 50 });
    return await handle.jsonValue();
  } catch {
    throw new Error(`${what} did not happen within 15 s; drawn: ${JSON.stringify(await drawn(page).catch(() => null))}`);
  }
}

async function main() {
  if (!baseUrl || !id || !start) await fail('RELAY_URL, RECORDING_ID and RECORDING_START are needed');
  mkdirSync(screenshotDir, { recursive: true });
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await check('the lobby lists the recording under "Watch a recording"', async () => {
    await page.goto(new URL('/', baseUrl).href, { waitUntil: 'load' });
    await page.locator(`#recording-list a[data-recording="${id}"]`).waitFor({ state: 'visible', timeout: 15_000 });
  });

  await check('Watch opens the replay, which draws both ships where the recording has them', async () => {
    await page.click(`#recording-list a[data-recording="${id}"]`);
    await page.waitForURL(/watch\.html/);
    const s = await until(page, 'the replay starting', () => {
      const d = window.__relayReplay?.snapshot();
      return d && d.status && d.entities.length === 2 && d.time > d.status.start + 500 ? d : null;
    });
    const ada = s.entities.find((e) => e.owner === 1);
    const bob = s.entities.find((e) => e.owner === 2);
    const expectedX = (s.time - start) / 10; // 100 units per second
    if (Math.abs(ada.x - expectedX) > 30) throw new Error(`ada's ship drawn at x=${ada.x}, expected about ${expectedX}`);
    if (bob.x !== 200 || bob.y !== 100) throw new Error(`bob's ship drawn at (${bob.x}, ${bob.y})`);
    if (JSON.stringify(s.players.sort()) !== '["ada","bob"]') throw new Error(`players ${s.players}`);
  });

  await check('a seek to 7 s shows the state at 7 s', async () => {
    await page.evaluate((to) => {
      const seek = document.getElementById('seek');
      seek.value = String(to);
      seek.dispatchEvent(new Event('change'));
    }, start + 7000);
    const s = await until(page, 'the seek', (from) => {
      const d = window.__relayReplay?.snapshot();
      return d && d.time >= from && d.time < from + 1500 ? d : null;
    }, start + 7000);
    const ada = s.entities.find((e) => e.owner === 1);
    const expectedX = (s.time - start) / 10;
    if (Math.abs(ada.x - expectedX) > 30) throw new Error(`after the seek ada's ship is at x=${ada.x}, expected about ${expectedX}`);
  });

  await check('speed and pause controls change the replay', async () => {
    await page.selectOption('#speed', '2');
    await until(page, 'speed 2', () => window.__relayReplay?.status?.speed === 2);
    await page.click('#pause');
    const paused = await until(page, 'the pause', () => (window.__relayReplay?.status?.paused ? window.__relayReplay.time() : null));
    await page.screenshot({ path: path.join(screenshotDir, 'replay.png') });
    const later = await page.evaluate(() => window.__relayReplay.time());
    if (later !== paused) throw new Error(`paused, yet the time moved from ${paused} to ${later}`);
    const label = await page.textContent('#replay-time');
    if (!/^0:0\d \/ 0:1\d$/.test(label)) throw new Error(`time label "${label}"`);
  });

  if (errors.length) await fail(`page errors: ${errors.join('; ')}`);
  await finish();
  process.exit(0);
}

main().catch((error) => fail(error?.stack ?? error));
