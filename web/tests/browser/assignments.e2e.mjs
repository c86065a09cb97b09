#!/usr/bin/env node
// Browser end-to-end test: an assignment from offer to statement (issue 12 §3).
//
//   WIJKWERK_URL=<base-url> WIJKWERK_PASSWORD=<staff password> WIJKWERK_PARTNER=<email> \
//   WIJKWERK_WIJKONDERNEMER=<email> node tests/browser/assignments.e2e.mjs [screenshot-dir]
//
// On a 360 px phone in Dutch and on a desktop in English: the partner offers an assignment on the
// Werk page (the live count of its selection shows while it types), the wijkondernemer accepts it
// and reports the first planned roof delivered, and the partner accepts that unit and reads the
// statement with the fee earned — without ever seeing an address; and the partner starts an offer
// from a buurt on the urgency map (issue 14 §3), landing on the offer form for that buurt. The pages run under the
// server's own Content-Security-Policy; no CSP violation, uncaught error or console error.

import { DESKTOP, PHONE, Run, adopt, assert, staffSession, switchLanguage, BASE } from './support.mjs';

const COMBOS = [
  { screen: PHONE, lang: 'nl' },
  { screen: DESKTOP, lang: 'en' },
];
// COMBOS.length * 4 + 2, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 10;

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
