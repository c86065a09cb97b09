#!/usr/bin/env node
// Browser end-to-end test of the report flow ("Melden") on a phone, against a running server.
//
//   node tests/browser/report.e2e.mjs <base-url> [screenshot-dir]
//   e.g. node tests/browser/report.e2e.mjs http://127.0.0.1:18094 /tmp/wijkwerk-report
//
// Two phones (360×740, isMobile, hasTouch), each with its own cookies. Phone A taps a building,
// reports solar panels with a photo as an anonymous device session (after the client-side checks
// of a required question and of a file that is no photo), sees "Bedankt" and the report in "Mijn
// meldingen". Phone B taps the same building and reports the same (without being told whether the
// building has reports): the server counts it as a confirmation and says so. Phone A then reports a dying tree on a spot outside the buildings
// while the first answer to it is lost (the retry with the same Idempotency-Key gets the stored
// report: no duplicate), finds it on the public `public_space` layer (queryRenderedFeatures),
// withdraws it, and sees it leave the map. Along the way: the keyboard path (the floating "Melden"
// button, Escape gives the focus back), the sheet fits 360 px, the pages run under the server's own
// Content-Security-Policy, and no CSP violation, uncaught error or console error. The server must
// be fresh (no reports yet): phone B's report must count as a confirmation of phone A's.
//
// Same conventions as map.e2e.mjs: system Chromium (/usr/bin/chromium or $CHROMIUM_PATH) with
// SwiftShader WebGL through playwright-core, one line per check, `checks passed: P of N` and
// `P passed, F failed` (harness.mjs), exit 1 on a failed check or a check that did not run, 2 when
// it cannot run. Environment: CHROMIUM_PATH, WIJKWERK_E2E_TIMEOUT_MS.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CheckFailed, assert, checkServerCsp, recordDocuments, summarise } from './harness.mjs';

/** The checks below; a run with another number fails. */
const EXPECTED_CHECKS = 14;

const [baseArg, shotArg] = process.argv.slice(2);
const baseUrl = baseArg ?? process.env.WIJKWERK_URL;
if (!baseUrl || baseUrl === '--help' || baseUrl === '-h') {
  console.error('usage: node tests/browser/report.e2e.mjs <base-url> [screenshot-dir]');
  process.exit(2);
}
const BASE = baseUrl.replace(/\/+$/, '');
const SHOTS = path.resolve(shotArg ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wijkwerk-report-shots-')));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT = Number(process.env.WIJKWERK_E2E_TIMEOUT_MS ?? 60_000);
const ZOOM = 17;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** A 1×1 PNG: a photo the server accepts. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

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

async function getJson(urlPath) {
  const response = await fetch(`${BASE}${urlPath}`, { headers: { accept: 'application/json' } });
  assert(response.ok, `GET ${urlPath} answered ${response.status}`);
  return response.json();
}

/** Resolves at the map's next `idle` (all tiles loaded, no transition running). */
async function waitIdle(page) {
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

async function jumpTo(page, center, zoom) {
  await page.evaluate(({ center, zoom }) => window.__wijkwerk.map.jumpTo({ center, zoom }), { center, zoom });
  await waitIdle(page);
}

/**
 * A point (page coordinates) well inside a building with addresses, on the bare canvas (no panel,
 * button or address dot over it); `wanted` asks for one building. Null when there is none in view.
 */
function findBuilding(page, wanted = null) {
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
    for (const [x, y] of points) {
      const f = map.queryRenderedFeatures([x, y], { layers: ['buildings-fill'] })[0];
      if (!f || !(Number(f.properties.aantal_verblijfsobjecten) > 0)) continue;
      const id = idAt(x, y);
      if (wanted && id !== wanted) continue;
      if (![[6, 0], [-6, 0], [0, 6], [0, -6]].every(([dx, dy]) => idAt(x + dx, y + dy) === id)) continue;
      const near = map.queryRenderedFeatures([[x - 8, y - 8], [x + 8, y + 8]], { layers: ['addresses-point', 'reports-public', 'reports-private', 'report-counts'].filter((l) => map.getLayer(l)) });
      if (near.length) continue;
      if (document.elementFromPoint(rect.left + x, rect.top + y) !== canvas) continue;
      return { x: rect.left + x, y: rect.top + y, id };
    }
    return null;
  }, wanted);
}

