// Shared by the browser tests of issue 11 (words.e2e.mjs, addresses.e2e.mjs, return.e2e.mjs,
// privacy.e2e.mjs): Chromium with software WebGL, one context per person (phone or desktop, with
// its own cookies) that records CSP violations, uncaught errors and console errors; the check
// runner; sessions made through the API; the mail outbox; and the map helpers.
//
// Environment: WIJKWERK_URL (required), WIJKWERK_OUTBOX (for residents signing in by mail),
// CHROMIUM_PATH, WIJKWERK_E2E_TIMEOUT_MS.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CheckFailed, assert, checkServerCsp, recordDocuments, summarise } from './harness.mjs';

export { CheckFailed, assert, summarise };

export const BASE = (process.env.WIJKWERK_URL ?? '').replace(/\/+$/, '');
export const OUTBOX = process.env.WIJKWERK_OUTBOX ?? '';
export const TIMEOUT = Number(process.env.WIJKWERK_E2E_TIMEOUT_MS ?? 60_000);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The two screens every check runs on. */
export const PHONE = { name: '360 px', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
export const DESKTOP = { name: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false };

// Software WebGL (no GPU here) and no calls to the internet (BROWSER-TESTING.md).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

/**
 * A test run: the browser, the people (contexts) it made, what went wrong in any of them, and the
 * checks. `usage` is printed when the environment is incomplete.
 */
export class Run {
  constructor(script, usage, required = []) {
    const missing = ['WIJKWERK_URL', ...required].filter((name) => !process.env[name]);
    if (missing.length > 0 || process.argv.includes('--help')) {
      console.error(`usage: ${usage}\nmissing: ${missing.join(', ')}`);
      process.exit(2);
    }
    this.shots = path.resolve(process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), `wijkwerk-${script}-shots-`)));
    fs.mkdirSync(this.shots, { recursive: true });
    this.results = [];
    this.problems = [];
    this.documents = [];
    this.people = [];
    /** The page a failed check screenshots. */
    this.current = null;
    /** While set, console errors matching it are expected. */
    this.expectedConsole = null;
  }

  async start() {
    try {
      this.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    } catch (error) {
      console.error(`cannot start Chromium at ${CHROMIUM}: ${error.message}`);
      process.exit(2);
    }
    return this;
  }

  /** A person on `screen` (PHONE or DESKTOP) with their own cookies; `lang` is the stored language. */
  async person(name, screen, lang = 'nl') {
    const context = await this.browser.newContext({
      viewport: screen.viewport,
      isMobile: screen.isMobile,
      hasTouch: screen.hasTouch,
      deviceScaleFactor: 1,
      locale: lang === 'en' ? 'en-GB' : 'nl-NL',
    });
    // The language a person chose before (the app keeps it in localStorage).
    await context.addInitScript((lang) => {
      try {
        if (!localStorage.getItem('wijkwerk.lang')) localStorage.setItem('wijkwerk.lang', lang);
      } catch {
        // about:blank has no storage.
      }
    }, lang);
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    recordDocuments(page, this.documents);
    const label = `${name} (${screen.name})`;
    await page.exposeFunction('__wijkwerkCspViolation', (report) => this.problems.push(`${label}: CSP ${report}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__wijkwerkCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    page.on('pageerror', (error) => this.problems.push(`${label}: uncaught ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error' || this.expectedConsole?.test(message.text())) return;
      this.problems.push(`${label}: console ${message.text()} (${message.location().url ?? ''})`);
    });
    const requests = [];
    page.on('request', (request) => requests.push({ method: request.method(), path: new URL(request.url()).pathname }));
    const person = { name: label, context, page, screen, requests };
    this.people.push(person);
    return person;
  }

  async check(name, body) {
    const started = Date.now();
    try {
      await withTimeout(body(), TIMEOUT * 3, name);
      this.results.push(true);
      console.log(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      this.results.push(false);
      const file = path.join(this.shots, `failure-${this.results.length}-${slug(name)}.png`);
      let saved = '';
      try {
        await this.current?.screenshot({ path: file });
        saved = ` [screenshot: ${file}]`;
      } catch {
        // The page may be gone; the message matters more.
      }
      console.log(`FAIL ${name}: ${error instanceof CheckFailed ? error.message : (error.stack ?? error)}${saved}`);
    }
  }

  /** The two closing checks every script runs: the server's own CSP, and nothing went wrong. */
  async closingChecks() {
    await this.check("every page ran under the server's own Content-Security-Policy", async () => {
      const context = await this.browser.newContext();
      const policy = await checkServerCsp(context, `${BASE}/`, this.documents).finally(() => context.close());
      console.log(`     ${this.documents.length} documents, each with: ${policy}`);
    });
    await this.check('no Content-Security-Policy violation, uncaught error or console error', async () => {
      assert(this.problems.length === 0, this.problems.join(' | '));
    });
  }

  async finish(expected) {
    await this.browser.close();
    if (this.results.some((ok) => !ok)) console.log(`screenshots: ${this.shots}`);
    process.exit(summarise(this.results, expected));
  }
}

