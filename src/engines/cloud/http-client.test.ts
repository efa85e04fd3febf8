// The shared HTTP client with a scripted fetch: which answers are retried (and after how long),
// which are not, why a create is never sent twice, when the circuit opens, and that no message
// carries the key.
import { describe, expect, it, vi } from 'vitest';
import { EngineError } from '../../domain/errors.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { ModelRetired, ProviderUnavailable } from './errors.js';
import { CloudHttp, type CloudRequest } from './http-client.js';
import { faultFromStatus, messageOf } from './wire.js';

const KEY = 'sk-secret-test-key-0123456789';
type Step = { status: number; body?: string; headers?: Record<string, string> } | { throw: Error } | { hang: true };

function client(steps: Step[], over: { threshold?: number; createRetryStatuses?: number[]; timeoutMs?: number; modelInCreatePath?: boolean } = {}) {
  const calls: Array<{ method: string; url: string; headers: Record<string, string> }> = [];
  const fetch = (async (url: URL, init: RequestInit) => {
    calls.push({ method: String(init.method), url: String(url), headers: init.headers as Record<string, string> });
    const step = steps.shift() ?? { status: 200, body: '{"ok":true}' };
    if ('throw' in step) throw step.throw;
    if ('hang' in step) {
      return new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    }
    return new Response(step.body ?? '', { status: step.status, headers: { 'content-type': 'application/json', ...step.headers } });
  }) as unknown as typeof globalThis.fetch;
  const breaker = new CircuitBreaker({ failureThreshold: over.threshold ?? 10, cooldownMs: 10_000 });
  const http = new CloudHttp({
    provider: 'test', label: 'TestProvider', keyName: 'TEST_API_KEY', baseUrl: 'https://api.example.test/v1', fetch,
    authHeaders: () => ({ authorization: `Bearer ${KEY}` }), secrets: () => [KEY],
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2000 }, breaker,
    requestTimeoutMs: over.timeoutMs ?? 2000, createTimeoutMs: over.timeoutMs ?? 2000,
    classify: (a) => (a.status < 300 ? null : { kind: faultFromStatus(a.status, messageOf(a))!, message: messageOf(a) }),
    createRetryStatuses: over.createRetryStatuses, modelInCreatePath: over.modelInCreatePath,
  });
  return { http, calls, breaker };
}

const read: Omit<CloudRequest, 'signal'> = { method: 'GET', path: '/jobs/1', kind: 'read' };
const create: Omit<CloudRequest, 'signal'> = { method: 'POST', path: '/jobs', kind: 'create', body: { prompt: 'x' } };
const go = (h: CloudHttp, r: Omit<CloudRequest, 'signal'>) => h.request({ ...r, signal: new AbortController().signal });
const caught = async (p: Promise<unknown>) => { try { await p; } catch (e) { return e as EngineError; } throw new Error('expected a failure'); };
const err = (status: number, message: string, headers?: Record<string, string>): Step => ({ status, body: JSON.stringify({ error: { message } }), headers });

