#!/usr/bin/env node
// Browser end-to-end test: an assignment from offer to statement (issue 12 §3).
//
//   WIJKWERK_URL=<base-url> WIJKWERK_PASSWORD=<staff password> WIJKWERK_PARTNER=<email> \
//   WIJKWERK_WIJKONDERNEMER=<email> node tests/browser/assignments.e2e.mjs [screenshot-dir]
//
// On a 360 px phone in Dutch and on a desktop in English: the partner offers an assignment on the
// Werk page (the live count of its selection shows while it types, and a map of it in patches of
// at least k households, redrawn as the criteria and the area change), the wijkondernemer accepts it
// and reports the first planned roof delivered, and the partner accepts that unit and reads the
// statement with the fee earned — without ever seeing an address; and the partner starts an offer
// from a buurt on the urgency map (issue 14 §3), landing on the offer form for that buurt. The pages run under the
// server's own Content-Security-Policy; no CSP violation, uncaught error or console error.

import { DESKTOP, PHONE, Run, adopt, assert, staffSession, switchLanguage, BASE } from './support.mjs';

const COMBOS = [
  { screen: PHONE, lang: 'nl' },
  { screen: DESKTOP, lang: 'en' },
];
// COMBOS.length * 5 + 2, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 12;

const WORDS = {
  nl: { offered: 'aangeboden', accept: 'Aannemen', accepted: 'aangenomen', deliver: 'Geleverd melden', acceptUnit: 'Accepteren', total: 'Totaal' },
  en: { offered: 'offered', accept: 'Accept', accepted: 'accepted', deliver: 'Report delivered', acceptUnit: 'Accept', total: 'Total' },
};

const env = process.env;
const run = await new Run(
  'assignments',
  'WIJKWERK_URL=… WIJKWERK_PASSWORD=… WIJKWERK_PARTNER=… WIJKWERK_WIJKONDERNEMER=… node tests/browser/assignments.e2e.mjs [screenshot-dir]',
  ['WIJKWERK_PASSWORD', 'WIJKWERK_PARTNER', 'WIJKWERK_WIJKONDERNEMER'],
).start();

async function openWork(person, lang) {
  run.current = person.page;
  const response = await person.page.goto(`${BASE}/werk.html`, { waitUntil: 'domcontentloaded' });
  assert(response?.ok(), `GET /werk.html answered ${response?.status()}`);
  await person.page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
  await switchLanguage(person.page, lang);
  await person.page.locator('#assignments-section').waitFor({ state: 'visible' });
}

/** The fold of the assignment titled `title`, opened. */
async function openFold(page, title) {
  const fold = page.locator('details[data-assignment]', { has: page.locator('summary', { hasText: title }) });
  await fold.first().waitFor({ state: 'visible' });
  if ((await fold.first().getAttribute('open')) === null) await fold.first().locator('summary').click();
  await fold.first().locator('.work-why h3').first().waitFor({ state: 'visible' });
  return fold.first();
}