/** A point on the bare canvas with no building, address or report within 14 px, inside the data's areas. */
function findSpot(page) {
  return page.evaluate(() => {
    const { map } = window.__wijkwerk;
    const canvas = map.getCanvas();
    const rect = canvas.getBoundingClientRect();
    const layers = ['buildings-fill', 'addresses-point', 'reports-public', 'reports-private', 'report-counts'].filter((l) => map.getLayer(l));
    for (let y = 70; y < rect.height * 0.3; y += 6) {
      for (let x = 30; x < rect.width - 30; x += 6) {
        if (map.queryRenderedFeatures([[x - 14, y - 14], [x + 14, y + 14]], { layers }).length) continue;
        if (map.queryRenderedFeatures([x, y], { layers: ['areas-fill'] }).length === 0) continue;
        if (document.elementFromPoint(rect.left + x, rect.top + y) !== canvas) continue;
        const lngLat = map.unproject([x, y]);
        return { x: rect.left + x, y: rect.top + y, lngLat: [lngLat.lng, lngLat.lat] };
      }
    }
    return null;
  });
}

/** Features of the public report layer within `radius` px of a lon/lat. */
function publicReportsAt(page, lngLat, radius = 12) {
  return page.evaluate(({ lngLat, radius }) => {
    const { map, reportLayerIds } = window.__wijkwerk;
    const p = map.project(lngLat);
    return map
      .queryRenderedFeatures([[p.x - radius, p.y - radius], [p.x + radius, p.y + radius]], { layers: [reportLayerIds.public] })
      .map((f) => ({ ...f.properties }));
  }, { lngLat, radius });
}

// ---------------------------------------------------------------------------------------------

let browser;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
} catch (error) {
  console.error(`cannot start Chromium at ${CHROMIUM}: ${error.message}`);
  process.exit(2);
}

const violations = [];
const pageErrors = [];
const consoleErrors = [];
/** While set, console errors matching it are expected (the browser logs a reset connection). */
let expectedConsole = null;
/** Requests that create reports, with their Idempotency-Key. */
const creates = [];
/** Every document the phones loaded, with the Content-Security-Policy it came with. */
const documents = [];

