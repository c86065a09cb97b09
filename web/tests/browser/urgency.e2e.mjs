#!/usr/bin/env node
// Browser end-to-end test of the urgency page (issue 14 §3, §6).
//
//   WIJKWERK_URL=<base-url> node tests/browser/urgency.e2e.mjs [screenshot-dir]
//
// On a 360 px phone in Dutch and on a desktop in English: the choropleth, its legend and the
// table agree (every cell of the answer is drawn with the class its value falls in under the
// legend's breaks, and is a row of the table); switching level and indicator redraws all three;
// the table sorts by keyboard; a buurt shows its value, its CBS figures (inhabitants, households,
// share of 65+, density) and the trend chart of its snapshots; two buurten side by side show
// every indicator. The server runs with the sample's indicator file, so the heat map's zonal
// means (a raster indicator) are drawn and read in °C too. No code or key where people read; the pages run
// under the server's own Content-Security-Policy with no error.

import { DESKTOP, PHONE, Run, assert, catalogueKeys, switchLanguage, wordProblems, BASE, withTimeout, TIMEOUT } from './support.mjs';

const COMBOS = [
  { screen: PHONE, lang: 'nl' },
  { screen: DESKTOP, lang: 'en' },
];
// COMBOS.length * 3 + 2, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 8;

const run = await new Run('urgency', 'WIJKWERK_URL=… node tests/browser/urgency.e2e.mjs [screenshot-dir]').start();
const keys = catalogueKeys();

async function api(path) {
  const r = await fetch(`${BASE}${path}`);
  assert(r.ok, `GET ${path} answered ${r.status}`);
  return r.json();
}

/** Waits until the page shows `level`/`indicator` and the map drew it. */
async function drawn(page, level, indicator) {
  await page.waitForFunction(({ level, indicator }) => window.__urgency?.level === level && window.__urgency?.indicator === indicator, { level, indicator });
  await withTimeout(
    page.evaluate(() => new Promise((resolve) => {
      const { map } = window.__urgency;
      if (map.loaded()) resolve(undefined);
      else map.once('idle', () => resolve(undefined));
    })),
    TIMEOUT,
    'urgency map idle',
  );
}

/** The class the page must give `value` under `bounds` (classes.ts, written out again). */
function expectedClass(value, bounds, higher) {
  let c = bounds.findIndex((b) => value <= b);
  if (c < 0) c = bounds.length;
  const spread = bounds.length === 0 ? 4 : Math.round((c * 4) / bounds.length);
  return higher ? spread : 4 - spread;
}

