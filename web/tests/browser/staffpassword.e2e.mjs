#!/usr/bin/env node
// Browser end-to-end test: an admin makes a resident staff and sends a password link in the web;
// the new staff member chooses a password with it and signs in (issue 11, item 5: "changing roles
// (the web does it; no command-line advice on the web), setting or resetting a staff password
// (with a one-time link)").
//
//   WIJKWERK_URL=<base-url> WIJKWERK_OUTBOX=<outbox.jsonl> WIJKWERK_PASSWORD=<staff password> \
//   WIJKWERK_ADMIN=<email> WIJKWERK_WIJK=<wijk code> node tests/browser/staffpassword.e2e.mjs [screenshot-dir]
//
// On a 360 px phone in Dutch and on a desktop in English: the admin gives a resident the role
// volunteer on /beheer (the table says the account has no password yet), sends the link, and the
// mail holds `/aanmelden.html#wachtwoord=…`. The holder opens it: the token leaves the address
// bar, a too-short and a repeated-wrongly password are refused in words, the password is saved,
// and the staff sign-in follows with the new password. The used link is refused in words. The
// pages run under the server's own Content-Security-Policy; no CSP violation, uncaught error or
// unexpected console error.

import { DESKTOP, PHONE, Run, adopt, api, assert, mailsTo, nextMail, residentSession, staffSession, switchLanguage, BASE } from './support.mjs';

const COMBOS = [
  { screen: PHONE, lang: 'nl' },
  { screen: DESKTOP, lang: 'en' },
];
// COMBOS.length * 3, written out: tests/tests/web.rs reads the number.
const EXPECTED_CHECKS = 6;

const NEW_PASSWORD = 'een zin van vijf woorden';
const WORDS = {
  nl: {
    needsPassword: /nog geen wachtwoord/,
    sent: /link gestuurd om een wachtwoord te kiezen/,
    tooShort: /minstens 12 tekens/,
    differ: /niet gelijk/,
    chosen: /Je wachtwoord is opgeslagen/,
    used: /al gebruikt\. Vraag je beheerder/,
  },
  en: {
    needsPassword: /no password yet/,
    sent: /sent .* a link to choose a password/,
    tooShort: /at least 12 characters/,
    differ: /not the same/,
    chosen: /Your password is saved/,
    used: /already used\. Ask your administrator/,
  },
};

const env = process.env;
const run = await new Run(
  'staffpassword',
  'WIJKWERK_URL=… WIJKWERK_OUTBOX=… WIJKWERK_PASSWORD=… WIJKWERK_ADMIN=… WIJKWERK_WIJK=… node tests/browser/staffpassword.e2e.mjs [screenshot-dir]',
  ['WIJKWERK_OUTBOX', 'WIJKWERK_PASSWORD', 'WIJKWERK_ADMIN', 'WIJKWERK_WIJK'],
).start();
const adminSession = await staffSession(env.WIJKWERK_ADMIN, env.WIJKWERK_PASSWORD);

/** Waits until the text of `locator` matches `pattern`. */
async function saysWords(locator, pattern, what) {
  try {
    await locator.filter({ hasText: pattern }).first().waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    throw new Error(`${what}: expected ${pattern}, the screen says ${JSON.stringify(await locator.first().textContent())}`);
  }
}

