#!/usr/bin/env node
// Browser end-to-end test: a resident offers help, is invited and accepts (issue 12 §4).
//
//   WIJKWERK_URL=<base-url> WIJKWERK_OUTBOX=<outbox.jsonl> WIJKWERK_PASSWORD=<staff password> \
//   WIJKWERK_COMMUNITYBUILDER=<email> WIJKWERK_BUURT=<CBS code> \
//   node tests/browser/talent.e2e.mjs [screenshot-dir]
//
// On a 360 px phone in Dutch and on a desktop in English: a resident fills in what they can do on
// the account page (skills, hours, times, area, and the consent box, which starts unticked), the
// communitybuilder sees the offer matched to open work on the Werk page and invites the resident
// to one address, the resident accepts under "Mijn werk", logs an hour and then withdraws the offer
// in one click. The pages run under the server's own Content-Security-Policy; no CSP violation,
// uncaught error or console error; no code or id shows where people read.

import { DESKTOP, PHONE, Run, adopt, assert, residentSession, staffSession, switchLanguage, BASE } from './support.mjs';

const COMBOS = [
  { screen: PHONE, lang: 'nl' },
  { screen: DESKTOP, lang: 'en' },
];
// COMBOS.length * 3 + 2, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 8;

const WORDS = {
  nl: { saved: 'opgeslagen', invite: 'Uitnodigen', invited: 'uitgenodigd', accept: 'Ik doe mee', accepted: 'je doet mee', withdrawn: 'gewist', log: 'Uren opslaan', logged: '1 uur opgeslagen' },
  en: { saved: 'saved', invite: 'Invite', invited: 'invited', accept: 'I’m in', accepted: 'you are in', withdrawn: 'erased', log: 'Save hours', logged: '1 hour saved' },
};

const env = process.env;
const run = await new Run(
  'talent',
  'WIJKWERK_URL=… WIJKWERK_OUTBOX=… WIJKWERK_PASSWORD=… WIJKWERK_COMMUNITYBUILDER=… WIJKWERK_BUURT=… node tests/browser/talent.e2e.mjs [screenshot-dir]',
  ['WIJKWERK_OUTBOX', 'WIJKWERK_PASSWORD', 'WIJKWERK_COMMUNITYBUILDER', 'WIJKWERK_BUURT'],
).start();

async function openPage(person, path, lang, ready) {
  run.current = person.page;
  const response = await person.page.goto(`${BASE}${path}`, { waitUntil: 'domcontentloaded' });
  assert(response?.ok(), `GET ${path} answered ${response?.status()}`);
  await person.page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
  await switchLanguage(person.page, lang);
  await person.page.locator(ready).waitFor({ state: 'visible' });
}

/** No CBS code, BAG id or raw key in what people read. */
async function readsAsWords(locator, what) {
  const text = (await locator.textContent()) ?? '';
  assert(!/\b(BU|WK|GM)\d{4,8}\b|\d{16}|knocking_doors|weekday_|energy_advice/.test(text), `${what} shows a code or key: ${text.slice(0, 300)}`);
}

