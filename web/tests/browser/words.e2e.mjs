#!/usr/bin/env node
// Browser end-to-end test: every screen speaks words, not keys (issue 11, item 1).
//
//   WIJKWERK_URL=<base-url> WIJKWERK_OUTBOX=<outbox.jsonl> WIJKWERK_PASSWORD=<staff password> \
//   WIJKWERK_ADMIN=<email> WIJKWERK_WIJKONDERNEMER=<email> WIJKWERK_GEMEENTE=<email> \
//   WIJKWERK_WIJK=<the wijkondernemer's wijk, e.g. WK199901> node tests/browser/words.e2e.mjs [screenshot-dir]
//
// First the data every screen shows is made through the API: the wijkondernemer's letters, a
// resident who verifies an address with a letter code and reports about their home (every type
// about a building or an address, with a note), a tree in public space, a report whose note looks
// like a phone number (the moderation queue), a retention run. Then every screen is walked as each
// of its people meets it — a visitor, an anonymous reporter, the verified resident, the
// wijkondernemer, the admin and the gemeente — on a 360 px phone and on a desktop, each screen in
// Dutch and then, after the page's own language switch, in English. A screen fails on a
// catalogue key, a snake_case code (an enum value or a field name as sent), an id used as a title
// (a BAG id or a CBS code in a heading, a label, a button, a list item's title, a title
// attribute), a building called by its id, or, on a Dutch screen, an English word. What lies in a
// "details for GIS" fold (`[data-gis]`) is where ids and codes belong and is not read.
// The pages run under the server's own Content-Security-Policy; no CSP violation, uncaught error
// or console error.

import { DESKTOP, PHONE, Run, adopt, closePanels, addressInfo, api, assert, catalogueKeys, dataCentre, deviceSession, jumpTo, letterCodes, openBuilding, openMap, press, redeem, residentSession, staffSession, switchLanguage, wordProblems, BASE } from './support.mjs';

const SCREENS = [PHONE, DESKTOP];
/** Checks per screen size (below), the data check and the two closing checks. */
// 2 * 26 + 1 + 2, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 55;

const env = process.env;
const run = await new Run(
  'words',
  'WIJKWERK_URL=… WIJKWERK_OUTBOX=… WIJKWERK_PASSWORD=… WIJKWERK_ADMIN=… WIJKWERK_WIJKONDERNEMER=… WIJKWERK_GEMEENTE=… WIJKWERK_WIJK=… node tests/browser/words.e2e.mjs [screenshot-dir]',
  ['WIJKWERK_OUTBOX', 'WIJKWERK_PASSWORD', 'WIJKWERK_ADMIN', 'WIJKWERK_WIJKONDERNEMER', 'WIJKWERK_GEMEENTE', 'WIJKWERK_WIJK'],
).start();
const KEYS = catalogueKeys();
const data = {};

/** Checks the page as it is now in Dutch, then in English (switched with the page's own button). */
async function inspect(person) {
  const { page } = person;
  run.current = page;
  const found = [];
  for (const lang of ['nl', 'en']) {
    await switchLanguage(page, lang);
    for (const problem of await wordProblems(page, KEYS)) found.push(`[${lang}] ${problem}`);
  }
  await switchLanguage(page, 'nl');
  assert(found.length === 0, `${found.length} problems:\n       ${found.slice(0, 25).join('\n       ')}`);
}