for (const { screen, lang } of COMBOS) {
  const at = `(${screen.name}, ${lang})`;
  const email = `nieuw-${lang}@wijk.test`;
  const words = WORDS[lang];
  let link = '';

  await run.check(`the admin makes a resident a volunteer and sends a password link ${at}`, async () => {
    await residentSession(email);
    const users = await api(adminSession, 'GET', '/api/admin/users');
    const id = String(users.find((u) => u.email === email).id);
    const admin = await run.person('admin', screen, lang);
    await adopt(admin.context, adminSession);
    run.current = admin.page;
    await admin.page.goto(`${BASE}/beheer.html`);
    await switchLanguage(admin.page, lang);
    await admin.page.locator(`#users-table button[data-action="roles"][data-user="${id}"]`).click();
    const editor = admin.page.locator('#roles-editor');
    await editor.waitFor({ state: 'visible' });
    await editor.locator('#role-1').selectOption('volunteer');
    await editor.locator('#scope-1').fill(env.WIJKWERK_WIJK);
    await editor.locator('button[type="submit"]').click();
    await saysWords(admin.page.locator('#users-notice'), words.needsPassword, 'the notice after saving the roles');
    // No command-line advice on the web.
    const text = await admin.page.locator('main').textContent();
    assert(!/wijkwerk users|password-stdin/.test(text ?? ''), 'the page gives command-line advice');
    const row = admin.page.locator('#users-table tr', { hasText: email });
    await saysWords(row, words.needsPassword, 'the status of the account');
    const before = mailsTo(email).length;
    await admin.page.locator(`#users-table button[data-action="password"][data-user="${id}"]`).click();
    await saysWords(admin.page.locator('#users-notice'), words.sent, 'the notice after sending the link');
    const mail = await nextMail(email, before);
    link = String(mail.link ?? '');
    assert(link.includes('/aanmelden.html#wachtwoord='), `the mail's link: ${link}`);
    assert(!(await admin.page.content()).includes(link.split('#wachtwoord=')[1]), 'the admin sees the token');
    await admin.context.close();
  });

  await run.check(`the new volunteer chooses a password with the link and signs in ${at}`, async () => {
    const holder = await run.person('new volunteer', screen, lang);
    run.current = holder.page;
    const page = holder.page;
    await page.goto(link.replace(/^https?:\/\/[^/]+/, BASE));
    const section = page.locator('#password-link-section');
    await section.waitFor({ state: 'visible' });
    assert(!page.url().includes('wachtwoord='), `the token stays in the address bar: ${page.url()}`);
    const notice = page.locator('#password-link-notice');
    await page.locator('#new-password-1').fill('kort');
    await page.locator('#new-password-2').fill('kort');
    await section.locator('button[type="submit"]').click();
    await saysWords(notice, words.tooShort, 'a short password');
    assert((await page.locator('#new-password-1').getAttribute('aria-invalid')) === 'true', 'the field is not marked invalid');
    await page.locator('#new-password-1').fill(NEW_PASSWORD);
    await page.locator('#new-password-2').fill(`${NEW_PASSWORD}!`);
    await section.locator('button[type="submit"]').click();
    await saysWords(notice, words.differ, 'two different passwords');
    await page.locator('#new-password-2').fill(NEW_PASSWORD);
    await section.locator('button[type="submit"]').click();
    await saysWords(page.locator('#signin-notice'), words.chosen, 'the password was saved');
    assert(await section.isHidden(), 'the form stays after saving');
    assert((await page.locator('#tab-staff').getAttribute('aria-selected')) === 'true', 'the staff sign-in is not shown');
    await page.locator('#staff-email').fill(email);
    await page.locator('#staff-password').fill(NEW_PASSWORD);
    await page.locator('#staff-form button[type="submit"]').click();
    await page.waitForURL(/account/);
    const session = await page.evaluate(async () => (await fetch('/api/session')).json());
    assert(session.user?.email === email && session.user.roles.some((r) => r.role === 'volunteer'), JSON.stringify(session.user));
  });

  await run.check(`a used link is refused in words ${at}`, async () => {
    const other = await run.person('someone with the old mail', screen, lang);
    run.current = other.page;
    await other.page.goto(link.replace(/^https?:\/\/[^/]+/, BASE));
    await other.page.locator('#password-link-section').waitFor({ state: 'visible' });
    await other.page.locator('#new-password-1').fill('nog een ander wachtwoord');
    await other.page.locator('#new-password-2').fill('nog een ander wachtwoord');
    run.expectedConsole = /status of 400/;
    await other.page.locator('#password-link-form button[type="submit"]').click();
    await saysWords(other.page.locator('#password-link-notice'), words.used, 'a used link');
    run.expectedConsole = null;
    await other.context.close();
  });
}

await run.finish(EXPECTED_CHECKS);
