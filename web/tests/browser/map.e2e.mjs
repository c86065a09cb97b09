#!/usr/bin/env node
// Browser end-to-end test of the web map against a running wijkwerk server.
//
//   node tests/browser/map.e2e.mjs <base-url> [screenshot-dir]
//   e.g. node tests/browser/map.e2e.mjs http://127.0.0.1:8080 target/e2e-screenshots
//
// Drives the system Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) headless with SwiftShader WebGL
// and a fresh profile, through playwright-core (no browser download). Waits for the map's own
// `idle` event, never a fixed sleep. Prints one line per check and `checks passed: P of N` and
// `P passed, F failed` (harness.mjs); exits 1 when a check failed or did not run (screenshots of
// failures go to the screenshot dir), 2 on bad usage or when the browser cannot start. The page
// runs under the server's own Content-Security-Policy and must log no console error.
//
// Environment: CHROMIUM_PATH, WIJKWERK_E2E_TIMEOUT_MS (per check, default 60000),
// WIJKWERK_E2E_MIN_PIXELS (building-coloured pixels required at z16, default 400).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CheckFailed, assert, checkServerCsp, recordDocuments, summarise } from './harness.mjs';

/** The checks below; a run with another number fails. */
const EXPECTED_CHECKS = 14;

const [baseArg, shotArg] = process.argv.slice(2);
if (!baseArg || baseArg === '--help' || baseArg === '-h') {
  console.error('usage: node tests/browser/map.e2e.mjs <base-url> [screenshot-dir]');
  process.exit(2);
}
const BASE = baseArg.replace(/\/+$/, '');
const SHOTS = path.resolve(shotArg ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wijkwerk-e2e-shots-')));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT = Number(process.env.WIJKWERK_E2E_TIMEOUT_MS ?? 60_000);
const MIN_PIXELS = Number(process.env.WIJKWERK_E2E_MIN_PIXELS ?? 400);
const DETAIL_ZOOM = 16;

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

/** Moves the camera without animation and waits for the map to settle. */
async function jumpTo(page, center, zoom) {
  await page.evaluate(({ center, zoom }) => window.__wijkwerk.map.jumpTo({ center, zoom }), { center, zoom });
  await waitIdle(page);
}

function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

// ---------------------------------------------------------------------------------------------

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wijkwerk-e2e-profile-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    locale: 'nl-NL',
  });
} catch (error) {
  console.error(`cannot start Chromium at ${CHROMIUM}: ${error.message}`);
  fs.rmSync(userDataDir, { recursive: true, force: true });
  process.exit(2);
}

const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(TIMEOUT);
const pageErrors = [];
const consoleErrors = [];
/** Every document the page loaded, with the Content-Security-Policy it came with. */
const documents = recordDocuments(page);
page.on('pageerror', (error) => pageErrors.push(error.message));
page.on('console', (message) => {
  if (message.type() === 'error') consoleErrors.push(message.text());
});

const results = [];
/** Facts found by one check that later checks build on. */
const found = {};

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
      await page.screenshot({ path: file });
      saved = ` [screenshot: ${file}]`;
    } catch {
      // The page may be gone; the message matters more.
    }
    console.log(`FAIL ${name}: ${error instanceof CheckFailed ? error.message : (error.stack ?? error)}${saved}`);
  }
}

await check('page loads and the map becomes idle', async () => {
  const response = await page.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
  assert(response?.ok(), `GET / answered ${response?.status()}`);
  await page.waitForFunction(() => window.__wijkwerk?.map !== undefined);
  await waitIdle(page);
  const lang = await page.evaluate(() => document.documentElement.lang);
  assert(lang === 'nl', `<html lang> is "${lang}", expected "nl" (Dutch first)`);
});

await check('the first view is fitted to the data', async () => {
  const tileJson = await getJson('/tiles/all.json');
  found.tileJson = tileJson;
  const view = await page.evaluate(() => {
    const { map } = window.__wijkwerk;
    return { center: map.getCenter().toArray(), bounds: map.getBounds().toArray().flat() };
  });
  const b = tileJson.bounds;
  assert(Array.isArray(b) && b.length === 4, `/tiles/all.json has no bounds: ${JSON.stringify(b)}`);
  if (b[2] - b[0] < 300) {
    const [lon, lat] = view.center;
    assert(lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3], `map centre ${view.center} lies outside the TileJSON bounds ${b}`);
    const [w, s, e, n] = view.bounds;
    assert(e - w <= (b[2] - b[0]) * 4 + 0.01, `the view (${view.bounds}) is far wider than the data (${b})`);
  } else {
    // Data around the whole world: the centre the TileJSON names must be in view.
    assert(Array.isArray(tileJson.center), `/tiles/all.json has bounds ${b} but no center`);
    const [lon, lat] = tileJson.center;
    const [w, s, e, n] = view.bounds;
    assert(lon >= w && lon <= e && lat >= s && lat <= n, `TileJSON centre ${tileJson.center} is not in view ${view.bounds}`);
  }
});