// --- sessions through the API ------------------------------------------------------------------

/** `fetch` against the server with a session's cookie and CSRF token; JSON in and out. */
export async function api(session, method, urlPath, body) {
  const headers = { accept: 'application/json' };
  if (session) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = session.csrf;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${BASE}${urlPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  assert(response.ok, `${method} ${urlPath}: ${response.status} ${text.slice(0, 300)}`);
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') && text ? JSON.parse(text) : text;
}

function sessionOf(response, body) {
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
  assert(cookie, 'no session cookie');
  return { cookie, csrf: body.csrf };
}

/** A device session (an anonymous reporter). */
export async function deviceSession() {
  const response = await fetch(`${BASE}/api/auth/device`, { method: 'POST' });
  assert(response.ok, `device session: ${response.status}`);
  return sessionOf(response, await response.json());
}

/** A staff session (password). */
export async function staffSession(email, password) {
  const response = await fetch(`${BASE}/api/auth/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = await response.json();
  assert(response.ok, `sign-in of ${email}: ${response.status} ${JSON.stringify(body)}`);
  return sessionOf(response, body);
}

/** Every mail in the outbox to `to`, oldest first. */
export function mailsTo(to) {
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

/** Waits for a mail to `to` after the first `count`. */
export async function nextMail(to, count) {
  const until = Date.now() + TIMEOUT;
  while (Date.now() < until) {
    const mails = mailsTo(to);
    if (mails.length > count) return mails.at(-1);
    await sleep(100);
  }
  throw new CheckFailed(`no new mail to ${to} in ${OUTBOX}`);
}

/** A resident session over HTTP (the mailed code). */
export async function residentSession(email) {
  const before = mailsTo(email).length;
  await api(null, 'POST', '/api/auth/email', { email });
  const { code } = await nextMail(email, before);
  const response = await fetch(`${BASE}/api/auth/email/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, code }),
  });
  const body = await response.json();
  assert(response.ok, `sign-in of ${email}: ${response.status} ${JSON.stringify(body)}`);
  return sessionOf(response, body);
}

/** Puts an HTTP session's cookie into a browser context, so its pages are signed in too. */
export async function adopt(context, session) {
  const [name, ...value] = session.cookie.split('=');
  await context.addCookies([{ name, value: value.join('='), url: BASE }]);
}

/** Letter codes of every address in `area` (a wijkondernemer's CSV): [{ street, place, code }]. */
export async function letterCodes(staff, area) {
  const csv = await api(staff, 'POST', '/api/letters', { area, format: 'csv' });
  return String(csv)
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      // adres,postcode_plaats,code,geldig_tot; a field with a comma is quoted.
      const fields = [...l.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
      return { street: fields[0], place: fields[1], code: fields[2] };
    });
}

/** Redeems a letter code: the verified address id. */
export async function redeem(session, code) {
  const claimed = await api(session, 'POST', '/api/my/addresses', { code });
  return claimed.address_id;
}

/** An address with its building, from the OGC API. */
export async function addressInfo(id) {
  const feature = await api(null, 'GET', `/ogc/collections/addresses/items/${id}`);
  const p = feature.properties;
  return {
    id,
    building: String(p.pand_identificatie ?? '').split(',')[0],
    street: p.openbare_ruimte_naam,
    number: p.huisnummer,
    lonlat: feature.geometry.coordinates,
  };
}

// --- the map -----------------------------------------------------------------------------------

/** Resolves at the map's next `idle` (all tiles loaded, no transition running). */
export async function waitIdle(page) {
  await withTimeout(
    page.evaluate(
      () =>
        new Promise((resolve) => {
          const { map } = window.__wijkwerk;
          map.once('idle', () => resolve(undefined));
          map.triggerRepaint();
        }),
    ),
    TIMEOUT,
    'map idle',
  );
}

/** Opens `urlPath` (the map) and waits until it drew. */
export async function openMap(page, urlPath = '/') {
  const response = await page.goto(`${BASE}${urlPath}`, { waitUntil: 'domcontentloaded' });
  assert(response?.ok(), `GET ${urlPath} answered ${response?.status()}`);
  await page.waitForFunction(() => window.__wijkwerk?.map !== undefined);
  await waitIdle(page);
}

