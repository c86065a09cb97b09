import { describe, expect, it } from 'vitest';
import { ApiError, dispositionFilename, HttpClient, parseRetryAfter } from '../../src/api/http';

interface Call {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | null;
  readonly credentials: RequestCredentials | undefined;
}

/** A fake server: answers by "METHOD url", records every call. */
function fakeFetch(routes: Record<string, (call: Call) => Response>) {
  const calls: Call[] = [];
  const fetchImpl = async (url: string, init: RequestInit): Promise<Response> => {
    const call: Call = {
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? init.body : null,
      credentials: init.credentials,
    };
    calls.push(call);
    const route = routes[`${call.method} ${url}`];
    if (!route) return json(404, { code: 'NotFound', description: `no route ${call.method} ${url}` });
    return route(call);
  };
  return { calls, client: new HttpClient(fetchImpl) };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

const session = (csrf: string | null) => () => json(200, { signed_in: csrf !== null, csrf, user: null, device: false });

describe('HttpClient', () => {
  it('sends the CSRF token from GET /api/session on state-changing requests only', async () => {
    const { calls, client } = fakeFetch({
      'GET /api/session': session('tok-1'),
      'GET /api/account': () => json(200, { ok: true }),
      'POST /api/account/consents': () => json(201, { purpose: 'contact', given: true, at: '2026-01-01T00:00:00Z' }),
      'DELETE /api/my/addresses/1/opt-outs/contact': () => new Response(null, { status: 204 }),
    });
    await client.json('GET', '/api/account');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/account']);
    expect(calls[0]?.headers['X-CSRF-Token']).toBeUndefined();

    await client.json('POST', '/api/account/consents', { purpose: 'contact', given: true });
    await client.send('DELETE', '/api/my/addresses/1/opt-outs/contact');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/account',
      'GET /api/session',
      'POST /api/account/consents',
      'DELETE /api/my/addresses/1/opt-outs/contact',
    ]);
    expect(calls[2]?.headers['X-CSRF-Token']).toBe('tok-1');
    expect(calls[2]?.headers['Content-Type']).toBe('application/json');
    expect(calls[2]?.body).toBe('{"purpose":"contact","given":true}');
    expect(calls[3]?.headers['X-CSRF-Token']).toBe('tok-1');
    expect(calls[3]?.headers['Content-Type']).toBeUndefined();
    expect(calls.every((c) => c.credentials === 'same-origin')).toBe(true);
  });

  it('asks for the session once when requests run together', async () => {
    const { calls, client } = fakeFetch({
      'GET /api/session': session('tok'),
      'POST /a': () => new Response(null, { status: 204 }),
      'POST /b': () => new Response(null, { status: 204 }),
    });
    await Promise.all([client.send('POST', '/a'), client.send('POST', '/b')]);
    expect(calls.filter((c) => c.url === '/api/session')).toHaveLength(1);
  });

  it('uses the token of a sign-in answer and forgets it on sign-out', async () => {
    const { calls, client } = fakeFetch({
      'GET /api/session': session(null),
      'POST /x': () => new Response(null, { status: 204 }),
    });
    client.rememberSession({ csrf: 'from-sign-in' });
    await client.send('POST', '/x');
    expect(calls.map((c) => c.url)).toEqual(['/x']);
    expect(calls[0]?.headers['X-CSRF-Token']).toBe('from-sign-in');
    client.forgetSession();
    await client.send('POST', '/x');
    expect(calls.map((c) => c.url)).toEqual(['/x', '/api/session', '/x']);
    // An anonymous visitor has no token: none is sent.
    expect(calls[2]?.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('learns a new token and retries once when the server says CsrfRejected', async () => {
    let token = 'old';
    const { calls, client } = fakeFetch({
      'GET /api/session': () => json(200, { signed_in: true, csrf: token, user: null, device: false }),
      'POST /x': (call) =>
        call.headers['X-CSRF-Token'] === 'new'
          ? new Response(null, { status: 204 })
          : json(403, { code: 'CsrfRejected', description: 'bad token' }),
    });
    client.rememberSession({ csrf: 'old' });
    token = 'new';
    await client.send('POST', '/x');
    expect(calls.map((c) => `${c.url}:${c.headers['X-CSRF-Token'] ?? ''}`)).toEqual(['/x:old', '/api/session:', '/x:new']);
  });

  it('does not retry other 403s', async () => {
    const { calls, client } = fakeFetch({
      'GET /api/session': session('t'),
      'POST /x': () => json(403, { code: 'Forbidden', description: 'no' }),
    });
    await expect(client.send('POST', '/x')).rejects.toMatchObject({ status: 403, code: 'Forbidden' });
    expect(calls.filter((c) => c.url === '/x')).toHaveLength(1);
  });

  it('turns error bodies, bare statuses and Retry-After into ApiError', async () => {
    const { client } = fakeFetch({
      'GET /api/session': session(null),
      'POST /api/auth/email': () => json(429, { code: 'TooManyRequests', description: 'slow down' }, { 'Retry-After': '30' }),
      'GET /plain': () => new Response('oops', { status: 502, statusText: 'Bad Gateway' }),
    });
    const limited = await client.json('POST', '/api/auth/email', { email: 'a@b.nl' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ApiError);
    expect(limited).toMatchObject({ status: 429, code: 'TooManyRequests', description: 'slow down', retryAfterSeconds: 30 });
    const plain = await client.json('GET', '/plain').catch((e: unknown) => e);
    expect(plain).toMatchObject({ status: 502, code: 'HttpError', description: 'Bad Gateway', retryAfterSeconds: null });
  });

  it('answers undefined for 204 and downloads files with their name', async () => {
    const { client } = fakeFetch({
      'GET /api/session': session('t'),
      'POST /none': () => new Response(null, { status: 204 }),
      'POST /api/letters': () =>
        new Response('a;b\n', {
          status: 200,
          headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="brieven-BU1.csv"' },
        }),
    });
    expect(await client.json('POST', '/none')).toBeUndefined();
    const file = await client.download('POST', '/api/letters', { area: 'BU1', format: 'csv' }, 'text/csv');
    expect(file.filename).toBe('brieven-BU1.csv');
    expect(await file.blob.text()).toBe('a;b\n');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 5 ', now)).toBe(5);
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-3', now)).toBeNull();
  });
});

describe('dispositionFilename', () => {
  it('prefers filename*, falls back to filename, else null', () => {
    expect(dispositionFilename(`attachment; filename="a.csv"; filename*=UTF-8''brieven%20%C3%A9.csv`)).toBe('brieven é.csv');
    expect(dispositionFilename('attachment; filename=plain.pdf')).toBe('plain.pdf');
    expect(dispositionFilename('attachment; filename="quoted name.pdf"')).toBe('quoted name.pdf');
    expect(dispositionFilename('attachment')).toBeNull();
    expect(dispositionFilename(null)).toBeNull();
  });
});