/** A phone: its own context (cookies), CSP violations, errors and create requests recorded. */
async function phone(name) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 1,
    locale: 'nl-NL',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  recordDocuments(page, documents);
  await page.exposeFunction('__wijkwerkCspViolation', (report) => violations.push(`${name}: ${report}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__wijkwerkCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error' || expectedConsole?.test(message.text())) return;
    consoleErrors.push(`${name}: ${message.text()} (${message.location().url ?? ''})`);
  });
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/observations') {
      creates.push({ phone: name, key: request.headers()['idempotency-key'], body: request.postDataJSON() });
    }
  });
  return { context, page };
}

const results = [];
const found = {};
let current = null;

async function check(name, body) {
  const started = Date.now();
  try {
    await withTimeout(body(), TIMEOUT * 2, name);
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    const file = path.join(SHOTS, `failure-${results.length}-${slug(name)}.png`);
    let saved = '';
    try {
      await current?.screenshot({ path: file });
      saved = ` [screenshot: ${file}]`;
    } catch {
      // The page may be gone; the message matters more.
    }
    console.log(`FAIL ${name}: ${error instanceof CheckFailed ? error.message : (error.stack ?? error)}${saved}`);
  }
}

async function openMap(page) {
  current = page;
  const response = await page.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
  assert(response?.ok(), `GET / answered ${response?.status()}`);
  await page.waitForFunction(() => window.__wijkwerk?.map !== undefined);
  await waitIdle(page);
  assert(found.center, 'no data centre');
  await jumpTo(page, found.center, ZOOM);
}

/** Taps a building (page coordinates) and waits for its details with "Melden over dit pand". */
async function tapBuilding(page, target) {
  await page.touchscreen.tap(target.x, target.y);
  await page.waitForFunction((id) => document.querySelector('#details-panel .identificatie')?.textContent === id, target.id);
  await page.locator('#details-report').waitFor({ state: 'visible' });
}

/** Opens the sheet from the details panel and chooses `type`; returns the types offered. */
async function chooseFromPanel(page, type) {
  await page.locator('#details-report').tap();
  await page.locator('#report-sheet .type-choice').first().waitFor({ state: 'visible' });
  const offered = await page.locator('#report-sheet .type-choice').evaluateAll((els) => els.map((e) => e.dataset.type));
  await page.locator(`#report-sheet .type-choice[data-type="${type}"]`).tap();
  return offered;
}

async function expectThanks(page, pattern = /^Bedankt/) {
  await page.locator('#report-toast').waitFor({ state: 'visible' });
  const text = await page.locator('#report-toast-text').textContent();
  assert(pattern.test(text ?? ''), `the message reads "${text}"`);
  assert(await page.locator('#report-sheet').isHidden(), 'the sheet stayed open after the report');
}

const tileJson = await getJson('/tiles/all.json');
const b = tileJson.bounds;
found.center = tileJson.center ? tileJson.center.slice(0, 2) : b ? [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] : null;

const A = await phone('A');
const B = await phone('B');

await check('phone A: the map loads at 360 px with the public report layer', async () => {
  await openMap(A.page);
  const facts = await A.page.evaluate(() => {
    const { map, reportLayerIds } = window.__wijkwerk;
    const layer = (id) => map.getLayer(id);
    return {
      public: layer(reportLayerIds.public) ? [layer(reportLayerIds.public).source, layer(reportLayerIds.public).sourceLayer] : null,
      private: layer(reportLayerIds.private) !== undefined,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      width: window.innerWidth,
    };
  });
  assert(facts.width === 360, `the page is ${facts.width} px wide`);
  assert(JSON.stringify(facts.public) === '["wijkwerk","public_space"]', `the public report layer draws ${JSON.stringify(facts.public)}`);
  // The public's tiles have no meldingen (reports about homes): no layer for them either.
  assert(!facts.private, 'a visitor got the staff layer of reports about homes');
  assert(facts.overflow <= 0, `the page is ${facts.overflow} px wider than the screen`);
});

await check('phone A: tapping a building opens its details with "Melden over dit pand"', async () => {
  let target = await findBuilding(A.page);
  if (!target) {
    const page1 = await getJson('/ogc/collections/buildings/items?limit=1');
    found.center = page1.features[0].geometry.coordinates.flat(2)[0];
    await jumpTo(A.page, found.center, ZOOM);
    target = await findBuilding(A.page);
  }
  assert(target, 'found no building with addresses to tap');
  found.building = target.id;
  await tapBuilding(A.page, target);
  const label = await A.page.locator('#details-report').textContent();
  assert(label === 'Melden over dit pand', `the report button reads "${label}"`);
});

await check('phone A: the sheet offers the building types, then a device session', async () => {
  const offered = await chooseFromPanel(A.page, 'solar_panels');
  assert(offered.includes('solar_panels') && offered.includes('roof_suitability'), `offered ${offered}`);
  assert(!offered.includes('gas_readiness'), 'gas_readiness is offered to someone who verified no address here');
  assert(!offered.includes('greenery_distress'), 'a public-space type is offered for a building');
  const device = A.page.locator('#report-device');
  await device.waitFor({ state: 'visible' });
  assert((await device.textContent()) === 'Anoniem melden op dit apparaat', `the device button reads "${await device.textContent()}"`);
  await device.tap();
  // A fresh server has no report here; a used one may: then report anyway, as a user can.
  await A.page.locator('#report-sheet form.report-form, #report-anyway').first().waitFor({ state: 'visible' });
  if (await A.page.locator('#report-anyway').isVisible()) {
    console.log('     (this building was reported before: "Toch een nieuwe melding maken")');
    await A.page.locator('#report-anyway').tap();
  }
  await A.page.locator('#report-sheet form.report-form[data-type="solar_panels"]').waitFor({ state: 'visible' });
  const session = await A.page.evaluate(async () => (await fetch('/api/session')).json());
  assert(session.device === true && session.user === null, `session after the device button: ${JSON.stringify(session)}`);
  const link = await A.page.locator('#account-link').textContent();
  assert(link === 'Anonieme melder', `the header link reads "${link}"`);
});

await check('phone A: the questions come from the schema and a required one is checked before sending', async () => {
  const form = A.page.locator('#report-sheet form.report-form');
  const panels = form.locator('fieldset[data-field="panels"]');
  const choices = await panels.locator('.choice').allTextContents();
  assert(JSON.stringify(choices) === JSON.stringify(['ja', 'nee', 'kan ik niet zien']), `panels offers ${JSON.stringify(choices)}`);
  assert((await panels.getAttribute('role')) === 'radiogroup', 'panels is not a radiogroup');
  const hint = await form.locator('.question-text .hint').textContent();
  assert(/namen/.test(hint ?? '') && /telefoonnummers/.test(hint ?? ''), `the note hint reads "${hint}"`);
  const photo = form.locator('input[type="file"]');
  assert((await photo.getAttribute('accept')) === 'image/jpeg,image/png', 'photo input accepts other types');
  assert((await photo.getAttribute('capture')) === 'environment', 'photo input does not ask for the camera');
  const before = creates.length;
  await form.locator('button[type="submit"]').tap();
  const error = panels.locator('.field-error');
  await error.waitFor({ state: 'visible' });
  assert((await error.textContent()) === 'Kies of vul hier iets in.', `the field message reads "${await error.textContent()}"`);
  assert(creates.length === before, 'the form was sent without the required answer');
  const sheet = await A.page.evaluate(() => {
    const r = document.getElementById('report-sheet').getBoundingClientRect();
    return { left: r.left, right: r.right, overflow: document.documentElement.scrollWidth - window.innerWidth };
  });
  assert(sheet.left >= 0 && sheet.right <= 360 && sheet.overflow <= 0, `the sheet does not fit 360 px: ${JSON.stringify(sheet)}`);
  await A.page.screenshot({ path: path.join(SHOTS, 'report-form-360.png') });
});

await check('phone A: a photo is checked when chosen (JPEG or PNG only)', async () => {
  const form = A.page.locator('#report-sheet form.report-form');
  const input = form.locator('input[type="file"]');
  await input.setInputFiles({ name: 'notities.txt', mimeType: 'text/plain', buffer: Buffer.from('geen foto') });
  const message = form.locator('.question-photos .field-error');
  await message.waitFor({ state: 'visible' });
  const text = await message.textContent();
  assert(/alleen foto’s in JPEG of PNG/.test(text ?? ''), `the photo message reads "${text}"`);
  assert((await form.locator('.photo-list .photo').count()) === 0, 'a text file was taken as a photo');
  await input.setInputFiles({ name: 'dak.png', mimeType: 'image/png', buffer: PNG });
  await form.locator('.photo-list .photo').first().waitFor({ state: 'visible' });
  assert(await message.isHidden(), 'the photo message stayed');
});

await check('phone A: reporting solar panels says "Bedankt" (with an Idempotency-Key and the photo)', async () => {
  const form = A.page.locator('#report-sheet form.report-form');
  await form.locator('fieldset[data-field="panels"] label.choice', { hasText: /^ja$/ }).tap();
  await form.locator('fieldset[data-field="count"] label.choice', { hasText: '5 tot 10' }).tap();
  const created = A.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/observations');
  const photo = A.page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/observations\/\d+\/photos$/.test(new URL(r.url()).pathname));
  await form.locator('button[type="submit"]').tap();
  const response = await created;
  assert(response.status() === 201, `POST /api/observations answered ${response.status()}`);
  found.report = await response.json();
  const uploaded = await photo;
  assert(uploaded.status() === 201, `the photo upload answered ${uploaded.status()}`);
  assert(uploaded.request().headers()['content-type'] === 'image/png', `the photo went as ${uploaded.request().headers()['content-type']}`);
  await expectThanks(A.page);
  const sent = creates.at(-1);
  assert(UUID.test(sent?.key ?? ''), `Idempotency-Key is ${JSON.stringify(sent?.key)}`);
  assert(sent.body.answers.panels === 'yes' && sent.body.answers.count === '5-10', `answers sent: ${JSON.stringify(sent.body.answers)}`);
  assert(sent.body.target.building === found.building, `target sent: ${JSON.stringify(sent.body.target)}`);
});

