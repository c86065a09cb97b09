#!/usr/bin/env node
// Takes the README screenshot (docs/screenshot.png) of a running wijkwerk server:
//   node tests/browser/screenshot.mjs http://127.0.0.1:8080 ../docs/screenshot.png [zoom]
// Opens the map, zooms to the data (z15.5 unless given), clicks the building nearest the centre so the details
// panel shows, and saves a 1280×800 PNG. Uses the system Chromium as the browser test does.

import { chromium } from 'playwright-core';

const [base, out, zoomArg] = process.argv.slice(2);
const ZOOM = Number(zoomArg ?? 15.5);
if (!base || !out) {
  console.error('usage: node tests/browser/screenshot.mjs <base-url> <out.png>');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base.replace(/\/+$/, '') + '/');
  await page.waitForFunction(() => window.__wijkwerk?.map?.loaded(), null, { timeout: 60_000 });
  const idle = () => page.evaluate(() => new Promise((resolve) => {
    const map = window.__wijkwerk.map;
    if (map.loaded() && !map.isMoving()) map.once('idle', resolve); else map.once('idle', resolve);
    map.triggerRepaint();
  }));
  await page.evaluate((zoom) => {
    const map = window.__wijkwerk.map;
    map.jumpTo({ center: map.getCenter(), zoom });
  }, ZOOM);
  await idle();
  const point = await page.evaluate(() => {
    const map = window.__wijkwerk.map;
    const c = map.project(map.getCenter());
    const fs = map.queryRenderedFeatures({ layers: ['buildings-fill'] });
    let best = null;
    for (const f of fs) {
      const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
      const p = map.project(ring[0]);
      const d = Math.hypot(p.x - c.x, p.y - c.y);
      if (!best || d < best.d) best = { d, x: p.x + 3, y: p.y + 3 };
    }
    return best;
  });
  if (point && ZOOM >= 15) {
    await page.mouse.click(point.x, point.y);
    await idle();
    await page.waitForTimeout(500);
  }
  await page.screenshot({ path: out });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
