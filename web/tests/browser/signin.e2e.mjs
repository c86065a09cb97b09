#!/usr/bin/env node
// Browser end-to-end test of passwordless sign-in against a running wijkwerk server.
//
//   WIJKWERK_URL=http://127.0.0.1:18090 WIJKWERK_OUTBOX=/tmp/webdemo/outbox.jsonl \
//     node tests/browser/signin.e2e.mjs [screenshot-dir]
//
// The server must write its mail to the outbox file (`--mail-outbox`): one JSON object a line,
// `{to, subject, body, code, link, sent_at}`. The test signs in with the mailed code, signs out,
// signs in with the mailed link (`/aanmelden.html#token=…`), then opens the used link again and
// expects "verlopen of al gebruikt". Along the way: the fragment is cleared, the keyboard path
// works, consents are given and withdrawn (a CSRF-protected POST), the pages fit 360 px, every page
// runs under the server's own Content-Security-Policy, and no CSP violation, uncaught error or
// console error happens.
//
// Same conventions as map.e2e.mjs: system Chromium through playwright-core, one line per check,
// `checks passed: P of N` and `P passed, F failed` (harness.mjs), exit 1 on a failed check or a
// check that did not run, 2 when it cannot run.
// Environment: WIJKWERK_URL, WIJKWERK_OUTBOX (required), CHROMIUM_PATH, WIJKWERK_E2E_TIMEOUT_MS.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CheckFailed, assert, checkServerCsp, recordDocuments, summarise } from './harness.mjs';

/** The checks below; a run with another number fails. */
const EXPECTED_CHECKS = 12;

const BASE = (process.env.WIJKWERK_URL ?? '').replace(/\/+$/, '');
const OUTBOX = process.env.WIJKWERK_OUTBOX ?? '';
if (!BASE || !OUTBOX || process.argv.includes('--help') || process.argv.includes('-h')) {
  console.error('usage: WIJKWERK_URL=<base-url> WIJKWERK_OUTBOX=<outbox.jsonl> node tests/browser/signin.e2e.mjs [screenshot-dir]');
  process.exit(2);
}
const SHOTS = path.resolve(process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wijkwerk-signin-shots-')));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT = Number(process.env.WIJKWERK_E2E_TIMEOUT_MS ?? 30_000);

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

fs.mkdirSync(SHOTS, { recursive: true });

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every mail in the outbox to `to`, oldest first. */
function mailsTo(to) {
  let text = '';
  try {
    text = fs.readFileSync(OUTBOX, 'utf8');
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
    .filter((mail) => mail.to === to);
}

/** Waits for mail number `count + 1` to `to` (the server writes it before answering 202, but be patient). */
async function nextMail(to, count) {
  const until = Date.now() + TIMEOUT;
  while (Date.now() < until) {
    const mails = mailsTo(to);
    if (mails.length > count) return mails.at(-1);
    await sleep(100);
  }
  throw new CheckFailed(`no new mail to ${to} in ${OUTBOX}`);
}

/** The mailed link on this server (the mail may name another host, e.g. a public URL). */
function onServer(link) {
  const url = new URL(link, BASE);
  return `${BASE}${url.pathname}${url.search}${url.hash}`;
}

// ---------------------------------------------------------------------------------------------

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wijkwerk-signin-profile-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    locale: 'nl-NL',
  });
} catch (error) {
  console.error(`cannot start Chromium at ${CHROMIUM}: ${error.message}`);
  fs.rmSync(userDataDir, { recursive: true, force: true });
  process.exit(2);
}

const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(TIMEOUT);

const violations = [];
const pageErrors = [];
const consoleErrors = [];
/** While set, console errors matching it are expected (the browser logs every 4xx answer). */
let expectedConsole = null;
/** Every document the page loaded, with the Content-Security-Policy it came with. */
const documents = recordDocuments(page);

await page.exposeFunction('__wijkwerkCspViolation', (report) => violations.push(report));
await page.addInitScript(() => {
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__wijkwerkCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
  });
});
page.on('pageerror', (error) => pageErrors.push(error.message));
page.on('console', (message) => {
  if (message.type() !== 'error') return;
  if (expectedConsole?.test(message.text())) return;
  consoleErrors.push(`${message.text()} (${message.location().url ?? ''})`);
});

const results = [];
const found = {};

async function check(name, body) {
  const started = Date.now();
  try {
    await withTimeout(body(), TIMEOUT * 3, name);
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    const file = path.join(SHOTS, `failure-${results.length}-${slug(name)}.png`);
    let saved = '';
    try {
      await page.screenshot({ path: file, fullPage: true });
      saved = ` [screenshot: ${file}]`;
    } catch {
      // The page may be gone; the message matters more.
    }
    console.log(`FAIL ${name}: ${error instanceof CheckFailed ? error.message : (error.stack ?? error)}${saved}`);
  }
}

