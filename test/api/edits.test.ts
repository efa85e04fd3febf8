// Edits (issue 15 §2) through the real server on SQLite and PostgreSQL, driven by the official
// SDK's `videos.edit` (multipart, `video[id]`): sketch re-renders its own plan with the change, at
// the source's size, length and seed; models without video-to-video are refused with a 400 naming
// those that can; the remix rule decides whose videos may be edited. Runway Aleph 2 (its fake)
// re-makes a sketch video through Runway's own video_to_video call: the source is uploaded to
// Runway's storage without the API key, the edit keeps its size and length, and a plain create on
// that model is refused with a pointer to edits. An MP4 uploaded with the request goes to Runway
// byte for byte; sketch, which edits only its own plans, refuses one naming the models that can.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrameRgb, frameHashes } from '../../src/media/frames.js';
import { probe } from '../../src/media/probe.js';
import { accountBackends, Caller, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer } from '../helpers/accounts.js';
import { bins, probeBytes, tempFile, testPatternClip } from '../helpers/media.js';
import { startRunwayFake, type RunwayFake } from '../fakes/runway/runway.fake.js';

const SOURCE = { prompt: 'a sailboat on the sea at noon', seconds: '2', size: '320x180' };
const mean = (b: Buffer) => b.reduce((s, x) => s + x, 0) / b.length;