await check('phone A: the report is in "Mijn meldingen"', async () => {
  await A.page.locator('#report-toast-mine').tap();
  const item = A.page.locator(`#mine-list .mine-item[data-id="${found.report.id}"]`);
  await item.waitFor({ state: 'visible' });
  const text = await item.textContent();
  // Named by its address, not by its BAG id.
  const building = await getJson(`/ogc/collections/buildings/items/${found.building}`);
  const street = building.properties.adressen[0].openbare_ruimte_naam;
  assert(text.includes('Zonnepanelen') && text.includes(street) && !text.includes(found.building), `the item reads "${text}"`);
  assert(/nieuw/.test(text), `the item shows no status "nieuw": "${text}"`);
  assert(/1 foto/.test(text), `the item shows no photo: "${text}"`);
  assert(await item.locator('[data-action="withdraw"]').isVisible(), 'no "Intrekken" button');
  await A.page.keyboard.press('Escape');
  await A.page.locator('#mine-panel').waitFor({ state: 'hidden' });
});

await check('phone B: reporting the same about the building counts as a confirmation and says "Bedankt"', async () => {
  await openMap(B.page);
  const target = await findBuilding(B.page, found.building);
  assert(target, `building ${found.building} is not tappable on phone B`);
  await tapBuilding(B.page, target);
  let asked = false;
  B.page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/observations/similar') asked = true;
  });
  await chooseFromPanel(B.page, 'solar_panels');
  await B.page.locator('#report-device').tap();
  const form = B.page.locator('#report-sheet form.report-form');
  await form.waitFor({ state: 'visible' });
  assert(!asked, 'phone B asked whether the building has reports (only staff may)');
  await form.locator('fieldset[data-field="panels"] label.choice', { hasText: /^ja$/ }).tap();
  const created = B.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/observations');
  await form.locator('button[type="submit"]').tap();
  const answer = await created;
  assert(answer.status() === 200, `the report answered ${answer.status()}`);
  const body = await answer.json();
  assert(body.outcome === 'confirmed', `the report was not counted as a confirmation: ${JSON.stringify(body)}`);
  assert(body.id === found.report.id, `phone B confirmed report ${body.id}, not ${found.report.id}`);
  assert(body.answers === undefined, `the answer shows the other report: ${JSON.stringify(body)}`);
  await expectThanks(B.page, /^Bedankt! Je bevestiging/);
  found.confirmedId = body.id;
});

