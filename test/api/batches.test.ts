// Batches through the API (issue 15 §6), on a real multi-user server (SQLite and PostgreSQL) with
// real sketch jobs: a 5-row CSV made into 5 videos and downloaded as a zip whose MP4s ffprobe
// checks and whose manifest.csv matches the rows; the batch's SSE progress; bad rows refused by
// line; the plan checked for the whole batch up front (refused, or partly started with
// allow_partial); cancel; and isolation between users.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/domain/csv.js';
import { accountBackends, Caller, newMember, setupAdmin, startAccountServer, type AccountServer } from '../helpers/accounts.js';
import { probeBytes } from '../helpers/media.js';
import { unzip } from '../helpers/zip.js';

const CSV = [
  'prompt,seconds,size,fps,seed,model',
  '"a red kite over the sea, at dusk",1,320x180,12,11,sketch',
  'a fox in the snow,,,,22,',
  '"a storyboard:\nshot 1 a door\nshot 2 a hall",1,,,,',
  '',
  'rain on a window,1,320x180,12,,',
  'a lighthouse at night,1,,,55,',
].join('\r\n');
const DEFAULTS = { seconds: '1', size: '320x180', fps: '12' };

async function upload(who: Caller, text: string, filename: string, fields: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([text]), filename);
  const headers: Record<string, string> = {};
  if (who.auth.cookie) headers.cookie = who.auth.cookie;
  if (who.auth.csrf) headers['x-csrf-token'] = who.auth.csrf;
  if (who.auth.key) headers.authorization = `Bearer ${who.auth.key}`;
  const res = await fetch(`${who.base}/api/batches`, { method: 'POST', headers, body: form });
  return { status: res.status, json: await res.json() };
}

