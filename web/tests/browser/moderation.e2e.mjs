#!/usr/bin/env node
// Browser end-to-end test of the moderation queue on /beheer, against a running server.
//
//   WIJKWERK_URL=<base-url> WIJKWERK_STAFF=<email> WIJKWERK_PASSWORD=<password> \
//   WIJKWERK_ADMIN=<an admin's email, same password> \
//   WIJKWERK_BUILDING=<pand id in the staff member's area> node tests/browser/moderation.e2e.mjs [screenshot-dir]
//
// A device session reports solar panels on the pand with a phone number in its free text (the
// server flags it as possible personal data). The staff member (a wijkondernemer or
// communitybuilder of the area) signs in with a password, opens /beheer on a 360 px phone, finds
// the report in "Moderatie" with its signal and its text, hides it with the keyboard, sees the
// status change and "Terugzetten" take the place of "Verbergen", and puts it back. The report's
// status is read back through the API after each step; an admin then finds both actions in the
// audit log on /beheer, in words, with the staff member named by e-mail, and narrows the log down
// by what was done and by who (issue 11 item 5). The page runs under the server's own
// Content-Security-Policy; no CSP violation, uncaught error or console error; nothing wider than
// the screen.
//
// Same conventions as the other browser tests: system Chromium through playwright-core, one line per
// check, `checks passed: P of N` and `P passed, F failed` (harness.mjs), exit 1 on a failed check or
// a check that did not run, 2 when it cannot run.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CheckFailed, assert, checkServerCsp, recordDocuments, summarise } from './harness.mjs';

/** The checks below; a run with another number fails. */
const EXPECTED_CHECKS = 10;

const BASE = (process.env.WIJKWERK_URL ?? '').replace(/\/+$/, '');
const { WIJKWERK_STAFF: STAFF, WIJKWERK_PASSWORD: PASSWORD, WIJKWERK_BUILDING: BUILDING, WIJKWERK_ADMIN: ADMIN } = process.env;
if (!BASE || !STAFF || !PASSWORD || !BUILDING || !ADMIN) {
  console.error('usage: WIJKWERK_URL=… WIJKWERK_STAFF=… WIJKWERK_PASSWORD=… WIJKWERK_ADMIN=… WIJKWERK_BUILDING=… node tests/browser/moderation.e2e.mjs [screenshot-dir]');
  process.exit(2);
}
const SHOTS = path.resolve(process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wijkwerk-moderation-shots-')));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT = Number(process.env.WIJKWERK_E2E_TIMEOUT_MS ?? 30_000);
fs.mkdirSync(SHOTS, { recursive: true });

/** A device session made over plain HTTP: its cookie and CSRF token. */
async function deviceSession() {
  const response = await fetch(`${BASE}/api/auth/device`, { method: 'POST' });
  assert(response.ok, `device session: ${response.status}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrf } = await response.json();
  return { cookie, csrf };
}

async function api(session, method, urlPath, body) {
  const response = await fetch(`${BASE}${urlPath}`, {
    method,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert(response.ok, `${method} ${urlPath}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

let browser;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--no-first-run'] });
} catch (error) {
  console.error(`cannot start Chromium at ${CHROMIUM}: ${error.message}`);
  process.exit(2);
}
const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'nl-NL' });
const page = await context.newPage();
page.setDefaultTimeout(TIMEOUT);
const problems = [];
/** Every document the page loaded, with the Content-Security-Policy it came with. */
const documents = recordDocuments(page);
await page.exposeFunction('__wijkwerkCspViolation', (report) => problems.push(`CSP: ${report}`));
await page.addInitScript(() => {
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__wijkwerkCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
  });
});
page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
page.on('console', (message) => {
  if (message.type() === 'error') problems.push(`console: ${message.text()}`);
});

