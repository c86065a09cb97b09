#!/usr/bin/env node
// Browser end-to-end test: every report form says truthfully who will see the report (issue 11,
// item 4).
//
//   WIJKWERK_URL=<base-url> WIJKWERK_OUTBOX=<outbox.jsonl> WIJKWERK_PASSWORD=<staff password> \
//   WIJKWERK_WIJKONDERNEMER=<email> WIJKWERK_WIJK=<wijk code> node tests/browser/privacy.e2e.mjs [screenshot-dir]
//
// Who sees the reports of a type comes from the server: `audience` of /api/observation-types, which
// the server derives from its access policy. A resident who verified an address opens every form —
// the types about a building, the one about their own home, and the one about public space — on a
// 360 px phone in Dutch and on a desktop in English, and each form's privacy note must say what
// the policy says: for public space that everyone sees it on the map; for a home, the reporter,
// the verified residents of that building or of that address only, the staff roles the policy
// lets see each report (in their own area), and that everyone else (the gemeente included) only
// gets counts per buurt; and never that reports about homes are "shared with the neighbourhood".
// The pages run under the server's own Content-Security-Policy; no CSP violation, uncaught error or
// console error.

import { DESKTOP, PHONE, Run, adopt, addressInfo, api, assert, closePanels, letterCodes, openBuilding, openMap, press, redeem, residentSession, staffSession, switchLanguage } from './support.mjs';

const COMBOS = [
  { screen: PHONE, lang: 'nl' },
  { screen: DESKTOP, lang: 'en' },
];
const CHECKS_PER_COMBO = 3;
// 1 + COMBOS.length * CHECKS_PER_COMBO + 2, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 9;

/** The words the note must use, per language. */
const WORDS = {
  nl: {
    everyone: /iedereen/i,
    onMap: /op de kaart/i,
    you: /\b(jij|jou)\b/i,
    building: /bewoners van dit pand/i,
    address: /dit adres/i,
    counts: /alleen aantallen van meerdere adressen/i,
    neighbourhood: /gedeeld met de buurt/i,
    roles: { volunteer: /vrijwilligers/i, communitybuilder: /communitybuilders/i, wijkondernemer: /wijkondernemers/i, admin: /beheerders/i, gemeente: /gemeente/i },
  },
  en: {
    everyone: /everyone/i,
    onMap: /on the map/i,
    you: /\byou\b/i,
    building: /residents of this building/i,
    address: /this address/i,
    counts: /only counts over several addresses/i,
    neighbourhood: /shared with the neighbourhood/i,
    roles: { volunteer: /volunteers/i, communitybuilder: /community builders/i, wijkondernemer: /wijkondernemers/i, admin: /administrators/i, gemeente: /municipality|gemeente/i },
  },
};

const env = process.env;
const run = await new Run(
  'privacy',
  'WIJKWERK_URL=… WIJKWERK_OUTBOX=… WIJKWERK_PASSWORD=… WIJKWERK_WIJKONDERNEMER=… WIJKWERK_WIJK=… node tests/browser/privacy.e2e.mjs [screenshot-dir]',
  ['WIJKWERK_OUTBOX', 'WIJKWERK_PASSWORD', 'WIJKWERK_WIJKONDERNEMER', 'WIJKWERK_WIJK'],
).start();
const data = {};

