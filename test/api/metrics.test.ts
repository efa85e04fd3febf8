// GET /metrics on a real server: who may read it, and that the series move with what the server
// does (requests by route pattern, an open SSE stream, the queue), on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMetrics } from '../helpers/prometheus.js';
import { accountBackends, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer, type Caller } from '../helpers/accounts.js';
import { waitFor } from '../helpers/server.js';

for (const db of await accountBackends()) {
  describe(`/metrics on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    let adminKey: Caller;
    let member: Caller;
    const scrape = async () => {
      const r = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${adminKey.auth.key}` } });
      expect(r.status).toBe(200);
      const text = await r.text();
      return { text, series: parseMetrics(text) };
    };

    beforeAll(async () => {
      // Workers start only when the test says: until then a video stays queued.
      server = await startAccountServer(db, {}, { workers: false });
      admin = await setupAdmin(server);
      adminKey = await keyFor(admin, ['videos:read', 'videos:write', 'admin']);
      member = await keyFor(await newMember(server, admin, 'pro'));
    });
    afterAll(async () => { await server?.stop(); });

    it('is for admins only: 401 without credentials, 403 for a member', async () => {
      const anonymous = await fetch(`${server.url}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as any).error.code).toBe('unauthorized');
      const r = await member.get('/metrics');
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('forbidden');
      const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${adminKey.auth.key}` } });
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    });

    it('moves with requests, an open SSE stream and the queue; labels are route patterns, never URLs', async () => {
      const before = (await scrape()).series;
      const retrieveOk = 'melies_http_request_duration_seconds_count{route="/v1/videos/:id",method="GET",status_class="2xx"}';
      const retrieveMissing = 'melies_http_request_duration_seconds_count{route="/v1/videos/:id",method="GET",status_class="4xx"}';

      // Workers have not started: the video stays queued while the stream is open.
      const made = await member.post('/v1/videos', { prompt: 'a lighthouse at dusk', seconds: '1', size: '320x180' });
      expect(made.status).toBe(200);
      const id: string = made.json.id;
      for (let i = 0; i < 3; i++) expect((await member.get(`/v1/videos/${id}`)).status).toBe(200);
      expect((await member.get('/v1/videos/video_00000000000000000000000000000000')).status).toBe(404);
      expect((await fetch(`${server.url}/no/such/page-4711`)).status).toBe(404);

      const stream = new AbortController();
      const sse = await fetch(`${server.url}/v1/videos/${id}/events`, { headers: { authorization: `Bearer ${member.auth.key}` }, signal: stream.signal });
      expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
      let during = (await scrape()).series;
      expect(during.get('melies_sse_clients')).toBe(1);
      expect(during.get('melies_queue_jobs{lane="sketch",state="queued"}')).toBe(1);
      expect(during.get('melies_queue_depth{lane="sketch"}')).toBe(1);
      expect(during.get('melies_queue_up')).toBe(1);
      expect(during.get(retrieveOk)! - (before.get(retrieveOk) ?? 0)).toBe(3);
      expect(during.get(retrieveMissing)! - (before.get(retrieveMissing) ?? 0)).toBe(1);
      expect(during.get('melies_http_request_duration_seconds_count{route="/v1/videos",method="POST",status_class="2xx"}')).toBe(1);
      expect(during.get('melies_http_request_duration_seconds_count{route="unmatched",method="GET",status_class="4xx"}')).toBeGreaterThanOrEqual(1);

      stream.abort();
      during = await waitFor(async () => (await scrape()).series, (s) => s.get('melies_sse_clients') === 0);
      expect(during.get('melies_sse_clients')).toBe(0);

      await server.stack.startWorkers();
      await waitStatus(member, id, (s) => s === 'completed');
      // A lane with no job left has no series at all.
      const after = await waitFor(scrape, (s) => (s.series.get('melies_queue_jobs{lane="sketch",state="queued"}') ?? 0) === 0);
      expect(after.series.get('melies_queue_depth{lane="sketch"}') ?? 0).toBe(0);
      // Bounded labels: no id, path or query a client sent appears in any series.
      expect(after.text).not.toContain(id);
      expect(after.text).not.toContain('page-4711');
      expect(after.text).not.toContain('video_0000');
      expect(after.series.get('melies_process_resident_memory_bytes')).toBeGreaterThan(0);
    });
  });
}
