// Guessing is slowed down: failed sign-ins per account and per address, unknown API keys per
// address, each past its limit a 429 with Retry-After (before: 60 parallel wrong passwords and
// 300 unknown keys in 0.27 s all got answers). On SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBackends, Caller, keyFor, newMember, setupAdmin, startAccountServer, type AccountServer } from '../helpers/accounts.js';

const LIMIT = 3; // failed sign-ins per account; an address gets 3 × 3 = 9

for (const db of await accountBackends()) {
  describe(`throttling on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    const anon = () => new Caller(server.url);

    beforeAll(async () => {
      server = await startAccountServer(db, { auth: { failedLoginsPer15Min: LIMIT } });
      admin = await setupAdmin(server);
    });
    afterAll(async () => server?.stop());

    it('throttles one account after its failed sign-ins, even with the right password, and not the others', async () => {
      const email = 'target@example.org';
      const target = await newMember(server, admin, 'free', email);
      // In parallel, as an attacker would: exactly LIMIT get to try a password.
      const wrong = await Promise.all(Array.from({ length: 4 * LIMIT }, () => anon().post('/api/auth/login', { email, password: 'not the password' })));
      expect(wrong.filter((r) => r.status === 401).length).toBe(LIMIT);
      expect(wrong.filter((r) => r.status === 429).length).toBe(3 * LIMIT);
      const right = await anon().post('/api/auth/login', { email, password: 'a long enough password' });
      expect(right.status).toBe(429);
      expect(right.json.error).toMatchObject({ code: 'too_many_attempts', type: 'rate_limit_error' });
      const retry = Number(right.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(15 * 60);
      expect(right.json.error.message).toContain(`${retry} s`);
      // The same address may still sign in to another account (its own limit is higher).
      expect((await anon().post('/api/auth/login', { email: 'admin@example.org', password: 'correct horse battery' })).status).toBe(200);
      // Already signed-in sessions are not affected.
      expect((await target.get('/v1/videos')).status).toBe(200);
    });

    it('throttles an address that fails across many accounts', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 3 * LIMIT + 2; i++) {
        statuses.push((await anon().post('/api/auth/login', { email: `nobody${i}@example.org`, password: 'guess' })).status);
      }
      // Earlier tests in this file already failed LIMIT times from this address; the rest fill it up.
      expect(statuses.filter((s) => s === 401).length).toBe(3 * LIMIT - LIMIT);
      expect(statuses.slice(-1)).toEqual([429]);
    });

    it('answers 429 to unknown API keys past the address\'s limit, while valid keys keep working', async () => {
      const member = await keyFor(await newMember(server, admin, 'pro'));
      // The address is already at its limit from the sign-ins above: unknown keys now get 429.
      const unknown = await anon().withKey(`mls_${'0'.repeat(43)}`).get('/v1/videos');
      expect(unknown.status).toBe(429);
      expect(unknown.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await member.get('/v1/videos')).status).toBe(200);
    });
  });

  describe(`unknown keys alone on ${db}`, () => {
    let server: AccountServer;
    beforeAll(async () => {
      server = await startAccountServer(db, { auth: { failedLoginsPer15Min: LIMIT } });
    });
    afterAll(async () => server?.stop());

    it('lets an address try 3 × the limit of unknown keys, then answers 429', async () => {
      const statuses = await Promise.all(Array.from({ length: 3 * LIMIT + 5 }, (_, i) => new Caller(server.url).withKey(`mls_${String(i).padStart(43, '0')}`).get('/v1/videos').then((r) => r.status)));
      expect(statuses.filter((s) => s === 401).length).toBe(3 * LIMIT);
      expect(statuses.filter((s) => s === 429).length).toBe(5);
    });
  });
}