/** Checks a form's privacy note against the type's audience; returns the note. */
async function checkNote(page, type, lang) {
  const w = WORDS[lang];
  const form = page.locator(`#report-sheet form.report-form[data-type="${type.name}"]`);
  await form.waitFor({ state: 'visible' });
  const note = form.locator('.privacy-note');
  assert((await note.count()) === 1, `the ${type.name} form has no privacy note`);
  const text = ((await note.textContent()) ?? '').replace(/\s+/g, ' ');
  const whole = ((await form.textContent()) ?? '').replace(/\s+/g, ' ');
  const a = type.audience;
  assert(a, `the server does not say who sees ${type.name} (no audience)`);
  assert(!w.neighbourhood.test(whole), `the ${type.name} form says it is shared with the neighbourhood: ${whole}`);
  if (a.public === 'allow') {
    assert(w.everyone.test(text) && w.onMap.test(text), `the ${type.name} note does not say everyone sees it on the map: ${text}`);
    return text;
  }
  assert(w.you.test(text), `the ${type.name} note does not name the reporter: ${text}`);
  const about = a.residents ?? [];
  assert(about.includes('building') === w.building.test(text), `${type.name}: residents ${JSON.stringify(about)}, the note says: ${text}`);
  if (about.includes('address') && !about.includes('building')) assert(w.address.test(text), `${type.name}: only this address's residents, the note says: ${text}`);
  for (const [role, decision] of Object.entries(a.roles)) {
    const word = w.roles[role];
    if (!word || role === 'gemeente') continue;
    assert(word.test(text) === (decision === 'allow'), `${type.name}: ${role} ${decision}, the note says: ${text}`);
  }
  if (a.public === 'aggregate') {
    assert(w.counts.test(text), `${type.name}: the public gets counts only, the note says: ${text}`);
    if (a.roles.gemeente === 'aggregate') assert(w.roles.gemeente.test(text), `${type.name}: the gemeente gets counts only, the note says: ${text}`);
  }
  return text;
}

await run.check('a resident who verified an address, and the types with their audience', async () => {
  const wo = await staffSession(env.WIJKWERK_WIJKONDERNEMER, env.WIJKWERK_PASSWORD);
  const [letter] = await letterCodes(wo, env.WIJKWERK_WIJK);
  const resident = await residentSession('privacy@wijk.test');
  data.home = await addressInfo(await redeem(resident, letter.code));
  data.resident = resident;
  data.types = await api(null, 'GET', '/api/observation-types');
  for (const type of data.types) console.log(`     ${type.name}: ${JSON.stringify(type.audience)}`);
});

for (const { screen, lang } of COMBOS) {
  const at = `(${screen.name}, ${lang})`;
  const person = await run.person('verified resident', screen, lang);
  const { page } = person;
  await adopt(person.context, data.resident);
  const byName = (name) => data.types.find((t) => t.name === name);

  await run.check(`${at} the forms about a building say who sees them`, async () => {
    run.current = page;
    await openMap(page);
    await switchLanguage(page, lang);
    await openBuilding(person, data.home.building, data.home.lonlat);
    await press(person, page.locator('#details-report'));
    for (const name of ['solar_panels', 'roof_suitability']) {
      await press(person, page.locator(`#report-sheet .type-choice[data-type="${name}"]`));
      const text = await checkNote(page, byName(name), lang);
      console.log(`     ${name}: ${text}`);
      await press(person, page.locator('#report-sheet form.report-form .form-actions button[type="button"]').last());
    }
  });

  await run.check(`${at} the form about one's own home says only its residents and staff see it`, async () => {
    await press(person, page.locator('#report-sheet .type-choice[data-type="gas_readiness"]').first());
    const text = await checkNote(page, byName('gas_readiness'), lang);
    console.log(`     gas_readiness: ${text}`);
    await closePanels(person);
  });

  await run.check(`${at} the form about public space says everyone sees it on the map`, async () => {
    await page.evaluate((c) => window.__wijkwerk.map.jumpTo({ center: c, zoom: 17 }), [data.home.lonlat[0] + 0.0005, data.home.lonlat[1] + 0.0005]);
    await press(person, page.locator('#report-open'));
    await press(person, page.locator('#report-sheet .type-choice[data-type="greenery_distress"]'));
    const text = await checkNote(page, byName('greenery_distress'), lang);
    console.log(`     greenery_distress: ${text}`);
    await closePanels(person);
  });
  await person.context.close();
}

await run.closingChecks();
await run.finish(EXPECTED_CHECKS);