/** The map, the legend and the table agree with the API's answer. */
async function agrees(page, level, indicatorName, at) {
  const meta = await api('/api/urgency/indicators');
  const index = indicatorName === '@index';
  const info = index ? { higher_is_more_urgent: true } : meta.indicators.find((i) => i.name === indicatorName);
  const weights = meta.indicators.map((i) => `${i.name}:1`).join(',');
  const answer = await api(index ? `/api/urgency/index?level=${level}&weights=${weights}` : `/api/urgency?level=${level}&indicator=${indicatorName}`);
  const hook = await page.evaluate(() => ({ classes: window.__urgency.classes, bounds: window.__urgency.bounds }));
  assert(Object.keys(hook.classes).length === answer.cells.length, `${at}: ${Object.keys(hook.classes).length} cells drawn, ${answer.cells.length} answered`);
  for (const c of answer.cells) {
    const want = c.suppressed ? -1 : c.value === null ? -2 : expectedClass(c.value, hook.bounds, info.higher_is_more_urgent);
    assert(hook.classes[c.code] === want, `${at}: ${c.code} drawn as class ${hook.classes[c.code]}, its value ${c.value} is class ${want}`);
  }
  // The map draws the level's vector tiles: every cell they hold carries the API's figure (so it
  // falls in the class the legend gives it), the server's quantile class is the page's, withheld
  // cells carry no figure; the index reaches the tiles' cells as feature state.
  const method = await page.locator('#urgency-classes').inputValue();
  const onMap = await page.evaluate(({ name, index }) => {
    const { map, source, sourceLayer } = window.__urgency;
    const seen = new Map();
    for (const f of map.querySourceFeatures(source, { sourceLayer })) {
      const p = f.properties;
      if (seen.has(p.code)) continue;
      const state = map.getFeatureState({ source, sourceLayer, id: p.code });
      seen.set(p.code, { code: p.code, value: p[name], cls: p[`${name}_klasse`], suppressed: p[`${name}_onderdrukt`] === true, stated: state.cls });
    }
    return [...seen.values()];
  }, { name: indicatorName, index });
  assert(onMap.length > 0, `${at}: the map holds no cell of the ${level} tiles`);
  const byCode = new Map(answer.cells.map((c) => [c.code, c]));
  for (const f of onMap) {
    const c = byCode.get(f.code);
    assert(c, `${at}: the tiles hold ${f.code}, which the API does not list`);
    if (index) {
      assert(f.stated === hook.classes[f.code], `${at}: the map gives ${f.code} index class ${f.stated}, the page ${hook.classes[f.code]}`);
      continue;
    }
    assert(f.suppressed === c.suppressed, `${at}: ${f.code} withheld in the tiles: ${f.suppressed}, in the API: ${c.suppressed}`);
    if (c.suppressed) {
      assert(f.value === undefined && f.cls === undefined, `${at}: withheld ${f.code} carries a figure in the tiles`);
      continue;
    }
    assert((f.value ?? null) === c.value, `${at}: ${f.code} is ${f.value} in the tiles, ${c.value} in the API`);
    const drawnAs = c.value === null ? -2 : expectedClass(f.value, hook.bounds, info.higher_is_more_urgent);
    assert(drawnAs === hook.classes[f.code], `${at}: the map draws ${f.code} as class ${drawnAs}, the table and legend as ${hook.classes[f.code]}`);
    if (method === 'quantile' && c.value !== null) {
      assert(f.cls === hook.classes[f.code], `${at}: the server classes ${f.code} as ${f.cls}, the page as ${hook.classes[f.code]}`);
    }
  }
  const rows = await page.locator('#urgency-table tbody tr').count();
  assert(rows === answer.cells.length, `${at}: ${rows} table rows for ${answer.cells.length} cells`);
  const legend = await page.locator('#urgency-legend li').count();
  assert(legend === Math.max(hook.bounds.length + 1, 1) + 2, `${at}: ${legend} legend entries for ${hook.bounds.length} breaks`);
  return answer;
}

