#!/usr/bin/env node
// The first map render on a cold cache at 360 px (issue 11 item 8): a new browser profile per run
// (no HTTP cache, no service worker), the map page opened, timed from navigation start to the
// map's first `idle` with buildings drawn. Headless Chromium with software WebGL, as the browser
// tests run. A measurement, not a test: it prints the runs and their median.
//
//   node bench/cold_render.mjs http://127.0.0.1:8080 [runs]
//
// Run from the repository root after `cd web && npm ci` (it uses web/node_modules/playwright-core).

import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'web', 'package.json'));
const { chromium } = require('playwright-core');

const base = (process.argv[2] ?? '').replace(/\/+$/, '');
const runs = Number(process.argv[3] ?? 5);
if (!base) {
  console.error('usage: node bench/cold_render.mjs BASE_URL [runs]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--no-first-run'],
});
const times = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${base}/`, { waitUntil: 'commit' });
  const ms = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const poll = () => {
          const map = window.__wijkwerk?.map;
          if (!map) return setTimeout(poll, 5);
          const done = () => {
            const drawn = map.queryRenderedFeatures(undefined, { layers: ['buildings-fill', 'buildings-blocks'].filter((l) => map.getLayer(l)) }).length;
            if (drawn > 0 && map.loaded()) resolve(performance.now());
            else map.once('idle', done);
          };
          if (map.loaded()) done();
          else map.once('idle', done);
        };
        poll();
      }),
  );
  times.push(ms);
  console.log(`run ${i + 1}: ${ms.toFixed(0)} ms to the first render with buildings`);
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
console.log(JSON.stringify({ runs, median_ms: Math.round(times[Math.floor(times.length / 2)]), min_ms: Math.round(times[0]), max_ms: Math.round(times.at(-1)) }));
