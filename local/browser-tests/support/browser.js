// Drives Debian's /usr/bin/chromium through playwright-core: pages are checked with axe-core, screenshotted, and any
// Content-Security-Policy violation or uncaught page error is recorded so a test can assert there was none.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');
const CHROMIUM = process.env.BOXOFFICE_CHROMIUM ?? '/usr/bin/chromium';

/** `args` are added to the usual flags (a fake camera, for instance). */
export function launchBrowser({ args = [] } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args],
  });
}

/** A fresh context (empty cache and storage) and page for one journey. */
export async function openJourney(browser, journey, { viewport = { width: 1280, height: 900 }, locale = 'en-GB' } = {}) {
  const context = await browser.newContext({ viewport, locale, timezoneId: 'Europe/Paris' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  let shot = 0;
  return {
    context,
    page,
    problems,
    /**
     * Waits for the page to settle, checks accessibility and saves a screenshot named after the step. A page that
     * keeps a stream open (Server-Sent Events) never goes network-idle: it passes `settled: 'load'`.
     */
    async check(step, { settled = 'networkidle' } = {}) {
      await page.waitForLoadState(settled);
      shot += 1;
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${journey}-${String(shot).padStart(2, '0')}-${step}.png`), fullPage: true });
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${journey}/${step}: serious or critical accessibility violations`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(width <= 1, `${journey}/${step}: the page scrolls sideways by ${width}px`);
    },
    assertClean() {
      assert.deepEqual(problems, [], `${journey}: CSP violations or page errors`);
    },
    close: () => context.close(),
  };
}

async function axeViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (no inline script is added).
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** Puts a session token where the app keeps it, as the sign-in page would. */
export async function useSession(page, baseUrl, session) {
  await page.goto(`${baseUrl}/`);
  await page.evaluate((stored) => sessionStorage.setItem('boxoffice.session', JSON.stringify(stored)), session);
}
