// The audit log names people: /api/admin/audit and its JSONL export carry the actor's email and,
// when the target is a user, that user's email, next to the ids. On SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBackends, keyFor, newMember, setupAdmin, startAccountServer, type AccountServer, type Caller } from '../helpers/accounts.js';

for (const db of await accountBackends()) {
  describe(`audit log emails on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    let ada: Caller;

    beforeAll(async () => {
      server = await startAccountServer(db);
      admin = await setupAdmin(server, 'boss@example.org');
      ada = await newMember(server, admin, 'free', 'ada@example.org');
      await keyFor(ada);
      expect((await admin.post(`/api/admin/users/${ada.userId}/suspend`)).status).toBe(200);
    });
    afterAll(async () => server?.stop());

    it('lists the actor and target user emails next to their ids', async () => {
      const r = await admin.get('/api/admin/audit?limit=100');
      expect(r.status).toBe(200);
      const byAction = (a: string) => r.json.data.find((e: any) => e.action === a);
      expect(byAction('admin.user_suspend')).toMatchObject({
        actor: { user_id: admin.userId, email: 'boss@example.org' },
        target: { type: 'user', id: ada.userId, email: 'ada@example.org' },
      });
      expect(byAction('key.create').actor).toMatchObject({ user_id: ada.userId, email: 'ada@example.org' });
      // An invite is not a user: its target carries no email field.
      expect(byAction('admin.invite_create').target).toEqual({ type: 'invite', id: expect.stringMatching(/^inv_/) });
    });

    it('exports the same emails in audit.jsonl', async () => {
      const res = await fetch(`${server.url}/api/admin/audit.jsonl`, { headers: { cookie: admin.auth.cookie! } });
      expect(res.status).toBe(200);
      const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
      const suspend = lines.find((e) => e.action === 'admin.user_suspend');
      expect(suspend.actor.email).toBe('boss@example.org');
      expect(suspend.target.email).toBe('ada@example.org');
    });
  });
}
