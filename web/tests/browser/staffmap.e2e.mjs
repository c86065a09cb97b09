#!/usr/bin/env node
// Browser end-to-end test: the do-not-knock addresses are drawn on the staff map (issue 11, item 5).
//
//   WIJKWERK_URL=<base-url> WIJKWERK_OUTBOX=<outbox.jsonl> WIJKWERK_PASSWORD=<staff password> \
//   WIJKWERK_WIJKONDERNEMER=<email> WIJKWERK_WIJK=<wijk code> node tests/browser/staffmap.e2e.mjs [screenshot-dir]
//
// A resident verifies an address of the wijkondernemer's wijk with a letter code and opts out of
// visits (canvassing). On a 360 px phone in Dutch and on a desktop in English, the wijkondernemer's
// map draws that address in the do-not-knock style layer, with a row in the legend and words in
// a popup when it is tapped; a visitor's map has neither (their tiles do not carry the layer). The
// pages run under the server's own Content-Security-Policy; no CSP violation, uncaught error or
// console error.

import { DESKTOP, PHONE, Run, adopt, addressInfo, api, assert, jumpTo, letterCodes, openMap, redeem, residentSession, staffSession, switchLanguage } from './support.mjs';

const COMBOS = [
  { screen: PHONE, lang: 'nl' },
  { screen: DESKTOP, lang: 'en' },
];
// 1 + COMBOS.length * 2 + 2, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 7;

const LAYER = 'do-not-knock-point';
const WORDS = { nl: { legend: 'Niet aanbellen', popup: /geen bezoek/ }, en: { legend: 'Do not knock', popup: /does not want visits/ } };

const env = process.env;
const run = await new Run(
  'staffmap',
  'WIJKWERK_URL=… WIJKWERK_OUTBOX=… WIJKWERK_PASSWORD=… WIJKWERK_WIJKONDERNEMER=… WIJKWERK_WIJK=… node tests/browser/staffmap.e2e.mjs [screenshot-dir]',
  ['WIJKWERK_OUTBOX', 'WIJKWERK_PASSWORD', 'WIJKWERK_WIJKONDERNEMER', 'WIJKWERK_WIJK'],
).start();
const data = {};

/** The do-not-knock features drawn in view, by address id. */
function drawn(page) {
  return page.evaluate((layer) => {
    const { map } = window.__wijkwerk;
    if (!map.getLayer(layer)) return null;
    return map.queryRenderedFeatures({ layers: [layer] }).map((f) => String(f.properties.identificatie));
  }, LAYER);
}

await run.check('a resident opts out of visits for the address they verified', async () => {
  const wo = await staffSession(env.WIJKWERK_WIJKONDERNEMER, env.WIJKWERK_PASSWORD);
  const letters = await letterCodes(wo, env.WIJKWERK_WIJK);
  assert(letters.length > 0, `no letters for ${env.WIJKWERK_WIJK}`);
  const resident = await residentSession('thuis@wijk.test');
  const address = await redeem(resident, letters[0].code);
  await api(resident, 'PUT', `/api/my/addresses/${address}/opt-outs/canvassing`);
  data.home = await addressInfo(address);
});

for (const { screen, lang } of COMBOS) {
  const at = `(${screen.name}, ${lang})`;

  await run.check(`the wijkondernemer's map draws the address that said no to visits ${at}`, async () => {
    const wo = await run.person('wijkondernemer', screen, lang);
    await adopt(wo.context, await staffSession(env.WIJKWERK_WIJKONDERNEMER, env.WIJKWERK_PASSWORD));
    run.current = wo.page;
    await openMap(wo.page);
    await switchLanguage(wo.page, lang);
    await jumpTo(wo.page, data.home.lonlat, 18);
    const ids = await drawn(wo.page);
    assert(ids !== null, `no ${LAYER} layer on the wijkondernemer's map`);
    assert(ids.includes(data.home.id), `${data.home.id} is not drawn: ${ids.join(', ')}`);
    if ((await wo.page.locator('#legend').getAttribute('open')) === null) await wo.page.locator('#legend summary').click();
    const row = wo.page.locator('#legend [data-legend="do-not-knock"]');
    await row.waitFor({ state: 'visible' });
    assert((await row.textContent())?.includes(WORDS[lang].legend), `legend row: ${await row.textContent()}`);
    await wo.page.locator('#legend summary').click();
    // Tapping it says what it means, in words.
    const point = await wo.page.evaluate(({ lonlat }) => {
      const { map } = window.__wijkwerk;
      const p = map.project(lonlat);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, { lonlat: data.home.lonlat });
    await wo.page.mouse.click(point.x, point.y);
    const popup = wo.page.locator('.maplibregl-popup-content');
    await popup.waitFor({ state: 'visible' });
    assert(WORDS[lang].popup.test((await popup.textContent()) ?? ''), `popup: ${await popup.textContent()}`);
    await wo.context.close();
  });

  await run.check(`a visitor's map has no do-not-knock layer and no legend row ${at}`, async () => {
    const visitor = await run.person('visitor', screen, lang);
    run.current = visitor.page;
    await openMap(visitor.page);
    await jumpTo(visitor.page, data.home.lonlat, 18);
    assert((await drawn(visitor.page)) === null, 'a visitor has the layer');
    assert((await visitor.page.locator('#legend [data-legend="do-not-knock"]').count()) === 0, 'a visitor has the legend row');
    await visitor.context.close();
  });
}

await run.closingChecks();
await run.finish(EXPECTED_CHECKS);