export async function jumpTo(page, center, zoom) {
  await page.evaluate(({ center, zoom }) => window.__wijkwerk.map.jumpTo({ center, zoom }), { center, zoom });
  await waitIdle(page);
}

/**
 * A point (page coordinates) well inside a building with addresses, on the bare canvas; `wanted`
 * asks for one building. Null when there is none in view.
 */
export function findBuilding(page, wanted = null) {
  return page.evaluate((wanted) => {
    const { map } = window.__wijkwerk;
    const canvas = map.getCanvas();
    const rect = canvas.getBoundingClientRect();
    const pad = (v) => (typeof v === 'number' ? String(v).padStart(16, '0') : v);
    const idAt = (x, y) => {
      const f = map.queryRenderedFeatures([x, y], { layers: ['buildings-fill'] })[0];
      return f ? (f.properties.identificatie ?? pad(f.id)) : null;
    };
    const points = [];
    for (let y = 20; y < rect.height - 20; y += 5) for (let x = 20; x < rect.width - 20; x += 5) points.push([x, y]);
    const cx = rect.width / 2;
    const cy = rect.height / 3;
    points.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
    const layers = ['addresses-point', 'reports-public', 'reports-private', 'report-counts'].filter((l) => map.getLayer(l));
    for (const [x, y] of points) {
      const f = map.queryRenderedFeatures([x, y], { layers: ['buildings-fill'] })[0];
      if (!f || !(Number(f.properties.aantal_verblijfsobjecten) > 0)) continue;
      const id = idAt(x, y);
      if (wanted && id !== wanted) continue;
      if (![[6, 0], [-6, 0], [0, 6], [0, -6]].every(([dx, dy]) => idAt(x + dx, y + dy) === id)) continue;
      // Nothing else under the finger: an address dot or a report point would take the tap.
      if (map.queryRenderedFeatures([[x - 4, y - 4], [x + 4, y + 4]], { layers }).length) continue;
      if (document.elementFromPoint(rect.left + x, rect.top + y) !== canvas) continue;
      return { x: rect.left + x, y: rect.top + y, id };
    }
    return null;
  }, wanted);
}

/** Shows building `id` (at `lonlat`) and taps or clicks it; waits for its details panel. */
export async function openBuilding(person, id, lonlat, zoom = 18) {
  const { page, screen } = person;
  await closePanels(person);
  await jumpTo(page, lonlat, zoom);
  let target = await findBuilding(page, id);
  if (!target) {
    await jumpTo(page, lonlat, zoom + 1);
    target = await findBuilding(page, id);
  }
  assert(target, `building ${id} is not tappable at ${lonlat}`);
  if (screen.hasTouch) await page.touchscreen.tap(target.x, target.y);
  else await page.mouse.click(target.x, target.y);
  await page.locator('#details-panel').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('#details-body')?.getAttribute('aria-busy') === 'false');
}

/** Closes the map page's panels that are open (the list, the report sheet, "Mijn meldingen"). */
export async function closePanels(person) {
  for (const close of ['#mine-close', '#report-close', '#list-close', '#details-close']) {
    const button = person.page.locator(close);
    if (await button.isVisible()) await press(person, button);
  }
}

/** Taps (phone) or clicks (desktop) a locator. */
export async function press(person, locator) {
  if (person.screen.hasTouch) await locator.tap();
  else await locator.click();
}

/** The centre of the data (TileJSON). */
export async function dataCentre() {
  const tileJson = await api(null, 'GET', '/tiles/all.json');
  const b = tileJson.bounds;
  return tileJson.center ? tileJson.center.slice(0, 2) : [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}

/** Switches the page's language with its own button (the way a person does) and waits for it. */
export async function switchLanguage(page, lang) {
  if ((await page.evaluate(() => document.documentElement.lang)) === lang) return;
  await page.locator('#lang-toggle').click();
  await page.waitForFunction((lang) => document.documentElement.lang === lang, lang);
}

// --- words, not keys ---------------------------------------------------------------------------

/** Every key of the message catalogue (web/src/i18n.ts and web/src/messages/*.ts). */
export function catalogueKeys() {
  const src = new URL('../../src/', import.meta.url);
  const files = [new URL('i18n.ts', src), ...fs.readdirSync(new URL('messages/', src)).map((f) => new URL(`messages/${f}`, src))];
  const keys = new Set();
  for (const file of files) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/^\s*'([\w.-]+)':/gm)) keys.add(m[1]);
  }
  return [...keys];
}