const pathOf = () => new URL(page.url()).pathname;
const sessionNow = () =>
  page.evaluate(async () => (await fetch('/api/session', { credentials: 'same-origin' })).json());

/** Sends the e-mail step with the keyboard and returns the mail that arrived. */
async function requestMail(email) {
  const before = mailsTo(email).length;
  const input = page.locator('#email-input');
  await input.waitFor({ state: 'visible' });
  await input.fill('');
  await input.focus();
  await page.keyboard.type(email);
  await page.keyboard.press('Enter');
  await page.locator('#code-form').waitFor({ state: 'visible' });
  return nextMail(email, before);
}

/** Waits for the account page to show `email` as the signed-in user. */
async function expectAccount(email) {
  await page.waitForURL((url) => url.pathname === '/account.html' || url.pathname === '/account');
  await page.locator('#account-email').waitFor({ state: 'visible' });
  const shown = await page.locator('#account-email').textContent();
  assert(shown === email, `account page shows "${shown}", expected "${email}"`);
}

const EMAIL = `e2e-${Date.now().toString(36)}-${process.pid}@example.nl`;

await check('the sign-in page loads in Dutch with its forms', async () => {
  const response = await page.goto(`${BASE}/aanmelden.html`, { waitUntil: 'domcontentloaded' });
  assert(response?.ok(), `GET /aanmelden.html answered ${response?.status()}`);
  await page.locator('#account-link').waitFor({ state: 'visible' });
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    h1: document.querySelector('h1')?.textContent,
    tab: document.querySelector('[role="tab"][aria-selected="true"]')?.id,
    link: document.querySelector('#account-link')?.getAttribute('href'),
  }));
  assert(facts.lang === 'nl' && facts.h1 === 'Aanmelden', `lang=${facts.lang}, h1="${facts.h1}"`);
  assert(facts.tab === 'tab-resident', `the resident tab is not chosen first (${facts.tab})`);
  assert(facts.link === '/aanmelden.html', `header link goes to ${facts.link}`);
  // The server's own answer on the path without .html.
  const bare = await page.evaluate(async () => (await fetch('/aanmelden')).status);
  assert(bare === 200, `GET /aanmelden answered ${bare}`);
});

await check('staff tab and back with the arrow keys', async () => {
  await page.locator('#tab-resident').focus();
  await page.keyboard.press('ArrowRight');
  assert(await page.locator('#staff-form').isVisible(), 'ArrowRight did not show the staff form');
  const focused = await page.evaluate(() => document.activeElement?.id);
  assert(focused === 'tab-staff', `focus is on ${focused} after ArrowRight`);
  await page.keyboard.press('ArrowLeft');
  assert(await page.locator('#email-form').isVisible(), 'ArrowLeft did not bring back the e-mail form');
});

await check('e-mail, then the mailed code, signs in and shows the account', async () => {
  const mail = await requestMail(EMAIL);
  assert(/^\d{6}$/.test(mail.code ?? ''), `mail code is ${JSON.stringify(mail.code)}`);
  assert(typeof mail.link === 'string' && mail.link.includes('#token='), `mail link is ${JSON.stringify(mail.link)}`);
  const focused = await page.evaluate(() => document.activeElement?.id);
  assert(focused === 'code-input', `after sending, focus is on ${focused}, not the code field`);
  const notice = await page.locator('#resident-notice').textContent();
  assert(notice?.includes(EMAIL), `the notice does not name the address: "${notice}"`);
  await page.keyboard.type(mail.code);
  await page.keyboard.press('Enter');
  await expectAccount(EMAIL);
  const link = await page.locator('#account-link').textContent();
  assert(link?.trim() === EMAIL, `header link reads "${link}", expected the account name`);
  const session = await sessionNow();
  assert(session.signed_in === true && session.user?.email === EMAIL, `GET /api/session says ${JSON.stringify(session)}`);
});

await check('the account page lists this session and changes a consent', async () => {
  await page.locator('#sessions-list li').first().waitFor({ state: 'visible' });
  const current = await page.locator('#sessions-list .badge').count();
  assert(current === 1, `${current} sessions are marked as this device`);
  const give = page.locator('#consent-list button[data-purpose="contact"]');
  await give.waitFor({ state: 'visible' });
  const before = await give.textContent();
  assert(before === 'Toestemming geven', `contact consent button reads "${before}"`);
  await give.click();
  await page.waitForFunction(() => document.querySelector('#consent-notice')?.dataset.kind === 'success');
  const after = await page.locator('#consent-list button[data-purpose="contact"]').textContent();
  assert(after === 'Intrekken', `after giving, the button reads "${after}"`);
  await page.locator('#consent-list button[data-purpose="contact"]').click();
  await page.waitForFunction(
    () => document.querySelector('#consent-list button[data-purpose="contact"]')?.textContent === 'Toestemming geven',
  );
  await page.locator('#consent-history-toggle').click();
  await page.locator('#consent-history li').nth(1).waitFor({ state: 'visible' });
  const history = await page.locator('#consent-history li').allTextContents();
  assert(history.length === 2, `history has ${history.length} entries: ${JSON.stringify(history)}`);
});

