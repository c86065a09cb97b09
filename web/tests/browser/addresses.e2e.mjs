#!/usr/bin/env node
// Browser end-to-end test: a building is named by its address (issue 11, item 2).
//
//   WIJKWERK_URL=<base-url> WIJKWERK_OUTBOX=<outbox.jsonl> WIJKWERK_PASSWORD=<staff password> \
//   WIJKWERK_WIJKONDERNEMER=<email> WIJKWERK_GEMEENTE=<email> WIJKWERK_WIJK=<wijk code> \
//   node tests/browser/addresses.e2e.mjs [screenshot-dir]
//
// A resident verifies an address in a building of several homes with a letter code and reports
// about it; an anonymous reporter reports solar panels on it. Then, on a 360 px phone in Dutch and
// on a desktop in English:
//   - a visitor taps the building: the details panel is titled by its address ("Kerkstraat 1–11",
//     or the street and number with the number of homes), says in words what is in it (no
//     "verblijfsobjecten"), writes the bouwjaar without a thousands separator, and shows its BAG id
//     only in the collapsed "details for GIS" fold; the report sheet names the building the same way;
//   - the building's reports are asked (`/api/buildings/{id}/timeline`) only by those who may see
//     them: not by a visitor, a resident without a letter code or the gemeente (no 403 in the
//     console), but by the verified resident, whose panel lists the open reports about the building;
//   - "Mijn meldingen" names the address, not the BAG id;
//   - confirming a tree report nobody confirmed yet does not say "(al bevestigd door 0 bewoners)".
// The pages run under the server's own Content-Security-Policy; no CSP violation, uncaught error or
// console error.

import { DESKTOP, PHONE, Run, adopt, addressInfo, api, assert, closePanels, deviceSession, letterCodes, openBuilding, openMap, press, redeem, residentSession, staffSession, switchLanguage } from './support.mjs';

/** Each combination runs the checks below. */
const COMBOS = [
  { screen: PHONE, lang: 'nl' },
  { screen: DESKTOP, lang: 'en' },
];
const CHECKS_PER_COMBO = 7;
// 1 + COMBOS.length * CHECKS_PER_COMBO + 2, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 17;

const WORDS = {
  nl: { homes: /woning/, units: /verblijfsobject/i, open: /open meldingen/i, confirm: /^Bevestig de melding/, zero: /\b0\b/, gis: /GIS/ },
  en: { homes: /home/, units: /verblijfsobject|\bunits\b/i, open: /open reports/i, confirm: /^Confirm the report/, zero: /\b0\b/, gis: /GIS/ },
};

const env = process.env;
const run = await new Run(
  'addresses',
  'WIJKWERK_URL=… WIJKWERK_OUTBOX=… WIJKWERK_PASSWORD=… WIJKWERK_WIJKONDERNEMER=… WIJKWERK_GEMEENTE=… WIJKWERK_WIJK=… node tests/browser/addresses.e2e.mjs [screenshot-dir]',
  ['WIJKWERK_OUTBOX', 'WIJKWERK_PASSWORD', 'WIJKWERK_WIJKONDERNEMER', 'WIJKWERK_GEMEENTE', 'WIJKWERK_WIJK'],
).start();
const data = {};

/** The visible text of the details panel outside the GIS fold, and what the fold holds. */
function panelText(page) {
  return page.evaluate(() => {
    const root = document.getElementById('details-panel');
    const fold = root.querySelector('[data-gis]');
    const clone = root.cloneNode(true);
    clone.querySelector('[data-gis]')?.remove();
    return {
      title: document.getElementById('details-title').textContent.trim(),
      text: clone.textContent.replace(/\s+/g, ' '),
      fold: fold ? { open: fold.open === true, text: fold.textContent.replace(/\s+/g, ' ') } : null,
    };
  });
}

/** Every building, page by page. */
async function allBuildings() {
  const all = [];
  let next = '/ogc/collections/buildings/items?limit=500';
  while (next) {
    const page = await api(null, 'GET', next);
    all.push(...page.features);
    const link = page.links.find((l) => l.rel === 'next');
    next = link ? new URL(link.href).pathname + new URL(link.href).search : null;
  }
  return all;
}

const timelineAsked = (person) => person.requests.filter((r) => /^\/api\/buildings\/[^/]+\/timeline$/.test(r.path));

