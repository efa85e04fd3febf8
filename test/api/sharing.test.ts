// Sharing on the artists' terms (issue 14), through the real server on SQLite and PostgreSQL:
// publishing with a licence under each operator policy, the feed and public pages (members only or
// public), unpublishing at once, remix credit that survives the parent's deletion, the licence's
// `deny`, notifications, reports and takedowns, handles, the moderation hook and the rate limit.
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBackends, Caller, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer } from '../helpers/accounts.js';
import { until } from '../helpers/server.js';
import { makeStudioFixture } from '../helpers/studio-fixture.js';
import { startReceiver, verifies, type Receiver } from '../helpers/webhook-receiver.js';

const CLIP = { prompt: 'a red kite over green hills at noon', seconds: '1', size: '320x180', fps: 12 };

async function completedVideo(c: Caller, prompt = CLIP.prompt): Promise<string> {
  const r = await c.post('/v1/videos', { ...CLIP, prompt });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  const done = await waitStatus(c, r.json.id, (s) => s === 'completed' || s === 'failed');
  expect(done.status).toBe('completed');
  return r.json.id;
}

async function remixOf(c: Caller, id: string, prompt: string): Promise<string> {
  const r = await c.post(`/v1/videos/${id}/remix`, { prompt });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  expect((await waitStatus(c, r.json.id, (s) => s === 'completed' || s === 'failed')).status).toBe('completed');
  return r.json.id;
}

