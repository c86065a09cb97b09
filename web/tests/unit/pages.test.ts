// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import signinHtml from '../../aanmelden.html?raw';
import accountHtml from '../../account.html?raw';
import adminHtml from '../../beheer.html?raw';
import mapHtml from '../../index.html?raw';
import { MESSAGES, setLang } from '../../src/i18n';
import { mountResidentSignIn } from '../../src/signin/resident';
import { mountStaffSignIn } from '../../src/signin/staff';
import { mountSecurity } from '../../src/account/security';
import type { User } from '../../src/api/auth';
import { h } from '../../src/ui/element';
import { formatValue } from '../../src/ui/facts';

const PAGES: Record<string, string> = {
  'index.html': mapHtml,
  'aanmelden.html': signinHtml,
  'account.html': accountHtml,
  'beheer.html': adminHtml,
};

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

function body(html: string): string {
  return /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
}

describe.each(Object.entries(PAGES))('%s', (_name, html) => {
  const doc = parse(html);

  it('keeps to the Content-Security-Policy: no inline script, style or handlers', () => {
    expect(doc.querySelectorAll('[style]')).toHaveLength(0);
    expect(doc.querySelectorAll('style')).toHaveLength(0);
    for (const script of doc.querySelectorAll('script')) {
      expect(script.getAttribute('src'), 'every script is a file').toBeTruthy();
      expect(script.textContent?.trim()).toBe('');
    }
    for (const el of doc.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        expect(attr.name.startsWith('on'), `${el.tagName} ${attr.name}`).toBe(false);
        expect(attr.value.trim().toLowerCase().startsWith('javascript:'), `${el.tagName} ${attr.name}`).toBe(false);
      }
    }
  });

  it('names only keys of the catalogue', () => {
    const keys = [...html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(3);
    for (const key of keys) expect(Object.keys(MESSAGES.nl), key).toContain(key);
  });

  it('labels every form field and uses each id once', () => {
    const ids = [...doc.querySelectorAll('[id]')].map((el) => el.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const input of doc.querySelectorAll<HTMLElement>('input, select, textarea')) {
      if (input.hasAttribute('hidden') || input.getAttribute('type') === 'hidden') continue;
      const labelled =
        input.hasAttribute('aria-label') ||
        doc.querySelector(`label[for="${input.id}"]`) !== null ||
        input.closest('label') !== null;
      expect(labelled, `#${input.id}`).toBe(true);
    }
  });

  it('is Dutch first and links to the sign-in page', () => {
    expect(doc.documentElement.lang).toBe('nl');
    expect(doc.querySelector('#account-link')?.getAttribute('href')).toBe('/aanmelden.html');
    expect(doc.querySelector('#lang-toggle')).not.toBeNull();
  });
});

describe('element builder', () => {
  it('refuses inline styles, which the CSP would block', () => {
    expect(() => h('p', { attrs: { style: 'color: red' } })).toThrow(/CSP/);
  });

  it('formats JSON values for reading', () => {
    expect(formatValue(null, 'nl')).toBe('—');
    expect(formatValue(true, 'nl')).toBe('ja');
    expect(formatValue(false, 'en')).toBe('no');
    expect(formatValue(1234, 'nl')).toBe('1.234');
    expect(formatValue(['a', 'b'], 'nl')).toBe('a, b');
    expect(formatValue({ huis_nummer: 3 }, 'nl')).toBe('huis nummer: 3');
    expect(formatValue('2026-11-26T12:00:00Z', 'en')).toMatch(/26 Nov 2026/);
    expect(formatValue('not a date', 'nl')).toBe('not a date');
  });
});

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly csrf: string | null;
}

function serve(routes: Record<string, (body: unknown) => Response>): Recorded[] {
  const calls: Recorded[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const headers = (init.headers ?? {}) as Record<string, string>;
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, url, body, csrf: headers['X-CSRF-Token'] ?? null });
    const route = routes[`${method} ${url}`];
    return route ? route(body) : new Response('{"code":"NotFound","description":"no"}', { status: 404 });
  });
  return calls;
}