for (const db of await accountBackends()) {
  describe(`POST /v1/videos/edits on ${db}`, () => {
    let server: AccountServer;
    let ana: Caller;
    let ben: Caller;
    let client: OpenAI;
    let runway: RunwayFake;
    const finished = (c: Caller, id: string) => waitStatus(c, id, (s) => s === 'completed' || s === 'failed', 120_000);
    const download = async (id: string) => tempFile(await (await client.videos.downloadContent(id)).arrayBuffer());

    beforeAll(async () => {
      runway = await startRunwayFake({ apiKey: 'runway-key', renderMs: 50 });
      server = await startAccountServer(db, {
        sharing: { publishPolicy: 'open' }, providerKeys: { luma: 'test-key', runway: 'runway-key' },
        cloud: { pollIntervalMs: 50, luma: { baseUrl: 'http://127.0.0.1:9' }, runway: { baseUrl: runway.baseUrl } },
      });
      const admin = await setupAdmin(server);
      ana = await keyFor(await newMember(server, admin, 'pro'));
      ben = await keyFor(await newMember(server, admin, 'pro'));
      client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: ana.auth.key! });
    });
    afterAll(async () => {
      await server?.stop();
      await runway?.stop();
    });

    it('re-makes a sketch video with "make it night, add rain" through the SDK: same size, length and seed, the change in its plan and its pixels', async () => {
      const source = await client.videos.create(SOURCE as never);
      expect((await finished(ana, source.id)).status).toBe('completed');
      const edited = await client.videos.edit({ video: { id: source.id }, prompt: 'make it night, add rain' });
      expect(edited).toMatchObject({ object: 'video', status: 'queued', seconds: '2', size: '320x180', model: 'sketch', remixed_from_video_id: null });
      expect(edited).toMatchObject({ kind: 'edit', source_video_id: source.id, seed: (source as any).seed });
      const done = await finished(ana, edited.id);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      for (const shot of done.plan.shots) expect(shot).toMatchObject({ timeOfDay: 'night', weather: { kind: 'rain' }, setting: 'sea' });
      expect(done.plan.shots[0].subjects.map((s: any) => s.kind)).toContain('sailboat');

      const [src, out] = [await download(source.id), await download(edited.id)];
      const [a, b] = [await probe(bins.ffprobe, src), await probe(bins.ffprobe, out)];
      expect(b.video).toMatchObject({ codec: 'h264', width: 320, height: 180, fps: a.video!.fps });
      expect(await frameHashes(bins.ffmpeg, out)).toHaveLength((await frameHashes(bins.ffmpeg, src)).length);
      const size = { width: 320, height: 180 };
      // Night: the same frame is much darker than at noon.
      expect(mean(await decodeFrameRgb(bins.ffmpeg, out, 24, size))).toBeLessThan(mean(await decodeFrameRgb(bins.ffmpeg, src, 24, size)) * 0.7);
      const lineage = await ana.get(`/api/videos/${edited.id}`);
      expect(lineage.json.lineage.parent_id).toBe(source.id);
      const models = await ana.get('/v1/models');
      const byId = Object.fromEntries(models.json.data.map((m: any) => [m.id, m]));
      expect(byId.sketch.edit).toBe(true);
      expect(byId['luma/ray-2'].edit).toBe(false);
    });

    it('refuses models without video-to-video (naming those that can), edits it cannot read, and videos the caller may not use', async () => {
      const r = await ana.post('/v1/videos', { ...SOURCE, seconds: '1', fps: 12 });
      const id = (await finished(ana, r.json.id)).id;
      const luma = await ana.post('/v1/videos/edits', { video: { id }, prompt: 'make it night', model: 'luma/ray-2' });
      expect(luma.status).toBe(400);
      expect(luma.json.error).toMatchObject({ code: 'unsupported_parameter', param: 'model' });
      expect(luma.json.error.message).toMatch(/Models that can: .*sketch/);
      expect(luma.json.error.message).toContain('runway/aleph2');
      const vague = await ana.post('/v1/videos/edits', { video: { id }, prompt: 'blorp the flibber' });
      expect(vague.status).toBe(400);
      expect(vague.json.error).toMatchObject({ code: 'edit_not_understood', param: 'prompt' });
      expect((await ana.post('/v1/videos/edits', { video: { id } })).json.error.param).toBe('prompt');

      const b = await ben.post('/v1/videos', { ...SOURCE, seconds: '1', fps: 12 });
      await finished(ben, b.json.id);
      expect((await ana.post('/v1/videos/edits', { video: { id: b.json.id }, prompt: 'make it night' })).status).toBe(404);
      expect((await ben.post(`/api/videos/${b.json.id}/publish`, { title: 'Noon sail', remix: 'deny' })).status).toBe(201);
      const denied = await ana.post('/v1/videos/edits', { video: { id: b.json.id }, prompt: 'make it night' });
      expect(denied.status).toBe(403);
      expect(denied.json.error.code).toBe('remix_not_allowed');
    });

    it('edits any video with Runway Aleph 2 through Runway\'s video_to_video call, uploading the source without the API key', async () => {
      const source = await client.videos.create({ ...SOURCE, seconds: '2', fps: 24 } as never);
      expect((await finished(ana, source.id)).status).toBe('completed');
      const bodiesBefore = runway.bodies.length;
      const edited = await client.videos.edit({ video: { id: source.id }, prompt: 'relight it as a golden sunset', model: 'runway/aleph2' } as never);
      expect(edited).toMatchObject({ model: 'runway/aleph2', seconds: '2', size: '320x180' });
      const done = await finished(ana, edited.id);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');

      // What Runway got: the source file itself (byte for byte) in its storage, then the edit call.
      const sent = runway.bodies.slice(bodiesBefore) as any[];
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ model: 'aleph2', promptText: 'relight it as a golden sunset', seed: (source as any).seed });
      const uploaded = runway.uploads.get(sent[0].videoUri);
      expect(uploaded).toBeDefined();
      const original = Buffer.from(await (await client.videos.downloadContent(source.id)).arrayBuffer());
      expect(uploaded!.bytes.equals(original)).toBe(true);
      expect(runway.server.calls.filter((c) => c.route === 'upload-file').every((c) => c.status === 204)).toBe(true);

      const p = await probeBytes(await (await client.videos.downloadContent(edited.id)).arrayBuffer());
      expect(p.video).toMatchObject({ codec: 'h264', width: 320, height: 180 });
      expect(p.durationSeconds).toBeCloseTo(2, 0);
      expect((await ana.get(`/api/videos/${edited.id}`)).json.lineage.parent_id).toBe(source.id);

      // It only edits: a plain create on it is refused, saying where to go.
      const plain = await ana.post('/v1/videos', { model: 'runway/aleph2', prompt: 'a sunset', seconds: '5', size: '1280x720' });
      expect(plain.status).toBe(400);
      expect(plain.json.error).toMatchObject({ code: 'unsupported_parameter', param: 'model' });
      expect(plain.json.error.message).toContain('/v1/videos/edits');
      // Its card says what it is.
      const card = (await ana.get('/v1/models')).json.data.find((m: any) => m.id === 'runway/aleph2');
      expect(card).toMatchObject({ edit: true, extend: false, inputs: ['video'] });
    });
  
    it('edits an uploaded MP4 with Runway Aleph 2 (the bytes go to Runway as sent); sketch refuses one, naming the models that can', async () => {
      const clip = await testPatternClip({ seconds: 2, size: '320x180', fps: 24, sound: true });
      const bodiesBefore = runway.bodies.length;
      const edited = await client.videos.edit({ video: await toFile(clip, 'street.mp4', { type: 'video/mp4' }), prompt: 'make it snow', model: 'runway/aleph2' } as never);
      expect(edited).toMatchObject({ model: 'runway/aleph2', seconds: '2', size: '320x180', kind: 'edit', source_video_id: null });
      expect((edited as any).source_file).toMatchObject({ file_id: null, filename: 'street.mp4', size: '320x180', fps: 24 });
      const done = await finished(ana, edited.id);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      const sent = runway.bodies.slice(bodiesBefore) as any[];
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ model: 'aleph2', promptText: 'make it snow' });
      expect(runway.uploads.get(sent[0].videoUri)!.bytes.equals(clip)).toBe(true);
      const p = await probeBytes(await (await client.videos.downloadContent(edited.id)).arrayBuffer());
      expect(p.video).toMatchObject({ codec: 'h264', width: 320, height: 180 });

      const bySketch = await client.videos.edit({ video: await toFile(clip, 'street.mp4', { type: 'video/mp4' }), prompt: 'make it night' }).catch((e) => e);
      expect(bySketch).toMatchObject({ status: 400, code: 'unsupported_parameter' });
      expect(bySketch.message).toContain('runway/aleph2');
    });
  });
}