for (const { screen, lang } of COMBOS) {
  const at = `(${screen.name}, ${lang})`;
  const w = WORDS[lang];
  const title = `Zonnepanelen ${screen.name} ${lang}`;

  await run.check(`the partner offers an assignment with a live count ${at}`, async () => {
    const partner = await run.person('partner', screen, lang);
    await adopt(partner.context, await staffSession(env.WIJKWERK_PARTNER, env.WIJKWERK_PASSWORD));
    await openWork(partner, lang);
    const page = partner.page;
    await page.locator('#offer-form').waitFor({ state: 'visible' });
    await page.locator('#offer-title').fill(title);
    await page.locator('#offer-criteria').fill('bouwjaar > 1900');
    await page.waitForFunction(() => /\d/.test(document.querySelector('#offer-preview')?.textContent ?? ''));
    const preview = await page.locator('#offer-preview').textContent();
    assert(!/BU\d|WK\d|\d{16}/.test(preview ?? ''), `the count names no code or id: ${preview}`);
    await page.locator('#offer-units').fill('2');
    await page.locator('#offer-fee').fill('140');
    await page.locator('#offer-deadline').fill('2027-06-30');
    await page.locator('#offer-delivered').fill(lang === 'nl' ? 'Een dak met panelen' : 'A roof with panels');
    await page.locator('#offer-form button[type="submit"]').click();
    const row = page.locator('tr', { has: page.locator('summary', { hasText: title }) });
    await row.first().waitFor({ state: 'visible' });
    assert((await row.first().textContent())?.includes(w.offered), `the new row: ${await row.first().textContent()}`);
    await partner.context.close();
  });

  await run.check(`the offer form maps the partner's selection in k-anonymous patches, redrawn as it changes ${at}`, async () => {
    const partner = await run.person('partner', screen, lang);
    await adopt(partner.context, await staffSession(env.WIJKWERK_PARTNER, env.WIJKWERK_PASSWORD));
    await openWork(partner, lang);
    const page = partner.page;
    await page.locator('#offer-form').waitFor({ state: 'visible' });
    /** What the map draws once it has drawn the answer about `criteria` (and `area`, if given). */
    const drawn = async (criteria, area) => {
      await page.waitForFunction(
        ([c, a]) => {
          const hook = window.__offerMap;
          return hook && hook.asked.criteria === c && (a === null || hook.asked.area === a) && hook.map.loaded();
        },
        [criteria, area ?? null],
      );
      return page.evaluate(() => {
        const hook = window.__offerMap;
        const data = hook.map.getSource('offer-selection').serialize().data;
        const rendered = (layer) => hook.map.queryRenderedFeatures(undefined, { layers: [layer] }).length;
        return {
          kind: hook.kind,
          drawn: hook.drawn,
          data: JSON.stringify(data),
          polygons: data.features.filter((f) => f.geometry.type === 'Polygon').length,
          points: data.features.filter((f) => f.geometry.type === 'Point').length,
          renderedCells: rendered('offer-cells'),
          renderedPoints: rendered('offer-points'),
        };
      });
    };
    const summary = (d) => JSON.stringify({ ...d, data: undefined });
    const previews = () => partner.requests.filter((r) => r.method === 'POST' && r.path === '/api/assignments/preview').length;
    // The first answer loads the map: a partner sees patches filled by count, never a point.
    await page.locator('#offer-criteria').fill('bouwjaar > 1900');
    let now = await drawn('bouwjaar > 1900');
    assert(now.kind === 'cells' && now.polygons > 0 && now.points === 0, `patches only: ${summary(now)}`);
    await page.waitForFunction(() => window.__offerMap.map.queryRenderedFeatures(undefined, { layers: ['offer-cells'] }).length > 0);
    now = await drawn('bouwjaar > 1900');
    assert(now.renderedPoints === 0, `no point rendered: ${now.renderedPoints}`);
    for (const f of JSON.parse(now.data).features) assert(Object.keys(f.properties).sort().join() === 'count,fill', `a patch carries its count only: ${JSON.stringify(f.properties)}`);
    // On the screen: the map fits the page, the legend says in words what a patch is and why
    // small ones are missing, with no code of a cell, an area or a message.
    const box = await page.locator('#offer-map').boundingBox();
    const width = screen.viewport.width;
    assert(box && box.width > 200 && box.width <= width && box.height >= 200, `the map's box: ${JSON.stringify(box)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
    const legend = (await page.locator('#offer-map-legend').textContent()) ?? '';
    const label = await page.locator('#offer-map').getAttribute('aria-label');
    assert(legend.includes(lang === 'nl' ? 'huishoudens' : 'households') && /\d/.test(legend), `the legend: ${legend}`);
    assert(label === (lang === 'nl' ? 'Kaart van je selectie' : 'Map of your selection'), `the map's name: ${label}`);
    for (const text of [legend, label, (await page.locator('#offer-preview').textContent()) ?? '']) {
      assert(!/E\d{4}N\d{4}|\b8[0-9a-f]{14}\b|\b(BU|WK|GM)\d{4}|grid100|h3-|asg\./i.test(text), `no code or key on screen: ${text}`);
    }
    // Typing is debounced: one preview for a burst of keys, then the map is drawn again.
    await page.locator('#offer-criteria').fill('');
    await drawn('');
    const before = previews();
    await page.locator('#offer-criteria').pressSequentially('bouwjaar > 3000', { delay: 25 });
    now = await drawn('bouwjaar > 3000');
    const typed = previews() - before;
    assert(typed >= 1 && typed <= 2, `${typed} previews for one burst of typing`);
    assert(now.polygons === 0 && now.drawn === 0, `nothing selected, nothing drawn: ${summary(now)}`);
    const empty = (await page.locator('#offer-map-legend').textContent()) ?? '';
    assert(empty.includes(lang === 'nl' ? 'Geen vlak' : 'No patch'), `the legend says nothing is shown: ${empty}`);
    await page.locator('#offer-criteria').fill('bouwjaar > 1900');
    const first = await drawn('bouwjaar > 1900');
    assert(first.polygons > 0, `drawn again: ${summary(first)}`);
    // Another area: another selection, drawn again.
    const areas = await page.locator('#offer-area option').evaluateAll((os) => os.map((o) => o.value));
    assert(areas.length >= 2, `areas to choose: ${areas.length}`);
    const current = await page.locator('#offer-area').inputValue();
    const other = areas.find((a) => a !== current);
    await page.locator('#offer-area').selectOption(other);
    now = await drawn('bouwjaar > 1900', other);
    assert(now.kind === 'cells' && now.points === 0, `still patches only: ${summary(now)}`);
    assert(now.data !== first.data, 'another area, another drawing');
    await page.locator('.offer-map-box').screenshot({ path: `${run.shots}/offer-map-${screen.name.replace(/\W+/g, '-')}-${lang}.png` });
    await partner.context.close();
  });

  await run.check(`the partner starts an assignment from a buurt on the urgency map ${at}`, async () => {
    const partner = await run.person('partner', screen, lang);
    await adopt(partner.context, await staffSession(env.WIJKWERK_PARTNER, env.WIJKWERK_PASSWORD));
    const page = partner.page;
    await page.goto(`${BASE}/urgentie`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
    await switchLanguage(page, lang);
    const row = page.locator('#urgency-table tbody th[data-code]').first();
    await row.waitFor({ state: 'visible' });
    const code = await row.getAttribute('data-code');
    await row.locator('button').click();
    const offer = page.locator('#urgency-details a.urgency-offer');
    await offer.waitFor({ state: 'visible' });
    await offer.click();
    await page.locator('#offer-form').waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.activeElement?.id === 'offer-title');
    const chosen = await page.locator('#offer-area').inputValue();
    assert(chosen === code, `the offer form is for ${chosen}, the buurt picked on the map was ${code}`);
    await partner.context.close();
  });

  await run.check(`the wijkondernemer accepts it and reports a roof delivered ${at}`, async () => {
    const wo = await run.person('wijkondernemer', screen, lang);
    await adopt(wo.context, await staffSession(env.WIJKWERK_WIJKONDERNEMER, env.WIJKWERK_PASSWORD));
    await openWork(wo, lang);
    const page = wo.page;
    let fold = await openFold(page, title);
    await fold.getByRole('button', { name: w.accept, exact: true }).click();
    await page.locator('#assignments-notice').filter({ hasText: w.accepted }).waitFor({ state: 'visible' });
    fold = await openFold(page, title);
    const deliver = fold.locator('.work-planned button').first();
    await deliver.waitFor({ state: 'visible' });
    assert((await deliver.getAttribute('aria-label'))?.startsWith(w.deliver), `the button says what it does: ${await deliver.getAttribute('aria-label')}`);
    await deliver.click();
    fold = await openFold(page, title);
    await fold.locator('.work-deliveries li').first().waitFor({ state: 'visible' });
    await wo.context.close();
  });

  await run.check(`the partner accepts the unit and reads the statement, without an address ${at}`, async () => {
    const partner = await run.person('partner', screen, lang);
    await adopt(partner.context, await staffSession(env.WIJKWERK_PARTNER, env.WIJKWERK_PASSWORD));
    await openWork(partner, lang);
    const page = partner.page;
    let fold = await openFold(page, title);
    assert((await fold.locator('.work-planned').count()) === 0, 'the partner sees no planned addresses');
    await fold.getByRole('button', { name: w.acceptUnit, exact: true }).first().click();
    // The section is drawn again after the answer: read the statement once it counts the unit.
    let cells = [];
    for (let i = 0; i < 100; i++) {
      fold = await openFold(page, title);
      const total = fold.locator('tr', { hasText: w.total });
      if ((await total.count()) > 0) {
        // Buurt, planned, delivered, accepted, rejected, amount.
        cells = await total.first().locator('th, td').allTextContents();
        if (cells[3]?.trim() === '1') break;
      }
      await page.waitForTimeout(100);
    }
    assert(cells[3]?.trim() === '1', `one unit accepted: ${cells.join(' | ')}`);
    assert(/140/.test(cells[5] ?? ''), `the fee earned: ${cells.join(' | ')}`);
    const text = (await fold.textContent()) ?? '';
    assert(!/\d{16}/.test(text), 'no BAG id in what the partner sees');
    const pdf = await page.evaluate(async (href) => (await fetch(href)).headers.get('content-type'), await fold.locator('a[href$="format=pdf"]').getAttribute('href'));
    assert(pdf === 'application/pdf', `the werkbon is a PDF: ${pdf}`);
    await partner.context.close();
  });
}

await run.closingChecks();
await run.finish(EXPECTED_CHECKS);