async function goto(person, urlPath, ready) {
  run.current = person.page;
  const response = await person.page.goto(`${BASE}${urlPath}`, { waitUntil: 'domcontentloaded' });
  assert(response?.ok(), `GET ${urlPath} answered ${response?.status()}`);
  await person.page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
  if (ready) await person.page.locator(ready).first().waitFor({ state: 'visible' });
  // Lists fill in after the page: wait until nothing is loading any more.
  await person.page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

await run.check('the data every screen shows is made through the API', async () => {
  const wo = await staffSession(env.WIJKWERK_WIJKONDERNEMER, env.WIJKWERK_PASSWORD);
  const letters = await letterCodes(wo, env.WIJKWERK_WIJK);
  assert(letters.length > 3, `${letters.length} letters for ${env.WIJKWERK_WIJK}`);
  const resident = await residentSession('bewoner@wijk.test');
  const address = await redeem(resident, letters[0].code);
  data.home = await addressInfo(address);
  data.residentCookie = resident;
  await api(resident, 'POST', '/api/observations', {
    type: 'gas_readiness',
    target: { address },
    answers: { heating: 'gas_boiler', cooking: 'gas', interest: 'maybe', insulation: ['roof', 'glass'], note: 'Dak is in 2019 geïsoleerd.' },
  });
  await api(resident, 'POST', '/api/observations', {
    type: 'roof_suitability',
    target: { building: data.home.building },
    answers: { shape: 'sloped', orientation: 'south_west', shade: 'some' },
  });
  const device = await deviceSession();
  await api(device, 'POST', '/api/observations', {
    type: 'solar_panels',
    target: { building: data.home.building },
    answers: { panels: 'yes', count: '5-10', roof_part: 'front', note: 'bel mij op 06-12345678' },
  });
  const [lon, lat] = data.home.lonlat;
  await api(device, 'POST', '/api/observations', {
    type: 'greenery_distress',
    target: { point: { type: 'Point', coordinates: [lon + 0.0004, lat + 0.0004] } },
    answers: { object: 'tree', severity: 'serious', cause: 'drought' },
  });
  const admin = await staffSession(env.WIJKWERK_ADMIN, env.WIJKWERK_PASSWORD);
  await api(admin, 'POST', '/api/admin/retention/run');
  data.centre = await dataCentre();
});

for (const screen of SCREENS) {
  const at = `(${screen.name})`;
  const visitor = await run.person('visitor', screen);

  await run.check(`visitor ${at}: the map with its legend`, async () => {
    await openMap(visitor.page);
    await jumpTo(visitor.page, data.home.lonlat, 17);
    const legend = visitor.page.locator('#legend');
    if ((await legend.getAttribute('open')) === null) await visitor.page.locator('#legend summary').click();
    await inspect(visitor);
  });

  await run.check(`visitor ${at}: the details of a building`, async () => {
    if ((await visitor.page.locator('#legend').getAttribute('open')) !== null) await visitor.page.locator('#legend summary').click();
    await openBuilding(visitor, data.home.building, data.home.lonlat);
    await inspect(visitor);
  });

  await run.check(`visitor ${at}: the list of buildings in view`, async () => {
    await closePanels(visitor);
    await press(visitor, visitor.page.locator('#list-toggle'));
    await visitor.page.locator('#list-items li').first().waitFor({ state: 'visible' });
    await inspect(visitor);
    await press(visitor, visitor.page.locator('#list-close'));
  });

  await run.check(`visitor ${at}: address search`, async () => {
    await visitor.page.locator('#search-input').fill(data.home.street.slice(0, 5));
    await visitor.page.locator('#search-results li').first().waitFor({ state: 'visible' });
    await inspect(visitor);
    await visitor.page.keyboard.press('Escape');
  });

  await run.check(`visitor ${at}: "Melden": what to report, and how`, async () => {
    await openBuilding(visitor, data.home.building, data.home.lonlat);
    await press(visitor, visitor.page.locator('#details-report'));
    await visitor.page.locator('#report-sheet .type-choice').first().waitFor({ state: 'visible' });
    await inspect(visitor);
    await press(visitor, visitor.page.locator('#report-sheet .type-choice[data-type="solar_panels"]'));
    await visitor.page.locator('#report-device').waitFor({ state: 'visible' });
    await inspect(visitor);
  });

  await run.check(`anonymous reporter ${at}: the report form`, async () => {
    await press(visitor, visitor.page.locator('#report-device'));
    await visitor.page.locator('#report-sheet form.report-form, #report-anyway').first().waitFor({ state: 'visible' });
    if (await visitor.page.locator('#report-anyway').isVisible()) await press(visitor, visitor.page.locator('#report-anyway'));
    await visitor.page.locator('#report-sheet form.report-form').waitFor({ state: 'visible' });
    await inspect(visitor);
  });

  await run.check(`anonymous reporter ${at}: "Mijn meldingen" after a report`, async () => {
    const form = visitor.page.locator('#report-sheet form.report-form');
    // Another answer on each screen: the same answer as an open report would count as its confirmation.
    await press(visitor, form.locator('fieldset[data-field="panels"] label.choice').nth(SCREENS.indexOf(screen) + 1));
    await press(visitor, form.locator('button[type="submit"]'));
    await visitor.page.locator('#report-toast').waitFor({ state: 'visible' });
    await inspect(visitor);
    await press(visitor, visitor.page.locator('#report-toast-mine'));
    await visitor.page.locator('#mine-list .mine-item').first().waitFor({ state: 'visible' });
    await visitor.page.waitForFunction(() => !document.querySelector('#mine-list[aria-busy="true"]'));
    await inspect(visitor);
  });

  await run.check(`anonymous reporter ${at}: the account page`, async () => {
    await goto(visitor, '/account.html', '#device-section');
    await inspect(visitor);
  });

  await run.check(`visitor ${at}: the sign-in page, resident and staff`, async () => {
    const stranger = await run.person('stranger', screen);
    await goto(stranger, '/aanmelden.html', '#email-form');
    await inspect(stranger);
    await press(stranger, stranger.page.locator('#tab-staff'));
    await stranger.page.locator('#staff-form').waitFor({ state: 'visible' });
    await inspect(stranger);
    await stranger.context.close();
  });

  const resident = await run.person('verified resident', screen);
  await adopt(resident.context, await residentSession('bewoner@wijk.test'));

  await run.check(`verified resident ${at}: their building with its reports`, async () => {
    await openMap(resident.page);
    await openBuilding(resident, data.home.building, data.home.lonlat);
    await resident.page.locator('#building-timeline li').first().waitFor({ state: 'visible' });
    await inspect(resident);
  });

  await run.check(`verified resident ${at}: "Mijn meldingen"`, async () => {
    await closePanels(resident);
    await press(resident, resident.page.locator('#mine-open'));
    await resident.page.locator('#mine-list .mine-item').first().waitFor({ state: 'visible' });
    await resident.page.waitForFunction(() => !document.querySelector('#mine-list[aria-busy="true"]'));
    await inspect(resident);
    await press(resident, resident.page.locator('#mine-close'));
  });

  await run.check(`verified resident ${at}: the form about their own home`, async () => {
    await openBuilding(resident, data.home.building, data.home.lonlat);
    await press(resident, resident.page.locator('#details-report'));
    const own = resident.page.locator(`#report-sheet .type-choice[data-type="gas_readiness"]`).first();
    await own.waitFor({ state: 'visible' });
    await press(resident, own);
    await resident.page.locator('#report-sheet form.report-form[data-type="gas_readiness"]').waitFor({ state: 'visible' });
    await inspect(resident);
    await press(resident, resident.page.locator('#report-close'));
  });

  await run.check(`verified resident ${at}: the account page`, async () => {
    await goto(resident, '/account.html', '#profile-section');
    await resident.page.locator('#address-list button').first().waitFor({ state: 'visible' });
    await resident.page.locator('#consent-history-toggle').click();
    await resident.page.locator('#consent-history p, #consent-history li').first().waitFor({ state: 'visible' });
    await inspect(resident);
  });

  await run.check(`verified resident ${at}: "Wat is er bekend over mijn adres"`, async () => {
    await press(resident, resident.page.locator('#address-list button').first());
    await resident.page.locator('#address-detail-title').waitFor({ state: 'visible' });
    await resident.page.waitForFunction(() => !document.querySelector('#address-detail[aria-busy="true"]'));
    await inspect(resident);
  });

  await run.check(`verified resident ${at}: objecting to an observation`, async () => {
    await press(resident, resident.page.locator('#address-detail button[aria-controls^="contest-"]').first());
    await resident.page.locator('#address-detail form[id^="contest-"] textarea').first().waitFor({ state: 'visible' });
    await resident.page.locator('#address-detail form[id^="contest-"] textarea').first().fill('Er liggen geen panelen op.');
    await press(resident, resident.page.locator('#address-detail form[id^="contest-"] button[type="submit"]').first());
    await resident.page.getByText('Je bezwaar is ontvangen.').waitFor({ state: 'visible' });
    await inspect(resident);
  });
  await resident.context.close();

  const wo = await run.person('wijkondernemer', screen);
  await adopt(wo.context, await staffSession(env.WIJKWERK_WIJKONDERNEMER, env.WIJKWERK_PASSWORD));

  await run.check(`wijkondernemer ${at}: the map and a building in their wijk`, async () => {
    await openMap(wo.page);
    await openBuilding(wo, data.home.building, data.home.lonlat);
    await wo.page.locator('#building-timeline li').first().waitFor({ state: 'visible' });
    await inspect(wo);
  });

  await run.check(`wijkondernemer ${at}: beheer (moderation, letters)`, async () => {
    await goto(wo, '/beheer.html', '#moderation-section');
    await wo.page.locator('#moderation-table table, #moderation-table p').first().waitFor({ state: 'visible' });
    await inspect(wo);
  });

  await run.check(`wijkondernemer ${at}: the work, and why one item is there`, async () => {
    await goto(wo, '/werk.html', '#work-totals table');
    await wo.page.locator('#work-list details summary').first().waitFor({ state: 'visible' });
    await wo.page.locator('#work-list details summary').first().click();
    await wo.page.locator('#work-list details .work-why dl').first().waitFor({ state: 'visible' });
    await inspect(wo);
  });
  await wo.context.close();

  const admin = await run.person('admin', screen);
  await adopt(admin.context, await staffSession(env.WIJKWERK_ADMIN, env.WIJKWERK_PASSWORD));

  await run.check(`admin ${at}: beheer (users, areas, audit log, retention, moderation)`, async () => {
    await goto(admin, '/beheer.html', '#users-section');
    await admin.page.locator('#audit-table table').waitFor({ state: 'visible' });
    await admin.page.locator('#retention-body dl, #retention-body table').first().waitFor({ state: 'visible' });
    await inspect(admin);
  });

  await run.check(`admin ${at}: changing a user's roles`, async () => {
    await admin.page.locator('#users-table button[data-action="roles"]').first().click();
    await admin.page.locator('#roles-editor').waitFor({ state: 'visible' });
    await inspect(admin);
  });

  await run.check(`admin ${at}: running retention`, async () => {
    await admin.page.locator('#retention-run').click();
    await admin.page.locator('#retention-result table, #retention-result dl, #retention-result p').first().waitFor({ state: 'visible' });
    await inspect(admin);
  });

  await run.check(`admin ${at}: downloading reports and drawing an area`, async () => {
    await goto(admin, '/beheer.html', '#exports-section');
    await admin.page.waitForFunction(() => document.querySelectorAll('#export-type option').length > 1 && window.__drawMap?.map?.loaded());
    await admin.page.locator('#export-area').selectOption(env.WIJKWERK_WIJK);
    await admin.page.locator('#export-type').selectOption('gas_readiness');
    await Promise.all([admin.page.waitForEvent('download'), press(admin, admin.page.locator('#exports-form button[type="submit"]'))]);
    await admin.page.locator('#exports-notice[data-kind="success"]').waitFor({ state: 'visible' });
    await press(admin, admin.page.locator('#draw-centre'));
    await admin.page.locator('#draw-points').fill('5.1, 52.0\n5.2');
    await press(admin, admin.page.locator('#draw-apply'));
    await admin.page.locator('#draw-notice[data-kind="error"]').waitFor({ state: 'visible' });
    await inspect(admin);
  });

  await run.check(`admin ${at}: the account page with two-step verification`, async () => {
    await goto(admin, '/account.html', '#security-section');
    await inspect(admin);
  });
  await admin.context.close();

  const gemeente = await run.person('gemeente', screen);
  await adopt(gemeente.context, await staffSession(env.WIJKWERK_GEMEENTE, env.WIJKWERK_PASSWORD));

  await run.check(`gemeente ${at}: the map and a building`, async () => {
    await openMap(gemeente.page);
    await openBuilding(gemeente, data.home.building, data.home.lonlat);
    await inspect(gemeente);
  });

  await run.check(`gemeente ${at}: beheer and the account page`, async () => {
    // The gemeente's start: the way to the urgency map and the reports per buurt, by name.
    await goto(gemeente, '/beheer.html', '#gemeente-counts h3');
    await inspect(gemeente);
    await goto(gemeente, '/account.html', '#profile-section');
    await inspect(gemeente);
  });

  await run.check(`gemeente ${at}: the work totals per buurt`, async () => {
    await goto(gemeente, '/werk.html', '#work-totals table, #work-totals p');
    await inspect(gemeente);
  });
  await gemeente.context.close();
}

await run.closingChecks();
await run.finish(EXPECTED_CHECKS);
