import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, setCsrfToken, requestHeaders, UNAUTHORIZED_EVENT } from './api';
import { fraction, inviteLink, keyState, parseModelList, resetsIn, usageLines, usedOf } from './account';

describe('account words', () => {
  it('describes usage against limits and when it resets', () => {
    expect(usedOf(12, 60)).toBe('12 of 60 s');
    expect(usedOf(3, null, 'jobs')).toBe('3 jobs (no limit)');
    expect(fraction(30, 60)).toBe(0.5);
    expect(fraction(90, 60)).toBe(1);
    expect(fraction(0, 0)).toBe(1); // a zero allowance is full
    expect(resetsIn(1000 + 30 * 60, 1000)).toBe('resets in 30 min');
    expect(resetsIn(1000 + 3 * 3600 + 12 * 60, 1000)).toBe('resets in 3 h 12 min');
    const lines = usageLines({
      plan: null, day: { used_seconds: 3, limit_seconds: 3, resets_at: 2000 }, month: { used_seconds: 3, limit_seconds: null, resets_at: 9000 },
      concurrent: { active: 1, limit: 1 }, usd_month: { used: 0, limit: null },
    }, 1000);
    expect(lines.map((l) => l.label)).toEqual(['Today', 'This month', 'Running now']);
    expect(lines[0]).toMatchObject({ value: '3 of 3 s', fraction: 1 });
    const noBudget = usageLines({
      plan: null, day: { used_seconds: 0, limit_seconds: 3, resets_at: 2000 }, month: { used_seconds: 0, limit_seconds: null, resets_at: 9000 },
      concurrent: { active: 0, limit: 1 }, usd_month: { used: 0, limit: 0 },
    }, 1000);
    expect(noBudget[3]).toMatchObject({ label: 'Paid engines', value: 'not included in this plan', fraction: 0 });
    const files = usageLines({
      plan: null, day: { used_seconds: 0, limit_seconds: null, resets_at: 2000 }, month: { used_seconds: 0, limit_seconds: null, resets_at: 9000 },
      concurrent: { active: 0, limit: null }, usd_month: { used: 0, limit: null }, files: { used_bytes: 250_000_000, limit_bytes: 1_000_000_000 },
    }, 1000);
    expect(files.at(-1)).toMatchObject({ label: 'Files', value: '250 MB of 1000 MB', fraction: 0.25 });
  });

  it('builds invite links, key states and plan model lists', () => {
    expect(inviteLink('https://m.example', 'inv_a+b')).toBe('https://m.example/register?invite=inv_a%2Bb');
    const key = { id: 'k', name: 'n', prefix: 'mls_x', scopes: [], created_at: 0, expires_at: null, last_used_at: null, revoked_at: null };
    expect(keyState(key, 100)).toBe('active');
    expect(keyState({ ...key, expires_at: 50 }, 100)).toBe('expired');
    expect(keyState({ ...key, revoked_at: 10 }, 100)).toBe('revoked');
    expect(parseModelList(' sketch, comfyui/wan, sketch ')).toEqual(['sketch', 'comfyui/wan']);
    expect(parseModelList('  ')).toBeNull();
  });
});

describe('CSRF and sign-out handling', () => {
  afterEach(() => { setCsrfToken(null); vi.unstubAllGlobals(); });

  it('sends the CSRF token on writes only', () => {
    setCsrfToken('tok');
    expect(requestHeaders('POST', { 'content-type': 'application/json' })).toMatchObject({ 'x-csrf-token': 'tok', 'content-type': 'application/json' });
    expect(requestHeaders('GET', undefined)['x-csrf-token']).toBeUndefined();
    setCsrfToken(null);
    expect(requestHeaders('DELETE', undefined)['x-csrf-token']).toBeUndefined();
  });

  it('attaches it to real calls and announces a 401', async () => {
    const seen: { url: string; headers: Record<string, string> }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      seen.push({ url, headers: init.headers as Record<string, string> });
      return new Response(JSON.stringify({ error: { message: 'Sign in.', code: 'unauthorized', param: null } }), { status: 401 });
    });
    let announced = 0;
    const target = new EventTarget();
    target.addEventListener(UNAUTHORIZED_EVENT, () => announced++);
    vi.stubGlobal('dispatchEvent', (e: Event) => target.dispatchEvent(e));
    setCsrfToken('abc');
    await expect(api.cancel('video_1')).rejects.toThrow('Sign in.');
    expect(seen[0]).toMatchObject({ url: '/api/videos/video_1/cancel', headers: { 'x-csrf-token': 'abc' } });
    expect(announced).toBe(1);
    await expect(api.login('a@b.c', 'x')).rejects.toThrow(); // a wrong password is not a lost session
    expect(announced).toBe(1);
  });
});
