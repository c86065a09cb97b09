// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MyAddressDetail } from '../../src/api/account';
import { AddressDetail } from '../../src/account/addressDetail';
import { MESSAGES, setLang } from '../../src/i18n';

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

const json = (status: number, value: unknown) =>
  new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });

const ID = '1999010000000002';
const detail = (): MyAddressDetail => ({
  address: { identificatie: ID, openbare_ruimte_naam: 'Kerkstraat', huisnummer: 1 },
  buildings: [{ identificatie: '1999100000000001', bouwjaar: 1918, adressen: [{ identificatie: ID }] }],
  observations: [{ id: 7, type: 'hond', observed_at: '2026-11-01T10:00:00Z', answers: { hond: true } }],
  opt_outs: ['research'],
  contests: [],
});

let calls: Recorded[] = [];
let optOutStatus = 204;

beforeEach(() => {
  setLang('nl');
  calls = [];
  optOutStatus = 204;
  document.body.innerHTML = '<div id="address-detail" hidden></div>';
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url, body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined });
    if (url === '/api/session') return json(200, { signed_in: true, csrf: 'c', device: false, user: null });
    if (method === 'GET' && url === `/api/my/addresses/${ID}`) return json(200, detail());
    if (url.startsWith(`/api/my/addresses/${ID}/opt-outs/`)) return new Response(null, { status: optOutStatus });
    if (method === 'POST' && url === `/api/my/addresses/${ID}/contests`) return json(201, { id: 1, status: 'open' });
    return json(404, { code: 'NotFound', description: url });
  });
});
afterEach(() => vi.unstubAllGlobals());

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

async function opened(): Promise<HTMLElement> {
  const root = document.getElementById('address-detail') as HTMLElement;
  const view = new AddressDetail(root, () => undefined);
  await view.open({ address_id: ID, label: 'Kerkstraat 1' });
  return root;
}

describe('address detail', () => {
  it('shows the register facts in words, the ids only for GIS, and focuses the heading', async () => {
    const root = await opened();
    expect(root.hidden).toBe(false);
    expect(document.activeElement?.id).toBe('address-detail-title');
    const outside = root.cloneNode(true) as HTMLElement;
    outside.querySelector('[data-gis]')?.remove();
    const labels = [...outside.querySelectorAll('dt')].map((dt) => dt.textContent);
    expect(labels).toContain('adres');
    expect(labels).toContain('bouwjaar');
    expect(labels).not.toContain('adressen');
    expect(outside.textContent).toContain('1918');
    expect(outside.textContent).not.toContain(ID);
    expect(root.querySelector('[data-gis]')?.textContent).toContain(ID);
    expect((root.querySelector('#opt-out-research') as HTMLInputElement).checked).toBe(true);
    expect((root.querySelector('#opt-out-contact') as HTMLInputElement).checked).toBe(false);
  });

  it('saves an opt-out at once and takes it back when the server refuses', async () => {
    const root = await opened();
    const contact = root.querySelector('#opt-out-contact') as HTMLInputElement;
    contact.checked = true;
    contact.dispatchEvent(new Event('change'));
    await settle();
    expect(calls.at(-1)).toMatchObject({ method: 'PUT', url: `/api/my/addresses/${ID}/opt-outs/contact` });

    optOutStatus = 500;
    const research = root.querySelector('#opt-out-research') as HTMLInputElement;
    research.checked = false;
    research.dispatchEvent(new Event('change'));
    await settle();
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', url: `/api/my/addresses/${ID}/opt-outs/research` });
    expect(research.checked).toBe(true);
    expect(root.textContent).toContain(MESSAGES.nl['error.server']);
  });

  it('contests an observation with a reason', async () => {
    const root = await opened();
    const toggle = [...root.querySelectorAll('button')].find((b) => b.textContent === MESSAGES.nl['myaddr.contest']);
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
    toggle?.click();
    const reason = root.querySelector('textarea') as HTMLTextAreaElement;
    expect(document.activeElement).toBe(reason);

    reason.closest('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(calls.some((c) => c.url.endsWith('/contests'))).toBe(false);
    expect(reason.getAttribute('aria-invalid')).toBe('true');

    reason.value = '  Er woont hier geen hond.  ';
    reason.dispatchEvent(new Event('input'));
    reason.closest('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(calls.find((c) => c.url.endsWith('/contests'))?.body).toEqual({ observation_id: 7, reason: 'Er woont hier geen hond.' });
    expect(root.textContent).toContain(MESSAGES.nl['myaddr.contestSent']);
  });

  it('keeps a half-written reason across a language switch', async () => {
    const root = await opened();
    [...root.querySelectorAll('button')].find((b) => b.textContent === MESSAGES.nl['myaddr.contest'])?.click();
    const reason = root.querySelector('textarea') as HTMLTextAreaElement;
    reason.value = 'half';
    reason.dispatchEvent(new Event('input'));
    setLang('en');
    const again = root.querySelector('textarea') as HTMLTextAreaElement;
    expect(again.value).toBe('half');
    expect(again.closest('form')?.hidden).toBe(false);
    expect(document.activeElement).toBe(again);
    expect(root.textContent).toContain(MESSAGES.en['myaddr.observations']);
  });
});