await check('phone A: "Mijn meldingen" counts the confirmation', async () => {
  current = A.page;
  assert(found.report, 'no report from phone A');
  assert(found.confirmedId === found.report.id, `phone B confirmed report ${found.confirmedId}, not phone A's ${found.report.id}`);
  await A.page.locator('#mine-open').tap();
  const item = A.page.locator(`#mine-list .mine-item[data-id="${found.report.id}"]`);
  await item.waitFor({ state: 'visible' });
  const text = await item.textContent();
  assert(/bevestigd door 1/.test(text), `the item reads "${text}"`);
  await A.page.locator('#mine-close').tap();
});

await check('keyboard: the floating "Melden" button opens the sheet and Escape gives the focus back', async () => {
  current = A.page;
  for (const close of ['#mine-close', '#report-close', '#details-close']) {
    if (await A.page.locator(close).isVisible()) await A.page.locator(close).tap();
  }
  await A.page.locator('#report-open').focus();
  await A.page.keyboard.press('Enter');
  await A.page.locator('#report-sheet .type-choice').first().waitFor({ state: 'visible' });
  const focused = await A.page.evaluate(() => document.activeElement?.id);
  assert(focused === 'report-title', `focus is on "${focused}", not the sheet's heading`);
  const offered = await A.page.locator('#report-sheet .type-choice').evaluateAll((els) => els.map((e) => e.dataset.type));
  assert(JSON.stringify(offered) === '["greenery_distress"]', `the map centre offers ${JSON.stringify(offered)}`);
  assert(await A.page.locator('.spot-marker').isVisible(), 'no marker at the spot');
  await A.page.keyboard.press('Tab');
  await A.page.keyboard.press('Escape');
  await A.page.locator('#report-sheet').waitFor({ state: 'hidden' });
  const back = await A.page.evaluate(() => document.activeElement?.id);
  assert(back === 'report-open', `after Escape the focus is on "${back}"`);
  assert(!(await A.page.locator('.spot-marker').isVisible()), 'the spot marker stayed');
});

