import { describe, expect, it } from 'vitest';
import { ApiError, HttpClient } from '../../src/api/http';
import { reportsApi } from '../../src/api/reports';
import { IdempotentSubmission, isTransient, newIdempotencyKey } from '../../src/report/submission';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A submission with numbered keys and no real waiting; records the waits. */
function submission(delaysMs = [10, 20, 30]) {
  let n = 0;
  const waits: number[] = [];
  const s = new IdempotentSubmission({
    newKey: () => `key-${++n}`,
    sleep: async (ms) => {
      waits.push(ms);
    },
    policy: { delaysMs },
  });
  return { s, waits };
}

const offline = () => new TypeError('Failed to fetch');

describe('IdempotentSubmission', () => {
  it('retries a network failure with the same key, waiting as the policy says', async () => {
    const { s, waits } = submission();
    const keys: string[] = [];
    const retries: number[] = [];
    const result = await s.submit(
      async (key) => {
        keys.push(key);
        if (keys.length < 3) throw offline();
        return 'created';
      },
      (attempt) => retries.push(attempt),
    );
    expect(result).toBe('created');
    expect(keys).toEqual(['key-1', 'key-1', 'key-1']);
    expect(retries).toEqual([1, 2]);
    expect(waits).toEqual([10, 20]);
    expect(s.pendingKey).toBeNull();
  });

  it('keeps the key when every attempt failed, so the user\'s next try cannot duplicate', async () => {
    const { s } = submission([5]);
    const keys: string[] = [];
    const send = async (key: string): Promise<string> => {
      keys.push(key);
      throw offline();
    };
    await expect(s.submit(send)).rejects.toBeInstanceOf(TypeError);
    expect(keys).toEqual(['key-1', 'key-1']);
    expect(s.pendingKey).toBe('key-1');
    const again = await s.submit(async (key) => key);
    expect(again).toBe('key-1');
    // A success ends the submission: the next report is another one.
    expect(await s.submit(async (key) => key)).toBe('key-2');
  });

  it('retries gateway errors but not answers from the server itself', async () => {
    const { s } = submission();
    let calls = 0;
    await s.submit(async () => {
      calls++;
      if (calls === 1) throw new ApiError(503, 'HttpError', 'Service Unavailable', '/api/observations');
      return 'ok';
    });
    expect(calls).toBe(2);

    calls = 0;
    const invalid = new ApiError(422, 'Unprocessable', 'the report has invalid values', '/api/observations');
    await expect(
      s.submit(async () => {
        calls++;
        throw invalid;
      }),
    ).rejects.toBe(invalid);
    expect(calls).toBe(1);
    // The refused submission keeps its key: after correcting an answer, it is sent again as itself.
    expect(s.pendingKey).toBe('key-2');
    s.reset();
    expect(s.pendingKey).toBeNull();
  });

  it('tells transient failures apart', () => {
    expect(isTransient(offline())).toBe(true);
    expect(isTransient(new ApiError(502, 'HttpError', 'Bad Gateway', '/x'))).toBe(true);
    expect(isTransient(new ApiError(504, 'HttpError', 'Gateway Timeout', '/x'))).toBe(true);
    expect(isTransient(new ApiError(500, 'Internal', 'internal error', '/x'))).toBe(false);
    expect(isTransient(new ApiError(429, 'TooManyRequests', 'slow down', '/x'))).toBe(false);
    expect(isTransient(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isTransient(new SyntaxError('bad JSON'))).toBe(false);
  });

  it('makes random v4 UUIDs', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(UUID);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});

describe('creating a report over HTTP', () => {
  it('sends the Idempotency-Key and the CSRF token, and the same key again after a lost answer', async () => {
    const calls: { url: string; headers: Record<string, string>; body: unknown }[] = [];
    let attempts = 0;
    const client = new HttpClient(async (url, init) => {
      const headers = { ...(init.headers as Record<string, string>) };
      calls.push({ url, headers, body: typeof init.body === 'string' ? JSON.parse(init.body) : null });
      if (url === '/api/session') return Response.json({ signed_in: false, device: true, csrf: 'tok', user: null });
      attempts++;
      // The first report arrives, but its answer is lost on the way back.
      if (attempts === 1) throw offline();
      return Response.json({ id: 7, status: 'new' }, { status: attempts === 2 ? 200 : 201 });
    });
    const api = reportsApi(client);
    const s = new IdempotentSubmission({ sleep: async () => {}, policy: { delaysMs: [1] } });
    const report = { type: 'solar_panels', target: { building: '1999100000000001' }, answers: { panels: 'yes' } };
    const created = await s.submit((key) => api.create(report, key));
    expect(created).toMatchObject({ id: 7 });
    const posts = calls.filter((c) => c.url === '/api/observations');
    expect(posts).toHaveLength(2);
    const [first, second] = posts;
    expect(first?.headers['Idempotency-Key']).toMatch(UUID);
    expect(second?.headers['Idempotency-Key']).toBe(first?.headers['Idempotency-Key']);
    expect(second?.headers['X-CSRF-Token']).toBe('tok');
    expect(second?.headers['Content-Type']).toBe('application/json');
    expect(second?.body).toEqual(report);
  });

  it('keeps the 422 field errors and sends photos as raw bytes with their type', async () => {
    const calls: { url: string; headers: Record<string, string>; body: unknown }[] = [];
    const client = new HttpClient(async (url, init) => {
      calls.push({ url, headers: { ...(init.headers as Record<string, string>) }, body: init.body });
      if (url === '/api/session') return Response.json({ csrf: 'tok' });
      if (url === '/api/observations') {
        return Response.json(
          { code: 'Unprocessable', description: 'the report has invalid values', errors: [{ field: '/answers/panels', message: 'bad' }] },
          { status: 422 },
        );
      }
      return Response.json({ id: 1, url: '/api/photos/1.jpg', width: 8, height: 8 }, { status: 201 });
    });
    const api = reportsApi(client);
    const error = await api.create({ type: 't', target: { building: '1' }, answers: {} }, 'k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).fieldErrors).toEqual([{ field: '/answers/panels', message: 'bad' }]);
    const photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
    await api.addPhoto(5, photo);
    const upload = calls.find((c) => c.url === '/api/observations/5/photos');
    expect(upload?.headers['Content-Type']).toBe('image/jpeg');
    expect(upload?.headers['X-CSRF-Token']).toBe('tok');
    expect(upload?.body).toBe(photo);
  });
});