await check('the account page fits a 360 px wide phone', async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: path.join(SHOTS, 'account-360.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  assert(overflow <= 0, `the account page is ${overflow} px wider than the screen`);
});

await check('"Afmelden" signs out and says so', async () => {
  await page.locator('#logout').click();
  await page.waitForURL((url) => url.pathname === '/aanmelden.html');
  await page.waitForFunction(() => document.querySelector('#signin-notice')?.dataset.kind === 'success');
  const notice = await page.locator('#signin-notice').textContent();
  assert(notice === 'Je bent afgemeld.', `notice reads "${notice}"`);
  const session = await sessionNow();
  assert(session.signed_in === false, `still signed in after sign-out: ${JSON.stringify(session)}`);
});

await check('the mailed link signs in again and leaves no token in the address bar', async () => {
  const mail = await requestMail(EMAIL);
  found.link = onServer(mail.link);
  await page.goto(found.link);
  await expectAccount(EMAIL);
  const history = await page.evaluate(() => ({ hash: location.hash, length: history.length }));
  assert(history.hash === '', `the account page has hash "${history.hash}"`);
  await page.goBack();
  await page.waitForLoadState('domcontentloaded');
  const back = page.url();
  assert(!back.includes('token='), `going back shows the token again: ${back}`);
});

await check('the same link again says it expired or was used', async () => {
  assert(found.link, 'no link from the previous check');
  expectedConsole = /status of 400/;
  try {
    await page.goto(found.link);
    await page.waitForFunction(() => document.querySelector('#signin-notice')?.dataset.kind === 'error');
    // Let the browser report the 400 before the allowance ends.
    await page.waitForLoadState('networkidle');
  } finally {
    expectedConsole = null;
  }
  const notice = await page.locator('#signin-notice').textContent();
  assert(/verlopen of al gebruikt/.test(notice ?? ''), `notice reads "${notice}"`);
  assert(pathOf() === '/aanmelden.html', `moved on to ${pathOf()}`);
  const hash = await page.evaluate(() => location.hash);
  assert(hash === '', `the used token stays in the address bar: "${hash}"`);
  const focused = await page.evaluate(() => document.activeElement?.id);
  assert(focused === 'email-input', `focus is on ${focused}, not on the e-mail field to ask again`);
});

await check('the sign-in page switches to English and fits 360 px', async () => {
  await page.locator('#lang-toggle').click();
  const en = await page.evaluate(() => ({ lang: document.documentElement.lang, h1: document.querySelector('h1')?.textContent, notice: document.querySelector('#signin-notice')?.textContent }));
  assert(en.lang === 'en' && en.h1 === 'Sign in', `after the switch: lang=${en.lang}, h1="${en.h1}"`);
  assert(/expired or was already used/.test(en.notice ?? ''), `the notice did not follow the language: "${en.notice}"`);
  await page.locator('#lang-toggle').click();
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: path.join(SHOTS, 'aanmelden-360.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  assert(overflow <= 0, `the sign-in page is ${overflow} px wider than the screen`);
});

await check('"Overal afmelden" ends the session', async () => {
  await page.goto(`${BASE}/account.html`);
  await expectAccount(EMAIL);
  await page.locator('#logout-all').click();
  await page.waitForURL((url) => url.pathname === '/aanmelden.html');
  const session = await sessionNow();
  assert(session.signed_in === false, `still signed in: ${JSON.stringify(session)}`);
});

await check("every page ran under the server's own Content-Security-Policy", async () => {
  const policy = await checkServerCsp(context, `${BASE}/aanmelden.html`, documents);
  console.log(`     ${documents.length} documents, each with: ${policy}`);
});

await check('no Content-Security-Policy violation, uncaught error or console error', async () => {
  assert(violations.length === 0, `CSP violations: ${violations.join(' | ')}`);
  assert(pageErrors.length === 0, `uncaught errors: ${pageErrors.join(' | ')}`);
  assert(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
});

await context.close();
fs.rmSync(userDataDir, { recursive: true, force: true });

if (results.some((r) => !r.ok)) console.log(`screenshots: ${SHOTS}`);
process.exit(summarise(results.map((r) => r.ok), EXPECTED_CHECKS));