describe('CloudHttp', () => {
  it('retries a read on 5xx and a dropped connection, then succeeds', async () => {
    const { http, calls } = client([err(500, 'boom'), { throw: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }) }, { status: 200, body: '{"id":"a"}' }]);
    expect((await go(http, read)).data).toEqual({ id: 'a' });
    expect(calls).toHaveLength(3);
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('fails a 4xx at once, with the provider message and no key in it', async () => {
    const { http, calls } = client([err(400, `bad size for key ${KEY}`)]);
    const e = await caught(go(http, read));
    expect(e.code).toBe('provider_invalid_request');
    expect(e.retryable).toBe(false);
    expect(e.detail).toContain('bad size');
    expect(e.detail).not.toContain(KEY);
    expect(e.detail).toContain('[redacted]');
    expect(calls).toHaveLength(1);
  });

  it('waits as long as Retry-After says before retrying a 429', async () => {
    // On a fake clock: no retry before 300 ms have passed, the retry within the 10% jitter after.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { http, calls } = client([err(429, 'slow down', { 'retry-after-ms': '300' }), { status: 200, body: '{}' }]);
      let done = false;
      const p = go(http, create).then(() => { done = true; });
      await vi.advanceTimersByTimeAsync(299);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(31);
      await p;
      expect(done).toBe(true);
      expect(calls).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('hands a long Retry-After back as ProviderUnavailable instead of sleeping through it', async () => {
    const { http, calls } = client([err(429, 'quota window', { 'retry-after': '120' })]);
    const e = await caught(go(http, read));
    expect(e).toBeInstanceOf(ProviderUnavailable);
    expect((e as ProviderUnavailable).reason).toBe('rate_limited');
    expect((e as ProviderUnavailable).retryAfterMs).toBe(120_000);
    expect(calls).toHaveLength(1);
  });

  it('never resends a create that may have been taken: 500, timeout, a reset after sending, an unreadable 200', async () => {
    const cases: Step[] = [err(500, 'oops'), { hang: true }, { throw: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }) }, { status: 200, body: '<html>gateway' }];
    for (const step of cases) {
      const { http, calls } = client([step], { timeoutMs: 150 });
      const e = await caught(go(http, create));
      expect(e.code).toBe('provider_submit_uncertain');
      expect(e.retryable).toBe(false);
      expect(calls).toHaveLength(1);
    }
  });

  it('resends a create only when the provider provably did not take it: 429, shed load, never connected', async () => {
    const { http, calls } = client([err(429, 'busy'), err(503, 'shedding'), { throw: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }) }, { status: 200, body: '{"id":"j"}' }]);
    expect((await go(http, create)).data).toEqual({ id: 'j' });
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(4);
    const runway = client([err(502, 'shedding')], { createRetryStatuses: [502, 503, 504] });
    await go(runway.http, create);
    expect(runway.calls).toHaveLength(2);
  });

  it('a provider that stays unreachable ends in ProviderUnavailable (so the job waits or falls back)', async () => {
    const refused = () => ({ throw: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }) });
    const { http, calls } = client([refused(), refused(), refused(), refused()]);
    const e = await caught(go(http, create));
    expect(e).toBeInstanceOf(ProviderUnavailable);
    expect((e as ProviderUnavailable).reason).toBe('unreachable');
    expect(calls).toHaveLength(4);
  });

  it('does not retry when the provider says x-should-retry: false', async () => {
    const { http, calls } = client([err(500, 'no', { 'x-should-retry': 'false' })]);
    await caught(go(http, read));
    expect(calls).toHaveLength(1);
  });

  it('opens the circuit after N consecutive faults: later calls never reach fetch', async () => {
    const { http, calls, breaker } = client([err(500, 'a'), err(500, 'b'), err(500, 'c'), err(500, 'd')], { threshold: 3 });
    const e = await caught(go(http, read));
    expect(calls).toHaveLength(3);
    expect((await breaker.snapshot()).state).toBe('open');
    expect(e).toBeInstanceOf(ProviderUnavailable);
    const again = await caught(go(http, read));
    expect((again as ProviderUnavailable).reason).toBe('circuit_open');
    expect(calls).toHaveLength(3);
  });

  it('maps 401 to engine_misconfigured naming the variable, not the key', async () => {
    const { http } = client([err(401, `Incorrect API key provided: ${KEY.slice(0, 14)}...`)]);
    const e = await caught(go(http, create));
    expect(e.code).toBe('engine_misconfigured');
    expect(e.detail).toContain('TEST_API_KEY');
    expect(e.detail).not.toContain(KEY.slice(0, 12));
  });

  it('a 404 on a create retires the model when the create URL names it; elsewhere it is a missing job', async () => {
    const named = client([err(404, 'The requested resource could not be found.'), err(404, 'The requested resource could not be found.')], { modelInCreatePath: true });
    const retired = await caught(go(named.http, create));
    expect(retired).toBeInstanceOf(ModelRetired);
    expect(retired.detail).toContain('POST /v1/jobs');
    expect((await caught(go(named.http, read))).code).toBe('provider_job_not_found');
    const plain = client([err(404, 'The requested resource could not be found.')]);
    expect((await caught(go(plain.http, create))).code).toBe('provider_job_not_found');
  });
});
