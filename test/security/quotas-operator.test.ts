// Plans, quotas and the operator's controls, on SQLite and PostgreSQL over real HTTP: the atomic
// quota race (50 concurrent creates against 3 seconds left make exactly 3 videos), refunds when a
// video fails or is cancelled, per-request plan limits, suspending one user (their jobs cancelled
// and refunded, nobody else touched), pausing generation, and the audit log with its export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBackends, Caller, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer } from '../helpers/accounts.js';
import { waitFor } from '../helpers/server.js';

const oneSecond = { prompt: 'a boat', seconds: '1', size: '320x180', fps: 12 };

for (const db of await accountBackends()) {
  describe(`quotas and operator controls on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;

    beforeAll(async () => {
      server = await startAccountServer(db);
      admin = await setupAdmin(server);
      // A class plan: 3 seconds a day, any number at once.
      const plan = await admin.put('/api/admin/plans/class', { label: 'Class', seconds_per_day: 3, seconds_per_month: 100, max_concurrent: null, max_seconds: 5, max_pixels: 640 * 360, allowed_models: ['sketch'], priority: 0, usd_budget_month: 0 });
      expect(plan.status).toBe(200);
    });
    afterAll(async () => server?.stop());

    it('makes exactly 3 videos from 50 concurrent creates against 3 seconds of quota', async () => {
      const student = await keyFor(await newMember(server, admin, 'class'));
      const replies = await Promise.all(Array.from({ length: 50 }, () => student.post('/v1/videos', oneSecond)));
      const ok = replies.filter((r) => r.status === 200);
      const refused = replies.filter((r) => r.status === 429);
      expect(ok).toHaveLength(3);
      expect(refused).toHaveLength(47);
      expect(refused[0]!.json.error.code).toBe('insufficient_quota');
      expect(refused[0]!.headers.get('x-should-retry')).toBe('false'); // the openai SDK would otherwise retry in vain
      expect(refused[0]!.json.error.message).toMatch(/used 3 of your 3 seconds of video today.*resets at \d{4}-\d\d-\d\dT00:00:00Z \(in /);
      expect((await student.get('/v1/videos')).json.data).toHaveLength(3);
      const usage = (await student.get('/api/usage')).json;
      expect(usage).toMatchObject({ plan: { id: 'class' }, day: { used_seconds: 3, limit_seconds: 3 }, month: { used_seconds: 3, limit_seconds: 100 } });
      expect(usage.day.resets_at).toBeGreaterThan(Date.now() / 1000);
    });

    it('refunds a cancelled video and a failed one', async () => {
      const student = await keyFor(await newMember(server, admin, 'class'));
      const a = (await student.post('/v1/videos', { ...oneSecond, seconds: '3' })).json;
      expect((await student.post('/v1/videos', oneSecond)).status).toBe(429);
      await student.post(`/api/videos/${a.id}/cancel`);
      expect((await student.get('/api/usage')).json.day.used_seconds).toBe(0);
      // A reference image that looks like a PNG but cannot be decoded: the engine fails the video.
      const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000400000004008060000', 'hex'), Buffer.alloc(64, 7)]);
      const broken = await student.post('/v1/videos', { ...oneSecond, seconds: '2', input_reference: { image_url: `data:image/png;base64,${png.toString('base64')}` } });
      expect(broken.status).toBe(200);
      expect((await student.get('/api/usage')).json.day.used_seconds).toBe(2);
      const failed = await waitStatus(student, broken.json.id, (s) => s === 'failed');
      expect(failed.error.message.length).toBeGreaterThan(0);
      expect((await student.get('/api/usage')).json.day.used_seconds).toBe(0);
    });

    it('refuses requests the plan does not allow, before anything is stored', async () => {
      const student = await keyFor(await newMember(server, admin, 'class'));
      const tooLong = await student.post('/v1/videos', { ...oneSecond, seconds: '6' });
      expect(tooLong.status).toBe(403);
      expect(tooLong.json.error).toMatchObject({ code: 'plan_limit', param: 'seconds' });
      const tooBig = await student.post('/v1/videos', { ...oneSecond, size: '1280x720' });
      expect(tooBig.json.error).toMatchObject({ code: 'plan_limit', param: 'size' });
      expect((await student.get('/v1/videos')).json.data).toEqual([]);
      const free = await keyFor(await newMember(server, admin, 'free'));
      await admin.put('/api/admin/plans/free', { max_concurrent: 1 });
      const first = await free.post('/v1/videos', { ...oneSecond, seconds: '5', size: '640x360' });
      expect(first.status).toBe(200);
      const second = await free.post('/v1/videos', oneSecond);
      if (second.status !== 200) expect(second.json.error.code).toBe('too_many_concurrent_jobs');
      await free.post(`/api/videos/${first.json.id}/cancel`);
    });

    it('suspends one user in one call: jobs cancelled and refunded, keys dead, others untouched', async () => {
      const abuserEmail = `abuser-${Date.now()}@example.org`;
      const abuser = await newMember(server, admin, 'pro', abuserEmail);
      const abuserKey = await keyFor(abuser);
      const bystanderSession = await newMember(server, admin, 'pro');
      const bystander = await keyFor(bystanderSession);
      const long = (await abuserKey.post('/v1/videos', { prompt: 'a long storm', seconds: '20', size: '1920x1080', fps: 30 })).json;
      const queued = (await abuserKey.post('/v1/videos', oneSecond)).json;
      const innocent = (await bystander.post('/v1/videos', oneSecond)).json;
      await waitStatus(abuserKey, long.id, (s) => s === 'in_progress');
      const r = await admin.post(`/api/admin/users/${abuser.userId}/suspend`);
      expect(r.json).toMatchObject({ id: abuser.userId, status: 'suspended' });
      expect((await abuserKey.get('/v1/videos')).status).toBe(401);
      expect((await abuser.get('/v1/videos')).status).toBe(401);
      const users = (await admin.get('/api/admin/users')).json.data;
      expect(users.find((u: any) => u.id === abuser.userId)).toMatchObject({ usage_today_seconds: 0, active_jobs: 0 });
      // The videos ended cancelled (seen through the admin's database view: the abuser can no longer look).
      const conn = await server.openDb();
      const rows = await conn.selectFrom('videos').select(['id', 'status', 'error_code']).where('id', 'in', [long.id, queued.id]).execute();
      await conn.destroy();
      expect(rows.map((x) => [x.status, x.error_code])).toEqual([['failed', 'cancelled'], ['failed', 'cancelled']]);
      expect((await waitStatus(bystander, innocent.id, (s) => s === 'completed' || s === 'failed')).status).toBe('completed');
      // Reactivated, the abuser signs in again (sessions ended, so with the password); the keys
      // the suspension revoked stay revoked (they may be what leaked): a new one works.
      await admin.post(`/api/admin/users/${abuser.userId}/reactivate`);
      expect((await abuserKey.get('/v1/videos')).status).toBe(401);
      const again = await new Caller(server.url).post('/api/auth/login', { email: abuserEmail, password: 'a long enough password' });
      expect(again.status).toBe(200);
      const back = new Caller(server.url, { cookie: (again.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: again.json.csrf_token }, abuser.userId);
      expect((await back.get('/api/keys')).json.data.every((k: any) => k.revoked_at > 0)).toBe(true);
      expect((await (await keyFor(back)).get('/v1/videos')).status).toBe(200);
      // An admin can also revoke any one key: that key stops, its owner's session does not.
      const keyId = (await bystanderSession.get('/api/keys')).json.data[0].id;
      expect((await admin.post(`/api/admin/keys/${keyId}/revoke`)).json.revoked_at).toBeGreaterThan(0);
      expect((await bystander.get('/v1/videos')).status).toBe(401);
      expect((await bystanderSession.get('/v1/videos')).status).toBe(200);
      expect((await admin.post('/api/admin/keys/key_nope/revoke')).status).toBe(404);
    });

    it('pauses one engine or all generation with a message, and resumes', async () => {
      const user = await keyFor(await newMember(server, admin, 'pro'));
      expect((await admin.post('/api/admin/pauses', { engine: 'nope', message: 'x' })).json.error.param).toBe('engine');
      await admin.post('/api/admin/pauses', { engine: 'sketch', message: 'Maintenance until 14:00.' });
      const paused = await user.post('/v1/videos', oneSecond);
      expect(paused.status).toBe(503);
      expect(paused.json.error).toMatchObject({ code: 'generation_paused' });
      expect(paused.json.error.message).toContain('Maintenance until 14:00.');
      expect((await admin.del('/api/admin/pauses/sketch')).status).toBe(200);
      await admin.post('/api/admin/pauses', { engine: '*', message: 'Everything stops.' });
      expect((await user.post('/v1/videos', oneSecond)).json.error.message).toContain('Everything stops.');
      expect((await admin.get('/api/admin/pauses')).json.data).toEqual([expect.objectContaining({ engine: '*', message: 'Everything stops.' })]);
      await admin.del('/api/admin/pauses/*');
      // Videos already queued when the pause starts wait, queued, and go on after it is lifted.
      const blocker = (await user.post('/v1/videos', { prompt: 'a long storm', seconds: '20', size: '1920x1080', fps: 30 })).json;
      const waiting = (await user.post('/v1/videos', oneSecond)).json;
      await waitStatus(user, blocker.id, (s) => s === 'in_progress');
      const pausedAt = Date.now();
      await admin.post('/api/admin/pauses', { engine: 'sketch', message: 'Hold on.' });
      await user.post(`/api/videos/${blocker.id}/cancel`);
      // The freed worker takes the waiting video, sees the pause and hands it back untouched: its
      // queue row is due again later than the pause began, no attempt used, no error recorded.
      const conn = await server.openDb();
      try {
        const job = () => conn.selectFrom('queue_jobs').selectAll().where('video_id', '=', waiting.id).executeTakeFirst();
        const deferred = await waitFor(job, (j) => j !== undefined && j.state === 'queued' && j.run_at > pausedAt, 30_000, 50);
        expect(deferred).toMatchObject({ state: 'queued', attempts: 0, last_error: null, lease_owner: null });
      } finally {
        await conn.destroy();
      }
      expect((await user.get(`/v1/videos/${waiting.id}`)).json).toMatchObject({ status: 'queued', progress: 0 });
      await admin.del('/api/admin/pauses/sketch');
      expect((await waitStatus(user, waiting.id, (s) => s === 'completed' || s === 'failed', 30_000)).status).toBe('completed');
    });

    it('keeps an append-only audit log, readable and exportable by admins only', async () => {
      const member = await newMember(server, admin, 'pro');
      const key = await keyFor(member);
      const v = (await key.post('/v1/videos', oneSecond)).json;
      await key.post(`/api/videos/${v.id}/cancel`);
      await key.del(`/v1/videos/${v.id}`);
      const keys = (await member.get('/api/keys')).json.data;
      await member.post(`/api/keys/${keys[0].id}/revoke`);
      expect((await member.get('/api/admin/audit')).status).toBe(403);
      const page = (await admin.get('/api/admin/audit?limit=500')).json;
      const actions = page.data.map((e: any) => e.action);
      for (const a of ['auth.setup', 'auth.register', 'admin.invite_create', 'admin.plan_update', 'key.create', 'key.revoke', 'video.create', 'video.delete', 'admin.user_suspend', 'admin.pause', 'admin.resume']) {
        expect(actions, a).toContain(a);
      }
      const del = page.data.find((e: any) => e.action === 'video.delete' && e.target.id === v.id);
      expect(del.actor.user_id).toBe(member.userId);
      expect(del.actor.key_id).toBe(keys[0].id);
      const res = await fetch(`${server.url}/api/admin/audit.jsonl`, { headers: { cookie: admin.auth.cookie! } });
      expect(res.headers.get('content-type')).toContain('ndjson');
      const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.length).toBe(page.data.length);
      expect(lines[0].action).toBe('auth.setup'); // oldest first
      expect(lines.map((l) => l.at)).toEqual([...lines.map((l) => l.at)].sort((x, y) => x - y));
    });
  });
}