await check('phone A: a dying tree on a spot shows on the public public_space layer', async () => {
  current = A.page;
  const spot = await findSpot(A.page);
  assert(spot, 'found no free spot in view');
  assert((await publicReportsAt(A.page, spot.lngLat)).length === 0, 'the spot has a public report already');
  await A.page.touchscreen.tap(spot.x, spot.y);
  const here = A.page.locator('#spot-report');
  await here.waitFor({ state: 'visible' });
  await here.tap();
  await A.page.locator('#report-sheet .type-choice[data-type="greenery_distress"]').tap();
  const form = A.page.locator('#report-sheet form.report-form[data-type="greenery_distress"]');
  await form.waitFor({ state: 'visible' });
  await form.locator('fieldset[data-field="object"] label.choice', { hasText: /^boom$/ }).tap();
  await form.locator('fieldset[data-field="severity"] label.choice', { hasText: /^stervend/ }).tap();
  // The first answer is lost on the way back: the server stores the report, the phone sees a reset
  // connection and sends it again with the same Idempotency-Key, and gets the same report (200).
  let lost = 0;
  await A.page.route('**/api/observations', async (route) => {
    if (route.request().method() !== 'POST' || lost > 0) return route.fallback();
    lost++;
    await route.fetch();
    await route.abort('connectionreset');
  });
  expectedConsole = /ERR_CONNECTION_RESET|Failed to load resource/;
  const before = creates.length;
  const created = A.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/observations');
  await form.locator('button[type="submit"]').tap();
  let response;
  try {
    response = await created;
  } finally {
    await A.page.unroute('**/api/observations');
    expectedConsole = null;
  }
  const tries = creates.slice(before);
  assert(lost === 1 && tries.length === 2, `${tries.length} create requests, ${lost} answer lost`);
  assert(UUID.test(tries[0].key ?? '') && tries[1].key === tries[0].key, `keys ${tries.map((c) => c.key)}`);
  assert(response.status() === 200, `the retry answered ${response.status()}, not the stored report (200)`);
  found.tree = await response.json();
  const sent = creates.at(-1);
  const [lon, lat] = sent.body.target.point.coordinates;
  assert(Math.hypot((lon - spot.lngLat[0]) * 68_000, (lat - spot.lngLat[1]) * 111_000) < 3, `reported at ${lon},${lat}, tapped ${spot.lngLat}`);
  await expectThanks(A.page, /^Bedankt! Je melding staat op de kaart/);
  const mine = await A.page.evaluate(async () => (await fetch('/api/my/observations')).json());
  const trees = mine.filter((o) => o.type === 'greenery_distress');
  assert(trees.length === 1 && trees[0].id === found.tree.id, `after the retry phone A has ${trees.length} tree reports`);
  await waitIdle(A.page);
  const features = await publicReportsAt(A.page, spot.lngLat);
  assert(
    features.some((f) => f.type === 'greenery_distress' && f.status_class === 'dying'),
    `public_space at the spot: ${JSON.stringify(features)}`,
  );
  found.spot = spot;
  await A.page.screenshot({ path: path.join(SHOTS, 'tree-on-map-360.png') });
});

await check('phone A: withdrawing the tree in "Mijn meldingen" takes it off the map', async () => {
  assert(found.tree && found.spot, 'no tree report from the previous check');
  await A.page.locator('#mine-open').tap();
  const item = A.page.locator(`#mine-list .mine-item[data-id="${found.tree.id}"]`);
  await item.waitFor({ state: 'visible' });
  await item.locator('[data-action="withdraw"]').tap();
  await item.locator('[data-action="withdraw-yes"]').tap();
  await A.page.waitForFunction(
    (id) => document.querySelector(`#mine-list .mine-item[data-id="${id}"]`)?.dataset.status === 'withdrawn',
    found.tree.id,
  );
  const text = await A.page.locator(`#mine-list .mine-item[data-id="${found.tree.id}"]`).textContent();
  assert(/ingetrokken/.test(text), `the item reads "${text}"`);
  await A.page.locator('#mine-close').tap();
  await waitIdle(A.page);
  const features = await publicReportsAt(A.page, found.spot.lngLat);
  assert(!features.some((f) => f.type === 'greenery_distress' && f.status_class === 'dying'), `the tree is still drawn: ${JSON.stringify(features)}`);
});

await check("every page ran under the server's own Content-Security-Policy", async () => {
  const policy = await checkServerCsp(A.context, `${BASE}/`, documents);
  console.log(`     ${documents.length} documents, each with: ${policy}`);
});

await check('no Content-Security-Policy violation, uncaught error or console error', async () => {
  assert(violations.length === 0, `CSP violations: ${violations.join(' | ')}`);
  assert(pageErrors.length === 0, `uncaught errors: ${pageErrors.join(' | ')}`);
  assert(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
  const mapErrors = await A.page.evaluate(() => window.__wijkwerk?.errors.filter((e) => e.source === 'wijkwerk' || e.source === null) ?? []);
  assert(mapErrors.length === 0, `map errors: ${mapErrors.map((e) => e.message).join(' | ')}`);
});

await browser.close();

if (results.some((r) => !r.ok)) console.log(`screenshots: ${SHOTS}`);
process.exit(summarise(results.map((r) => r.ok), EXPECTED_CHECKS));
