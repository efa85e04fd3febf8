// Extensions (issue 15 §1) through the real server on SQLite and PostgreSQL, driven by the official
// SDK's `videos.extend` (multipart, `video[id]`): the result is one MP4 of the source's frames and
// then the new ones (ffprobe: duration, size, fps, codec, frame count; no repeated frame at the
// join), with its lineage; and the refusals: chain limit, total length, someone else's video (404),
// a published video whose licence denies remixes (403), a model that cannot extend (400 naming
// those that can). A cloud engine (Runway's fake) extends from the source's real last frame. An
// MP4 uploaded with the request (the SDK's Uploadable) or earlier with POST /v1/files ({file_id})
// is extended too: its frames and sound, then new ones, signed with the upload as an ingredient.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameHashes, decodeFrameRgb } from '../../src/media/frames.js';
import { probe } from '../../src/media/probe.js';
import { accountBackends, Caller, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer } from '../helpers/accounts.js';
import { bins, solidPng, tempFile, testPatternClip } from '../helpers/media.js';
import { startRunwayFake, type RunwayFake } from '../fakes/runway/runway.fake.js';
import { startLumaFake } from '../fakes/luma/luma.fake.js';

const SOURCE = { prompt: 'a red kite flying over green hills at noon', seconds: '2', size: '320x180' };
const SMALL = { prompt: 'a sailboat on the sea at dusk', seconds: '1', size: '320x180', fps: 12 };

const meanAbsDiff = (a: Buffer, b: Buffer) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
};

