#!/usr/bin/env node
// Takes the README screenshot (docs/screenshot.png) of a running wijkwerk server:
//   node tests/browser/screenshot.mjs http://127.0.0.1:8080 ../docs/screenshot.png [zoom]
// Opens the map, zooms to the data (z15.5 unless given), clicks the building nearest the centre so the details
// panel shows, and saves a 1280×800 PNG. Uses the system Chromium as the browser test does.
//
// Other screens, for before/after pictures of a change:
//   node tests/browser/screenshot.mjs <base-url> <out.png> /account.html
// opens that page instead of the map (a third argument starting with `/`). Environment:
//   WIJKWERK_COOKIE    a session cookie (`name=value`) to be signed in with
//   WIJKWERK_CLICK     selectors to click one after the other before the picture (`;`-separated)
//   WIJKWERK_BUILDING  on the map: the BAG id of the building to click instead of the nearest one
//   WIJKWERK_VIEWPORT  `WIDTHxHEIGHT` (default 1280x800); `360x740` takes a phone
//   WIJKWERK_LANG      `nl` (default) or `en`
//   WIJKWERK_FULL_PAGE `1`: the whole page, not only the viewport

import { chromium } from 'playwright-core';

const [base, out, third] = process.argv.slice(2);
const PAGE = third?.startsWith('/') ? third : null;
const ZOOM = Number(PAGE ? 15.5 : (third ?? 15.5));
if (!base || !out) {
  console.error('usage: node tests/browser/screenshot.mjs <base-url> <out.png> [zoom | /page.html]');
  process.exit(2);
}
const [width, height] = (process.env.WIJKWERK_VIEWPORT ?? '1280x800').split('x').map(Number);
const BASE = base.replace(/\/+$/, '');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const context = await browser.newContext({ viewport: { width, height }, isMobile: width < 600, hasTouch: width < 600 });
  const lang = process.env.WIJKWERK_LANG ?? 'nl';
  await context.addInitScript((lang) => localStorage.setItem('wijkwerk.lang', lang), lang);
  if (process.env.WIJKWERK_COOKIE) {
    const [name, ...value] = process.env.WIJKWERK_COOKIE.split('=');
    await context.addCookies([{ name, value: value.join('='), url: BASE }]);
  }
  const page = await context.newPage();
  if (PAGE) {
    await page.goto(`${BASE}${PAGE}`);
    await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
    await page.waitForLoadState('networkidle');
  } else {
    await page.goto(`${BASE}/`);
    await page.waitForFunction(() => window.__wijkwerk?.map?.loaded(), null, { timeout: 60_000 });
    const idle = () => page.evaluate(() => new Promise((resolve) => {
      const map = window.__wijkwerk.map;
      map.once('idle', resolve);
      map.triggerRepaint();
    }));
    const building = process.env.WIJKWERK_BUILDING;
    if (building) {
      const feature = await (await fetch(`${BASE}/ogc/collections/buildings/items/${building}`)).json();
      const ring = feature.geometry.type === 'Polygon' ? feature.geometry.coordinates[0] : feature.geometry.coordinates[0][0];
      const centre = [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
      await page.evaluate(({ centre, zoom }) => window.__wijkwerk.map.jumpTo({ center: centre, zoom }), { centre, zoom: Math.max(ZOOM, 18) });
    } else {
      await page.evaluate((zoom) => {
        const map = window.__wijkwerk.map;
        map.jumpTo({ center: map.getCenter(), zoom });
      }, ZOOM);
    }
    await idle();
    const point = await page.evaluate((wanted) => {
      const map = window.__wijkwerk.map;
      const c = map.project(map.getCenter());
      const fs = map.queryRenderedFeatures({ layers: ['buildings-fill'] });
      let best = null;
      for (const f of fs) {
        const id = f.properties.identificatie ?? String(f.id).padStart(16, '0');
        if (wanted && id !== wanted) continue;
        const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
        // The wanted building at its middle; else a corner of the one nearest the centre.
        const p = wanted
          ? map.project([ring.reduce((s, q) => s + q[0], 0) / ring.length, ring.reduce((s, q) => s + q[1], 0) / ring.length])
          : map.project(ring[0]);
        if (wanted) return { x: p.x, y: p.y };
        const d = Math.hypot(p.x - c.x, p.y - c.y);
        if (!best || d < best.d) best = { d, x: p.x + 3, y: p.y + 3 };
      }
      if (wanted && !best) return { x: c.x, y: c.y };
      return best;
    }, building ?? null);
    if (point && ZOOM >= 15) {
      // map.project gives coordinates in the map's container; the mouse clicks the page's (the
      // header above the map would shift the click off the building).
      const box = await page.evaluate(() => {
        const r = window.__wijkwerk.map.getContainer().getBoundingClientRect();
        return { x: r.left, y: r.top };
      });
      await page.mouse.click(point.x + box.x, point.y + box.y);
      await idle();
      await page.waitForTimeout(500);
    }
  }
  for (const selector of (process.env.WIJKWERK_CLICK ?? '').split(';').filter(Boolean)) {
    await page.locator(selector).first().click();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
  }
  await page.screenshot({ path: out, fullPage: process.env.WIJKWERK_FULL_PAGE === '1' });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
