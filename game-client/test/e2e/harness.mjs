// The harness every browser script shares: a run bounded in time, numbered checks, a failure that
// says why, screenshots every page it knows and closes the browser, and Chromium launched the same
// way everywhere (headless, no sandbox, nothing fetched in the background).
import path from 'node:path';
import { chromium } from 'playwright-core';

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = path.resolve(process.env.SCREENSHOT_DIR ?? 'target/screenshots');

/**
 * @param {object} options
 * @param {string} options.tag prefix of every line, and of the closing "N passed, M failed" line
 * @param {number} options.overallTimeoutMs the whole run fails past this
 * @param {string} [options.screenshotPrefix] file name prefix of the failure screenshots
 * @param {boolean} [options.stacks] report a failed check's stack, not only its message
 * @param {() => unknown} [options.cleanup] also run when the run ends (a proxy to close)
 */
export function createRun({ tag, overallTimeoutMs, screenshotPrefix = '', stacks = false, cleanup = () => {} }) {
  /** label -> page, screenshotted when the run fails */
  const pages = new Map();
  /** uncaught errors of the pages, reported when the run fails */
  const pageErrors = [];
  let browser = null;
  let passed = 0;

  const log = (message) => process.stdout.write(`[${tag}] ${message}\n`);

  async function fail(message) {
    process.stdout.write(`[${tag}] FAILED: ${message}\n`);
    if (pageErrors.length) process.stdout.write(`[${tag}] page errors:\n  ${pageErrors.join('\n  ')}\n`);
    for (const [label, page] of pages) {
      await page.screenshot({ path: path.join(screenshotDir, `${screenshotPrefix}failure-${label}.png`), timeout: 3000 })
        .catch(() => {});
    }
    process.stdout.write(`${tag}: ${passed} passed, 1 failed\n`);
    await browser?.close().catch(() => {});
    await cleanup();
    process.exit(1);
  }

  const overall = setTimeout(() => fail(`took longer than ${overallTimeoutMs / 1000} s`), overallTimeoutMs);

  async function check(name, fn) {
    const started = Date.now();
    try {
      await fn();
    } catch (error) {
      await fail(`${name}: ${(stacks ? error?.stack : error?.message) ?? error}`);
    }
    passed += 1;
    log(`ok ${passed} - ${name} (${Date.now() - started} ms)`);
  }

  /** Headless Chromium; the run fails when it cannot start. */
  async function launch(extraArgs = []) {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30_000,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', ...extraArgs],
    }).catch((error) => fail(`cannot launch ${CHROMIUM}: ${error.message}`));
    return browser;
  }

  /**
   * Opens {@code url} in a new page of {@code context} and follows it: its uncaught errors are reported
   * when the run fails (with {@code logConsoleErrors}, its console errors are logged as they come),
   * it is screenshotted then under {@code label}, and each of its steps waits at most
   * {@code stepTimeoutMs}. Throws unless the page answers 2xx.
   */
  async function openPage(context, label, url, { stepTimeoutMs, logConsoleErrors = false, loadTimeoutMs } = {}) {
    const page = await context.newPage();
    page.setDefaultTimeout(stepTimeoutMs);
    page.on('pageerror', (error) => pageErrors.push(`${label}: ${error.message}`));
    if (logConsoleErrors) {
      page.on('console', (message) => {
        if (message.type() === 'error') log(`${label} console: ${message.text()}`);
      });
    }
    pages.set(label, page);
    const response = await page.goto(url, { waitUntil: 'load', ...(loadTimeoutMs ? { timeout: loadTimeoutMs } : {}) });
    if (!response?.ok()) throw new Error(`GET ${url} answered ${response?.status()}`);
    return page;
  }

  /** Every check passed: stops the clock, closes the browser and says so. */
  async function finish() {
    clearTimeout(overall);
    await browser?.close();
    await cleanup();
    process.stdout.write(`${tag}: ${passed} passed, 0 failed\n`);
  }

  return { pages, pageErrors, log, fail, check, launch, openPage, finish };
}