for (const db of await accountBackends()) {
  describe(`POST /v1/videos/extensions on ${db}`, () => {
    let server: AccountServer;
    let ana: Caller;
    let ben: Caller;
    let client: OpenAI;
    let runway: RunwayFake;
    let luma: Awaited<ReturnType<typeof startLumaFake>>;
    let admin: Caller;

    const finished = (c: Caller, id: string) => waitStatus(c, id, (s) => s === 'completed' || s === 'failed', 120_000);
    async function completed(c: Caller, body: Record<string, unknown> = SMALL): Promise<string> {
      const r = await c.post('/v1/videos', body);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect((await finished(c, r.json.id)).status).toBe('completed');
      return r.json.id;
    }
    const extend = (c: Caller, id: string, body: Record<string, unknown> = {}) => c.post('/v1/videos/extensions', { video: { id }, prompt: 'it goes on', seconds: '1', ...body });
    const download = async (id: string) => tempFile(await (await client.videos.downloadContent(id)).arrayBuffer());

    beforeAll(async () => {
      runway = await startRunwayFake({ apiKey: 'test-key', renderMs: 50 });
      // Luma takes no first frame: it extends only its own videos, through its generation keyframe.
      luma = await startLumaFake({ apiKey: 'test-key', renderMs: 50 });
      server = await startAccountServer(db, {
        sharing: { publishPolicy: 'open' }, providerKeys: { luma: 'test-key', runway: 'test-key' },
        cloud: { pollIntervalMs: 50, luma: { baseUrl: luma.baseUrl }, runway: { baseUrl: runway.baseUrl } },
      });
      admin = await setupAdmin(server);
      ana = await keyFor(await newMember(server, admin, 'pro'));
      ben = await keyFor(await newMember(server, admin, 'pro'));
      client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: ana.auth.key! });
    });
    afterAll(async () => {
      await server?.stop();
      await runway?.stop();
      await luma?.stop();
    });

    it('extends a 2 s 320x180 sketch video by 4 s through the SDK: one 6 s MP4, the source then new frames, no repeat at the join', async () => {
      const source = await client.videos.create(SOURCE as never);
      expect((await finished(ana, source.id)).status).toBe('completed');
      expect(typeof client.videos.extend).toBe('function');
      const ext = await client.videos.extend({ video: { id: source.id }, prompt: 'the kite climbs higher as clouds roll in', seconds: '4' });
      expect(ext).toMatchObject({ object: 'video', status: 'queued', seconds: '6', size: '320x180', model: 'sketch', remixed_from_video_id: null });
      expect(ext).toMatchObject({ kind: 'extension', source_video_id: source.id });
      expect(ext.id).not.toBe(source.id);
      const done = await finished(ana, ext.id);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');

      const [src, out] = [await download(source.id), await download(ext.id)];
      const [a, b] = [await probe(bins.ffprobe, src), await probe(bins.ffprobe, out)];
      const fps = a.video!.fps;
      expect(fps).toBe(24);
      expect(b.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 320, height: 180, fps: 24 });
      expect(Math.abs(b.durationSeconds - 6)).toBeLessThanOrEqual(1 / fps + 1e-6);
      expect(b.hasAudio).toBe(false);
      const [srcFrames, outFrames] = [await frameHashes(bins.ffmpeg, src), await frameHashes(bins.ffmpeg, out)];
      expect(srcFrames).toHaveLength(2 * 24);
      // Source frames + new frames: nothing dropped, nothing repeated.
      expect(outFrames).toHaveLength(2 * 24 + 4 * 24);
      const join = srcFrames.length;
      // Around the join every frame differs from the one before it (no frozen or duplicated frame)…
      for (let i = join - 3; i <= join + 3; i++) expect(outFrames[i], `frame ${i}`).not.toBe(outFrames[i - 1]);
      // …the first part is the source (re-encoded, so close rather than identical), and the step
      // across the join is no bigger than a few ordinary steps of motion: the scene goes on.
      const size = { width: 320, height: 180 };
      const frame = (file: string, i: number) => decodeFrameRgb(bins.ffmpeg, file, i, size);
      expect(meanAbsDiff(await frame(src, join - 1), await frame(out, join - 1))).toBeLessThan(4);
      const before = meanAbsDiff(await frame(out, join - 2), await frame(out, join - 1));
      const across = meanAbsDiff(await frame(out, join - 1), await frame(out, join));
      expect(across).toBeGreaterThan(0);
      expect(across).toBeLessThan(Math.max(4 * before, 2));

      // Lineage: the wire, the studio's lineage, the stored plan (the source's shots, then the new one).
      const wire = await ana.get(`/v1/videos/${ext.id}`);
      expect(wire.json).toMatchObject({ kind: 'extension', source_video_id: source.id, seconds: '6' });
      expect(wire.json.plan.shots.length).toBeGreaterThanOrEqual(2);
      const shots = wire.json.plan.shots;
      // Same world, time moves on: the new shot starts where the source ended and keeps its setting.
      expect(shots.at(-1)).toMatchObject({ start: 2, seconds: 4, transition: 'crossfade', setting: shots[0].setting, timeOfDay: shots[0].timeOfDay });
      const studio = await ana.get(`/api/videos/${ext.id}`);
      expect(studio.json.lineage.parent_id).toBe(source.id);
      const parent = await ana.get(`/api/videos/${source.id}`);
      expect(parent.json.lineage.children.map((c: any) => c.id)).toContain(ext.id);
      expect((await ana.get(`/v1/videos/${source.id}`)).json.kind).toBe('generation');
      // The model cards say who can extend.
      const models = await ana.get('/v1/models');
      const byId = Object.fromEntries(models.json.data.map((m: any) => [m.id, m]));
      expect(byId.sketch).toMatchObject({ extend: true, extend_native: false, extend_limits: { max_extensions: 6, max_total_seconds: 120 } });
      expect(byId['luma/ray-2']).toMatchObject({ extend: true, extend_native: true });
      expect(byId['runway/aleph2']).toMatchObject({ extend: false, extend_limits: null });
    });

    it('continues a sketch video made from a reference image (its backdrop kept for the crossfade), even once the source is deleted', async () => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ ...SMALL, fps: '12', prompt: 'a boat sails past this harbour' })) form.append(k, String(v));
      form.append('input_reference', new Blob([new Uint8Array(await solidPng('#aa5533', 320, 180))], { type: 'image/png' }), 'ref.png');
      const made = await fetch(`${server.url}/v1/videos`, { method: 'POST', body: form, headers: { authorization: `Bearer ${ana.auth.key}` } });
      const source = (await made.json()) as { id: string };
      expect((await finished(ana, source.id)).status).toBe('completed');
      const ext = await extend(ana, source.id, { seconds: '2' });
      expect(ext.status, JSON.stringify(ext.json)).toBe(200);
      const done = await finished(ana, ext.json.id);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      expect(await frameHashes(bins.ffmpeg, await download(ext.json.id))).toHaveLength(3 * 12);
      // The extension has its own copy of the reference: deleting the source leaves it whole.
      expect((await ana.del(`/v1/videos/${source.id}`)).status).toBe(200);
      expect((await ana.get(`/api/videos/${ext.json.id}`)).json.lineage).toMatchObject({ parent_id: source.id, parent: null });
      expect((await ana.get(`/v1/videos/${ext.json.id}/content`)).status).toBe(200);
    });

    it("marks only the new seconds with the plan's watermark: the source's frames keep theirs, not marked twice", async () => {
      await admin.put('/api/admin/plans/branded', { label: 'Branded', seconds_per_day: 600, seconds_per_month: 6000, max_seconds: 20, max_pixels: 1920 * 1080, watermark: 'made with Méliès' });
      const branded = await keyFor(await newMember(server, admin, 'branded'));
      const source = await completed(branded);
      const ext = await extend(branded, source);
      expect(ext.status, JSON.stringify(ext.json)).toBe(200);
      expect((await finished(branded, ext.json.id)).status).toBe('completed');
      const get = async (id: string) => tempFile(await (await fetch(`${server.url}/v1/videos/${id}/content`, { headers: { authorization: `Bearer ${branded.auth.key}` } })).arrayBuffer());
      const [src, out] = [await get(source), await get(ext.json.id)];
      const size = { width: 320, height: 180 };
      const plate = (px: Buffer) => {
        const rows: number[] = [];
        for (let y = 150; y < 174; y++) for (let x = 200; x < 314; x++) for (let c = 0; c < 3; c++) rows.push(px[(y * 320 + x) * 3 + c]!);
        return Buffer.from(rows);
      };
      const at = async (file: string, i: number) => plate(await decodeFrameRgb(bins.ffmpeg, file, i, size));
      // The source part: the same plate as the source itself (a second overlay would darken it).
      expect(meanAbsDiff(await at(out, 6), await at(src, 6))).toBeLessThan(3);
      // The new part carries the mark too: its first frame's plate is the source's last one's, give or take the motion.
      expect(meanAbsDiff(await at(out, 12), await at(src, 11))).toBeLessThan(8);
    });

    it('refuses a 7th extension in a chain, and a chain longer than 120 s', async () => {
      let id = await completed(ana);
      for (let n = 1; n <= 6; n++) {
        const r = await extend(ana, id);
        expect(r.status, JSON.stringify(r.json)).toBe(200);
        expect(r.json.seconds).toBe(String(1 + n));
        expect((await finished(ana, r.json.id)).status).toBe('completed');
        id = r.json.id;
      }
      const seventh = await extend(ana, id);
      expect(seventh.status).toBe(400);
      expect(seventh.json.error).toMatchObject({ code: 'extension_limit_reached', param: 'video', type: 'invalid_request_error' });
      expect(seventh.json.error.message).toContain('at most 6 times');

      // A 110 s source (its length set in the database: the check comes before any job) + 12 s.
      const long = await completed(ana);
      const conn = await server.openDb();
      await conn.updateTable('videos').set({ seconds: 110 }).where('id', '=', long).execute();
      await conn.destroy();
      const tooLong = await extend(ana, long, { seconds: '12' });
      expect(tooLong.status).toBe(400);
      expect(tooLong.json.error).toMatchObject({ code: 'extension_too_long', param: 'seconds' });
      expect(tooLong.json.error.message).toContain('at most 120 s');
      const fits = await extend(ana, long, { seconds: '10' });
      expect(fits.status).toBe(200);
      expect(fits.json.seconds).toBe('120');
      await ana.post(`/api/videos/${fits.json.id}/cancel`); // its source's file is 1 s long: nothing to see
      const overOpenAi = await extend(ana, long, { seconds: '21' });
      expect(overOpenAi.status).toBe(400);
      expect(overOpenAi.json.error.param).toBe('seconds');
    });

    it("answers 404 for someone else's unpublished video, 403 for a published one whose licence denies remixes", async () => {
      const benVideo = await completed(ben);
      const hidden = await extend(ana, benVideo);
      expect(hidden.status).toBe(404);
      expect(hidden.json.error.code).toBe('not_found');
      const published = await ben.post(`/api/videos/${benVideo}/publish`, { title: 'Dusk sail', remix: 'deny' });
      expect(published.status, JSON.stringify(published.json)).toBe(201);
      const denied = await extend(ana, benVideo);
      expect(denied.status).toBe(403);
      expect(denied.json.error.code).toBe('remix_not_allowed');
      // Its owner may extend it all the same.
      expect((await extend(ben, benVideo)).status).toBe(200);
    });

    it('refuses a model that cannot extend with a 400 naming the models that can, and bad bodies with 400s', async () => {
      const id = await completed(ana);
      const aleph = await extend(ana, id, { model: 'runway/aleph2', seconds: '5' });
      expect(aleph.status).toBe(400);
      expect(aleph.json.error).toMatchObject({ code: 'unsupported_parameter', param: 'model' });
      expect(aleph.json.error.message).toMatch(/runway\/aleph2 cannot extend/);
      expect(aleph.json.error.message).toContain('Models that can: sketch');
      // Luma extends natively, so only what Luma made: a sketch video is refused, naming who extends any video.
      const lumaCalls = luma.bodies.length;
      const byLuma = await extend(ana, id, { model: 'luma/ray-2', seconds: '5' });
      expect(byLuma.status).toBe(400);
      expect(byLuma.json.error).toMatchObject({ code: 'unsupported_parameter', param: 'model' });
      expect(byLuma.json.error.message).toContain('luma/ray-2 extends only videos its provider made');
      expect(byLuma.json.error.message).toContain('Models that extend any video: sketch');
      expect(luma.bodies.length).toBe(lumaCalls);
      expect((await ana.post('/v1/videos/extensions', { prompt: 'x', seconds: '4' })).json.error).toMatchObject({ param: 'video', code: 'missing_required_parameter' });
      expect((await ana.post('/v1/videos/extensions', { video: { id }, prompt: 'x' })).json.error).toMatchObject({ param: 'seconds', code: 'missing_required_parameter' });
      expect((await ana.post('/v1/videos/extensions', { video: id, prompt: 'x', seconds: '4' })).json.error).toMatchObject({ param: 'video', code: 'invalid_type' });
      const queued = await ana.post('/v1/videos', { ...SMALL, seconds: '6' });
      const early = await extend(ana, queued.json.id);
      expect([400]).toContain(early.status);
      expect(early.json.error.code).toBe('video_not_ready');
      await finished(ana, queued.json.id);
    });

    it('extends with an engine that takes a first frame: the source\'s last frame goes to the provider, and its repeat is dropped at the join', async () => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ model: 'runway/gen4_turbo', prompt: 'a blue card comes alive', size: '1280x720', seconds: '2' })) form.append(k, v);
      form.append('input_reference', new Blob([new Uint8Array(await solidPng('#3366cc', 1280, 720))], { type: 'image/png' }), 'ref.png');
      const made = await fetch(`${server.url}/v1/videos`, { method: 'POST', body: form, headers: { authorization: `Bearer ${ana.auth.key}` } });
      const source = (await made.json()) as { id: string };
      expect((await finished(ana, source.id)).status).toBe('completed');
      const ext = await client.videos.extend({ video: { id: source.id }, prompt: 'and it keeps moving', seconds: '2' as never });
      expect(ext).toMatchObject({ model: 'runway/gen4_turbo', seconds: '4', size: '1280x720', kind: 'extension', source_video_id: source.id });
      const done = await finished(ana, ext.id);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      // The provider made (and is paid for) the 2 new seconds, not the 4 s the video now lasts.
      const card = (await ana.get('/v1/models/runway/gen4_turbo')).json;
      expect(done.cost_usd).toBeCloseTo(card.price_per_second_usd * 2, 6);

      // What Runway was sent: an image-to-video request whose first frame is the source's last.
      const body = runway.bodies.at(-1) as { promptImage: Array<{ uri: string; position: string }>; duration: number };
      expect(body).toMatchObject({ duration: 2, promptImage: [{ position: 'first' }] });
      const png = tempFile(Buffer.from(body.promptImage[0]!.uri.split(',')[1]!, 'base64'), 'first.png');
      const src = await download(source.id);
      const out = await download(ext.id);
      const size = { width: 1280, height: 720 };
      const srcFrames = await frameHashes(bins.ffmpeg, src);
      expect(meanAbsDiff(await decodeFrameRgb(bins.ffmpeg, png, 0, size), await decodeFrameRgb(bins.ffmpeg, src, srcFrames.length - 1, size))).toBeLessThan(1);
      // The provider's clip (2 s at 24 fps) less its first frame follows the source's frames.
      const p = await probe(bins.ffprobe, out);
      expect(p.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 1280, height: 720, fps: 24 });
      expect(await frameHashes(bins.ffmpeg, out)).toHaveLength(srcFrames.length + 2 * 24 - 1);
      expect(meanAbsDiff(await decodeFrameRgb(bins.ffmpeg, out, srcFrames.length - 1, size), await decodeFrameRgb(bins.ffmpeg, src, srcFrames.length - 1, size))).toBeLessThan(4);
    });
  
    // One Luma source for both answers Luma may give, made once: each mode is its own test so a busy
    // machine's slow encode of one cannot push the pair past the test timeout. 540p keeps it light.
    let lumaSource: Promise<{ id: string; generation: string }> | undefined;
    const madeOnLuma = () => (lumaSource ??= (async () => {
      const made = await ana.post('/v1/videos', { model: 'luma/ray-2', prompt: 'a paper boat drifts down a gutter in the rain', seconds: '5', size: '960x540' });
      expect(made.status, JSON.stringify(made.json)).toBe(200);
      expect((await finished(ana, made.json.id)).status).toBe('completed');
      expect(await frameHashes(bins.ffmpeg, await download(made.json.id))).toHaveLength(120);
      return { id: made.json.id as string, generation: luma.tasks.all().at(-1)!.id };
    })());

    it.each(['continuation', 'whole'] as const)("extends a Luma video through Luma's own extend call (a generation keyframe) when Luma answers the %s", async (mode) => {
      const source = await madeOnLuma();
      luma.fake.extendReturns = mode;
      const before = luma.bodies.length;
      const ext = await client.videos.extend({ video: { id: source.id }, prompt: 'the boat reaches a drain and spins', seconds: '5' as never });
      expect(ext).toMatchObject({ model: 'luma/ray-2', seconds: '10', size: '960x540', kind: 'extension', source_video_id: source.id });
      const done = await finished(ana, ext.id);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      // One create, continuing the source's generation: no image, no upload.
      const sent = luma.bodies.slice(before) as any[];
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ model: 'ray-2', duration: '5s', resolution: '540p', aspect_ratio: '16:9', keyframes: { frame0: { type: 'generation', id: source.generation } } });
      // 10 s either way: the continuation joined after the source, or Luma's whole video as it is.
      const out = await download(ext.id);
      const p = await probe(bins.ffprobe, out);
      expect(p.video).toMatchObject({ codec: 'h264', width: 960, height: 540, fps: 24 });
      expect(Math.abs(p.durationSeconds - 10)).toBeLessThan(0.1);
      expect(await frameHashes(bins.ffmpeg, out)).toHaveLength(240);
      // The plan pays for the 5 new seconds Luma made, not the 10 the video lasts.
      expect(done.cost_usd).toBeCloseTo((await ana.get('/v1/models/luma/ray-2')).json.price_per_second_usd * 5, 6);
    });

    it('extends an MP4 uploaded with the request (the SDK sends the file) and one uploaded with /v1/files ({file_id}): its frames and sound, then new ones', async () => {
      // A 2 s 320x180 clip at 25 fps with sound: sketch makes 320x180 but not 25 fps, so the whole is 24 fps.
      const clip = await testPatternClip({ seconds: 2, size: '320x180', fps: 25, sound: true });
      const ext = await client.videos.extend({ video: await toFile(clip, 'holiday.mp4', { type: 'video/mp4' }), prompt: 'the sun sets over the sea', seconds: '2' as never });
      expect(ext).toMatchObject({ status: 'queued', model: 'sketch', seconds: '4', size: '320x180', kind: 'extension', source_video_id: null });
      expect((ext as any).fps).toBe(24);
      expect((ext as any).source_file).toMatchObject({ file_id: null, filename: 'holiday.mp4', sha256: createHash('sha256').update(clip).digest('hex'), size: '320x180', fps: 25 });
      expect((ext as any).source_file.duration_seconds).toBeCloseTo(2, 1);
      const done = await finished(ana, ext.id);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');

      const src = tempFile(clip, 'holiday.mp4');
      const out = await download(ext.id);
      const p = await probe(bins.ffprobe, out);
      expect(p.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 320, height: 180, fps: 24 });
      expect(p.hasAudio).toBe(true);
      // The clip's 2 s at 24 fps, then sketch's 2 s less the frame that repeats the clip's last.
      const frames = await frameHashes(bins.ffmpeg, out);
      expect(frames).toHaveLength(48 + 47);
      expect(Math.abs(p.durationSeconds - 95 / 24)).toBeLessThan(0.1);
      for (let i = 45; i <= 51; i++) expect(frames[i], `frame ${i}`).not.toBe(frames[i - 1]);
      const size = { width: 320, height: 180 };
      const srcCount = (await frameHashes(bins.ffmpeg, src)).length;
      expect(meanAbsDiff(await decodeFrameRgb(bins.ffmpeg, out, 47, size), await decodeFrameRgb(bins.ffmpeg, src, srcCount - 1, size))).toBeLessThan(8);

      // The same from a file uploaded earlier: 160x90 at 30 fps, silent. Sketch has no 160x90, so the
      // new part is made at its closest 16:9 size, and the clip is scaled into it; deleting the file
      // at once does not touch the video, which keeps its own copy.
      const small = await testPatternClip({ seconds: 3, size: '160x90', fps: 30 });
      const file = await client.files.create({ file: await toFile(small, 'small.mp4', { type: 'video/mp4' }), purpose: 'user_data' as never });
      const byFile = await ana.post('/v1/videos/extensions', { video: { file_id: file.id }, prompt: 'a kite rises', seconds: '1' });
      expect(byFile.status, JSON.stringify(byFile.json)).toBe(200);
      expect(byFile.json).toMatchObject({ seconds: '4', size: '320x180', fps: 30, source_file: { file_id: file.id, filename: 'small.mp4', size: '160x90', fps: 30 } });
      await client.files.delete(file.id);
      const done2 = await finished(ana, byFile.json.id);
      expect(done2.status, JSON.stringify(done2.error)).toBe('completed');
      const out2 = await download(byFile.json.id);
      const p2 = await probe(bins.ffprobe, out2);
      expect(p2.video).toMatchObject({ width: 320, height: 180, fps: 30 });
      expect(p2.hasAudio).toBe(false);
      expect(await frameHashes(bins.ffmpeg, out2)).toHaveLength(90 + 29);

      // Signed: the manifest names the upload by its hash, with the clip as an ingredient.
      const verified = await (await fetch(`${server.url}/api/verify`, { method: 'POST', headers: { 'content-type': 'video/mp4' }, body: await (await client.videos.downloadContent(ext.id)).arrayBuffer() })).json() as any;
      expect(verified.ingredients).toEqual([{ title: 'holiday.mp4', video_id: null, author: null }]);
      // Deleting the extension removes its copy of the clip with it.
      const copies = () => readdirSync(join(server.dataDir, 'blobs', 'inputs'), { recursive: true }).filter((f) => String(f).endsWith('source.mp4')).length;
      const before = copies();
      await client.videos.delete(ext.id);
      expect(copies()).toBe(before - 1);
    });

    it('refuses an upload that is not a usable MP4, a file that is not the caller\'s or not a video, and leaves nothing behind', async () => {
      const copies = () => { try { return readdirSync(join(server.dataDir, 'blobs', 'inputs'), { recursive: true }).filter((f) => String(f).endsWith('source.mp4')).length; } catch { return 0; } };
      const before = copies();
      const send = async (video: Blob, name: string) => {
        const form = new FormData();
        form.append('prompt', 'it goes on');
        form.append('seconds', '1');
        form.append('video', video, name);
        const res = await fetch(`${server.url}/v1/videos/extensions`, { method: 'POST', body: form, headers: { authorization: `Bearer ${ana.auth.key}` } });
        return { status: res.status, json: await res.json() as any };
      };
      const png = await send(new Blob([new Uint8Array(await solidPng('#ff0000', 64, 64))], { type: 'video/mp4' }), 'not-a-video.mp4');
      expect(png.status).toBe(400);
      expect(png.json.error).toMatchObject({ param: 'video', code: 'unsupported_file_type' });
      const clip = await testPatternClip({ seconds: 2, size: '320x180', fps: 24 });
      const cut = await send(new Blob([new Uint8Array(clip.subarray(0, Math.floor(clip.length / 2)))], { type: 'video/mp4' }), 'cut.mp4');
      expect(cut.status).toBe(400);
      expect(cut.json.error).toMatchObject({ param: 'video', code: 'invalid_video' });
      expect(cut.json.error.message).toContain('cut.mp4');

      // Ben's file is not Ana's to use; an image file is not a video; an id and a file id together are one too many.
      const bens = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: ben.auth.key! });
      const benFile = await bens.files.create({ file: await toFile(clip, 'b.mp4', { type: 'video/mp4' }), purpose: 'user_data' as never });
      expect((await extend(ana, '', { video: { file_id: benFile.id } })).json.error).toMatchObject({ param: 'video.file_id', code: 'file_not_found' });
      const image = await client.files.create({ file: await toFile(await solidPng('#00ff00', 64, 64), 'g.png', { type: 'image/png' }), purpose: 'vision' as never });
      expect((await extend(ana, '', { video: { file_id: image.id } })).json.error).toMatchObject({ param: 'video.file_id', code: 'unsupported_file_type' });
      expect((await extend(ana, '', { video: { id: 'video_x', file_id: image.id } })).json.error).toMatchObject({ param: 'video', code: 'unsupported_combination' });
      // Only a clip that was taken leaves a copy (and it is the extension's).
      const long = await send(new Blob([new Uint8Array(await testPatternClip({ seconds: 2, size: '320x180', fps: 24 }))], { type: 'video/mp4' }), 'ok.mp4');
      expect(long.status, JSON.stringify(long.json)).toBe(200);
      await finished(ana, long.json.id);
      expect(copies()).toBe(before + 1);
    });
  });
}