for (const db of await accountBackends()) {
  describe(`sharing with the open policy, members-only feed, on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    let ana: Caller;
    let ben: Caller;
    let anaVideo: string;
    let receiver: Receiver;

    beforeAll(async () => {
      receiver = await startReceiver();
      server = await startAccountServer(db, { sharing: { publishPolicy: 'open', publicFeed: false }, fetch: { allowPrivateNetworks: true }, webhooks: { retryBaseMs: 100, pollIntervalMs: 50 } });
      admin = await setupAdmin(server);
      ana = await newMember(server, admin, 'pro', 'ana.lopez@example.org');
      ben = await newMember(server, admin, 'pro', 'ben@example.org');
      anaVideo = await completedVideo(ana);
    });
    afterAll(async () => {
      await server?.stop();
      await receiver?.close();
    });

    it('refuses bad publications with clear 4xx errors', async () => {
      const noTitle = await ana.post(`/api/videos/${anaVideo}/publish`, {});
      expect(noTitle.status).toBe(400);
      expect(noTitle.json.error.param).toBe('title');
      const badLicence = await ana.post(`/api/videos/${anaVideo}/publish`, { title: 'Kite', remix: 'sometimes' });
      expect(badLicence.status).toBe(400);
      expect(badLicence.json.error.message).toContain("'allow-with-credit'");
      expect((await ben.post(`/api/videos/${anaVideo}/publish`, { title: 'Not mine' })).status).toBe(404);
      const queued = await ana.post('/v1/videos', { ...CLIP, seconds: '4' });
      const early = await ana.post(`/api/videos/${queued.json.id}/publish`, { title: 'Too soon' });
      expect([400]).toContain(early.status);
      expect(early.json.error.code).toBe('video_not_ready');
      await waitStatus(ana, queued.json.id, (s) => s === 'completed' || s === 'failed');
    });

    it('publishes at once under `open`, with a neutral handle until one is chosen (nothing of the email, ever)', async () => {
      const r = await ana.post(`/api/videos/${anaVideo}/publish`, { title: 'Red kite', description: 'Windy day' });
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ video_id: anaVideo, status: 'published', remix: 'allow-with-credit', training: 'not-allowed' });
      expect(r.json.author.handle).toMatch(/^artist_[0-9a-f]{6}$/);
      expect(JSON.stringify(r.json)).not.toMatch(/ana|lopez/);
      expect((await ana.put('/api/profile', { handle: 'ana_lopez' })).status).toBe(200);
      const feed = await ben.get('/api/feed');
      expect(feed.status).toBe(200);
      expect(feed.json.data.map((v: any) => v.id)).toContain(anaVideo);
      expect(JSON.stringify(feed.json)).not.toContain('@example.org');
      const page = await ben.get(`/api/public/videos/${anaVideo}`);
      expect(page.json).toMatchObject({ title: 'Red kite', made_with: 'procedural sketch on a CPU', author: { handle: 'ana_lopez' }, credit: [], remixes: [] });
      const profile = await ben.get('/api/users/ana_lopez');
      expect(profile.json).toMatchObject({ handle: 'ana_lopez', published_count: 1, remixed_count: 0 });
    });

    it('keeps the feed to members when the operator has not opened it', async () => {
      const anonymous = new Caller(server.url);
      const feed = await anonymous.get('/api/feed');
      expect(feed.status).toBe(401);
      expect(feed.json.error.code).toBe('login_required');
      expect((await anonymous.get(`/api/public/videos/${anaVideo}/content`)).status).toBe(401);
      expect((await anonymous.get('/api/sharing')).json).toEqual({ publish_policy: 'open', public_feed: false, signed_in: false });
    });

    it('serves the public file with Range to other members, byte for byte the owner’s file', async () => {
      const own = await fetch(`${server.url}/v1/videos/${anaVideo}/content`, { headers: { cookie: ana.auth.cookie! } });
      const ownBytes = Buffer.from(await own.arrayBuffer());
      const pub = await fetch(`${server.url}/api/public/videos/${anaVideo}/content`, { headers: { cookie: ben.auth.cookie! } });
      expect(pub.status).toBe(200);
      expect(pub.headers.get('content-type')).toBe('video/mp4');
      expect(Buffer.from(await pub.arrayBuffer()).equals(ownBytes)).toBe(true);
      const part = await fetch(`${server.url}/api/public/videos/${anaVideo}/content`, { headers: { cookie: ben.auth.cookie!, range: 'bytes=0-99' } });
      expect(part.status).toBe(206);
      expect((await part.arrayBuffer()).byteLength).toBe(100);
      const thumb = await fetch(`${server.url}/api/public/videos/${anaVideo}/thumbnail`, { headers: { cookie: ben.auth.cookie! } });
      expect(thumb.headers.get('content-type')).toBe('image/webp');
    });

    it('pages the feed with a cursor and sorts by remixes; a bad cursor is a 400', async () => {
      const more = [await completedVideo(ana, 'a blue boat at dawn'), await completedVideo(ana, 'a yellow bird in a tree')];
      for (const [i, id] of more.entries()) expect((await ana.post(`/api/videos/${id}/publish`, { title: `More ${i}` })).status).toBe(201);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r: any = await ben.get(`/api/feed?limit=2${cursor ? `&after=${cursor}` : ''}`);
        expect(r.status).toBe(200);
        seen.push(...r.json.data.map((v: any) => v.id));
        cursor = r.json.next_cursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, 2)).toEqual([more[1], more[0]]); // newest first
      expect(seen).toContain(anaVideo);
      const bad = await ben.get('/api/feed?after=not-a-cursor');
      expect(bad.status).toBe(400);
      expect(bad.json.error.param).toBe('after');
      expect((await ben.get('/api/feed?sort=oldest')).status).toBe(400);
      const byAuthor = await ben.get('/api/feed?author=ana_lopez&limit=50');
      expect(byAuthor.json.data.length).toBe(3);
    });

    it('credits a remix of someone else’s work, notifies its author, counts it, and keeps the credit when the parent is deleted', async () => {
      const hook = await ana.post('/api/webhooks', { url: `${receiver.url}/ana`, events: ['video.published', 'video.remixed'] });
      expect(hook.status).toBe(201);
      const remix = await remixOf(ben, anaVideo, 'a red kite over green hills at night');
      const own = await ben.get(`/v1/videos/${remix}`);
      expect(own.json.remixed_from_video_id).toBe(anaVideo);
      // Each side's private fields stay its own: lineage shows the other person's video by id only.
      const benSide = (await ben.get(`/api/videos/${remix}`)).json.lineage;
      expect(benSide).toMatchObject({ parent_id: anaVideo, parent: null });
      expect((await ana.get(`/api/videos/${anaVideo}`)).json.lineage.children).toEqual([]);
      const pub = await ben.post(`/api/videos/${remix}/publish`, { title: 'Night kite' });
      expect(pub.status).toBe(201);
      expect(pub.json.credit).toEqual([{ video_id: anaVideo, title: 'Red kite', author: { handle: 'ana_lopez', display_name: null }, deleted: false }]);

      const notes = await ana.get('/api/notifications');
      expect(notes.json.unread).toBe(1);
      expect(notes.json.data[0]).toMatchObject({ kind: 'video.remixed', video_id: remix, read: false });
      expect(notes.json.data[0].message).toContain('Red kite');
      expect((await ana.post('/api/notifications/read', {})).status).toBe(200);
      // Unpublished and published again, it is the same remix: no second notification.
      expect((await ben.del(`/api/videos/${remix}/publication`)).status).toBe(204);
      expect((await ben.post(`/api/videos/${remix}/publish`, { title: 'Night kite' })).status).toBe(201);
      expect((await ana.get('/api/notifications')).json).toMatchObject({ unread: 0 });
      // Her webhook hears of it too, signed (Standard Webhooks), with both videos named.
      const remixed = await until('the video.remixed webhook', async () => receiver.received.find((r) => r.path === '/ana' && r.json.type === 'video.remixed'));
      expect(verifies(hook.json.secret, remixed)).toBe(true);
      expect(remixed.json).toMatchObject({ object: 'event', type: 'video.remixed', data: { id: anaVideo, remix_id: remix } });
      expect((await ana.get('/api/notifications')).json.unread).toBe(0);

      const parent = await ben.get(`/api/public/videos/${anaVideo}`);
      expect(parent.json.remix_count).toBe(1);
      expect(parent.json.remixes.map((v: any) => v.id)).toEqual([remix]);
      expect((await ben.get('/api/users/ana_lopez')).json.remixed_count).toBe(1);
      expect((await ben.get('/api/feed?sort=remixed')).json.data[0].id).toBe(anaVideo);

      // The credit line cannot be removed: republishing keeps it.
      expect((await ben.post(`/api/videos/${remix}/publish`, { title: 'Night kite, v2', remix: 'deny' })).json.credit).toHaveLength(1);

      expect((await ana.del(`/v1/videos/${anaVideo}`)).status).toBe(200);
      const after = await ben.get(`/api/public/videos/${remix}`);
      expect(after.json.credit).toEqual([{ video_id: null, title: 'Red kite', author: { handle: 'ana_lopez', display_name: null }, deleted: true }]);
      expect((await ben.get(`/api/public/videos/${anaVideo}`)).status).toBe(404);
    });

    it('obeys `deny`: a 403 that names the reason; an unpublished video of someone else is a 404', async () => {
      const denied = await completedVideo(ana, 'a lighthouse in the fog');
      expect((await ana.post(`/api/videos/${denied}/publish`, { title: 'Fog light', remix: 'deny' })).status).toBe(201);
      const r = await ben.post(`/v1/videos/${denied}/remix`, { prompt: 'a lighthouse in the sun' });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('remix_not_allowed');
      expect(r.json.error.message).toContain('Fog light');
      // The author may remix their own work whatever its licence.
      expect((await ana.post(`/v1/videos/${denied}/remix`, { prompt: 'a lighthouse at dusk' })).status).toBe(200);

      expect((await ana.del(`/api/videos/${denied}/publication`)).status).toBe(204);
      expect((await ben.post(`/v1/videos/${denied}/remix`, { prompt: 'x' })).status).toBe(404);
    });

    it('signs what it shares: the licence chosen at publish is the one signed, the sidecar is readable by members, a remix names its parent', async () => {
      const id = await completedVideo(ana, 'a white swan on a lake');
      // The file's ETag is its sha256.
      const etag = async () => (await fetch(`${server.url}/v1/videos/${id}/content`, { method: 'HEAD', headers: { cookie: ana.auth.cookie! } })).headers.get('etag');
      const before = await etag();
      expect(before).toMatch(/^"[0-9a-f]{64}"$/);
      const pub = await ana.post(`/api/videos/${id}/publish`, { title: 'Swan', training: 'allowed' });
      expect(pub.json.training).toBe('allowed');
      // Re-signed with the new licence: a new file, the row pointing at it.
      const after = await etag();
      expect(after).toMatch(/^"[0-9a-f]{64}"$/);
      expect(after).not.toBe(before);
      const sidecar = await ben.get(`/v1/videos/${id}/provenance`);
      expect(sidecar.status).toBe(200);
      expect(sidecar.json.claims).toMatchObject({ video_id: id, training_mining: 'allowed' });
      expect((await ben.get(`/api/public/videos/${id}`)).json.signed).toBe(true);

      const remix = await remixOf(ben, id, 'a black swan on a lake');
      const file = Buffer.from(await (await fetch(`${server.url}/v1/videos/${remix}/content`, { headers: { cookie: ben.auth.cookie! } })).arrayBuffer());
      const form = new FormData();
      form.append('file', new Blob([file], { type: 'video/mp4' }), 'remix.mp4');
      const verdict = await (await fetch(`${server.url}/api/verify`, { method: 'POST', body: form })).json() as any;
      expect(verdict).toMatchObject({ state: 'trusted', made_here: true, video_id: remix, altered: false });
      expect(verdict.ingredients.map((i: any) => i.video_id)).toContain(id);
      // Someone who had no public name when their video was signed is named in it once they publish.
      const cleo = await newMember(server, admin, 'pro', 'cleo@example.org');
      const hers = await completedVideo(cleo, 'a green frog on a leaf');
      const verify = async (id: string, who: Caller) => {
        const bytes = Buffer.from(await (await fetch(`${server.url}/v1/videos/${id}/content`, { headers: { cookie: who.auth.cookie! } })).arrayBuffer());
        return (await fetch(`${server.url}/api/verify`, { method: 'POST', headers: { 'content-type': 'video/mp4' }, body: bytes })).json() as Promise<any>;
      };
      expect((await verify(hers, cleo)).author?.handle ?? null).toBeNull();
      expect((await cleo.post(`/api/videos/${hers}/publish`, { title: 'Frog' })).status).toBe(201);
      const named = await verify(hers, cleo);
      expect(named).toMatchObject({ state: 'trusted', training: 'not-allowed' });
      expect(named.author.handle).toMatch(/^artist_[0-9a-f]{6}$/);
      // Re-signed, it still says how it was made (from the signature it re-signed).
      expect(named.digital_source_type).toContain('algorithmicMedia');
      // The unpublished remix's sidecar stays its owner's.
      expect((await ana.get(`/v1/videos/${remix}/provenance`)).status).toBe(404);
    });

    it('unpublishing takes effect at once: feed, page and public files', async () => {
      const id = await completedVideo(ana, 'a green tram in the rain');
      expect((await ana.post(`/api/videos/${id}/publish`, { title: 'Tram' })).status).toBe(201);
      expect((await ben.get(`/api/public/videos/${id}/content`)).status).toBe(200);
      expect((await ana.del(`/api/videos/${id}/publication`)).status).toBe(204);
      expect((await ben.get('/api/feed?limit=50')).json.data.map((v: any) => v.id)).not.toContain(id);
      expect((await ben.get(`/api/public/videos/${id}`)).status).toBe(404);
      expect((await ben.get(`/api/public/videos/${id}/content`)).status).toBe(404);
      expect((await ana.get(`/api/videos/${id}/publication`)).status).toBe(404);
    });

    it('lets people choose a handle and display name; a taken or malformed handle is refused', async () => {
      expect((await ben.put('/api/profile', { handle: 'Ben!' })).json.error.code).toBe('invalid_handle');
      const taken = await ben.put('/api/profile', { handle: 'ana_lopez' });
      expect(taken.status).toBe(409);
      expect(taken.json.error.code).toBe('handle_taken');
      const ok = await ben.put('/api/profile', { handle: 'ben_films', display_name: 'Ben Films' });
      expect(ok.json).toEqual({ handle: 'ben_films', display_name: 'Ben Films' });
      expect((await ben.get('/api/users/ben_films')).json.display_name).toBe('Ben Films');
    });

    it('takes reports, and a takedown hides the video at once, answers its reports and is audited', async () => {
      const id = await completedVideo(ana, 'a red car on a bridge');
      expect((await ana.post(`/api/videos/${id}/publish`, { title: 'Car' })).status).toBe(201);
      expect((await ben.post(`/api/public/videos/${id}/report`, {})).status).toBe(400);
      const rep = await ben.post(`/api/public/videos/${id}/report`, { reason: 'Spam' });
      expect(rep.status).toBe(201);
      expect((await ben.post(`/api/public/videos/${id}/report`, { reason: 'Again' })).status).toBe(409);
      const queue = await admin.get('/api/admin/reports');
      const item = queue.json.data.find((r: any) => r.id === rep.json.id);
      expect(item).toMatchObject({ reason: 'Spam', status: 'open', video: { id } });
      expect((await ben.get('/api/admin/reports')).status).toBe(403);

      expect((await admin.post(`/api/admin/videos/${id}/takedown`, {})).status).toBe(400);
      const down = await admin.post(`/api/admin/videos/${id}/takedown`, { reason: 'Breaks the rules' });
      expect(down.json).toMatchObject({ status: 'taken_down', reason: 'Breaks the rules' });
      expect((await ben.get(`/api/public/videos/${id}`)).status).toBe(404);
      expect((await ben.get(`/api/public/videos/${id}/content`)).status).toBe(404);
      expect((await admin.get('/api/admin/reports')).json.data.map((r: any) => r.id)).not.toContain(rep.json.id);
      const audit = await admin.get('/api/admin/audit?limit=50');
      expect(audit.json.data.find((e: any) => e.action === 'video.takedown')).toMatchObject({ target: { id } });
      expect((await ana.get(`/api/videos/${id}/publication`)).json).toMatchObject({ status: 'taken_down', reason: 'Breaks the rules' });
      const again = await ana.post(`/api/videos/${id}/publish`, { title: 'Car again' });
      expect(again.status).toBe(403);
      expect(again.json.error.code).toBe('taken_down');
      expect((await ana.get('/api/notifications')).json.data[0].kind).toBe('publication.taken_down');
    });

    it('lets the admin turn publishing off', async () => {
      expect((await ben.put('/api/admin/sharing', { publish_policy: 'off' })).status).toBe(403);
      expect((await admin.put('/api/admin/sharing', { publish_policy: 'sometimes' })).status).toBe(400);
      expect((await admin.put('/api/admin/sharing', { publish_policy: 'off' })).json).toEqual({ publish_policy: 'off' });
      const id = await completedVideo(ana, 'a small boat');
      const r = await ana.post(`/api/videos/${id}/publish`, { title: 'Boat' });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('publishing_off');
      expect((await admin.put('/api/admin/sharing', { publish_policy: 'open' })).status).toBe(200);
    });
  });

  describe(`sharing under review, with a public feed and a moderation hook, on ${db}`, () => {
    let server: AccountServer;
    let hook: Server;
    let verdict: { status: number; body: unknown; delayMs?: number } = { status: 200, body: { decision: 'allow' } };
    const asked: any[] = [];
    let studio: string;
    let admin: Caller;
    let ana: Caller;

    beforeAll(async () => {
      hook = createServer((req, res) => {
        let text = '';
        req.on('data', (c) => { text += c; });
        req.on('end', () => {
          asked.push(JSON.parse(text));
          setTimeout(() => res.writeHead(verdict.status, { 'content-type': 'application/json' }).end(JSON.stringify(verdict.body)), verdict.delayMs ?? 0);
        });
      });
      await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
      server = await startAccountServer(db, {
        studioDir: (studio = makeStudioFixture()),
        sharing: { publishPolicy: 'review', publicFeed: true, moderationHookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/check`, moderationHookTimeoutMs: 500, moderationHookFailure: 'closed', actionsPerMinute: 8 },
      });
      admin = await setupAdmin(server);
      ana = await newMember(server, admin, 'pro');
    });
    afterAll(async () => {
      await server?.stop();
      hook?.close();
      rmSync(studio, { recursive: true, force: true });
    });

    it('holds a publication for review; the author sees the status; approval makes it public to anyone', async () => {
      const id = await completedVideo(ana);
      const r = await ana.post(`/api/videos/${id}/publish`, { title: 'Kite <for> "review"', remix: 'allow' });
      expect(r.json).toMatchObject({ status: 'pending_review', published_at: null });
      expect(asked.at(-1)).toMatchObject({ video_id: id, prompt: CLIP.prompt, title: 'Kite <for> "review"', thumbnail: { content_type: 'image/webp' } });
      expect(Buffer.from(asked.at(-1).thumbnail.base64, 'base64').subarray(8, 12).toString()).toBe('WEBP');
      const anonymous = new Caller(server.url);
      expect((await anonymous.get('/api/feed')).json.data).toEqual([]);
      const queue = await admin.get('/api/admin/publications');
      expect(queue.json.data.map((p: any) => p.video_id)).toEqual([id]);
      expect(queue.json.data[0].video.prompt).toBe(CLIP.prompt);
      // The moderator can watch it before deciding; the public cannot yet.
      expect((await admin.get(`/api/public/videos/${id}/content`)).status).toBe(200);
      expect((await anonymous.get(`/api/public/videos/${id}/content`)).status).toBe(404);
      const ok = await admin.post(`/api/admin/publications/${id}/approve`);
      expect(ok.json.status).toBe('published');
      expect((await anonymous.get('/api/feed')).json.data.map((v: any) => v.id)).toEqual([id]);
      expect((await anonymous.get(`/api/public/videos/${id}/content`)).status).toBe(200);
      expect((await ana.get('/api/notifications')).json.data[0].kind).toBe('publication.approved');
      // A shared link previews: the page carries Open Graph tags, escaped.
      const page = await (await fetch(`${server.url}/v/${id}`, { headers: { accept: 'text/html' } })).text();
      expect(page).toContain('<meta property="og:title" content="Kite &lt;for&gt; &quot;review&quot; — by @');
      expect(page).toContain(`<meta property="og:image" content="${server.url}/api/public/videos/${id}/thumbnail">`);
      expect(page).toContain(`<meta property="og:video" content="${server.url}/api/public/videos/${id}/content">`);
      expect(await (await fetch(`${server.url}/v/video_00000000000000000000000000000000`)).text()).not.toContain('og:title');
      // Anyone may look, only members may report.
      expect((await anonymous.post(`/api/public/videos/${id}/report`, { reason: 'x' })).status).toBe(401);
    });

    it('tells the author why a moderator rejected it', async () => {
      const id = await completedVideo(ana, 'a grey cat on a roof');
      expect((await ana.post(`/api/videos/${id}/publish`, { title: 'Cat' })).json.status).toBe('pending_review');
      expect((await admin.post(`/api/admin/publications/${id}/reject`, {})).status).toBe(400);
      expect((await admin.post(`/api/admin/publications/${id}/reject`, { reason: 'Too blurry' })).json.status).toBe('rejected');
      expect((await ana.get(`/api/videos/${id}/publication`)).json).toMatchObject({ status: 'rejected', reason: 'Too blurry' });
      expect((await ana.get('/api/notifications')).json.data[0].message).toContain('Too blurry');
    });

    it('follows the hook: a rejection, and a hook that does not answer in time holds it (fail closed)', async () => {
      verdict = { status: 200, body: { decision: 'reject', reason: 'Flagged by the filter' } };
      const a = await completedVideo(ana, 'a storm at sea');
      expect((await ana.post(`/api/videos/${a}/publish`, { title: 'Storm' })).json).toMatchObject({ status: 'rejected', reason: 'Flagged by the filter' });
      verdict = { status: 200, body: { decision: 'allow' }, delayMs: 2000 };
      const b = await completedVideo(ana, 'a calm sea');
      const held = await ana.post(`/api/videos/${b}/publish`, { title: 'Calm' });
      expect(held.json.status).toBe('pending_review');
      expect(held.json.reason).toContain('could not be reached');
      verdict = { status: 200, body: { decision: 'allow' } };
    });

    it('rate-limits publishing with a 429 and Retry-After', async () => {
      const id = await completedVideo(ana, 'a paper boat');
      let last: any = null;
      for (let i = 0; i < 10 && last?.status !== 429; i++) last = await ana.post(`/api/videos/${id}/publish`, { title: `Boat ${i}` });
      expect(last.status).toBe(429);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last.json.error.type).toBe('rate_limit_error');
    });
  });
}