await run.check('a verified resident in a building of several homes, and reports about it', async () => {
  const wo = await staffSession(env.WIJKWERK_WIJKONDERNEMER, env.WIJKWERK_PASSWORD);
  const letters = await letterCodes(wo, env.WIJKWERK_WIJK);
  // A building of the wijk with several homes (flats if there are: numbers with an addition).
  const candidates = (await allBuildings()).filter((f) => f.properties.wijkcode === env.WIJKWERK_WIJK && f.properties.adressen.length >= 3);
  candidates.sort((a, b) => Number(b.properties.adressen.some((x) => x.toevoeging)) - Number(a.properties.adressen.some((x) => x.toevoeging)));
  const line = (a) => `${a.openbare_ruimte_naam} ${a.huisnummer}${a.huisletter ?? ''}${a.toevoeging ? `-${a.toevoeging}` : ''}`;
  for (const building of candidates) {
    const lines = new Set(building.properties.adressen.map(line));
    const letter = letters.find((l) => lines.has(l.street));
    if (letter) {
      data.building = building;
      data.letter = letter;
      break;
    }
  }
  assert(data.letter, `no letter of ${env.WIJKWERK_WIJK} for a building of three or more homes (${candidates.length} such buildings)`);
  const resident = await residentSession('flat@wijk.test');
  data.home = await addressInfo(await redeem(resident, data.letter.code));
  data.resident = resident;
  await api(resident, 'POST', '/api/observations', {
    type: 'roof_suitability',
    target: { building: data.home.building },
    answers: { shape: 'flat', shade: 'none' },
  });
  await api(resident, 'POST', '/api/observations', {
    type: 'gas_readiness',
    target: { address: data.home.id },
    answers: { heating: 'heat_pump', cooking: 'induction', interest: 'already_off_gas' },
  });
  const device = await deviceSession();
  await api(device, 'POST', '/api/observations', {
    type: 'solar_panels',
    target: { building: data.home.building },
    answers: { panels: 'yes' },
  });
  data.lonlat = data.home.lonlat;
  const streets = new Set(data.building.properties.adressen.map((a) => a.openbare_ruimte_naam));
  console.log(`     building ${data.home.building}: ${data.building.properties.adressen.length} addresses in ${[...streets].join(', ')}`);
});