await check('TileJSON vector_layers are the layers the web code expects', async () => {
  const tileJson = found.tileJson ?? (await getJson('/tiles/all.json'));
  const served = (tileJson.vector_layers ?? []).map((l) => l.id).sort();
  const expected = (await page.evaluate(() => [...window.__wijkwerk.sourceLayers])).sort();
  assert(
    JSON.stringify(served) === JSON.stringify(expected),
    `/tiles/all.json vector_layers ${JSON.stringify(served)}, web expects ${JSON.stringify(expected)}`,
  );
});

await check('the style has every layer the web code expects', async () => {
  const report = await page.evaluate(() => {
    const { map, styleLayerIds } = window.__wijkwerk;
    const style = map.getStyle();
    const ids = style.layers.map((l) => l.id);
    return {
      missing: styleLayerIds.filter((id) => !ids.includes(id)),
      source: style.sources.wijkwerk,
    };
  });
  assert(report.source?.type === 'vector', `style source "wijkwerk" is ${JSON.stringify(report.source)}`);
  assert(report.missing.length === 0, `style lacks layers ${report.missing.join(', ')}`);
});

await check('the legend colours are the colours of the style', async () => {
  const report = await page.evaluate(() => {
    const { map } = window.__wijkwerk;
    const paint = JSON.stringify(map.getStyle().layers.find((l) => l.id === 'buildings-fill')?.paint ?? {}).toLowerCase();
    const swatches = [...document.querySelectorAll('.legend-fill .swatch[data-colour]')].map((s) => s.dataset.colour.toLowerCase());
    return { swatches, missing: swatches.filter((c) => !paint.includes(c)) };
  });
  assert(report.swatches.length >= 7, `legend shows ${report.swatches.length} bouwjaar classes, expected 7`);
  assert(report.missing.length === 0, `buildings-fill paint lacks the legend colours ${report.missing.join(', ')}`);
});