const results = [];
async function check(name, body) {
  try {
    await body();
    results.push(true);
    console.log(`ok   ${name}`);
  } catch (error) {
    results.push(false);
    const file = path.join(SHOTS, `failure-${results.length}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.log(`FAIL ${name}: ${error instanceof CheckFailed ? error.message : (error.stack ?? error)} [screenshot: ${file}]`);
  }
}

const reporter = await deviceSession();
const NOTE = 'bel mij op 06-12345678';
const report = await api(reporter, 'POST', '/api/observations', {
  type: 'solar_panels',
  target: { building: BUILDING },
  answers: { panels: 'yes', note: NOTE },
});
const row = () => page.locator('#moderation-table tr', { has: page.locator(`button[data-report="${report.id}"]`) });
const statusOf = async () => (await api(staffSession, 'GET', `/api/observations/${report.id}`)).status;
let staffSession;

await check('the staff member signs in and the page shows the moderation queue', async () => {
  const response = await context.request.post(`${BASE}/api/auth/password`, { data: { email: STAFF, password: PASSWORD } });
  assert(response.ok(), `sign-in: ${response.status()} ${await response.text()}`);
  const { csrf } = await response.json();
  const cookie = (await context.cookies(BASE)).map((c) => `${c.name}=${c.value}`).join('; ');
  staffSession = { cookie, csrf };
  await page.goto(`${BASE}/beheer`);
  await page.locator('#moderation-section').waitFor({ state: 'visible' });
  await row().waitFor({ state: 'visible' });
});

await check('the report shows its signal and its free text', async () => {
  await row().filter({ hasText: 'Zonnepanelen' }).waitFor({ state: 'visible' });
  const text = await row().textContent();
  assert(text.includes('mogelijk persoonsgegevens'), `signals: ${text}`);
  assert(text.includes(NOTE), `free text: ${text}`);
});

await check('hiding it with the keyboard changes its status and offers to put it back', async () => {
  const hide = row().locator('button[data-action="hide"]');
  await hide.focus();
  await page.keyboard.press('Enter');
  await row().locator('button[data-action="unhide"]').waitFor({ state: 'visible' });
  assert((await row().locator('button[data-action="hide"]').count()) === 0, 'no "Verbergen" on a hidden report');
  const notice = await page.locator('#moderation-notice').textContent();
  assert(notice.includes(`Melding ${report.id}`), `notice: ${notice}`);
  assert((await statusOf()) === 'hidden', 'the server holds it hidden');
});

await check('putting it back makes it open again', async () => {
  await row().locator('button[data-action="unhide"]').click();
  await row().locator('button[data-action="hide"]').waitFor({ state: 'visible' });
  assert((await statusOf()) === 'new', 'the server holds it open');
});

await check('an impossible merge is refused on the page, with the field marked', async () => {
  const input = row().locator('form.inline-form input');
  await input.fill('abc');
  await row().locator('form.inline-form button').click();
  assert((await input.getAttribute('aria-invalid')) === 'true', 'the field is marked invalid');
  const notice = await page.locator('#moderation-notice').textContent();
  assert(notice.includes('andere melding'), `notice: ${notice}`);
});

await check("the admin's audit log shows the hiding and the putting back, in words", async () => {
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
  try {
    const response = await adminContext.request.post(`${BASE}/api/auth/password`, { data: { email: ADMIN, password: PASSWORD } });
    assert(response.ok(), `admin sign-in: ${response.status()} ${await response.text()}`);
    const admin = await adminContext.newPage();
    admin.on('pageerror', (error) => problems.push(`admin page error: ${error.message}`));
    await admin.goto(`${BASE}/beheer`);
    const rows = admin.locator('#audit-table tr', { hasText: `melding ${report.id}` });
    await rows.first().waitFor({ state: 'visible' });
    const texts = await rows.allTextContents();
    const moderated = texts.filter((t) => t.includes('melding gemodereerd'));
    assert(moderated.some((t) => t.includes('verborgen')), `no "verborgen" among: ${texts.join(' | ')}`);
    assert(moderated.some((t) => t.includes('teruggezet')), `no "teruggezet" among: ${texts.join(' | ')}`);
    // Codes as sent, outside the e-mail addresses (the staff member's is wo@moderation.test).
    const cells = (await rows.allInnerTexts()).map((t) => t.replace(/[^\s@]+@[^\s@]+/g, ''));
    assert(!cells.some((t) => /\bmoderation\b|\bunhide\b|observation:/.test(t)), `codes in: ${cells.join(' | ')}`);
  } finally {
    await adminContext.close();
  }
});

await check('the audit log names who by e-mail and is filtered by what and by who', async () => {
  const adminContext = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'nl-NL' });
  try {
    const response = await adminContext.request.post(`${BASE}/api/auth/password`, { data: { email: ADMIN, password: PASSWORD } });
    assert(response.ok(), `admin sign-in: ${response.status()} ${await response.text()}`);
    const admin = await adminContext.newPage();
    admin.on('pageerror', (error) => problems.push(`admin page error: ${error.message}`));
    await admin.goto(`${BASE}/beheer`);
    const rows = admin.locator('#audit-table tbody tr');
    await rows.first().waitFor({ state: 'visible' });
    const moderated = admin.locator('#audit-table tbody tr', { hasText: `melding ${report.id}` });
    const texts = await moderated.allTextContents();
    assert(texts.length >= 2 && texts.every((t) => t.includes(STAFF)), `not by ${STAFF}: ${texts.join(' | ')}`);
    assert(!texts.some((t) => /user:\d/.test(t)), `an account id instead of its e-mail: ${texts.join(' | ')}`);
    // What: only the moderation.
    await admin.locator('#audit-action').selectOption({ label: 'melding gemodereerd' });
    const chosen = await rows.allTextContents();
    assert(chosen.length >= 2 && chosen.every((t) => t.includes('melding gemodereerd')), `after choosing: ${chosen.join(' | ')}`);
    // Who: the admin did no moderation.
    await admin.locator('#audit-filter').fill(ADMIN);
    await admin.locator('#audit-table p').waitFor({ state: 'visible' });
    assert((await rows.count()) === 0, 'the admin moderated nothing');
    await admin.locator('#audit-filter').fill(STAFF.slice(0, 6));
    await rows.first().waitFor({ state: 'visible' });
    assert((await rows.count()) === chosen.length, 'the staff member did all the moderation');
  } finally {
    await adminContext.close();
  }
});

await check('nothing is wider than a 360 px screen', async () => {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= 360, `the page is ${width} px wide`);
  await page.screenshot({ path: path.join(SHOTS, 'moderation-360.png'), fullPage: true });
});

await check("the page ran under the server's own Content-Security-Policy", async () => {
  const policy = await checkServerCsp(context, `${BASE}/beheer`, documents);
  console.log(`     ${documents.length} documents, each with: ${policy}`);
});

await check('no CSP violation, uncaught error or console error', async () => {
  assert(problems.length === 0, problems.join('\n'));
});

await browser.close();
process.exit(summarise(results, EXPECTED_CHECKS));
