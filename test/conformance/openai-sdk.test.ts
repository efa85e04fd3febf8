// Drives the server with the official openai SDK, unchanged, through every Videos API call.
// Two SDK versions: 6.27 sends JSON bodies, 6.28+ always sends multipart (nested
// `input_reference[image_url]` fields), and the server must take both.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import OpenAIMultipart, { toFile as toFileMultipart } from 'openai';
import OpenAIJson, { toFile as toFileJson } from 'openai-json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffImage } from '../../src/domain/image-sniff.js';
import { decodeFrameRgb } from '../../src/media/frames.js';
import { bins, noisyRedPng, probeBytes, solidPng, tempFile } from '../helpers/media.js';
import { serverBackends, startTestServer, waitFor, type TestServer } from '../helpers/server.js';

type AnyClient = InstanceType<typeof OpenAIMultipart>;

const sdks = [
  { name: 'openai 6.49 (multipart)', OpenAI: OpenAIMultipart as unknown as typeof OpenAIMultipart, toFile: toFileMultipart, encoding: 'multipart' },
  { name: 'openai 6.27 (JSON)', OpenAI: OpenAIJson as unknown as typeof OpenAIMultipart, toFile: toFileJson as unknown as typeof toFileMultipart, encoding: 'json' },
];

for (const db of await serverBackends()) {
  describe(`the official openai SDK on ${db}`, () => {
    let server: TestServer;
    beforeAll(async () => { server = await startTestServer({}, { db }); });
    afterAll(async () => server?.stop());

    for (const sdk of sdks) {
      describe(`Videos API through ${sdk.name}`, () => {
        let client: AnyClient;
        const seen: Array<{ method: string; url: string; contentType: string; status: number }> = [];
        beforeAll(() => {
          const countingFetch: typeof fetch = async (input, init) => {
            const res = await fetch(input, init);
            // fetch sets a FormData body's multipart content type itself; a JSON body carries a header.
            const contentType = init?.body instanceof FormData ? 'multipart/form-data' : new Headers(init?.headers).get('content-type') ?? '';
            seen.push({ method: init?.method ?? 'GET', url: String(input), contentType, status: res.status });
            return res;
          };
          client = new sdk.OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', fetch: countingFetch });
        });

        const completed = (id: string) => waitFor(() => client.videos.retrieve(id), (v) => v.status === 'completed' || v.status === 'failed', 90_000, 50);

        it('lists model cards with their capabilities', async () => {
          const models: Array<Record<string, unknown>> = [];
          for await (const m of client.models.list()) models.push(m as unknown as Record<string, unknown>);
          const sketch = models.find((m) => m.id === 'sketch');
          expect(sketch).toMatchObject({ object: 'model', kind: 'procedural', fps: [12, 24, 30], inputs: ['text', 'image'], seed: true, seconds: { min: 1, max: 20, step: 1 } });
          expect(sketch!.sizes).toEqual(expect.arrayContaining(['720x1280', '1280x720', '1024x1792', '1792x1024', '1920x1080', '1080x1920']));
        });

        it('creates an 8 s 1280x720 video, reports rising progress, and delivers exactly that MP4', async () => {
          const before = Math.floor(Date.now() / 1000);
          const created = await client.videos.create({ model: 'sketch', prompt: 'a lighthouse on a cliff at dusk', seconds: '8', size: '1280x720' });
          const after = Math.ceil(Date.now() / 1000);
          const createCall = seen.find((s) => s.method === 'POST' && s.url.endsWith('/v1/videos'))!;
          expect(createCall.contentType).toMatch(sdk.encoding === 'json' ? /application\/json/ : /multipart\/form-data/);
          for (const k of ['id', 'object', 'model', 'status', 'progress', 'created_at', 'completed_at', 'expires_at', 'prompt', 'size', 'seconds', 'remixed_from_video_id', 'error']) {
            expect(created).toHaveProperty(k);
          }
          expect(created).toMatchObject({ object: 'video', model: 'sketch', status: 'queued', progress: 0, size: '1280x720', seconds: '8', completed_at: null, error: null });
          expect(created.id).toMatch(/^video_[0-9a-f]{32}$/);
          expect(created.created_at).toBeGreaterThanOrEqual(before); // stamped while the request was handled
          expect(created.created_at).toBeLessThanOrEqual(after);

          const progress: number[] = [];
          const done = await waitFor(() => client.videos.retrieve(created.id), (v) => {
            progress.push(v.progress);
            return v.status === 'completed' || v.status === 'failed';
          }, 90_000, 50);
          expect(done.status).toBe('completed');
          expect(done.progress).toBe(100);
          expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at);
          expect(progress.some((p) => p > 0 && p < 100)).toBe(true);
          expect(progress.every((p, i) => i === 0 || p >= progress[i - 1]!)).toBe(true);

          const res = await client.videos.downloadContent(created.id);
          expect(res.headers.get('content-type')).toBe('video/mp4');
          const p = await probeBytes(await res.arrayBuffer());
          expect(p.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 1280, height: 720, fps: 24, frames: 192 });
          expect(p.durationSeconds).toBeCloseTo(8, 2);
          expect(p.tags.title).toBe('a lighthouse on a cliff at dusk');
          expect(JSON.parse(p.tags.comment!)).toMatchObject({ video_id: created.id, model: 'sketch', seed: (done as unknown as { seed: number }).seed, size: '1280x720', seconds: 8 });

          const thumb = Buffer.from(await (await client.videos.downloadContent(created.id, { variant: 'thumbnail' })).arrayBuffer());
          expect(sniffImage(thumb)).toMatchObject({ format: 'webp', width: 640, height: 360 });
          const sprite = Buffer.from(await (await client.videos.downloadContent(created.id, { variant: 'spritesheet' })).arrayBuffer());
          expect(sniffImage(sprite)).toMatchObject({ format: 'jpeg', width: 256 * 5, height: 144 * 5 });
        });

        it('pages through the list with after/limit/order, as the SDK\'s auto-pager does', async () => {
          const ids: string[] = [];
          for (let i = 0; i < 3; i++) ids.push((await client.videos.create({ model: 'sketch', prompt: `page test ${i}`, seconds: '1', size: '320x180' } as never)).id);
          const page = await client.videos.list({ limit: 2, order: 'desc' });
          expect(page.data).toHaveLength(2);
          expect(page.has_more).toBe(true);
          expect(page.last_id).toBe(page.data[1]!.id);
          const raw = (await client.videos.list({ limit: 2, order: 'desc' }).asResponse().then((r) => r.json())) as Record<string, unknown>;
          expect(raw).toMatchObject({ object: 'list', first_id: page.data[0]!.id, last_id: page.data[1]!.id, has_more: true });
          const all: string[] = [];
          for await (const v of client.videos.list({ limit: 2, order: 'desc' })) all.push(v.id);
          expect(new Set(all).size).toBe(all.length);
          expect(all.slice(0, 3)).toEqual([...ids].reverse());
          const asc: string[] = [];
          for await (const v of client.videos.list({ limit: 1, order: 'asc' })) asc.push(v.id);
          expect(asc).toEqual([...all].reverse());
          const empty = await client.videos.list({ limit: 0 });
          expect(empty.data).toEqual([]);
          for (const id of ids) await completed(id);
        });

        it('remixes a completed video into a new one that points back at it', async () => {
          const src = await client.videos.create({ model: 'sketch', prompt: 'a red balloon over a harbour', seconds: '1', size: '320x180' } as never);
          const srcDone = await completed(src.id);
          const remix = await client.videos.remix(src.id, { prompt: 'a blue balloon over a harbour at night' });
          expect(remix.id).not.toBe(src.id);
          expect(remix).toMatchObject({ remixed_from_video_id: src.id, status: 'queued', prompt: 'a blue balloon over a harbour at night', size: '320x180', seconds: '1' });
          const done = await completed(remix.id);
          expect(done.status).toBe('completed');
          expect((done as unknown as { seed: number }).seed).toBe((srcDone as unknown as { seed: number }).seed);
          const p = await probeBytes(await (await client.videos.downloadContent(remix.id)).arrayBuffer());
          expect(p.video).toMatchObject({ width: 320, height: 180 });
        });

        it('uses an uploaded input_reference image as the first frame\'s backdrop', async () => {
          const png = await solidPng('#0000ff', 64, 36);
          const created = await client.videos.create({
            model: 'sketch', prompt: 'waves', seconds: '1', size: '320x180',
            input_reference: await sdk.toFile(png, 'reference.png', { type: 'image/png' }),
          } as never);
          expect((await completed(created.id)).status).toBe('completed');
          const file = tempFile(await (await client.videos.downloadContent(created.id)).arrayBuffer());
          const rgb = await decodeFrameRgb(bins.ffmpeg, file, 0, { width: 320, height: 180 });
          expect(rgb[2]!).toBeGreaterThan(200);
          expect(rgb[0]!).toBeLessThan(60);
        });

        it('uploads an image with files.create and uses it as input_reference {file_id}', async () => {
          const png = await solidPng('#0000ff', 64, 36);
          const file = await client.files.create({ file: await sdk.toFile(png, 'frame.png', { type: 'image/png' }), purpose: 'vision' });
          expect(file).toMatchObject({ object: 'file', bytes: png.length, filename: 'frame.png', purpose: 'vision', status: 'processed' });
          const created = await client.videos.create({ model: 'sketch', prompt: 'waves', seconds: '1', size: '320x180', input_reference: { file_id: file.id } } as never);
          expect((await completed(created.id)).status).toBe('completed');
          const rgb = await decodeFrameRgb(bins.ffmpeg, tempFile(await (await client.videos.downloadContent(created.id)).arrayBuffer()), 0, { width: 320, height: 180 });
          expect(rgb[2]!).toBeGreaterThan(200);
          expect(await client.files.delete(file.id)).toMatchObject({ id: file.id, deleted: true });
        });

        it('takes input_reference as an image_url data URL (nested field), even one over 1 MB', async () => {
          const png = await noisyRedPng(1200, 800);
          expect(png.length).toBeGreaterThan(1024 * 1024);
          const created = await client.videos.create({
            model: 'sketch', prompt: 'a field', seconds: '1', size: '320x180',
            input_reference: { image_url: `data:image/png;base64,${png.toString('base64')}` },
          } as never);
          expect((await completed(created.id)).status).toBe('completed');
          const file = tempFile(await (await client.videos.downloadContent(created.id)).arrayBuffer());
          const rgb = await decodeFrameRgb(bins.ffmpeg, file, 0, { width: 320, height: 180 });
          expect(rgb[0]!).toBeGreaterThan(200);
        });

        it('deletes a video: the row and its files go, later calls get 404', async () => {
          const created = await client.videos.create({ model: 'sketch', prompt: 'to be deleted', seconds: '1', size: '320x180' } as never);
          await completed(created.id);
          const dir = join(server.dataDir, 'blobs', 'videos', created.id);
          expect(existsSync(dir)).toBe(true);
          expect(await client.videos.delete(created.id)).toMatchObject({ id: created.id, object: 'video.deleted', deleted: true });
          expect(existsSync(dir)).toBe(false); // video, thumbnail, spritesheet and their folder
          await expect(client.videos.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
          await expect(client.videos.downloadContent(created.id)).rejects.toMatchObject({ status: 404 });
        });

        it('refuses bad requests with a 400 naming the field, never a 5xx', async () => {
          const cases: Array<[Record<string, unknown>, string]> = [
            [{ model: 'no-such-model', prompt: 'x' }, 'model'],
            [{ model: 'sketch', prompt: 'x', size: '1280x721' }, 'size'],
            [{ model: 'sketch', prompt: 'x', size: '3840x2160' }, 'size'],
            [{ model: 'sketch', prompt: 'x', seconds: '25' }, 'seconds'],
            [{ model: 'sketch', prompt: 'x', seconds: 'eight' }, 'seconds'],
            [{ model: 'sketch', prompt: '' }, 'prompt'],
            [{ model: 'sketch', prompt: '   ' }, 'prompt'],
            [{ model: 'sketch', prompt: 'x'.repeat(32001) }, 'prompt'],
            [{ model: 'sketch', prompt: 'x', fps: 25 }, 'fps'],
          ];
          for (const [body, param] of cases) {
            const err = await client.videos.create(body as never).then(() => null, (e: unknown) => e as { status: number; error: { param: string; type: string; message: string } });
            expect(err, JSON.stringify(body).slice(0, 80)).not.toBeNull();
            expect(err!.status).toBe(400);
            expect(err!.error).toMatchObject({ param, type: 'invalid_request_error' });
            expect(err!.error.message.length).toBeGreaterThan(10);
          }
        });

        it('refuses a non-image upload with a 400 on input_reference', async () => {
          const err = await client.videos.create({
            model: 'sketch', prompt: 'x', seconds: '1', size: '320x180',
            input_reference: await sdk.toFile(Buffer.from('# README\nnot an image'), 'README.md'),
          } as never).catch((e) => e);
          expect(err.status).toBe(400);
          expect(err.error).toMatchObject({ param: 'input_reference', code: 'invalid_image' });
        });

        it('answers content requests before completion with a 400 the SDK does not retry', async () => {
          const created = await client.videos.create({ model: 'sketch', prompt: 'slow one', seconds: '20', size: '1280x720' } as never);
          const before = seen.length;
          const err = await client.videos.downloadContent(created.id).catch((e) => e);
          expect(err.status).toBe(400);
          expect(err.error).toMatchObject({ code: 'video_not_ready', param: 'video_id' });
          expect(seen.length - before).toBe(1); // one request: no retries
          await client.videos.delete(created.id);
        });
      });
    }
  });
}