for (const [i, { screen, lang }] of COMBOS.entries()) {
  const at = `(${screen.name}, ${lang})`;
  const w = WORDS[lang];
  const visitor = await run.person('visitor', screen, lang);

  await run.check(`visitor ${at}: the details panel is titled by the address; the id only in the GIS fold`, async () => {
    run.current = visitor.page;
    await openMap(visitor.page);
    await switchLanguage(visitor.page, lang);
    await openBuilding(visitor, data.home.building, data.lonlat);
    const { title, text, fold } = await panelText(visitor.page);
    const street = data.home.street;
    assert(title.includes(street) && /\d/.test(title), `the panel is titled "${title}", not by the address in ${street}`);
    assert(!/\d{10,}/.test(title) && !/^pand\b/i.test(title), `the title holds an id: "${title}"`);
    assert(!/\d{16}/.test(text), `the panel shows a BAG id outside the GIS fold: ${text}`);
    assert(fold && !fold.open && fold.text.includes(data.home.building), `no closed GIS fold with the id: ${JSON.stringify(fold)}`);
    assert(!w.units.test(text), `the panel still speaks of verblijfsobjecten: ${text}`);
    assert(w.homes.test(text), `the panel does not say how many homes: ${text}`);
    const year = data.building.properties.bouwjaar;
    if (year >= 1000 && year !== 9999) {
      assert(text.includes(String(year)), `the bouwjaar ${year} is not written as a year: ${text}`);
    }
    assert(!/\b\d[.,]\d{3}\b/.test(text.replace(/\d+[.,]\d+\s*m²/g, '')), `a number with a thousands separator: ${text}`);
    // The values have room to be read: no column squeezed so narrow that words break in two.
    const widths = await visitor.page.$$eval('#details-panel .facts', (lists) =>
      lists.map((dl) => ({
        list: dl.getBoundingClientRect().width,
        values: [...dl.querySelectorAll(':scope > dd')].map((dd) => dd.getBoundingClientRect().width),
      })),
    );
    for (const { list, values } of widths) {
      const narrowest = Math.min(...values);
      assert(narrowest >= list * 0.35, `a value column of ${Math.round(narrowest)} px in a list of ${Math.round(list)} px`);
    }
  });

  await run.check(`visitor ${at}: the report sheet names the building by its address`, async () => {
    await press(visitor, visitor.page.locator('#details-report'));
    const target = (await visitor.page.locator('#report-target').textContent()) ?? '';
    assert(target.includes(data.home.street) && !/\d{10,}/.test(target), `the sheet names "${target}"`);
    await closePanels(visitor);
  });

  await run.check(`visitor, resident without a letter code and gemeente ${at}: the building's reports are not asked`, async () => {
    assert(timelineAsked(visitor).length === 0, `the visitor asked ${JSON.stringify(timelineAsked(visitor))}`);
    const unverified = await run.person('resident without a letter code', screen, lang);
    await adopt(unverified.context, await residentSession(`zonder-brief-${i}@wijk.test`));
    const gemeente = await run.person('gemeente', screen, lang);
    await adopt(gemeente.context, await staffSession(env.WIJKWERK_GEMEENTE, env.WIJKWERK_PASSWORD));
    for (const person of [unverified, gemeente]) {
      run.current = person.page;
      await openMap(person.page);
      await openBuilding(person, data.home.building, data.lonlat);
      // Give a request that would be made the time to be made.
      await person.page.waitForTimeout(1500);
      assert(timelineAsked(person).length === 0, `${person.name} asked ${JSON.stringify(timelineAsked(person))}`);
      await person.context.close();
    }
  });

  const resident = await run.person('verified resident', screen, lang);
  await adopt(resident.context, data.resident);

  await run.check(`verified resident ${at}: the panel lists the open reports about the building`, async () => {
    run.current = resident.page;
    await openMap(resident.page);
    await openBuilding(resident, data.home.building, data.lonlat);
    const section = resident.page.locator('#building-timeline');
    await section.locator('li').first().waitFor({ state: 'visible' });
    const heading = (await section.locator('h3').first().textContent()) ?? '';
    assert(w.open.test(heading), `the section is headed "${heading}"`);
    const entries = await section.locator('li').allTextContents();
    assert(entries.length >= 3, `the panel lists ${entries.length} reports: ${JSON.stringify(entries)}`);
    assert(entries.every((e) => !/\d{10,}/.test(e)), `an entry shows an id: ${JSON.stringify(entries)}`);
    assert(timelineAsked(resident).length >= 1, 'the verified resident never asked for the reports');
  });

  await run.check(`verified resident ${at}: "Mijn meldingen" names the address`, async () => {
    await closePanels(resident);
    await press(resident, resident.page.locator('#mine-open'));
    await resident.page.locator('#mine-list .mine-item').first().waitFor({ state: 'visible' });
    await resident.page.waitForFunction(() => !document.querySelector('#mine-list[aria-busy="true"]'));
    await resident.page.waitForFunction((street) => [...document.querySelectorAll('#mine-list .mine-title')].every((t) => t.textContent.includes(street)), data.home.street, { timeout: 10_000 }).catch(() => undefined);
    const titles = await resident.page.locator('#mine-list .mine-title').allTextContents();
    assert(titles.length >= 2, `${titles.length} items`);
    for (const title of titles) {
      assert(title.includes(data.home.street) && !/\d{10,}/.test(title) && !/\bpand \d/i.test(title), `an item reads "${title}"`);
    }
    await closePanels(resident);
  });
  await resident.context.close();

  await run.check(`anonymous reporters ${at}: confirming a tree nobody confirmed yet`, async () => {
    // Someone reports a tree a few metres from the building's corner; a second phone reports there.
    const [lon, lat] = data.lonlat;
    const spot = [lon + 0.0006 + i * 0.0004, lat - 0.0006];
    const first = await deviceSession();
    await api(first, 'POST', '/api/observations', {
      type: 'greenery_distress',
      target: { point: { type: 'Point', coordinates: spot } },
      answers: { object: 'tree', severity: 'light' },
    });
    const second = await run.person('second reporter', screen, lang);
    run.current = second.page;
    await openMap(second.page);
    await second.page.evaluate((spot) => window.__wijkwerk.map.jumpTo({ center: spot, zoom: 18 }), spot);
    await press(second, second.page.locator('#report-open'));
    await press(second, second.page.locator('#report-sheet .type-choice[data-type="greenery_distress"]'));
    await press(second, second.page.locator('#report-device'));
    const confirm = second.page.locator('#report-confirm');
    await confirm.waitFor({ state: 'visible' });
    const label = (await confirm.textContent()) ?? '';
    assert(w.confirm.test(label) && !w.zero.test(label), `the button reads "${label}"`);
    await press(second, confirm);
    await second.page.locator('#report-toast').waitFor({ state: 'visible' });
    await second.context.close();
  });

  await run.check(`visitor ${at}: a building of several homes says how many`, async () => {
    run.current = visitor.page;
    await openBuilding(visitor, data.home.building, data.lonlat);
    const { title, text } = await panelText(visitor.page);
    const homes = data.building.properties.adressen.filter((a) => String(a.gebruiksdoel ?? '').includes('woonfunctie')).length;
    if (homes > 1) assert(text.includes(String(homes)), `the panel "${title}" does not say ${homes} homes: ${text}`);
    await visitor.context.close();
  });
}

await run.closingChecks();
await run.finish(EXPECTED_CHECKS);