const json = (status: number, value: unknown) =>
  new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });
const session = { signed_in: true, csrf: 'c1', device: false, user: { id: 1, email: 'ans@example.nl', display_name: '', roles: [], totp_enabled: false } };
const anonymous = () => json(200, { signed_in: false, csrf: null, device: false, user: null });

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

function submit(form: string): void {
  document.getElementById(form)?.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
}

describe('resident sign-in', () => {
  beforeEach(() => {
    document.body.innerHTML = body(signinHtml);
    setLang('nl');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('refuses a mistyped address without asking the server', async () => {
    const calls = serve({});
    mountResidentSignIn(() => undefined);
    (document.getElementById('email-input') as HTMLInputElement).value = 'ans@example';
    submit('email-form');
    await settle();
    expect(calls).toHaveLength(0);
    expect(document.getElementById('email-input')?.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('resident-notice')?.textContent).toBe(MESSAGES.nl['form.emailFormat']);
  });

  it('mails a code, then signs in with e-mail and code', async () => {
    const calls = serve({
      'GET /api/session': anonymous,
      'POST /api/auth/email': () => json(202, { sent: true }),
      'POST /api/auth/email/verify': () => json(200, session),
    });
    const signedIn = vi.fn();
    mountResidentSignIn(signedIn);
    (document.getElementById('email-input') as HTMLInputElement).value = ' ans@example.nl ';
    submit('email-form');
    await settle();
    expect(calls.find((c) => c.url === '/api/auth/email')?.body).toEqual({ email: 'ans@example.nl' });
    expect(document.getElementById('code-form')?.hidden).toBe(false);
    expect(document.getElementById('email-form')?.hidden).toBe(true);
    expect(document.getElementById('resident-notice')?.textContent).toContain('ans@example.nl');
    expect(document.activeElement?.id).toBe('code-input');

    (document.getElementById('code-input') as HTMLInputElement).value = '123 456';
    submit('code-form');
    await settle();
    expect(calls.find((c) => c.url === '/api/auth/email/verify')?.body).toEqual({ email: 'ans@example.nl', code: '123456' });
    expect(signedIn).toHaveBeenCalledWith(session);
  });

  it('says when the code is used or expired', async () => {
    serve({
      'GET /api/session': anonymous,
      'POST /api/auth/email': () => json(202, { sent: true }),
      'POST /api/auth/email/verify': () => json(400, { code: 'InvalidToken', description: 'used' }),
    });
    const signedIn = vi.fn();
    mountResidentSignIn(signedIn);
    (document.getElementById('email-input') as HTMLInputElement).value = 'ans@example.nl';
    submit('email-form');
    await settle();
    (document.getElementById('code-input') as HTMLInputElement).value = '000000';
    submit('code-form');
    await settle();
    expect(signedIn).not.toHaveBeenCalled();
    const notice = document.getElementById('resident-notice');
    expect(notice?.textContent).toBe(MESSAGES.nl['error.invalidToken']);
    expect(notice?.getAttribute('aria-live')).toBe('assertive');
  });
});

describe('staff sign-in', () => {
  beforeEach(() => {
    document.body.innerHTML = body(signinHtml);
    setLang('nl');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('asks for the TOTP code when the server wants one, then sends it', async () => {
    let attempts = 0;
    const calls = serve({
      'GET /api/session': anonymous,
      'POST /api/auth/password': (body) => {
        attempts++;
        const withTotp = typeof body === 'object' && body !== null && 'totp' in body;
        return withTotp ? json(200, session) : json(401, { code: 'TotpRequired', description: 'code' });
      },
    });
    const signedIn = vi.fn();
    mountStaffSignIn(signedIn);
    const totpField = document.getElementById('staff-totp-field');
    expect(totpField?.hidden).toBe(true);
    (document.getElementById('staff-email') as HTMLInputElement).value = 'beheer@example.nl';
    (document.getElementById('staff-password') as HTMLInputElement).value = 'geheim geheim';
    submit('staff-form');
    await settle();
    expect(totpField?.hidden).toBe(false);
    expect(document.activeElement?.id).toBe('staff-totp');
    expect(document.getElementById('staff-notice')?.textContent).toBe(MESSAGES.nl['error.totpRequired']);

    (document.getElementById('staff-totp') as HTMLInputElement).value = '654321';
    submit('staff-form');
    await settle();
    expect(attempts).toBe(2);
    expect(calls.filter((c) => c.url === '/api/auth/password').at(-1)?.body).toEqual({
      email: 'beheer@example.nl',
      password: 'geheim geheim',
      totp: '654321',
    });
    expect(signedIn).toHaveBeenCalledOnce();
  });

  it('says the credentials are wrong and clears the password', async () => {
    serve({
      'GET /api/session': anonymous,
      'POST /api/auth/password': () => json(401, { code: 'InvalidCredentials', description: 'wrong' }),
    });
    mountStaffSignIn(() => undefined);
    (document.getElementById('staff-email') as HTMLInputElement).value = 'beheer@example.nl';
    (document.getElementById('staff-password') as HTMLInputElement).value = 'fout';
    submit('staff-form');
    await settle();
    expect(document.getElementById('staff-notice')?.textContent).toBe(MESSAGES.nl['error.invalidCredentials']);
    expect((document.getElementById('staff-password') as HTMLInputElement).value).toBe('');
  });
});

describe('account security (staff)', () => {
  const staff = (totp_enabled: boolean): User => ({
    id: 7,
    email: 'wo@example.nl',
    display_name: '',
    roles: [{ role: 'wijkondernemer', scope: 'WK199901' }],
    totp_enabled,
  });
  const enrolment = { secret: 'ABCDEFGH', otpauth_uri: 'otpauth://totp/wijkwerk:wo@example.nl?secret=ABCDEFGH' };
  beforeEach(() => {
    document.body.innerHTML = body(accountHtml);
    setLang('nl');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sets up an authenticator only with the password', async () => {
    const calls = serve({
      'GET /api/session': () => json(200, session),
      'POST /api/account/totp': () => json(200, enrolment),
    });
    mountSecurity(staff(false));
    expect(document.getElementById('totp-current-field')?.hidden).toBe(true);
    submit('totp-start-form');
    await settle();
    expect(calls.filter((c) => c.url === '/api/account/totp')).toHaveLength(0);
    expect(document.getElementById('totp-notice')?.textContent).toBe(MESSAGES.nl['totp.passwordRequired']);
    expect(document.activeElement?.id).toBe('totp-password');

    (document.getElementById('totp-password') as HTMLInputElement).value = 'geheim geheim';
    submit('totp-start-form');
    await settle();
    expect(calls.find((c) => c.url === '/api/account/totp')?.body).toEqual({ password: 'geheim geheim' });
    expect(document.getElementById('totp-enrol')?.hidden).toBe(false);
    expect(document.getElementById('totp-secret')?.textContent).toBe('ABCDEFGH');
    expect((document.getElementById('totp-password') as HTMLInputElement).value).toBe('');
  });

  it('replaces an enabled authenticator with its current code, and says when it is wrong', async () => {
    const calls = serve({
      'GET /api/session': () => json(200, session),
      'POST /api/account/totp': () => json(401, { code: 'InvalidCredentials', description: 'wrong' }),
    });
    mountSecurity(staff(true));
    expect(document.getElementById('totp-current-field')?.hidden).toBe(false);
    expect(document.getElementById('totp-start')?.textContent).toBe(MESSAGES.nl['totp.replace']);
    submit('totp-start-form');
    await settle();
    expect(document.getElementById('totp-notice')?.textContent).toBe(MESSAGES.nl['totp.proofRequired']);

    (document.getElementById('totp-current') as HTMLInputElement).value = '123 456';
    submit('totp-start-form');
    await settle();
    expect(calls.find((c) => c.url === '/api/account/totp')?.body).toEqual({ code: '123456' });
    expect(document.getElementById('totp-notice')?.textContent).toBe(MESSAGES.nl['totp.wrongProof']);
    expect(document.getElementById('totp-current')?.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('totp-enrol')?.hidden).toBe(true);
  });
});
