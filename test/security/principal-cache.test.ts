// Keys and sessions answered from memory (services/accounts/principal-cache.ts), on SQLite and
// PostgreSQL: every change to what a principal is made from holds on the very next request,
// whoever makes it (this server, another connection to the database, the clock), exactly as when
// every request read the rows. On SQLite a key used again costs no read of keys, users or plans;
// on PostgreSQL, where other servers may write, every request still reads them.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiKeyRepo } from '../../src/db/api-key.repo.js';
import { PlanRepo } from '../../src/db/plan.repo.js';
import { SessionRepo } from '../../src/db/session.repo.js';
import { UserRepo } from '../../src/db/user.repo.js';
import { accountBackends, keyFor, newMember, setupAdmin, startAccountServer, type AccountServer, type Caller } from '../helpers/accounts.js';

const create = (c: Caller, seconds: string) => c.post('/v1/videos', { prompt: 'a lantern on a jetty at night', seconds, size: '320x180' });

for (const db of await accountBackends()) {
  describe(`principals kept in memory on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;

    beforeAll(async () => {
      // No job runs: created videos stay queued, so only admission is exercised.
      server = await startAccountServer(db, {}, { workers: false });
      admin = await setupAdmin(server);
    });
    afterAll(async () => server?.stop());
    afterEach(() => { vi.restoreAllMocks(); });

    it(db === 'sqlite' ? 'answers a key used again without reading keys, users or plans' : 'reads keys, users and plans on every request (another server may have changed them)', async () => {
      const member = await keyFor(await newMember(server, admin, 'pro'));
      expect((await member.get('/v1/videos')).status).toBe(200);
      const reads = [vi.spyOn(ApiKeyRepo.prototype, 'getByHash'), vi.spyOn(UserRepo.prototype, 'get'), vi.spyOn(PlanRepo.prototype, 'get')];
      for (let i = 0; i < 5; i++) expect((await member.get('/v1/videos')).status).toBe(200);
      const [keys, users, plans] = reads.map((r) => r.mock.calls.length);
      if (db === 'sqlite') expect({ keys, users, plans }).toEqual({ keys: 0, users: 0, plans: 0 });
      else expect({ keys, users, plans }).toEqual({ keys: 5, users: 5, plans: 5 });
    });

    it("follows a change of the user's plan, of the plan itself, and of the role, on the next request", async () => {
      const session = await newMember(server, admin, 'pro');
      const member = await keyFor(session);
      const id = session.userId!;
      expect((await create(member, '8')).status).toBe(200);

      // Moved to a plan of 1-second videos.
      expect((await admin.put('/api/admin/plans/oneshot', { label: 'One shot', seconds_per_day: 100, seconds_per_month: 1000, max_concurrent: null, max_seconds: 1, max_pixels: null, allowed_models: null, priority: 0, usd_budget_month: null })).status).toBe(200);
      expect((await admin.put(`/api/admin/users/${id}`, { plan: 'oneshot' })).status).toBe(200);
      const refused = await create(member, '2');
      expect(refused.status).toBe(403);
      expect(refused.json.error).toMatchObject({ code: 'plan_limit', param: 'seconds' });
      // The plan itself raised to 2 seconds: the same key may now ask for 2.
      expect((await admin.put('/api/admin/plans/oneshot', { max_seconds: 2 })).status).toBe(200);
      expect((await create(member, '2')).status).toBe(200);

      // An admin's key reaches the admin routes until its user is made a member, and again after.
      const second = await newMember(server, admin, 'pro');
      expect((await admin.put(`/api/admin/users/${second.userId}`, { role: 'admin' })).status).toBe(200);
      const adminKey = await keyFor(second, ['videos:read', 'admin']);
      expect((await adminKey.get('/api/admin/users')).status).toBe(200);
      expect((await admin.put(`/api/admin/users/${second.userId}`, { role: 'member' })).status).toBe(200);
      expect((await adminKey.get('/api/admin/users')).status).toBe(403);
      expect((await adminKey.get('/v1/videos')).status).toBe(200);
      expect((await admin.put(`/api/admin/users/${second.userId}`, { role: 'admin' })).status).toBe(200);
      expect((await adminKey.get('/api/admin/users')).status).toBe(200);
    });

    it('shuts a key and a session out on the next request after suspension, revocation by an admin, and sign-out', async () => {
      const session = await newMember(server, admin, 'pro');
      const member = await keyFor(session);
      expect((await member.get('/v1/videos')).status).toBe(200);
      expect((await session.get('/api/keys')).status).toBe(200);
      // Suspension ends the sessions and revokes the keys for good (reactivation brings none back).
      expect((await admin.post(`/api/admin/users/${session.userId}/suspend`)).status).toBe(200);
      expect((await member.get('/v1/videos')).status).toBe(401);
      expect((await session.get('/api/keys')).status).toBe(401);
      expect((await admin.post(`/api/admin/users/${session.userId}/reactivate`)).status).toBe(200);
      expect((await member.get('/v1/videos')).status).toBe(401);

      const other = await newMember(server, admin, 'pro');
      const key = await keyFor(other);
      expect((await key.get('/v1/videos')).status).toBe(200);
      const keyId = (await other.get('/api/keys')).json.data[0].id;
      expect((await admin.post(`/api/admin/keys/${keyId}/revoke`)).status).toBe(200);
      expect((await key.get('/v1/videos')).status).toBe(401);
      expect((await other.get('/api/keys')).status).toBe(200);
      expect((await other.post('/api/auth/logout')).status).toBeLessThan(300);
      expect((await other.get('/api/keys')).status).toBe(401);
    });

    it('sees what another connection to the database wrote, and the clock passing an expiry', async () => {
      const session = await newMember(server, admin, 'pro');
      const member = await keyFor(session);
      expect((await member.get('/v1/videos')).status).toBe(200);
      const keyId = (await session.get('/api/keys')).json.data[0].id as string;
      // Written as `melies users suspend` or an operator's SQL would: not through this server.
      const conn = await server.openDb();
      try {
        await conn.updateTable('users').set({ status: 'suspended' }).where('id', '=', session.userId!).execute();
        expect((await member.get('/v1/videos')).status).toBe(401);
        await conn.updateTable('users').set({ status: 'active' }).where('id', '=', session.userId!).execute();
        expect((await member.get('/v1/videos')).status).toBe(200);

        // An expiry a second away, read while the key still works, then passed: no write in between.
        const expiresAt = Date.now() + 1_000;
        await conn.updateTable('api_keys').set({ expires_at: expiresAt }).where('id', '=', keyId).execute();
        expect((await member.get('/v1/videos')).status).toBe(200);
        while (Date.now() <= expiresAt + 50) await new Promise((r) => setTimeout(r, 100));
        expect((await member.get('/v1/videos')).status).toBe(401);

        const again = await keyFor(session);
        expect((await again.get('/v1/videos')).status).toBe(200);
        await conn.updateTable('api_keys').set({ revoked_at: Date.now() }).where('user_id', '=', session.userId!).execute();
        expect((await again.get('/v1/videos')).status).toBe(401);
        await conn.deleteFrom('sessions').where('user_id', '=', session.userId!).execute();
        expect((await session.get('/api/keys')).status).toBe(401);
      } finally {
        await conn.destroy();
      }
    });

    it("keeps a key's last-used time to the minute without losing its place in memory", async () => {
      const session = await newMember(server, admin, 'pro');
      const member = await keyFor(session);
      const touches = vi.spyOn(ApiKeyRepo.prototype, 'touch');
      const sessionTouches = vi.spyOn(SessionRepo.prototype, 'touch');
      for (let i = 0; i < 4; i++) expect((await member.get('/v1/videos')).status).toBe(200);
      // The first use writes it (a new key was never used); the next three are within the minute.
      expect(touches.mock.calls.length).toBe(1);
      expect((await session.get('/api/keys')).json.data[0].last_used_at).toBeGreaterThan(0);
      expect(sessionTouches.mock.calls.length).toBe(0); // signed in a moment ago
    });
  });
}