await check(`buildings are drawn at z${DETAIL_ZOOM} at the data centre`, async () => {
  const tileJson = found.tileJson ?? (await getJson('/tiles/all.json'));
  const b = tileJson.bounds;
  let center = tileJson.center ? tileJson.center.slice(0, 2) : b ? [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] : null;
  assert(center, '/tiles/all.json has neither center nor bounds');
  await jumpTo(page, center, DETAIL_ZOOM);
  const count = () => page.evaluate(() => window.__wijkwerk.map.queryRenderedFeatures({ layers: ['buildings-fill'] }).length);
  let rendered = await count();
  if (rendered === 0) {
    // The centre may fall on a park or water: fall back to the first building the API lists.
    const page1 = await getJson('/ogc/collections/buildings/items?limit=1');
    const ring = page1.features?.[0]?.geometry?.coordinates?.flat(2);
    assert(ring?.length, `no buildings-fill features at ${center} and the buildings collection is empty`);
    center = ring[0];
    console.log(`     (nothing at the TileJSON centre; using the first building at ${center})`);
    await jumpTo(page, center, DETAIL_ZOOM);
    rendered = await count();
  }
  assert(rendered > 0, `queryRenderedFeatures({layers: ['buildings-fill']}) is empty at ${center} z${DETAIL_ZOOM}`);
  found.center = center;

  // Count building-coloured pixels with only the background and the buildings drawn (so that
  // translucent areas or labels do not shift the colours) and the page's overlays (legend swatches!)
  // hidden; then again without the buildings, as the baseline that must stay near zero.
  const hidden = await page.evaluate(() => {
    const { map } = window.__wijkwerk;
    const keep = new Set(['background', 'buildings-fill']);
    const ids = map.getStyle().layers.map((l) => l.id).filter((id) => !keep.has(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
    for (const id of ids) map.setLayoutProperty(id, 'visibility', 'none');
    for (const el of document.querySelectorAll('.legend, .panel, .maplibregl-control-container')) el.style.visibility = 'hidden';
    return ids;
  });
  const setBuildings = (visibility) =>
    page.evaluate((v) => window.__wijkwerk.map.setLayoutProperty('buildings-fill', 'visibility', v), visibility);
  const canvasShot = async () => {
    await waitIdle(page);
    return page.locator('#map canvas').first().screenshot();
  };
  const png = await canvasShot();
  await setBuildings('none');
  const bare = await canvasShot();
  await setBuildings('visible');
  await page.evaluate((ids) => {
    for (const id of ids) window.__wijkwerk.map.setLayoutProperty(id, 'visibility', 'visible');
    for (const el of document.querySelectorAll('.legend, .panel, .maplibregl-control-container')) el.style.visibility = '';
  }, hidden);
  fs.writeFileSync(path.join(SHOTS, `buildings-z${DETAIL_ZOOM}.png`), png);
  const countPixels = (shot) => page.evaluate(async (b64) => {
    const { map } = window.__wijkwerk;
    const style = map.getStyle();
    const paintOf = (id) => style.layers.find((l) => l.id === id)?.paint ?? {};
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    const rgb = (css) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = '#000';
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
    };
    const bgValue = paintOf('background')['background-color'];
    const bg = rgb(typeof bgValue === 'string' ? bgValue : getComputedStyle(document.getElementById('map')).backgroundColor);
    // fill-opacity may be an expression (e.g. fainter for planned buildings): try each opacity it names.
    const opacityValue = paintOf('buildings-fill')['fill-opacity'] ?? 1;
    const alphas = [
      ...new Set([1, ...(JSON.stringify(opacityValue).match(/-?\d*\.?\d+/g) ?? []).map(Number).filter((a) => a > 0 && a <= 1)]),
    ];
    const TOLERANCE = 24;
    // A faint blend that is nearly the background would count the background as buildings: skip it.
    const targets = [...document.querySelectorAll('.legend-fill .swatch[data-colour]')]
      .flatMap((s) => alphas.map((alpha) => rgb(s.dataset.colour).map((c, i) => Math.round(c * alpha + bg[i] * (1 - alpha)))))
      .filter((t) => t.some((c, i) => Math.abs(c - bg[i]) > 2 * TOLERANCE));
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const c2 = canvas.getContext('2d', { willReadFrequently: true });
    c2.drawImage(img, 0, 0);
    const data = c2.getImageData(0, 0, img.width, img.height).data;
    let matching = 0;
    for (let p = 0; p < data.length; p += 4) {
      for (const t of targets) {
        if (Math.abs(data[p] - t[0]) <= TOLERANCE && Math.abs(data[p + 1] - t[1]) <= TOLERANCE && Math.abs(data[p + 2] - t[2]) <= TOLERANCE) {
          matching++;
          break;
        }
      }
    }
    return { matching, total: data.length / 4 };
  }, shot.toString('base64'));
  const pixels = await countPixels(png);
  const baseline = await countPixels(bare);
  console.log(
    `     ${rendered} rendered building features; ${pixels.matching} of ${pixels.total} pixels in a bouwjaar colour, ${baseline.matching} without the buildings`,
  );
  assert(pixels.matching - baseline.matching >= MIN_PIXELS, `only ${pixels.matching - baseline.matching} pixels drawn in a bouwjaar colour (need ${MIN_PIXELS})`);
});

await check(`street names are written along the streets at z${DETAIL_ZOOM}`, async () => {
  assert(found.center, 'no view with buildings to look at');
  await jumpTo(page, found.center, DETAIL_ZOOM);
  await waitIdle(page);
  const seen = await page.evaluate(() => {
    const { map } = window.__wijkwerk;
    const names = map.queryRenderedFeatures({ layers: ['street-names'] }).map((f) => f.properties.name);
    return { names: [...new Set(names)] };
  });
  assert(seen.names.length > 0, `no street name is written at ${found.center} z${DETAIL_ZOOM}`);
  // Each is the name of a street of the registers: the search finds its addresses.
  for (const name of seen.names.slice(0, 8)) {
    const found = await getJson(`/api/search?q=${encodeURIComponent(name)}&limit=5`);
    const ok = found.results.some((r) => r.kind === 'address' && r.label.startsWith(`${name} `));
    assert(ok, `the street name "${name}" on the map is no street of the registers`);
  }
  console.log(`     ${seen.names.length} street names written: ${seen.names.slice(0, 5).join(', ')}`);
});

await check('clicking a building opens its details with its addresses', async () => {
  if (found.center) await jumpTo(page, found.center, 17);
  // A point well inside a building with addresses, not under an address dot or a panel.
  const target = await page.evaluate(() => {
    const { map } = window.__wijkwerk;
    const canvas = map.getCanvas();
    const rect = canvas.getBoundingClientRect();
    const pad = (v) => (typeof v === 'number' ? String(v).padStart(16, '0') : v);
    const idAt = (x, y) => {
      const f = map.queryRenderedFeatures([x, y], { layers: ['buildings-fill'] })[0];
      return f ? (f.properties.identificatie ?? pad(f.id)) : null;
    };
    const points = [];
    for (let y = 20; y < rect.height - 20; y += 6) for (let x = 20; x < rect.width - 20; x += 6) points.push([x, y]);
    const cx = rect.width / 2;
    const cy = rect.height / 2;
    points.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
    const hasAddresses = map.getLayer('addresses-point') !== undefined;
    for (const [x, y] of points) {
      const f = map.queryRenderedFeatures([x, y], { layers: ['buildings-fill'] })[0];
      if (!f || !(Number(f.properties.aantal_verblijfsobjecten) > 0)) continue;
      const id = idAt(x, y);
      if (![[4, 0], [-4, 0], [0, 4], [0, -4]].every(([dx, dy]) => idAt(x + dx, y + dy) === id)) continue;
      if (hasAddresses && map.queryRenderedFeatures([[x - 6, y - 6], [x + 6, y + 6]], { layers: ['addresses-point'] }).length) continue;
      if (document.elementFromPoint(rect.left + x, rect.top + y) !== canvas) continue;
      return { x: rect.left + x, y: rect.top + y, id };
    }
    return null;
  });
  assert(target, 'found no clickable building with addresses in view');
  await page.mouse.click(target.x, target.y);
  await page.locator('#details-panel .identificatie').waitFor({ state: 'attached' }); // in the closed GIS fold
  const shown = await page.locator('#details-panel .identificatie').textContent();
  assert(shown === target.id, `details panel shows identificatie ${shown}, clicked ${target.id}`);
  await page.locator('#details-panel .address').first().waitFor({ state: 'visible' });
  const labels = await page.locator('#details-panel .address-label').allTextContents();
  assert(labels.length > 0, 'details panel lists no address');
  found.building = { id: target.id, address: labels[0] };
  const focusInPanel = await page.evaluate(() => document.getElementById('details-panel').contains(document.activeElement));
  assert(focusInPanel, 'focus did not move into the details panel');
  await page.keyboard.press('Escape');
  await page.locator('#details-panel').waitFor({ state: 'hidden' });
});

await check('searching an address and choosing it with the keyboard opens its building', async () => {
  let label = found.building?.address;
  if (!label) {
    // Clicking failed: take any address, written as the search writes its labels.
    const addresses = await getJson('/ogc/collections/addresses/items?limit=1');
    const a = addresses.features?.[0]?.properties;
    if (a) {
      const street = `${a.openbare_ruimte_naam} ${a.huisnummer}${a.huisletter ?? ''}${a.toevoeging ? `-${a.toevoeging}` : ''}`;
      label = `${street}, ${a.postcode ? `${a.postcode} ` : ''}${a.woonplaats_naam}`;
    }
  }
  assert(label, 'no address to search for');
  const query = label.split(',')[0];
  const api = await getJson(`/api/search?q=${encodeURIComponent(query)}&limit=10`);
  const index = api.results.findIndex((r) => r.label === label);
  assert(index >= 0, `/api/search?q=${query} does not return "${label}"`);
  const expected = api.results[index];

  const input = page.locator('#search-input');
  await input.focus();
  await input.fill('');
  await page.keyboard.type(query, { delay: 20 });
  await page.locator('#search-results [role="option"]').first().waitFor({ state: 'visible' });
  // Under load the list may still show the results of a shorter query: wait for the full one's.
  await page
    .waitForFunction(
      (label) => [...document.querySelectorAll('#search-results [role="option"]')].some((o) => o.textContent === label),
      label,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
  const options = await page.locator('#search-results [role="option"]').allTextContents();
  const optionIndex = options.indexOf(label);
  assert(optionIndex >= 0, `results list lacks "${label}": ${JSON.stringify(options)}`);
  for (let i = 0; i <= optionIndex; i++) await page.keyboard.press('ArrowDown');
  const active = await input.getAttribute('aria-activedescendant');
  const activeText = active ? await page.locator(`#${active}`).textContent() : null;
  assert(activeText === label, `ArrowDown highlighted "${activeText}", expected "${label}"`);
  await page.keyboard.press('Enter');

  if (expected.pand_identificatie) {
    await page.locator('#details-panel .identificatie').waitFor({ state: 'attached' }); // in the closed GIS fold
    await page.waitForFunction(
      (id) => document.querySelector('#details-panel .identificatie')?.textContent === id,
      expected.pand_identificatie,
    );
  }
  await waitIdle(page);
  const centre = await page.evaluate(() => window.__wijkwerk.map.getCenter().toArray());
  const metres = Math.hypot((centre[0] - expected.lon) * 68_000, (centre[1] - expected.lat) * 111_000);
  assert(metres < 50, `map centre is ${Math.round(metres)} m from the chosen address`);
  await page.keyboard.press('Escape');
  await page.locator('#details-panel').waitFor({ state: 'hidden' });
});

await check('the list view opens a building with the keyboard', async () => {
  if (found.center) await jumpTo(page, found.center, 17);
  const toggle = page.locator('#list-toggle');
  await toggle.focus();
  await page.keyboard.press('Enter');
  assert((await toggle.getAttribute('aria-expanded')) === 'true', 'list toggle is not aria-expanded after Enter');
  const first = page.locator('#list-items button').first();
  await first.waitFor({ state: 'visible' });
  const role = await page.locator('#list-items').getAttribute('role');
  assert(role === 'list', `list has role "${role}"`);
  const id = await first.getAttribute('data-identificatie');
  await first.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.querySelector('#details-panel .identificatie')?.textContent === id, id);
  const focusInPanel = await page.evaluate(() => document.getElementById('details-panel').contains(document.activeElement));
  assert(focusInPanel, 'focus did not move into the details panel');
  await page.keyboard.press('Escape');
  await page.locator('#details-panel').waitFor({ state: 'hidden' });
  const back = await page.evaluate(() => document.activeElement?.dataset?.identificatie ?? document.activeElement?.id);
  assert(back === id, `after Escape the focus is on "${back}", expected the list button of ${id}`);
  await page.locator('#list-close').click();
});

await check('the language switch turns the UI to English and back', async () => {
  await page.locator('#lang-toggle').click();
  const en = await page.evaluate(() => ({ lang: document.documentElement.lang, list: document.querySelector('#list-toggle')?.textContent?.trim() }));
  assert(en.lang === 'en' && en.list === 'List', `after the switch: lang=${en.lang}, list button "${en.list}"`);
  await page.locator('#lang-toggle').click();
  const nl = await page.evaluate(() => document.documentElement.lang);
  assert(nl === 'nl', `switching back left lang=${nl}`);
});

await check('usable on a 360 px wide phone', async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  await waitIdle(page);
  const report = await page.evaluate(() => {
    const inView = (id) => {
      const r = document.getElementById(id)?.getBoundingClientRect();
      return r !== undefined && r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;
    };
    return {
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      controls: ['search-input', 'list-toggle', 'lang-toggle'].filter((id) => !inView(id)),
      mapHeight: document.getElementById('map').getBoundingClientRect().height,
    };
  });
  await page.screenshot({ path: path.join(SHOTS, 'phone-360.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  assert(report.overflow <= 0, `page is ${report.overflow} px wider than the screen`);
  assert(report.controls.length === 0, `controls outside the screen: ${report.controls.join(', ')}`);
  assert(report.mapHeight >= 300, `map is only ${report.mapHeight} px high`);
});

await check("the page ran under the server's own Content-Security-Policy", async () => {
  const policy = await checkServerCsp(context, `${BASE}/`, documents);
  console.log(`     ${documents.length} documents, each with: ${policy}`);
});

await check('no uncaught page errors, console errors or errors from the wijkwerk source', async () => {
  const mapErrors = await page.evaluate(() => window.__wijkwerk?.errors.filter((e) => e.source === 'wijkwerk' || e.source === null) ?? []);
  assert(pageErrors.length === 0, `uncaught errors: ${pageErrors.join(' | ')}`);
  assert(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
  assert(mapErrors.length === 0, `map errors: ${mapErrors.map((e) => `${e.source}: ${e.message}`).join(' | ')}`);
});

try {
  await page.screenshot({ path: path.join(SHOTS, 'final.png') });
} catch {
  // Only a convenience.
}
await context.close();
fs.rmSync(userDataDir, { recursive: true, force: true });

if (results.some((r) => !r.ok)) console.log(`screenshots: ${SHOTS}`);
process.exit(summarise(results.map((r) => r.ok), EXPECTED_CHECKS));