/** The SSE stream of a batch, read to its end: [event name, data] pairs. */
async function readEvents(who: Caller, id: string): Promise<Array<[string, any]>> {
  const res = await fetch(`${who.base}/api/batches/${id}/events`, { headers: { cookie: who.auth.cookie ?? '', accept: 'text/event-stream' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const text = await res.text();
  return [...text.matchAll(/^event: (batch\.\w+)\ndata: (.+)$/gm)].map((m) => [m[1]!, JSON.parse(m[2]!)]);
}

for (const db of await accountBackends()) {
  describe(`batches on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    let alice: Caller;
    let bob: Caller;
    let made: any;

    beforeAll(async () => {
      server = await startAccountServer(db);
      admin = await setupAdmin(server);
      alice = await newMember(server, admin, 'pro');
      bob = await newMember(server, admin, 'pro');
    });
    afterAll(async () => { await server?.stop(); });

    it('makes a video of every row of a CSV, streams the batch\'s progress, and zips the MP4s with a manifest', async () => {
      const preview = await alice.post('/api/batches/preview', { text: CSV, defaults: DEFAULTS });
      expect(preview.status, JSON.stringify(preview.json)).toBe(200);
      expect(preview.json).toMatchObject({ format: 'csv', videos: 5, seconds: 5, problems: [], fits: 5, fit_message: null });
      expect(preview.json.rows.map((r: any) => [r.line, r.seed])).toEqual([[2, 11], [3, 22], [4, null], [8, null], [9, 55]]);

      const created = await upload(alice, CSV, 'shots.csv', DEFAULTS);
      expect(created.status, JSON.stringify(created.json)).toBe(200);
      made = created.json;
      expect(made).toMatchObject({ object: 'batch', name: 'shots.csv', format: 'csv', status: 'in_progress', requested: 5, skipped: 0, total: 5 });
      expect(made.id).toMatch(/^batch_[0-9a-f]{32}$/);
      expect(made.videos.map((v: any) => [v.position, v.line, v.video.size, v.video.seconds])).toEqual([
        [1, 2, '320x180', '1'], [2, 3, '320x180', '1'], [3, 4, '320x180', '1'], [4, 8, '320x180', '1'], [5, 9, '320x180', '1'],
      ]);
      // Ordinary videos: in the caller's list, through the OpenAI-compatible routes too.
      expect((await alice.get(`/v1/videos/${made.videos[0].video_id}`)).json.prompt).toBe('a red kite over the sea, at dusk');

      const events = await readEvents(alice, made.id);
      expect(events.length).toBeGreaterThan(0);
      const [lastName, last] = events[events.length - 1]!;
      expect(lastName).toBe('batch.completed');
      expect(last).toMatchObject({ id: made.id, status: 'completed', progress: 100, counts: { queued: 0, in_progress: 0, completed: 5, failed: 0, deleted: 0 } });
      expect(events.slice(0, -1).every(([name]) => name === 'batch.in_progress')).toBe(true);
      const progress = events.map(([, b]) => b.progress as number);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));

      const batch = (await alice.get(`/api/batches/${made.id}`)).json;
      expect(batch).toMatchObject({ status: 'completed', counts: { completed: 5 } });
      const list = (await alice.get('/api/batches')).json;
      expect(list.data.map((b: any) => b.id)).toEqual([made.id]);
      expect(list.data[0].videos).toBeUndefined();

      const res = await fetch(`${server.url}/api/batches/${made.id}/download`, { headers: { cookie: alice.auth.cookie! } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${made.id}.zip"`);
      const files = await unzip(Buffer.from(await res.arrayBuffer()));
      const names = [...files.keys()];
      expect(names[0]).toBe('manifest.csv');
      const mp4s = names.filter((n) => n.endsWith('.mp4'));
      expect(mp4s).toHaveLength(5);
      for (const name of mp4s) {
        const p = await probeBytes(files.get(name)!);
        expect(p.video, name).toMatchObject({ codec: 'h264', width: 320, height: 180 });
        expect(p.durationSeconds, name).toBeCloseTo(1, 1);
      }

      const manifest = parseCsv(files.get('manifest.csv')!.toString('utf8').replace(/^\uFEFF/, '')).records.map((r) => r.fields).filter((f) => f.length > 1);
      expect(manifest[0]).toEqual(['file', 'video_id', 'line', 'prompt', 'model', 'seconds', 'size', 'fps', 'seed', 'status', 'error']);
      const rows = manifest.slice(1);
      expect(rows).toHaveLength(5);
      rows.forEach((r, i) => {
        const v = batch.videos[i].video;
        expect(r).toEqual([mp4s[i], v.id, String(batch.videos[i].line), v.prompt, 'sketch', '1', '320x180', '12', String(v.seed), 'completed', '']);
      });
      expect(rows.map((r) => r[3])).toEqual(['a red kite over the sea, at dusk', 'a fox in the snow', 'a storyboard:\nshot 1 a door\nshot 2 a hall', 'rain on a window', 'a lighthouse at night']);
      expect(rows.map((r) => r[8]).filter((_, i) => [0, 1, 4].includes(i))).toEqual(['11', '22', '55']);
      expect(mp4s[0]).toMatch(/^001-a-red-kite-over-the-sea-[0-9a-f]{6}\.mp4$/);
    });

    it('keeps each batch to its owner: anyone else gets 404, and lists only their own', async () => {
      for (const path of [`/api/batches/${made.id}`, `/api/batches/${made.id}/download`, `/api/batches/${made.id}/events`]) {
        const r = await bob.get(path);
        expect(r.status, path).toBe(404);
        expect(r.json.error.code).toBe('not_found');
      }
      expect((await bob.post(`/api/batches/${made.id}/cancel`)).status).toBe(404);
      expect((await bob.get('/api/batches')).json.data).toEqual([]);
      expect((await bob.get(`/api/batches?after=${made.id}`)).json.data).toEqual([]);
      expect((await alice.get('/api/batches/batch_nope')).status).toBe(404);
    });

    it('still accounts for a video deleted since: counted as deleted, listed in the manifest, absent from the zip', async () => {
      const gone = made.videos[4].video_id;
      expect((await alice.del(`/v1/videos/${gone}`)).status).toBe(200);
      const batch = (await alice.get(`/api/batches/${made.id}`)).json;
      expect(batch).toMatchObject({ status: 'completed', total: 5, counts: { completed: 4, deleted: 1 } });
      expect(batch.videos[4]).toEqual({ position: 5, line: 9, variation: 1, video_id: gone, video: null });
      const res = await fetch(`${server.url}/api/batches/${made.id}/download`, { headers: { cookie: alice.auth.cookie! } });
      const files = await unzip(Buffer.from(await res.arrayBuffer()));
      expect([...files.keys()].filter((n) => n.endsWith('.mp4'))).toHaveLength(4);
      const last = parseCsv(files.get('manifest.csv')!.toString('utf8').replace(/^\uFEFF/, '')).records.filter((r) => r.fields.length > 1).at(-1)!;
      expect(last.fields).toEqual(['', gone, '9', '', '', '', '', '', '', 'deleted', '']);
    });

    it('refuses a list with bad rows, naming each line, and creates nothing', async () => {
      const text = 'prompt,model,seconds\nfine,sketch,1\nwho,no-such-model,1\nlong,sketch,999\n,sketch,1\n';
      const r = await alice.post('/api/batches', { text });
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('invalid_batch_rows');
      expect(r.json.error.message).toMatch(/^3 lines of the list cannot be used/);
      expect(r.json.error.message).toMatch(/line 3: Unknown model 'no-such-model'/);
      expect(r.json.error.message).toMatch(/line 4: .*seconds/);
      expect(r.json.error.message).toMatch(/line 5: .*'prompt'/);
      expect((await alice.get('/api/batches')).json.data).toHaveLength(1);
      expect((await alice.post('/api/batches', { text: '\n\n' })).json.error.code).toBe('empty_batch');
    });

    it('checks the whole batch against the plan up front: refused with how many fit, or partly started with allow_partial', async () => {
      expect((await admin.put('/api/admin/plans/tiny', { label: 'Tiny', seconds_per_day: 3, seconds_per_month: 100, max_concurrent: null, max_seconds: 5, max_pixels: 640 * 360, allowed_models: ['sketch'], priority: 0, usd_budget_month: 0 })).status).toBe(200);
      const carol = await newMember(server, admin, 'tiny');
      const text = 'one\ntwo\nthree\nfour\nfive\n';
      const preview = await carol.post('/api/batches/preview', { text, ...DEFAULTS });
      expect(preview.json).toMatchObject({ videos: 5, fits: 3, fit_message: expect.stringMatching(/^3 of 5 videos fit your plan today: 3 of your 3 seconds/) });

      const refused = await carol.post('/api/batches', { text, ...DEFAULTS });
      expect(refused.status).toBe(429);
      expect(refused.json.error.code).toBe('insufficient_quota');
      expect(refused.json.error.message).toMatch(/^3 of 5 videos fit your plan today/);
      expect(refused.json.error.message).toMatch(/allow_partial/);
      expect((await carol.get('/api/batches')).json.data).toEqual([]);
      expect((await carol.get('/v1/videos')).json.data).toEqual([]);

      const partial = await carol.post('/api/batches', { text, ...DEFAULTS, allow_partial: true });
      expect(partial.status, JSON.stringify(partial.json)).toBe(200);
      expect(partial.json).toMatchObject({ requested: 5, skipped: 2, total: 3 });
      expect(partial.json.videos.map((v: any) => v.video.prompt)).toEqual(['one', 'two', 'three']);
      // Nothing is left today: even one more video is refused, and so is any batch.
      expect((await carol.post('/api/batches', { text: 'six', ...DEFAULTS, allow_partial: true })).status).toBe(429);
      // A row over the plan's per-video limits is a bad row, not a quota matter.
      const big = await carol.post('/api/batches', { text: 'prompt,seconds,size\nwide,1,1280x720\n' });
      expect(big.status).toBe(400);
      expect(big.json.error.message).toMatch(/line 2: Your plan \(Tiny\) allows frames of up to/);
    });

    it('counts a batch as one job against the plan\'s concurrent jobs', async () => {
      expect((await admin.put('/api/admin/plans/solo', { label: 'Solo', seconds_per_day: 600, seconds_per_month: 6000, max_concurrent: 1, max_seconds: 20, max_pixels: 1280 * 720, allowed_models: ['sketch'], priority: 0, usd_budget_month: 0 })).status).toBe(200);
      const dave = await newMember(server, admin, 'solo');
      const long = { seconds: '20', size: '1280x720', fps: '24' };
      // Nothing running: the whole batch is admitted at once, though the plan runs one job at a time.
      const batch = await dave.post('/api/batches', { text: 'one\ntwo\nthree', ...long });
      expect(batch.status, JSON.stringify(batch.json)).toBe(200);
      expect(batch.json.total).toBe(3);
      // While it runs, that one job is taken: another batch (or video) waits for it.
      const second = await dave.post('/api/batches', { text: 'four', ...long });
      expect(second.status).toBe(429);
      expect(second.json.error.code).toBe('too_many_concurrent_jobs');
      expect(second.json.error.message).toMatch(/runs 1 job at a time \(a batch counts as one\)/);
      expect((await dave.post(`/api/batches/${batch.json.id}/cancel`)).json.status).toBe('cancelled');
      expect((await dave.post('/api/batches', { text: 'four', ...DEFAULTS })).status).toBe(200);
    });

    it('cancels the videos of a batch still queued or running; finished ones stay, and the zip lists all', async () => {
      const text = Array.from({ length: 6 }, (_, i) => `a long storm over the city, take ${i + 1}`).join('\n');
      const r = await alice.post('/api/batches', { text, seconds: '20', size: '1280x720', fps: '24' });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      const id = r.json.id;
      const cancelled = await alice.post(`/api/batches/${id}/cancel`);
      expect(cancelled.status, JSON.stringify(cancelled.json)).toBe(200);
      expect(cancelled.json.status).toBe('cancelled');
      expect(cancelled.json.cancelled_at).toEqual(expect.any(Number));
      expect(cancelled.json.counts.queued + cancelled.json.counts.in_progress).toBe(0);
      expect(cancelled.json.counts.failed).toBeGreaterThan(0);
      expect(cancelled.json.counts.completed + cancelled.json.counts.failed).toBe(6);
      for (const v of cancelled.json.videos) {
        if (v.video.status === 'failed') expect(v.video.error.code).toBe('cancelled');
      }
      // Cancelled rows are final: a job that was running when the batch was cancelled changes nothing.
      const later = (await alice.get(`/api/batches/${id}`)).json;
      expect(later.counts).toEqual(cancelled.json.counts);
      expect((await alice.post(`/api/batches/${id}/cancel`)).json.error.code).toBe('batch_not_cancellable');
      const events = await readEvents(alice, id);
      expect(events).toEqual([['batch.cancelled', expect.objectContaining({ status: 'cancelled' })]]);

      const zip = await fetch(`${server.url}/api/batches/${id}/download`, { headers: { cookie: alice.auth.cookie! } });
      const files = await unzip(Buffer.from(await zip.arrayBuffer()));
      const manifest = parseCsv(files.get('manifest.csv')!.toString('utf8').replace(/^\uFEFF/, '')).records.filter((x) => x.fields.length > 1);
      expect(manifest).toHaveLength(7);
      expect([...files.keys()].filter((n) => n.endsWith('.mp4'))).toHaveLength(cancelled.json.counts.completed);
    });
  });
}
