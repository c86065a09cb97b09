#!/usr/bin/env node
// Browser end-to-end test: staff have screens for what they may do (issue 11 §5), and the screens
// fit (issue 11, "Seen"): on /beheer the reports download with an area picked by name (the admin
// anywhere, a wijkondernemer only in their wijk, the gemeente not at all), an area drawn by
// clicking the map or typed as corners and pasted as GeoJSON (a mistake explained in words) is
// saved and offered in the pickers at once, and the users table is not clipped on a desktop nor
// wider than a phone; on the map the collapsed legend leaves the attribution free. On a 360 px
// phone and a desktop, the new screens in Dutch and English, under the server's own
// Content-Security-Policy; no CSP violation, uncaught error or console error.
//
//   WIJKWERK_URL=<base-url> WIJKWERK_PASSWORD=<staff password> WIJKWERK_ADMIN=<email> \
//   WIJKWERK_WIJKONDERNEMER=<email> WIJKWERK_GEMEENTE=<email> WIJKWERK_WIJK=<the wijkondernemer's wijk> \
//   node tests/browser/staffscreens.e2e.mjs [screenshot-dir]

import fs from 'node:fs';
import { DESKTOP, PHONE, Run, adopt, api, assert, catalogueKeys, deviceSession, openMap, press, staffSession, switchLanguage, wordProblems, BASE } from './support.mjs';

/** Checks per screen size (below), the data check and the two closing checks. */
// 2 * 8 + 1 + 2, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 19;

const env = process.env;
const run = await new Run(
  'staffscreens',
  'WIJKWERK_URL=… WIJKWERK_PASSWORD=… WIJKWERK_ADMIN=… WIJKWERK_WIJKONDERNEMER=… WIJKWERK_GEMEENTE=… WIJKWERK_WIJK=… node tests/browser/staffscreens.e2e.mjs [screenshot-dir]',
  ['WIJKWERK_PASSWORD', 'WIJKWERK_ADMIN', 'WIJKWERK_WIJKONDERNEMER', 'WIJKWERK_GEMEENTE', 'WIJKWERK_WIJK'],
).start();
const KEYS = catalogueKeys();
const WIJK = env.WIJKWERK_WIJK;
const data = {};

/** The page as it is now, in Dutch and in English (switched with the page's own button). */
async function inspect(person) {
  const { page } = person;
  const found = [];
  for (const lang of ['nl', 'en']) {
    await switchLanguage(page, lang);
    for (const problem of await wordProblems(page, KEYS)) found.push(`[${lang}] ${problem}`);
  }
  await switchLanguage(page, 'nl');
  assert(found.length === 0, `${found.length} problems:\n       ${found.slice(0, 25).join('\n       ')}`);
}

async function beheer(person, ready) {
  run.current = person.page;
  const response = await person.page.goto(`${BASE}/beheer.html`, { waitUntil: 'domcontentloaded' });
  assert(response?.ok(), `GET /beheer.html answered ${response?.status()}`);
  await person.page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
  if (ready) await person.page.locator(ready).first().waitFor({ state: 'visible' });
}