for (const { screen, lang } of COMBOS) {
  const at = `(${screen.name}, ${lang})`;
  const w = WORDS[lang];
  const email = `helper-${screen.viewport.width}-${lang}@bewoner.test`;
  const session = await residentSession(email);
  let offerName = '';

  await run.check(`a resident offers what they can do, with consent ${at}`, async () => {
    const resident = await run.person('resident', screen, lang);
    await adopt(resident.context, session);
    await openPage(resident, '/account.html', lang, '#offer-section');
    const page = resident.page;
    await page.locator('#offer-skills input').first().waitFor({ state: 'visible' });
    const consent = page.locator('#offer-consent');
    assert(!(await consent.isChecked()), 'the consent box starts unticked');
    await page.locator('#offer-skills input[value="knocking_doors"]').check();
    await page.locator('#offer-skills input[value="energy_advice"]').check();
    await page.locator('#offer-days input[value="weekend"]').check();
    await page.locator('#offer-hours').fill('3');
    await page.locator('#offer-area').selectOption(env.WIJKWERK_BUURT);
    // Without the consent nothing is sent.
    await page.locator('#offer-form button[type="submit"]').click();
    await page.locator('#offer-notice.notice-error').waitFor({ state: 'visible' });
    await consent.check();
    await page.locator('#offer-form button[type="submit"]').click();
    await page.locator('#offer-notice').filter({ hasText: w.saved }).waitFor({ state: 'visible' });
    await readsAsWords(page.locator('#offer-current'), 'the offer');
    offerName = (await page.locator('#offer-current').textContent()) ?? '';
    assert(offerName.length > 20, `the offer in words: ${offerName}`);
    await resident.context.close();
  });

  await run.check(`the communitybuilder sees the offer matched to work and invites ${at}`, async () => {
    const cb = await run.person('communitybuilder', screen, lang);
    await adopt(cb.context, await staffSession(env.WIJKWERK_COMMUNITYBUILDER, env.WIJKWERK_PASSWORD));
    await openPage(cb, '/werk.html', lang, '#talent-section');
    const page = cb.page;
    // The newest offer first among equals: the one whose invitations are none yet.
    const offer = page.locator('.talent-offer', { has: page.locator('button', { hasText: w.invite }) }).first();
    await offer.waitFor({ state: 'visible' });
    await readsAsWords(offer, 'the matched offer');
    const invite = offer.getByRole('button', { name: new RegExp(`^${w.invite} `) }).first();
    const label = (await invite.getAttribute('aria-label')) ?? '';
    assert(label.length > w.invite.length + 5, `the button names the work and the address: ${label}`);
    await offer.locator('input[type="text"]').fill(lang === 'nl' ? 'Zaterdag om tien uur?' : 'Saturday at ten?');
    await invite.click();
    await page.locator('#talent-notice').filter({ hasText: w.invited }).waitFor({ state: 'visible' });
    await readsAsWords(page.locator('#talent-section table'), 'the invitations');
    await cb.context.close();
  });

  await run.check(`the resident accepts under Mijn werk, logs an hour and withdraws the offer ${at}`, async () => {
    const resident = await run.person('resident', screen, lang);
    await adopt(resident.context, session);
    await openPage(resident, '/account.html', lang, '#mywork-section');
    const page = resident.page;
    const item = page.locator('.mywork-item').first();
    await item.waitFor({ state: 'visible' });
    await readsAsWords(item, 'the invitation');
    assert(((await item.textContent()) ?? '').includes(lang === 'nl' ? 'Zaterdag om tien uur?' : 'Saturday at ten?'), 'the message shows');
    await item.getByRole('button', { name: w.accept, exact: true }).click();
    await page.locator('#mywork-notice').filter({ hasText: w.accepted }).waitFor({ state: 'visible' });
    const form = page.locator('.mywork-item form[data-hours]').first();
    await form.waitFor({ state: 'visible' });
    await form.locator('input[type="number"]').fill('1');
    await form.getByRole('button', { name: w.log }).click();
    // The notice of the hours themselves, not the one the acceptance left (withdrawing the offer
    // before the hours are in would end the invitation under them).
    await page.locator('#mywork-notice.notice-success').filter({ hasText: w.logged }).waitFor({ state: 'visible' });
    await page.locator('#offer-withdraw').click();
    await page.locator('#offer-notice').filter({ hasText: w.withdrawn }).waitFor({ state: 'visible' });
    assert(await page.locator('#offer-withdraw').isHidden(), 'nothing left to withdraw');
    const offer = await page.evaluate(async () => (await (await fetch('/api/account/offer')).json()).offer);
    assert(offer === null, 'the offer is gone on the server');
    await resident.context.close();
  });
}

await run.closingChecks();
await run.finish(EXPECTED_CHECKS);
