// The studio's /api routes on a real server: library filters and search, favourites, cancel,
// lineage, the session mode, the studio page itself (SPA fallback, security headers).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverBackends, startTestServer, waitFor, type TestServer } from '../helpers/server.js';

for (const db of await serverBackends()) {
  describe(`the studio's routes on ${db}`, () => {
    let server: TestServer;

    async function api(path: string, init: RequestInit = {}): Promise<{ status: number; json: any; headers: Headers }> {
      const res = await fetch(`${server.url}${path}`, init);
      const text = await res.text();
      let json: any = null;
      try { json = JSON.parse(text); } catch { json = text; }
      return { status: res.status, json, headers: res.headers };
    }
    const send = (method: string, path: string, body?: unknown) =>
      api(path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    const create = async (prompt: string, extra: Record<string, unknown> = {}) =>
      (await send('POST', '/v1/videos', { prompt, seconds: '1', size: '320x180', fps: 12, ...extra })).json;
    const done = (id: string) => waitFor(() => api(`/v1/videos/${id}`).then((r) => r.json), (v) => v.status === 'completed' || v.status === 'failed');

    let a: any, b: any, c: any;

    // A stand-in build, so these tests do not depend on `npm run build:web` having run.
    const studioDir = mkdtempSync(join(tmpdir(), 'melies-studio-'));
    mkdirSync(join(studioDir, 'assets'));
    writeFileSync(join(studioDir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/app-abc123.js"></script>');
    writeFileSync(join(studioDir, 'assets', 'app-abc123.js'), 'console.log(1)');

    beforeAll(async () => {
      server = await startTestServer({ studioDir }, { db });
      a = await create('A Red balloon over the sea');
      b = await create('a lighthouse at 100% dusk_light');
      c = await create('three red birds');
      await Promise.all([a, b, c].map((v) => done(v.id)));
    });
    afterAll(async () => {
      await server?.stop();
      rmSync(studioDir, { recursive: true, force: true });
    });

    describe('/api/videos', () => {
      it('lists newest first with studio fields, and pages with a cursor', async () => {
        const all = await api('/api/videos');
        expect(all.status).toBe(200);
        expect(all.json.data.map((v: any) => v.id)).toEqual([c.id, b.id, a.id]);
        expect(all.json.data[0]).toMatchObject({ object: 'video', favorite: false, engine: 'sketch', has_input_reference: false });
        expect(typeof all.json.data[0].started_at).toBe('number');
        const p1 = await api('/api/videos?limit=2');
        expect(p1.json.has_more).toBe(true);
        const p2 = await api(`/api/videos?limit=2&after=${p1.json.last_id}`);
        expect(p2.json.data.map((v: any) => v.id)).toEqual([a.id]);
        expect(p2.json.has_more).toBe(false);
      });

      it('searches prompts case-insensitively, all words, with % and _ taken literally', async () => {
        const ids = async (q: string) => (await api(`/api/videos?q=${encodeURIComponent(q)}`)).json.data.map((v: any) => v.id);
        expect(await ids('red')).toEqual([c.id, a.id]);
        expect(await ids('RED balloon')).toEqual([a.id]);
        expect(await ids('100%')).toEqual([b.id]);
        expect(await ids('%')).toEqual([b.id]);
        expect(await ids('t_1')).toEqual([]);
        expect(await ids('dusk_light')).toEqual([b.id]);
      });

      it('filters by status, model and favourite', async () => {
        expect((await api('/api/videos?status=completed')).json.data).toHaveLength(3);
        expect((await api('/api/videos?status=active')).json.data).toHaveLength(0);
        expect((await api('/api/videos?model=sketch')).json.data).toHaveLength(3);
        expect((await api('/api/videos?model=nope')).json.data).toHaveLength(0);
        const fav = await send('PUT', `/api/videos/${b.id}/favorite`, { favorite: true });
        expect(fav.status).toBe(200);
        expect(fav.json.favorite).toBe(true);
        expect((await api('/api/videos?favorite=true')).json.data.map((v: any) => v.id)).toEqual([b.id]);
        expect((await api('/api/videos?favorite=false')).json.data.map((v: any) => v.id)).toEqual([c.id, a.id]);
        expect((await api(`/api/videos/${b.id}`)).json.favorite).toBe(true);
        await send('PUT', `/api/videos/${b.id}/favorite`, { favorite: false });
        expect((await api('/api/videos?favorite=true')).json.data).toHaveLength(0);
      });

      it('refuses bad filters and bodies with a 400 naming the field', async () => {
        for (const [q, param] of [['status=done', 'status'], ['favorite=yes', 'favorite'], ['limit=0', 'limit'], ['limit=abc', 'limit'], ['status=a&status=b', 'status']]) {
          const r = await api(`/api/videos?${q}`);
          expect(r.status).toBe(400);
          expect(r.json.error.param).toBe(param);
        }
        const r = await send('PUT', `/api/videos/${a.id}/favorite`, { favorite: 'yes' });
        expect(r.status).toBe(400);
        expect(r.json.error.message).toContain('favorite');
        expect((await send('PUT', '/api/videos/video_nope/favorite', { favorite: true })).status).toBe(404);
        // The sketch card takes no negative prompt: refused before anything is queued.
        const neg = await send('POST', '/v1/videos', { prompt: 'a boat', negative_prompt: 'blur' });
        expect(neg.status).toBe(400);
        expect(neg.json.error).toMatchObject({ param: 'negative_prompt', code: 'unsupported_parameter' });
      });
    });

    describe('/api/videos/{id}', () => {
      it('shows lineage both ways, the plan, and survives the parent being deleted', async () => {
        const remix = (await send('POST', `/v1/videos/${a.id}/remix`, { prompt: 'a blue balloon at night' })).json;
        await done(remix.id);
        const child = await api(`/api/videos/${remix.id}`);
        expect(child.json.lineage.parent_id).toBe(a.id);
        expect(child.json.lineage.parent.prompt).toBe('A Red balloon over the sea');
        expect(child.json.plan).toBeTruthy();
        const parent = await api(`/api/videos/${a.id}`);
        expect(parent.json.lineage.children.map((v: any) => v.id)).toEqual([remix.id]);
        expect(parent.json.lineage.parent_id).toBeNull();
        await send('DELETE', `/v1/videos/${a.id}`);
        const orphan = await api(`/api/videos/${remix.id}`);
        expect(orphan.json.lineage).toMatchObject({ parent_id: a.id, parent: null });
        expect((await api(`/api/videos/${a.id}`)).status).toBe(404);
      });
    });

    describe('cancel', () => {
      it('cancels a running video: failed with code cancelled, no content, and a 400 on a finished one', async () => {
        const long = await create('a storm over the city at night', { seconds: '20', size: '1920x1080', fps: 30 });
        await waitFor(() => api(`/v1/videos/${long.id}`).then((r) => r.json), (v) => v.status === 'in_progress');
        const r = await send('POST', `/api/videos/${long.id}/cancel`);
        expect(r.status).toBe(200);
        expect(r.json.status).toBe('failed');
        expect(r.json.error.code).toBe('cancelled');
        const after = await api(`/v1/videos/${long.id}`);
        expect(after.json.status).toBe('failed');
        expect((await api(`/v1/videos/${long.id}/content`)).status).toBe(400);
        // The worker is free again: the next video completes.
        const next = await create('a small boat');
        expect((await done(next.id)).status).toBe('completed');
        const again = await send('POST', `/api/videos/${long.id}/cancel`);
        expect(again.status).toBe(400);
        expect(again.json.error.code).toBe('video_not_cancellable');
        expect((await send('POST', '/api/videos/video_nope/cancel')).status).toBe(404);
      });

      it('cancels a queued video before it ever runs', async () => {
        const first = await create('a long storm', { seconds: '20', size: '1920x1080', fps: 30 });
        const queued = await create('waits its turn');
        const r = await send('POST', `/api/videos/${queued.id}/cancel`);
        expect(r.json.error.code).toBe('cancelled');
        await send('POST', `/api/videos/${first.id}/cancel`);
        const v = (await api(`/api/videos/${queued.id}`)).json;
        expect(v.status).toBe('failed');
        expect(v.started_at).toBeNull();
      });
    });

    describe('the studio page', () => {
      it('reports local mode without login', async () => {
        expect((await api('/api/session')).json).toEqual({ mode: 'local', login_required: false, setup_required: false, registration: 'closed', user: null, csrf_token: null });
      });

      it('serves pages with security headers, falls back to the studio for its own routes, never for /v1 or /api', async () => {
        const home = await api('/', { headers: { accept: 'text/html' } });
        expect(home.status).toBe(200);
        expect(home.headers.get('x-content-type-options')).toBe('nosniff');
        expect(home.headers.get('content-security-policy') ?? '').toContain("frame-ancestors 'none'");
        const deep = await api('/videos/video_abc', { headers: { accept: 'text/html' } });
        expect(deep.status).toBe(200);
        expect(String(deep.json)).toContain('<div id="root">');
        expect(deep.headers.get('cache-control')).toBe('no-cache');
        const asset = await api('/assets/app-abc123.js');
        expect(asset.status).toBe(200);
        expect(asset.headers.get('cache-control')).toContain('immutable');
        expect(asset.headers.get('content-type')).toContain('javascript');
        // Not a page: a script or an API client asking for a missing path gets the JSON 404.
        expect((await api('/assets/missing.js')).status).toBe(404);
        expect((await api('/v1/nothing', { headers: { accept: 'text/html' } })).status).toBe(404);
        expect((await api('/api/nothing', { headers: { accept: 'text/html' } })).json.error.code).toBe('unknown_route');
      });

      it('falls back to the plain API page when no studio is built', async () => {
        const bare = await startTestServer({ studioDir: join(studioDir, 'missing') }, { db });
        try {
          const res = await fetch(`${bare.url}/`);
          expect(await res.text()).toContain('OpenAI');
          expect((await fetch(`${bare.url}/videos/x`, { headers: { accept: 'text/html' } })).status).toBe(404);
        } finally {
          await bare.stop();
        }
      });
    });
  });
}
