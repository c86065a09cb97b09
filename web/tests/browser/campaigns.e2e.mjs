#!/usr/bin/env node
// Browser end-to-end test: a campaign from criteria to a walk without a connection (issue 13).
//
//   WIJKWERK_URL=<base-url> WIJKWERK_PASSWORD=<staff password> WIJKWERK_WIJKONDERNEMER=<email> \
//   WIJKWERK_VOLUNTEER=<email> WIJKWERK_WIJK=<CBS code> node tests/browser/campaigns.e2e.mjs [screenshot-dir]
//
// On a desktop the wijkondernemer writes the criteria (the live count and the map of the chosen
// doors show), adds a question,
// creates the campaign and gives route 1 to the volunteer. On a 360 px phone the volunteer opens
// the walk page, opens the route, then loses the connection (Chromium's offline emulation):
// records two visits, reloads the page while still offline (the service worker serves it; the
// route and the visits come from the device), and gets the connection back — the visits are sent
// by themselves, and the server holds each exactly once, also after sending again. On the
// organiser's map the routes are drawn coloured by progress, and a door clicked on the map is
// moved to another route.

import { DESKTOP, PHONE, Run, adopt, api, assert, staffSession, switchLanguage, BASE } from './support.mjs';

// Three checks and the two closing checks, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 5;

const env = process.env;
const run = await new Run(
  'campaigns',
  'WIJKWERK_URL=… WIJKWERK_PASSWORD=… WIJKWERK_WIJKONDERNEMER=… WIJKWERK_VOLUNTEER=… WIJKWERK_WIJK=… node tests/browser/campaigns.e2e.mjs [screenshot-dir]',
  ['WIJKWERK_PASSWORD', 'WIJKWERK_WIJKONDERNEMER', 'WIJKWERK_VOLUNTEER', 'WIJKWERK_WIJK'],
).start();

const organiser = await staffSession(env.WIJKWERK_WIJKONDERNEMER, env.WIJKWERK_PASSWORD);
let campaignId = 0;
let turfId = 0;

