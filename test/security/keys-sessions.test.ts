// Keys, sessions and the browser's protections, on SQLite and PostgreSQL: the key lifecycle
// (create → use → revoke → 401 on the very next call; expired → 401), what is stored, invites,
// sessions and sign-out everywhere, CSRF, cookies and security headers, and the official openai
// SDK authenticating with a Méliès key.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBackends, Caller, keyFor, newMember, setupAdmin, startAccountServer, type AccountServer } from '../helpers/accounts.js';

for (const db of await accountBackends()) {
  describe(`keys and sessions on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;

    beforeAll(async () => {
      server = await startAccountServer(db);
      admin = await setupAdmin(server);
    });
    afterAll(async () => server?.stop());

    it('first start: a one-time setup link makes the admin; it cannot be used twice', async () => {
      expect((await new Caller(server.url).get('/api/session')).json).toMatchObject({ mode: 'multi', login_required: true, setup_required: false, registration: 'invite' });
      const token = /#token=(.+)$/.exec(server.setupUrl!)![1];
      const again = await new Caller(server.url).post('/api/auth/setup', { token, email: 'thief@example.org', password: 'another long password' });
      expect(again.status).toBe(403);
      expect(again.json.error.code).toBe('invalid_setup_token');
      expect((await admin.get('/api/session')).json.user).toMatchObject({ email: 'admin@example.org', role: 'admin', plan: 'pro' });
    });

    it('runs the key lifecycle: shown once, hashed at rest, works with the openai SDK, revoked on the next request', async () => {
      const member = await newMember(server, admin, 'pro');
      const created = await member.post('/api/keys', { name: 'laptop' });
      expect(created.status).toBe(200);
      const secret: string = created.json.key;
      expect(secret).toMatch(/^mls_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/);
      expect(created.json).toMatchObject({ name: 'laptop', scopes: ['videos:read', 'videos:write'], revoked_at: null });
      expect(secret.startsWith(created.json.prefix)).toBe(true);
      // Listed without the secret; stored only as a SHA-256.
      const listed = await member.get('/api/keys');
      expect(JSON.stringify(listed.json)).not.toContain(secret);
      const conn = await server.openDb();
      const rows = await conn.selectFrom('api_keys').selectAll().execute();
      await conn.destroy();
      expect(JSON.stringify(rows)).not.toContain(secret.slice(4, 30));
      expect(rows.find((r) => r.id === created.json.id)!.hash).toMatch(/^[0-9a-f]{64}$/);

      const sdk = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: secret, maxRetries: 0 });
      expect((await sdk.videos.list()).data).toEqual([]);
      expect((await member.get('/api/keys')).json.data[0].last_used_at).toBeGreaterThan(0);
      expect((await member.post(`/api/keys/${created.json.id}/revoke`)).json.revoked_at).toBeGreaterThan(0);
      const err = await sdk.videos.list().catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(err.status).toBe(401);
      expect(err.error?.code ?? err.code).toBe('invalid_api_key');
    });

    it('refuses expired, malformed and other users\' keys, and keys on key management', async () => {
      const member = await newMember(server, admin, 'pro');
      const made = await member.post('/api/keys', { name: 'short', expires_in_days: 1 });
      const key = member.withKey(made.json.key);
      expect((await key.get('/v1/videos')).status).toBe(200);
      const conn = await server.openDb();
      await conn.updateTable('api_keys').set({ expires_at: Date.now() - 1000 }).where('id', '=', made.json.id).execute();
      await conn.destroy();
      expect((await key.get('/v1/videos')).status).toBe(401);
      // One character off fails the checksum without a lookup; nothing at all is a 401 too.
      const typo = made.json.key.slice(0, 10) + (made.json.key[10] === 'a' ? 'b' : 'a') + made.json.key.slice(11);
      expect((await member.withKey(typo).get('/v1/videos')).json.error.code).toBe('invalid_api_key');
      expect((await new Caller(server.url).get('/v1/videos')).json.error.code).toBe('unauthorized');
      // A key cannot mint keys or revoke another user's key.
      const other = await keyFor(await newMember(server, admin, 'free'));
      const live = await keyFor(member);
      expect((await live.post('/api/keys', { name: 'more' })).status).toBe(403);
      const otherKeyId = (await admin.get('/api/admin/users')).json.data.length; // any id: a member can only see their own
      expect(otherKeyId).toBeGreaterThan(0);
      const mine = (await member.get('/api/keys')).json.data[0].id;
      expect((await other.call('POST', `/api/keys/${mine}/revoke`)).status).toBe(403);
      // A member cannot give themselves the admin scope.
      expect((await member.post('/api/keys', { name: 'root', scopes: ['admin'] })).status).toBe(403);
      // Read-only keys read but do not write.
      const ro = await keyFor(member, ['videos:read']);
      expect((await ro.get('/v1/videos')).status).toBe(200);
      expect((await ro.post('/v1/videos', { prompt: 'x' })).json.error.code).toBe('forbidden');
    });

    it('signs in and out, lists sessions, and signs out everywhere', async () => {
      const member = await newMember(server, admin, 'free', 'Carol@Example.org');
      expect((await new Caller(server.url).post('/api/auth/login', { email: 'carol@example.org', password: 'wrong password!' })).status).toBe(401);
      const login = await new Caller(server.url).post('/api/auth/login', { email: 'CAROL@example.org', password: 'a long enough password' });
      expect(login.status).toBe(200);
      const second = new Caller(server.url, { cookie: login.headers.get('set-cookie')!.split(';')[0], csrf: login.json.csrf_token });
      const sessions = await second.get('/api/auth/sessions');
      expect(sessions.json.data).toHaveLength(2);
      expect(sessions.json.data.filter((s: any) => s.current)).toHaveLength(1);
      expect(JSON.stringify(sessions.json)).not.toContain(login.headers.get('set-cookie')!.split(';')[0]!.split('=')[1]);
      expect((await second.post('/api/auth/logout-all')).json).toEqual({ ok: true, ended: 2 });
      expect((await member.get('/v1/videos')).status).toBe(401);
      expect((await second.get('/v1/videos')).status).toBe(401);
    });

    it('enforces invites: required, single use, revocable', async () => {
      const anon = new Caller(server.url);
      const reg = (code?: string, email = `i${Math.random().toString(36).slice(2)}@example.org`) => anon.post('/api/auth/register', { email, password: 'a long enough password', ...(code ? { invite_code: code } : {}) });
      expect((await reg()).json.error.code).toBe('invite_required');
      expect((await reg('inv_nope')).json.error.code).toBe('invalid_invite');
      const once = (await admin.post('/api/admin/invites', { plan: 'free', max_uses: 1, expires_in_days: 7 })).json;
      expect((await reg(once.code)).status).toBe(200);
      expect((await reg(once.code)).json.error.code).toBe('invalid_invite');
      const revoked = (await admin.post('/api/admin/invites', { plan: 'pro', max_uses: 5 })).json;
      await admin.post(`/api/admin/invites/${revoked.code}/revoke`);
      expect((await reg(revoked.code)).status).toBe(403);
      expect((await reg(undefined, 'admin@example.org')).status).toBe(403); // invite checked; email never revealed first
      expect((await admin.get('/api/admin/invites')).json.data.find((i: any) => i.code === once.code)).toMatchObject({ uses: 1, max_uses: 1 });
    });

    it('refuses cookie writes without the CSRF token or from another site; keys need none', async () => {
      const member = await newMember(server, admin, 'pro');
      const body = { prompt: 'a lighthouse', seconds: '1', size: '320x180', fps: 12 };
      const noToken = await member.call('POST', '/v1/videos', body, { 'x-csrf-token': '' });
      expect(noToken.status).toBe(403);
      expect(noToken.json.error.code).toBe('csrf_failed');
      expect((await member.call('POST', '/v1/videos', body, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      expect((await new Caller(server.url).call('POST', '/api/auth/login', { email: 'x@example.org', password: 'y' }, { 'sec-fetch-site': 'cross-site' })).json.error.code).toBe('csrf_failed');
      const ok = await member.call('POST', '/v1/videos', body, { 'sec-fetch-site': 'same-origin' });
      expect(ok.status).toBe(200);
      const key = await keyFor(member);
      expect((await key.post(`/api/videos/${ok.json.id}/cancel`)).status).toBe(200);
    });

    it('sets safe cookies and security headers', async () => {
      const r = await new Caller(server.url).post('/api/auth/login', { email: 'admin@example.org', password: 'correct horse battery' });
      const cookie = r.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^melies_session=[A-Za-z0-9_-]{40,};/);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
      expect(cookie).toContain('Path=/');
      for (const path of ['/', '/v1/models', '/api/session']) {
        const res = await fetch(`${server.url}${path}`);
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
        expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      }
    });
  });
}

describe('behind a TLS proxy', () => {
  it('uses a __Host- cookie with Secure, and HSTS', async () => {
    const server = await startAccountServer('sqlite', { trustProxy: true });
    try {
      const admin = await setupAdmin(server);
      expect(admin.auth.cookie).toBeTruthy();
      const r = await new Caller(server.url).call('POST', '/api/auth/login', { email: 'admin@example.org', password: 'correct horse battery' }, { 'x-forwarded-proto': 'https' });
      const cookie = r.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^__Host-melies_session=/);
      expect(cookie).toContain('Secure');
      expect(cookie).not.toMatch(/Domain=/i);
      expect(r.headers.get('strict-transport-security')).toContain('max-age=');
      // The secure cookie authenticates over https only.
      const secure = new Caller(server.url, { cookie: cookie.split(';')[0] });
      expect((await secure.call('GET', '/v1/videos', undefined, { 'x-forwarded-proto': 'https' })).status).toBe(200);
      expect((await secure.get('/v1/videos')).status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  it('limits requests per key with 429 and Retry-After', async () => {
    const server = await startAccountServer('sqlite', { auth: { mode: 'multi', requestsPerMinute: 5 } });
    try {
      const admin = await setupAdmin(server);
      const statuses: number[] = [];
      let last: any;
      for (let i = 0; i < 7; i++) {
        last = await admin.get('/v1/videos');
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last.json.error.code).toBe('rate_limited');
    } finally {
      await server.stop();
    }
  });
});