for (const { screen, lang } of COMBOS) {
  const at = `(${screen.name}, ${lang})`;
  const person = await run.person('analyst', screen, lang);
  const page = person.page;
  run.current = page;

  await run.check(`the map, its legend and the table agree, at every level ${at}`, async () => {
    const response = await page.goto(`${BASE}/urgentie`, { waitUntil: 'domcontentloaded' });
    assert(response?.ok(), `GET /urgentie answered ${response?.status()}`);
    await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
    await switchLanguage(page, lang);
    const first = await page.locator('#urgency-indicator').inputValue();
    await drawn(page, 'buurt', first);
    await agrees(page, 'buurt', first, `${at} buurt`);
    for (const [level, indicator] of [['wijk', 'gas_free'], ['grid100', 'gas_free'], ['h3-9', 'work_done'], ['grid100', 'heat_island'], ['buurt', 'gas_free']]) {
      await page.locator('#urgency-level').selectOption(level);
      await page.locator('#urgency-indicator').selectOption(indicator);
      await drawn(page, level, indicator);
      await agrees(page, level, indicator, `${at} ${level} ${indicator}`);
      if (indicator === 'heat_island') {
        // A raster's mean reads with its unit, in the legend and the table; no denominator.
        const cells = await page.locator('#urgency-table tbody td').allInnerTexts();
        assert(cells.some((t) => /\d °C$/.test(t.trim())), `${at}: no value in °C in the table: ${cells.slice(0, 8).join(' | ')}`);
        const legend = await page.locator('#urgency-legend').innerText();
        assert(legend.includes('°C'), `${at}: the legend gives no °C: ${legend}`);
      }
    }
    // Fixed classes redraw with other breaks.
    await page.locator('#urgency-classes').selectOption('fixed');
    await page.waitForFunction(() => window.__urgency.bounds.length === 4);
    await agrees(page, 'buurt', 'gas_free', `${at} fixed`);
    // The combined index, every weight 1 for someone not signed in, with its formula and weights.
    await page.locator('#urgency-indicator').selectOption('@index');
    await drawn(page, 'buurt', '@index');
    await agrees(page, 'buurt', '@index', `${at} index`);
    await page.locator('#urgency-weights-section').waitFor({ state: 'visible' });
    const inputs = await page.locator('#urgency-weights input[type="number"]').count();
    const meta = await api('/api/urgency/indicators');
    assert(inputs === meta.indicators.length, `${inputs} weights for ${meta.indicators.length} indicators`);
    const about = (await page.locator('#urgency-about').textContent()) ?? '';
    assert(about.includes('Σ'), `the formula is shown beside the map: ${about}`);
    await page.locator('#urgency-indicator').selectOption('gas_free');
    await drawn(page, 'buurt', 'gas_free');
    assert(await page.locator('#urgency-weights-section').isHidden(), 'the weights go with the index');
  });

  await run.check(`the table sorts by keyboard and a buurt shows its value and trend ${at}`, async () => {
    const sort = page.locator('#urgency-table th[data-key="value"] button');
    await sort.focus();
    await page.keyboard.press('Enter');
    const header = page.locator('#urgency-table th[data-key="value"]');
    const first = await header.getAttribute('aria-sort');
    await page.locator('#urgency-table th[data-key="value"] button').focus();
    await page.keyboard.press('Enter');
    const second = await header.getAttribute('aria-sort');
    assert(first !== second && ['ascending', 'descending'].includes(second ?? ''), `sorting: ${first} then ${second}`);
    // A released buurt by its name.
    const answer = await api('/api/urgency?level=buurt&indicator=gas_free');
    const buurt = answer.cells.find((c) => !c.suppressed && c.name);
    assert(buurt, 'a released buurt with a name');
    const row = page.locator(`#urgency-table th[data-code="${buurt.code}"] button`);
    await row.focus();
    await page.keyboard.press('Enter');
    const details = page.locator('#urgency-details');
    await details.locator('h3').first().filter({ hasText: buurt.name }).waitFor();
    await details.locator('figure figcaption').waitFor();
    const caption = (await details.locator('figcaption').textContent()) ?? '';
    assert(/\d/.test(caption), `the trend says how many values: ${caption}`);
    const count = await details.locator('svg circle').count();
    const series = await api(`/api/urgency/series?level=buurt&indicator=gas_free&cell=${buurt.code}`);
    assert(count === series.points.filter((p) => !p.suppressed && p.value !== null).length && count >= 1, `${count} points drawn for ${series.points.length} snapshots`);
    // The CBS figures beside it, in the language's numbers: inhabitants, households, 65+, density.
    const context = (await details.locator('.urgency-context').textContent()) ?? '';
    const number = (n) => new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB').format(n);
    const c = buurt.context;
    for (const [figure, shown] of [
      [c.inwoners, (n) => number(n)],
      [c.huishoudens, (n) => number(n)],
      [c.percentage_65_plus, (n) => `${number(n)}%`],
      [c.bevolkingsdichtheid, (n) => number(n)],
    ]) {
      if (figure !== null) assert(context.includes(shown(figure)), `the CBS figures show ${figure}: ${context}`);
    }
    assert(context.includes(lang === 'nl' ? 'Bevolkingsdichtheid' : 'Population density'), `the density is named: ${context}`);
    const tableText = (await page.locator('#urgency-table').textContent()) ?? '';
    assert(!/\b(BU|WK|GM)\d{4,8}\b/.test(tableText), `the table names areas by their names: ${tableText.slice(0, 200)}`);
    const problems = await wordProblems(page, keys);
    assert(problems.length === 0, problems.join(' | '));
  });

  await run.check(`two buurten side by side show every indicator ${at}`, async () => {
    const boxes = page.locator('#urgency-table tbody input[type="checkbox"]');
    assert((await boxes.count()) >= 2, 'at least two buurten to compare');
    await boxes.nth(0).check();
    await page.locator('#urgency-table tbody input[type="checkbox"]').nth(1).check();
    const table = page.locator('#urgency-compare table');
    await table.waitFor();
    const meta = await api('/api/urgency/indicators');
    const rows = await table.locator('tbody tr').count();
    assert(rows === meta.indicators.length, `${rows} rows for ${meta.indicators.length} indicators`);
    const heads = await table.locator('thead th').count();
    assert(heads === 3, `${heads} columns`);
    await person.context.close();
  });
}

await run.closingChecks();
await run.finish(EXPECTED_CHECKS);