await run.check('the organiser writes criteria, sees the count, creates a campaign and gives a route away (desktop)', async () => {
  const wo = await run.person('wijkondernemer', DESKTOP, 'nl');
  await adopt(wo.context, organiser);
  run.current = wo.page;
  const page = wo.page;
  await page.goto(`${BASE}/werk`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
  await switchLanguage(page, 'nl');
  await page.locator('#campaign-form').waitFor({ state: 'visible' });
  await page.locator('#cmp-title').fill('Zon op daken uit de jaren zestig');
  await page.locator('#cmp-area').selectOption(env.WIJKWERK_WIJK);
  await page.locator('#cmp-criteria').fill('bouwjaar < 2030');
  await page.waitForFunction(() => /\d+ adressen in \d+ gebouwen/.test(document.querySelector('#cmp-preview')?.textContent ?? ''));
  const preview = (await page.locator('#cmp-preview').textContent()) ?? '';
  assert(!/BU\d|WK\d|\d{16}/.test(preview), `the count names no code or id: ${preview}`);
  // The selection shows on the map beside the count, door by door.
  const count = Number((preview.match(/(\d[\d.]*) adressen/)?.[1] ?? '0').replace(/\./g, ''));
  await page.waitForFunction((n) => window.__selectionMap?.points === n, count);
  await page.locator('#cmp-size').fill('6');
  await page.locator('#cmp-ends').fill('2027-03-31');
  await page.getByRole('button', { name: 'Vraag toevoegen' }).click();
  await page.locator('#cmp-q1').fill('Wilt u zonnepanelen?');
  await page.locator('#campaign-form button[type="submit"]').click();
  await page.locator('#campaigns-notice').filter({ hasText: 'is gemaakt' }).waitFor({ state: 'visible' });
  const fold = page.locator('details[data-campaign]').first();
  campaignId = Number(await fold.getAttribute('data-campaign'));
  await fold.locator('summary').click();
  const select = fold.locator('select[data-turf]').first();
  await select.waitFor({ state: 'visible' });
  turfId = Number(await select.getAttribute('data-turf'));
  await select.selectOption({ label: env.WIJKWERK_VOLUNTEER });
  await page.locator('#campaigns-notice').filter({ hasText: 'is nu van' }).waitFor({ state: 'visible' });
  const text = (await page.locator('#campaigns-section').textContent()) ?? '';
  assert(!/\d{16}|\bWK\d{6}\b|\bBU\d{8}\b/.test(text), 'no id or CBS code in the campaigns section');
  await wo.context.close();
});

await run.check('the routes show on a map, and a door clicked on it moves to another route (desktop)', async () => {
  const wo = await run.person('wijkondernemer-map', DESKTOP, 'nl');
  await adopt(wo.context, organiser);
  run.current = wo.page;
  const page = wo.page;
  await page.goto(`${BASE}/werk`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
  await switchLanguage(page, 'nl');
  const fold = page.locator(`details[data-campaign="${campaignId}"]`);
  await fold.locator('summary').click();
  await page.waitForFunction(() => window.__campaignMap !== undefined);
  const turfs = await fold.locator('select[data-turf]').count();
  const hook = await page.evaluate(() => ({ routes: window.__campaignMap.routes, doors: window.__campaignMap.doors }));
  assert(hook.routes === turfs, `${hook.routes} routes on the map, ${turfs} in the table`);
  // A door of a free route (not the one given away) to another free route.
  const routes = [...new Set(hook.doors.map((d) => d.route))].filter((r) => r !== turfId);
  assert(routes.length >= 2, `two free routes to redraw: ${routes}`);
  const door = hook.doors.find((d) => d.route === routes[0]);
  const to = routes[1];
  await page.evaluate(
    (lonlat) =>
      new Promise((resolve) => {
        const { map } = window.__campaignMap;
        map.jumpTo({ center: lonlat, zoom: 18 });
        map.once('idle', () => resolve(undefined));
        map.triggerRepaint();
      }),
    door.lonlat,
  );
  await fold.locator('.campaign-map').scrollIntoViewIfNeeded();
  const at = await page.evaluate((lonlat) => {
    const { map } = window.__campaignMap;
    const p = map.project(lonlat);
    const r = map.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, door.lonlat);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction((address) => window.__campaignMap.picked().includes(address), door.address);
  await fold.locator('[data-campaign-map] select').selectOption(String(to));
  await fold.locator('[data-campaign-map] button', { hasText: 'Verplaats de gekozen deuren (1)' }).click();
  await page.locator('#campaigns-notice').filter({ hasText: 'verplaatst' }).waitFor({ state: 'visible' });
  const after = await api(organiser, 'GET', `/api/campaigns/${campaignId}/map`);
  const moved = after.features.find((f) => f.properties.kind === 'door' && f.properties.address === door.address);
  assert(moved?.properties.route === to, `the door is on route ${moved?.properties.route}, not ${to}`);
  await wo.context.close();
});

await run.check('the volunteer walks without a connection, reloads offline, and every visit reaches the server once (360 px)', async () => {
  const vol = await run.person('volunteer', PHONE, 'nl');
  await adopt(vol.context, await staffSession(env.WIJKWERK_VOLUNTEER, env.WIJKWERK_PASSWORD));
  run.current = vol.page;
  const page = vol.page;
  await page.goto(`${BASE}/lopen`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
  await switchLanguage(page, 'nl');
  const open = page.locator(`a[data-route="${campaignId}-${turfId}"]`);
  await open.waitFor({ state: 'visible' });
  await open.click();
  await page.locator('#door-list li').first().waitFor({ state: 'visible' });
  // The service worker holds the page before the connection goes.
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.getRegistration('/lopen');
    return Boolean(reg?.active);
  });
  const doors = await page.locator('#door-list li').evaluateAll((els) => els.map((e) => e.getAttribute('data-address')));
  assert(doors.length >= 2, `a route of several doors: ${doors.length}`);

  run.expectedConsole = /ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR_|Failed to load resource/;
  await vol.context.setOffline(true);
  const visit = async (i, outcome, consent) => {
    const li = page.locator('#door-list li').nth(i);
    await li.locator('summary').click();
    await li.locator(`input[type="radio"][value="${outcome}"]`).check();
    if (consent) await li.locator('input[type="checkbox"]').check();
    await li.getByRole('button', { name: 'Bezoek opslaan' }).click();
    await page.locator('#walk-notice').filter({ hasText: 'Opgeslagen:' }).waitFor({ state: 'visible' });
  };
  await visit(0, 'interested', true);
  await visit(1, 'not_home', false);
  await page.locator('#walk-status').filter({ hasText: '2 bezoeken wachten' }).waitFor({ state: 'visible' });

  // Reload while offline: the page, the route and the two visits are still there.
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
  await page.locator('#door-list li').first().waitFor({ state: 'visible' });
  await page.locator('#walk-status').filter({ hasText: '2 bezoeken wachten' }).waitFor({ state: 'visible' });
  const first = (await page.locator('#door-list li').first().locator('summary').textContent()) ?? '';
  assert(first.includes('geïnteresseerd'), `the door recorded offline shows its outcome: ${first}`);

  // Back online: sent by themselves.
  await vol.context.setOffline(false);
  await page.locator('#walk-notice').filter({ hasText: 'Alles is verstuurd' }).waitFor({ state: 'visible' });
  run.expectedConsole = null;
  const counted = async () => {
    const c = await api(organiser, 'GET', `/api/campaigns/${campaignId}`);
    return c.turfs.find((t) => t.id === turfId).progress;
  };
  let p = await counted();
  assert(p.visited === 2 && p.interested === 1 && p.not_home === 1, `the server holds both visits: ${JSON.stringify(p)}`);
  // Sending again changes nothing.
  await page.locator('#walk-sync').click();
  await page.waitForTimeout(500);
  p = await counted();
  assert(p.visited === 2, `each visit once: ${JSON.stringify(p)}`);
  await vol.context.close();
});

await run.closingChecks();
await run.finish(EXPECTED_CHECKS);