/** Whether two client rects share any area. */
function overlap(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** Downloads the reports of `area` and `type` as `format` through the form; the request and the file's bytes. */
async function download(person, area, type, format) {
  const { page } = person;
  await page.locator('#export-area').selectOption(area);
  await page.locator('#export-type').selectOption(type);
  await page.locator(`#export-${format}`).check();
  const [request, file] = await Promise.all([
    page.waitForRequest((r) => new URL(r.url()).pathname.startsWith('/api/exports/')),
    page.waitForEvent('download'),
    press(person, page.locator('#exports-form button[type="submit"]')),
  ]);
  const bytes = fs.readFileSync(await file.path());
  await page.locator('#exports-notice[data-kind="success"]').waitFor({ state: 'visible' });
  return { url: new URL(request.url()), bytes };
}

/** The area options of the exports form: [{ value, text }] without the "choose" line. */
function areaOptions(page) {
  return page.$$eval('#export-area option', (options) => options.filter((o) => o.value !== '').map((o) => ({ value: o.value, text: o.textContent ?? '' })));
}

await run.check('reports to download are made through the API', async () => {
  data.areas = await api(null, 'GET', '/api/areas');
  data.wijkName = data.areas.find((a) => a.code === WIJK)?.name;
  assert(data.wijkName, `${WIJK} is not in /api/areas`);
  const page = await api(null, 'GET', '/ogc/collections/addresses/items?limit=1000');
  const address = page.features.find((f) => f.properties.wijkcode === WIJK);
  assert(address, `no address in ${WIJK} among the first 1000`);
  const [lon, lat] = address.geometry.coordinates;
  const device = await deviceSession();
  await api(device, 'POST', '/api/observations', {
    type: 'greenery_distress',
    target: { point: { type: 'Point', coordinates: [lon + 0.0003, lat + 0.0003] } },
    answers: { object: 'tree', severity: 'serious', cause: 'drought' },
  });
  data.centre = [lon, lat];
});

for (const screen of [PHONE, DESKTOP]) {
  const at = `(${screen.name})`;
  const admin = await run.person('admin', screen);
  await adopt(admin.context, await staffSession(env.WIJKWERK_ADMIN, env.WIJKWERK_PASSWORD));
  const session = await staffSession(env.WIJKWERK_ADMIN, env.WIJKWERK_PASSWORD);

  await run.check(`admin ${at}: the users table is not clipped and fits the screen`, async () => {
    await beheer(admin, '#users-table table');
    const fit = await admin.page.evaluate(() => {
      const section = document.getElementById('users-section').getBoundingClientRect();
      const region = document.querySelector('#users-table .table-scroll') ?? document.getElementById('users-table');
      // The column headers count where they are shown (a phone reads them beside each value).
      const thead = document.querySelector('#users-table thead');
      const headers = getComputedStyle(thead).position === 'absolute' ? [] : [...thead.querySelectorAll('th')];
      const cells = [...headers, ...document.querySelectorAll('#users-table tbody th, #users-table tbody td, #users-table tbody button')]
        .map((c) => c.getBoundingClientRect())
        .filter((r) => r.width > 0);
      return {
        page: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
        scroll: region.scrollWidth,
        client: region.clientWidth,
        widest: Math.max(...cells.map((r) => r.right)),
        right: section.right,
      };
    });
    assert(fit.page <= fit.viewport, `the page is ${fit.page} px wide on a ${fit.viewport} px screen`);
    assert(fit.scroll <= fit.client + 1, `the users table is clipped: ${fit.scroll} px of it in ${fit.client} px`);
    assert(fit.widest <= fit.right + 1, `a cell of the users table ends at ${fit.widest} px, its section at ${fit.right} px`);
  });

  await run.check(`admin ${at}: downloads the reports of a wijk picked by its name`, async () => {
    await admin.page.locator('#exports-section').waitFor({ state: 'visible' });
    await admin.page.waitForFunction(() => document.querySelectorAll('#export-type option').length > 1);
    const options = await areaOptions(admin.page);
    assert(options.length === data.areas.filter((a) => ['gemeente', 'wijk', 'buurt'].includes(a.kind)).length, `${options.length} areas offered to the admin of ${data.areas.length}`);
    const coded = options.filter((o) => /\b(?:BU|WK|GM)\d{4,}\b/.test(o.text) || o.text.trim() === '');
    assert(coded.length === 0, `areas offered by code, not name: ${JSON.stringify(coded.slice(0, 3))}`);
    assert(options.some((o) => o.value === WIJK && o.text.includes(data.wijkName)), `${data.wijkName} is not offered by its name`);
    // Nothing chosen: said in words, the field marked.
    await admin.page.locator('#export-area').selectOption('');
    await press(admin, admin.page.locator('#exports-form button[type="submit"]'));
    await admin.page.locator('#exports-notice[data-kind="error"]').waitFor({ state: 'visible' });
    assert((await admin.page.locator('#export-area').getAttribute('aria-invalid')) === 'true', 'the empty area is not marked');
    const format = screen === PHONE ? 'csv' : 'gpkg';
    const { url, bytes } = await download(admin, WIJK, 'greenery_distress', format);
    assert(url.pathname === `/api/exports/observations.${format}`, `asked ${url.pathname}`);
    assert(url.searchParams.get('area') === WIJK && url.searchParams.get('type') === 'greenery_distress', `asked ${url.search}`);
    if (format === 'csv') {
      const lines = bytes.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
      assert(lines.length >= 2, `the CSV has ${lines.length} lines: ${lines.join(' | ').slice(0, 300)}`);
    } else {
      assert(bytes.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000', 'the GeoPackage is no SQLite file');
    }
    await inspect(admin);
  });

  await run.check(`admin ${at}: draws an area by clicking the map, and it is offered as a scope`, async () => {
    await admin.page.waitForFunction(() => window.__drawMap?.map?.loaded());
    const map = admin.page.locator('#draw-map canvas');
    await map.scrollIntoViewIfNeeded();
    const box = await map.boundingBox();
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const corners = [[-60, -60], [60, -60], [60, 30], [-60, 30], [0, 60]].map(([dx, dy]) => [cx + dx, cy + dy]);
    for (const [x, y] of corners) {
      if (screen.hasTouch) await admin.page.touchscreen.tap(x, y);
      else await admin.page.mouse.click(x, y);
      await admin.page.waitForTimeout(350);
    }
    const count = await admin.page.evaluate(() => window.__drawMap.points().length);
    assert(count === 5, `${count} corners after 5 clicks`);
    await press(admin, admin.page.locator('#draw-undo'));
    const points = await admin.page.evaluate(() => window.__drawMap.points());
    assert(points.length === 4, `${points.length} corners after taking the last one back`);
    const lines = (await admin.page.locator('#draw-points').inputValue()).split('\n').filter((l) => l.trim() !== '');
    assert(lines.length === 4, `the corners field has ${lines.length} lines`);
    const expected = await admin.page.evaluate(
      ({ corners, left, top }) => corners.map(([x, y]) => window.__drawMap.map.unproject([x - left, y - top]).toArray()),
      { corners: corners.slice(0, 4), left: box.x, top: box.y },
    );
    await press(admin, admin.page.locator('#draw-close'));
    assert(await admin.page.evaluate(() => window.__drawMap.closed()), 'the shape did not close');
    const name = `Rond de kerk ${screen.name}`;
    await admin.page.locator('#draw-name').fill(name);
    await press(admin, admin.page.locator('#draw-form button[type="submit"]'));
    await admin.page.locator('#draw-notice[data-kind="success"]').waitFor({ state: 'visible' });
    await admin.page.locator('#custom-areas li', { hasText: name }).waitFor({ state: 'visible' });
    const saved = (await api(session, 'GET', '/api/admin/custom-areas')).find((a) => a.name === name);
    assert(saved, `${name} is not among the custom areas`);
    const scopes = await admin.page.$$eval('#scope-options option', (o) => o.map((x) => ({ value: x.value, text: x.textContent })));
    assert(scopes.some((o) => o.value === saved.scope && o.text === name), `${saved.scope} is not offered as a scope`);
    const ring = saved.geometry.coordinates[0][0];
    assert(ring.length === 5, `the saved ring has ${ring.length} positions`);
    for (const [lon, lat] of expected) {
      assert(ring.some(([x, y]) => Math.abs(x - lon) < 5e-5 && Math.abs(y - lat) < 5e-5), `the clicked corner ${lon},${lat} is not in ${JSON.stringify(ring)}`);
    }
  });

  await run.check(`admin ${at}: draws without a mouse: the point under the cross, corners typed, a mistake explained, GeoJSON pasted`, async () => {
    const { page } = admin;
    await page.locator('#draw-clear').focus();
    await page.keyboard.press('Enter');
    await page.locator('#draw-centre').focus();
    await page.keyboard.press('Enter');
    const [centre, point] = await page.evaluate(() => [window.__drawMap.map.getCenter().toArray(), window.__drawMap.points()[0]]);
    assert(point && Math.abs(point[0] - centre[0]) < 1e-5 && Math.abs(point[1] - centre[1]) < 1e-5, `the point ${point} is not the centre ${centre}`);
    await page.locator('#draw-points').fill('5.1, 52.0\nhier');
    await page.locator('#draw-apply').focus();
    await page.keyboard.press('Enter');
    await page.locator('#draw-notice[data-kind="error"]').waitFor({ state: 'visible' });
    assert(await page.evaluate(() => document.activeElement?.id === 'draw-points'), 'the corners field does not get the focus');
    assert((await page.locator('#draw-points').getAttribute('aria-invalid')) === 'true', 'the corners field is not marked');
    assert((await page.locator('#draw-notice').textContent()).includes('2'), 'the message does not name the line');
    await inspect(admin);
    const [lon, lat] = data.centre;
    const d = 0.002;
    const polygon = { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] };
    await page.locator('#draw-points').fill(JSON.stringify({ type: 'Feature', properties: {}, geometry: polygon }));
    await page.locator('#draw-apply').focus();
    await page.keyboard.press('Enter');
    await page.locator('#draw-notice[data-kind="success"]').waitFor({ state: 'visible' });
    assert(await page.evaluate(() => window.__drawMap.closed() && window.__drawMap.points().length === 4), 'the pasted polygon is not the closed drawing');
    const name = `Plein ${screen.name}`;
    await page.locator('#draw-name').fill(name);
    await page.locator('#draw-name').press('Enter');
    await page.locator('#custom-areas li', { hasText: name }).waitFor({ state: 'visible' });
    await page.locator('#draw-notice[data-kind="success"]').waitFor({ state: 'visible' });
    await inspect(admin);
  });

  await run.check(`admin ${at}: the new screens say no raw keys or codes, in Dutch and English`, async () => {
    await beheer(admin, '#exports-section');
    await admin.page.waitForFunction(() => window.__drawMap?.map?.loaded());
    // Both sections' messages on screen: a missing type, and a shape not closed.
    await admin.page.locator('#export-area').selectOption(WIJK);
    await press(admin, admin.page.locator('#exports-form button[type="submit"]'));
    await admin.page.locator('#exports-notice[data-kind="error"]').waitFor({ state: 'visible' });
    await admin.page.locator('#draw-name').fill('Half getekend');
    await press(admin, admin.page.locator('#draw-form button[type="submit"]'));
    await admin.page.locator('#draw-notice[data-kind="error"]').waitFor({ state: 'visible' });
    await inspect(admin);
  });
  await admin.context.close();

  const wo = await run.person('wijkondernemer', screen);
  await adopt(wo.context, await staffSession(env.WIJKWERK_WIJKONDERNEMER, env.WIJKWERK_PASSWORD));
  await run.check(`wijkondernemer ${at}: downloads only in their own wijk, and draws no areas`, async () => {
    await beheer(wo, '#exports-section');
    await wo.page.waitForFunction(() => document.querySelectorAll('#export-type option').length > 1);
    const options = await areaOptions(wo.page);
    const digits = WIJK.slice(2);
    const outside = options.filter((o) => !o.value.slice(2).startsWith(digits) || o.value.startsWith('GM'));
    assert(options.length > 0 && outside.length === 0, `offered outside ${WIJK}: ${JSON.stringify(outside.slice(0, 3))} (${options.length} offered)`);
    assert(await wo.page.locator('#areas-section').isHidden(), 'a wijkondernemer gets the drawing map');
    const format = screen === PHONE ? 'geojson' : 'csv';
    const { bytes } = await download(wo, WIJK, 'greenery_distress', format);
    if (format === 'geojson') {
      const json = JSON.parse(bytes.toString('utf8'));
      assert(json.type === 'FeatureCollection' && json.features.length >= 1, `the GeoJSON has ${json.features?.length} features`);
    }
    await inspect(wo);
  });
  await wo.context.close();

  const gemeente = await run.person('gemeente', screen);
  await adopt(gemeente.context, await staffSession(env.WIJKWERK_GEMEENTE, env.WIJKWERK_PASSWORD));
  await run.check(`gemeente ${at}: no download of single reports and no drawing (counts only)`, async () => {
    await beheer(gemeente, '#gemeente-counts h3');
    assert(await gemeente.page.locator('#exports-section').isHidden(), 'the gemeente gets the exports form');
    assert(await gemeente.page.locator('#areas-section').isHidden(), 'the gemeente gets the drawing map');
  });
  await gemeente.context.close();

  const visitor = await run.person('visitor', screen);
  await run.check(`visitor ${at}: the legend, collapsed or open, leaves the map's attribution free`, async () => {
    run.current = visitor.page;
    await openMap(visitor.page);
    const page = visitor.page;
    // The attribution as far open as it gets (MapLibre opens it on a narrow map until the first drag).
    if (!(await page.locator('.maplibregl-ctrl-attrib.maplibregl-compact-show').count())) {
      await press(visitor, page.locator('.maplibregl-ctrl-attrib-button'));
    }
    await page.locator('.maplibregl-ctrl-attrib.maplibregl-compact-show .maplibregl-ctrl-attrib-inner').waitFor({ state: 'visible' });
    const found = [];
    for (const open of [false, true]) {
      await page.evaluate((open) => {
        document.getElementById('legend').open = open;
      }, open);
      await page.waitForTimeout(100);
      const rects = await page.evaluate(() => {
        const r = (el) => {
          const b = el.getBoundingClientRect();
          return { left: b.left, right: b.right, top: b.top, bottom: b.bottom };
        };
        return {
          legend: r(document.getElementById('legend')),
          attribution: r(document.querySelector('.maplibregl-ctrl-attrib')),
          controls: [...document.querySelectorAll('.maplibregl-ctrl-group, .maplibregl-ctrl-scale')].map(r),
        };
      });
      if (overlap(rects.legend, rects.attribution)) found.push(`the ${open ? 'open' : 'collapsed'} legend ${JSON.stringify(rects.legend)} covers the attribution ${JSON.stringify(rects.attribution)}`);
      for (const c of rects.controls) {
        if (overlap(rects.legend, c)) found.push(`the ${open ? 'open' : 'collapsed'} legend ${JSON.stringify(rects.legend)} covers a map control ${JSON.stringify(c)}`);
      }
    }
    assert(found.length === 0, found.join('; '));
  });
  await visitor.context.close();
}

await run.closingChecks();
await run.finish(EXPECTED_CHECKS);
