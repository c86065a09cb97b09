#!/usr/bin/env node
// Browser end-to-end test: signing in never loses what a person was doing (issue 11, item 3).
//
//   WIJKWERK_URL=<base-url> WIJKWERK_OUTBOX=<outbox.jsonl> WIJKWERK_PASSWORD=<staff password> \
//   WIJKWERK_WIJKONDERNEMER=<email> WIJKWERK_WIJK=<wijk code> node tests/browser/return.e2e.mjs [screenshot-dir]
//
// On a 360 px phone in Dutch and on a desktop in English:
//   - tap a building → "Melden over dit pand" → Zonnepanelen → "Aanmelden" → the mailed code: back
//     on the map with the same building and the solar-panels form open (not on the account page);
//   - a half-filled form whose session ended meanwhile: "Versturen" says to sign in again, with a
//     link; after signing in the building, the form and the answers given are back, and the report
//     goes out with them;
//   - the header's "Aanmelden" on the map comes back to the building that was open;
//   - the account page and /beheer (a staff member with a password) come back to themselves.
// The pages run under the server's own Content-Security-Policy; no CSP violation, uncaught error or
// console error (but the browser's own line about the expected 401).

import { DESKTOP, PHONE, Run, BASE, api, assert, closePanels, mailsTo, nextMail, openBuilding, openMap, press, switchLanguage } from './support.mjs';

const COMBOS = [
  { screen: PHONE, lang: 'nl' },
  { screen: DESKTOP, lang: 'en' },
];
const CHECKS_PER_COMBO = 4;
// 1 + COMBOS.length * CHECKS_PER_COMBO + 2, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 11;

const env = process.env;
const run = await new Run(
  'return',
  'WIJKWERK_URL=… WIJKWERK_OUTBOX=… WIJKWERK_PASSWORD=… WIJKWERK_WIJKONDERNEMER=… WIJKWERK_WIJK=… node tests/browser/return.e2e.mjs [screenshot-dir]',
  ['WIJKWERK_OUTBOX', 'WIJKWERK_PASSWORD', 'WIJKWERK_WIJKONDERNEMER', 'WIJKWERK_WIJK'],
).start();
const data = {};

/** Signs in on the sign-in page the browser is on, with the code mailed to `email`. */
async function signInByMail(person, email) {
  const { page } = person;
  await page.waitForURL((url) => url.pathname.startsWith('/aanmelden'));
  await page.locator('#email-input').fill(email);
  const before = mailsTo(email).length;
  await press(person, page.locator('#email-form button[type="submit"]'));
  const { code } = await nextMail(email, before);
  await page.locator('#code-input').fill(code);
  await press(person, page.locator('#code-form button[type="submit"]'));
}

/** Waits until the map is back and shows building `id` in its details panel. */
async function backAtBuilding(page, id) {
  await page.waitForURL((url) => url.pathname === '/' || url.pathname === '/index.html', { timeout: 30_000 }).catch(() => undefined);
  const where = new URL(page.url()).pathname;
  assert(where === '/' || where === '/index.html', `after signing in the browser is on ${where}, not the map`);
  await page.waitForFunction(() => window.__wijkwerk?.map !== undefined);
  await page.locator('#details-panel').waitFor({ state: 'visible' });
  await page.waitForFunction((id) => document.querySelector('#details-panel [data-gis]')?.textContent.includes(id) || document.querySelector('#details-panel .identificatie')?.textContent === id, id);
}

