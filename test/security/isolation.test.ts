// Isolation on SQLite and PostgreSQL, over real HTTP: user B gets 404 on every route of user A's
// video (BOLA), lists show only one's own videos, and request bodies cannot set what the server
// owns (mass assignment, property-tested with fast-check), nor crash it (no 5xx for any body).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBackends, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer, type Caller } from '../helpers/accounts.js';

for (const db of await accountBackends()) {
  describe(`isolation on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    let a: Caller;
    let b: Caller;
    let videoA: any;

    beforeAll(async () => {
      server = await startAccountServer(db);
      admin = await setupAdmin(server);
      a = await keyFor(await newMember(server, admin, 'pro'));
      b = await keyFor(await newMember(server, admin, 'pro'));
      const r = await a.post('/v1/videos', { prompt: 'a red balloon', seconds: '1', size: '320x180', fps: 12 });
      expect(r.status).toBe(200);
      videoA = await waitStatus(a, r.json.id, (s) => s === 'completed');
    });
    afterAll(async () => server?.stop());

    it('answers 404 to user B on every route of user A\'s video, and A still has it all', async () => {
      const id = videoA.id;
      expect(id).toMatch(/^video_[0-9a-f]{32}$/); // 128 random bits: not guessable either
      const routes: [string, string, unknown?][] = [
        ['GET', `/v1/videos/${id}`], ['GET', `/v1/videos/${id}/content`], ['GET', `/v1/videos/${id}/content?variant=thumbnail`],
        ['GET', `/v1/videos/${id}/content?variant=spritesheet`], ['GET', `/v1/videos/${id}/events`], ['POST', `/v1/videos/${id}/remix`, { prompt: 'mine now' }],
        ['DELETE', `/v1/videos/${id}`], ['GET', `/api/videos/${id}`], ['PUT', `/api/videos/${id}/favorite`, { favorite: true }], ['POST', `/api/videos/${id}/cancel`, {}],
      ];
      for (const [method, path, body] of routes) {
        const r = await b.call(method, path, body);
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(r.json.error.message).toContain(id);
      }
      // Encoded or oddly slashed paths reach the same routes and the same checks.
      expect((await b.get(`/%761/videos/${id}`)).status).toBe(404);
      expect((await b.get(`/v1/videos/${id}/`)).status).toBe(404);
      expect((await b.get('/api/%61dmin/users')).status).toBe(403);
      expect((await b.call('HEAD', `/v1/videos/${id}/content`)).status).toBe(404);
      expect((await b.get('/v1/videos')).json.data).toEqual([]);
      expect((await b.get('/api/videos')).json.data).toEqual([]);
      expect((await b.get(`/v1/videos?after=${id}`)).json.data).toEqual([]);
      // Nothing B did changed A's video.
      const mine = await a.get(`/api/videos/${id}`);
      expect(mine.json).toMatchObject({ id, status: 'completed', favorite: false });
      expect(mine.json.lineage.children).toEqual([]);
      expect((await a.get(`/v1/videos/${id}/content`)).status).toBe(200);
      expect((await a.get('/v1/videos')).json.data.map((v: any) => v.id)).toEqual([id]);
    });

    it('ignores fields the server owns in any create body (mass assignment)', async () => {
      const owned = fc.record({
        owner_id: fc.constantFrom(b.userId, 'usr_local', 'usr_admin'), ownerId: fc.string(), user_id: fc.string(), status: fc.constantFrom('completed', 'failed', 'in_progress'),
        progress: fc.integer(), id: fc.constantFrom('video_' + '0'.repeat(32), videoA.id), favorite: fc.boolean(), plan: fc.constantFrom('pro', 'unlimited'),
        role: fc.constant('admin'), quota: fc.integer(), completed_at: fc.integer(), remixed_from_video_id: fc.constant(videoA.id), engine: fc.string(),
      }, { requiredKeys: [] });
      await fc.assert(fc.asyncProperty(owned, async (extra) => {
        const r = await b.post('/v1/videos', { ...extra, prompt: 'a small boat', seconds: '1', size: '320x180', fps: 12 });
        expect(r.status).toBe(200);
        expect(r.json).toMatchObject({ status: 'queued', progress: 0, remixed_from_video_id: null });
        expect(r.json.id).not.toBe(videoA.id);
        // It is B's (B sees it, A does not), and A's video is untouched.
        expect((await b.get(`/v1/videos/${r.json.id}`)).status).toBe(200);
        expect((await a.get(`/v1/videos/${r.json.id}`)).status).toBe(404);
        expect((await b.get(`/api/videos/${r.json.id}`)).json.favorite).toBe(false);
        await b.post(`/api/videos/${r.json.id}/cancel`);
      }), { numRuns: 12 });
      expect((await a.get(`/v1/videos/${videoA.id}`)).json.status).toBe('completed');
      // Registration cannot pick a role or plan either.
      const invite = await admin.post('/api/admin/invites', { plan: 'free' });
      const reg = await b.call('POST', '/api/auth/register', { email: 'sneaky@example.org', password: 'a long enough password', invite_code: invite.json.code, role: 'admin', plan: 'pro', status: 'active' }, {});
      expect(reg.json.user).toMatchObject({ role: 'member', plan: 'free' });
      // Members cannot reach admin routes, with a session or a key.
      expect((await b.put(`/api/admin/users/${b.userId}`, { role: 'admin', plan: 'pro' })).status).toBe(403);
      expect((await b.get('/api/admin/users')).status).toBe(403);
    });

    it('never answers a random body with a 5xx', async () => {
      const anyJson = fc.jsonValue({ maxDepth: 3 });
      const body = fc.oneof(anyJson, fc.dictionary(fc.constantFrom('prompt', 'model', 'seconds', 'size', 'fps', 'seed', 'input_reference', 'negative_prompt', 'favorite', 'name', 'scopes'), anyJson));
      const paths = fc.constantFrom('/v1/videos', `/v1/videos/${videoA.id}/remix`, '/api/keys', `/api/videos/${videoA.id}/favorite`, '/api/auth/login', '/api/auth/register');
      await fc.assert(fc.asyncProperty(paths, body, async (path, raw) => {
        const r = await b.call(path.includes('favorite') ? 'PUT' : 'POST', path, raw);
        expect(r.status, `${path} ${JSON.stringify(raw).slice(0, 200)} → ${JSON.stringify(r.json).slice(0, 200)}`).toBeLessThan(500);
        if (r.status === 200 && path === '/v1/videos') await b.post(`/api/videos/${r.json.id}/cancel`);
      }), { numRuns: 60 });
    });
  });
}
