#!/usr/bin/env node
// Accessibility checked by a tool (issue 11 §9): axe-core on every page of the app, on a 360 px
// phone and on a desktop, signed in as someone who sees the page's content; 0 serious or critical
// violations.
//
//   WIJKWERK_URL=<base-url> WIJKWERK_PASSWORD=<staff password> WIJKWERK_ADMIN=<email> \
//   node tests/browser/a11y.e2e.mjs [screenshot-dir]
//
// axe-core is injected into the page (a context that bypasses the page's Content-Security-Policy
// only for that script; the other browser tests check the policy itself).

import fs from 'node:fs';
import { createRequire } from 'node:module';
import { DESKTOP, PHONE, Run, adopt, assert, staffSession, BASE } from './support.mjs';

const PAGES = [
  ['/', '#map canvas, .maplibregl-canvas'],
  ['/aanmelden', 'main'],
  ['/account', 'main'],
  // The form of a password link (shown for any token; nothing is sent until it is submitted). Not
  // right after /aanmelden: a change of the fragment alone is no navigation.
  ['/aanmelden#wachtwoord=a-token-from-a-mail', '#password-link-section:not([hidden])'],
  ['/beheer', 'main'],
  ['/werk', 'main'],
  ['/lopen', 'main'],
  ['/urgentie', '#urgency-table table'],
];
// One check per screen, written out: tests/tests/web.rs reads it.
const EXPECTED_CHECKS = 2;

const env = process.env;
const run = await new Run(
  'a11y',
  'WIJKWERK_URL=… WIJKWERK_PASSWORD=… WIJKWERK_ADMIN=… node tests/browser/a11y.e2e.mjs [screenshot-dir]',
  ['WIJKWERK_PASSWORD', 'WIJKWERK_ADMIN'],
).start();
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const admin = await staffSession(env.WIJKWERK_ADMIN, env.WIJKWERK_PASSWORD);

for (const screen of [PHONE, DESKTOP]) {
  await run.check(`axe-core finds no serious or critical violation on any page (${screen.name})`, async () => {
    const context = await run.browser.newContext({ viewport: screen.viewport, isMobile: screen.isMobile, hasTouch: screen.hasTouch, bypassCSP: true, locale: 'nl-NL' });
    await adopt(context, admin);
    const page = await context.newPage();
    run.current = page;
    const found = [];
    page.on('pageerror', (error) => found.push(`uncaught ${error.message}`));
    for (const [path, ready] of PAGES) {
      const response = await page.goto(`${BASE}${path}`, { waitUntil: 'domcontentloaded' });
      assert(response?.ok(), `GET ${path} answered ${response?.status()}`);
      await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
      await page.locator(ready).first().waitFor({ state: 'attached' });
      await page.waitForTimeout(300);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      });
      for (const v of result) found.push(`${path}: ${v}`);
    }
    await context.close();
    assert(found.length === 0, `\n  ${found.join('\n  ')}`);
  });
}

await run.finish(EXPECTED_CHECKS);