/**
 * English words that are no Dutch word: one of them on a Dutch screen is a string that was not
 * translated, or a value shown as the server sent it.
 */
export const ENGLISH_WORDS = [
  'the', 'and', 'with', 'your', 'you', 'this', 'that', 'from', 'for', 'not', 'yes', 'none', 'more',
  'report', 'reports', 'building', 'buildings', 'address', 'addresses', 'about', 'answer', 'answers',
  'source', 'new', 'confirmed', 'resolved', 'rejected', 'withdrawn', 'merged', 'hidden', 'resident',
  'residents', 'volunteer', 'every', 'seconds', 'keep', 'days', 'target', 'created', 'removed', 'cutoff',
  'sign', 'signed', 'hide', 'close', 'loading', 'failed', 'search', 'results', 'panels', 'roof', 'unknown',
  'observed', 'runs', 'rules', 'users', 'roles', 'role', 'password', 'area', 'areas', 'scope', 'enabled',
  'disabled', 'true', 'false', 'null', 'undefined', 'heating', 'cooking', 'interest', 'insulation',
  'note', 'count', 'shade', 'shape', 'orientation', 'severity', 'cause', 'tree', 'canvassing', 'research',
  'toggle', 'attribution', 'home', 'homes', 'units', 'use', 'year', 'built', 'neighbourhood', 'district',
  'municipality', 'weight', 'at', 'user', 'events', 'sessions', 'letters', 'version', 'rows',
];

/**
 * What on the page a person should not meet, as readable lines: a catalogue key, a snake_case code,
 * an id used as a title, and — on a Dutch screen — an English word. Skips what is hidden, the
 * "details for GIS" folds (`[data-gis]`, where ids and field names belong), form fields' values,
 * and text marked as another language (`lang`, e.g. the language switch).
 */
export function wordProblems(page, keys) {
  return page.evaluate(
    ({ keys, english }) => {
      const lang = document.documentElement.lang;
      const keySet = new Set(keys);
      const englishSet = new Set(english);
      const problems = [];
      const TITLE = 'h1,h2,h3,h4,h5,h6,legend,summary,caption,th,dt,label,button,a,[role=heading],.mine-title,.timeline-title,.report-target,.type-title,.building-subtitle';
      const skip = (el) =>
        el.closest('[data-gis],script,style,noscript,template,textarea,select,option') !== null ||
        (el.closest('[lang]')?.getAttribute('lang') ?? lang) !== lang;
      const shown = (el) => {
        for (let e = el; e; e = e.parentElement) {
          if (e.hidden) return false;
          const style = getComputedStyle(e);
          if (style.display === 'none' || style.visibility === 'hidden') return false;
        }
        return el.getClientRects().length > 0;
      };
      const describe = (el) => {
        const id = el.closest('[id]')?.id;
        return `${el.tagName.toLowerCase()}${id ? ` in #${id}` : ''}`;
      };
      const check = (text, where, asTitle) => {
        const plain = text.replace(/\S+@\S+\.\w+/g, ' ').replace(/https?:\/\/\S+/g, ' ');
        for (const m of plain.matchAll(/[A-Za-z][\w-]*(?:\.[\w-]+)+/g)) {
          if (keySet.has(m[0])) problems.push(`catalogue key "${m[0]}" (${where}): "${text.trim()}"`);
        }
        for (const m of plain.matchAll(/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g)) problems.push(`code "${m[0]}" (${where}): "${text.trim()}"`);
        if (asTitle && (/\d{10,}/.test(plain) || /\b(?:BU|WK|GM)\d{4,}\b/.test(plain))) problems.push(`id as a title (${where}): "${text.trim()}"`);
        if (/\b[Pp]and \d{6,}/.test(plain)) problems.push(`a building named by its id (${where}): "${text.trim()}"`);
        if (lang === 'nl') {
          for (const word of plain.toLowerCase().split(/[^\p{L}_]+/u)) {
            if (englishSet.has(word)) problems.push(`English "${word}" (${where}): "${text.trim()}"`);
          }
        }
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || !node.textContent?.trim() || skip(el) || !shown(el)) continue;
        check(node.textContent, describe(el), el.closest(TITLE) !== null);
      }
      for (const el of document.body.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
        if (skip(el) || !shown(el)) continue;
        for (const attribute of ['aria-label', 'title', 'placeholder', 'alt']) {
          const value = el.getAttribute(attribute);
          if (value?.trim()) check(value, `${attribute} of ${describe(el)}`, true);
        }
      }
      check(document.title, 'the document title', true);
      return [...new Set(problems)];
    },
    { keys, english: ENGLISH_WORDS },
  );
}