await run.check('a building with addresses in the wijk', async () => {
  const page = await api(null, 'GET', '/ogc/collections/buildings/items?limit=200');
  const building = page.features.find((f) => f.properties.wijkcode === env.WIJKWERK_WIJK && f.properties.adressen.length > 0);
  assert(building, `no building with addresses in ${env.WIJKWERK_WIJK}`);
  data.building = building.properties.identificatie;
  const ring = building.geometry.type === 'Polygon' ? building.geometry.coordinates[0] : building.geometry.coordinates[0][0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  data.lonlat = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
});

for (const [i, { screen, lang }] of COMBOS.entries()) {
  const at = `(${screen.name}, ${lang})`;
  const email = `terug-${i}@wijk.test`;
  const person = await run.person('resident', screen, lang);
  const { page } = person;
  const creates = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/observations') creates.push(r.postDataJSON());
  });

  await run.check(`${at} tap a building → Melden → Zonnepanelen → Aanmelden → code: back at the building with the form`, async () => {
    run.current = page;
    await openMap(page);
    await switchLanguage(page, lang);
    await openBuilding(person, data.building, data.lonlat);
    await press(person, page.locator('#details-report'));
    await press(person, page.locator('#report-sheet .type-choice[data-type="solar_panels"]'));
    const signIn = page.locator('#report-sheet a[href^="/aanmelden"]');
    await signIn.waitFor({ state: 'visible' });
    await press(person, signIn);
    await signInByMail(person, email);
    await backAtBuilding(page, data.building);
    await page.locator('#report-sheet form.report-form[data-type="solar_panels"]').waitFor({ state: 'visible' });
    assert((await page.evaluate(() => document.documentElement.lang)) === lang, 'the language changed on the way');
  });

  await run.check(`${at} a half-filled form whose session ended: sign in again, the answers are back and go out`, async () => {
    const form = page.locator('#report-sheet form.report-form');
    await press(person, form.locator('fieldset[data-field="panels"] label.choice').nth(0));
    await press(person, form.locator('fieldset[data-field="count"] label.choice').nth(1));
    await form.locator('textarea[name="note"]').fill('Twee rijen panelen aan de voorkant.');
    // The session ends meanwhile (signed out elsewhere, or expired).
    await person.context.clearCookies();
    run.expectedConsole = /401|Unauthorized/;
    await press(person, form.locator('button[type="submit"]'));
    const link = page.locator('#report-sheet .report-notice a[href^="/aanmelden"]');
    await link.waitFor({ state: 'visible' });
    run.expectedConsole = null;
    await press(person, link);
    await signInByMail(person, email);
    await backAtBuilding(page, data.building);
    const restored = page.locator('#report-sheet form.report-form[data-type="solar_panels"]');
    await restored.waitFor({ state: 'visible' });
    const answers = await restored.evaluate((f) => ({
      panels: f.querySelector('input[name="panels"]:checked')?.value ?? null,
      count: f.querySelector('input[name="count"]:checked')?.value ?? null,
      note: f.querySelector('textarea[name="note"]')?.value ?? null,
    }));
    assert(answers.panels === 'yes' && answers.count === '5-10' && answers.note === 'Twee rijen panelen aan de voorkant.', `restored ${JSON.stringify(answers)}`);
    const sent = creates.length;
    await press(person, restored.locator('button[type="submit"]'));
    await page.locator('#report-toast').waitFor({ state: 'visible' });
    const body = creates.at(-1);
    assert(creates.length > sent && body.answers.panels === 'yes' && body.answers.count === '5-10' && body.target.building === data.building, `sent ${JSON.stringify(body)}`);
  });

  await run.check(`${at} the header's "Aanmelden" on the map comes back to the open building`, async () => {
    const visitor = await run.person('visitor', screen, lang);
    run.current = visitor.page;
    await openMap(visitor.page);
    await openBuilding(visitor, data.building, data.lonlat);
    await press(visitor, visitor.page.locator('#account-link'));
    await signInByMail(visitor, `kop-${i}@wijk.test`);
    await backAtBuilding(visitor.page, data.building);
    await visitor.context.close();
  });

  await run.check(`${at} the account page and /beheer come back to themselves after signing in`, async () => {
    const visitor = await run.person('visitor', screen, lang);
    run.current = visitor.page;
    await visitor.page.goto(`${BASE}/account.html`);
    const toSignIn = visitor.page.locator('#account-notice a[href^="/aanmelden"]');
    await toSignIn.waitFor({ state: 'visible' });
    await press(visitor, toSignIn);
    await signInByMail(visitor, `account-${i}@wijk.test`);
    await visitor.page.waitForURL((url) => url.pathname.startsWith('/account'));
    await visitor.page.locator('#profile-section').waitFor({ state: 'visible' });
    const staff = await run.person('staff', screen, lang);
    run.current = staff.page;
    await staff.page.goto(`${BASE}/beheer.html`);
    const toStaffSignIn = staff.page.locator('#admin-notice a[href^="/aanmelden"]');
    await toStaffSignIn.waitFor({ state: 'visible' });
    await press(staff, toStaffSignIn);
    await staff.page.waitForURL((url) => url.pathname.startsWith('/aanmelden'));
    await press(staff, staff.page.locator('#tab-staff'));
    await staff.page.locator('#staff-email').fill(env.WIJKWERK_WIJKONDERNEMER);
    await staff.page.locator('#staff-password').fill(env.WIJKWERK_PASSWORD);
    await press(staff, staff.page.locator('#staff-form button[type="submit"]'));
    await staff.page.waitForURL((url) => !url.pathname.startsWith('/aanmelden'), { timeout: 30_000 });
    const where = new URL(staff.page.url()).pathname;
    assert(where.startsWith('/beheer'), `after signing in the staff member is on ${where}, not /beheer`);
    await staff.page.locator('#moderation-section').waitFor({ state: 'visible' });
    await visitor.context.close();
    await staff.context.close();
  });
  await closePanels(person).catch(() => undefined);
  await person.context.close();
}

await run.closingChecks();
await run.finish(EXPECTED_CHECKS);
