// First and last frames through the real HTTP API (issue 15 §5), on SQLite and PostgreSQL:
// `last_frame` (upload, image_url or file_id) reaches each provider in its documented field (the
// fakes check and record it), sketch ends its video on it, a model whose card takes none is refused
// with a 400 naming the models here that do, and a bad image is a 400 naming `last_frame`. The
// OpenAI Video object stays as OpenAI has it; the studio's says `has_last_frame`.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, postgresUrl } from '../../src/db/test-databases.js';
import { openPostgres } from '../../src/db/database.js';
import { dropSchema } from '../../src/db/migrator.js';
import { startRunwayFake, type RunwayFake } from '../fakes/runway/runway.fake.js';
import { startKlingFake } from '../fakes/kling/kling.fake.js';
import { startMinimaxFake } from '../fakes/minimax/minimax.fake.js';
import { sizedPng } from '../helpers/images.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/server.js';

const backends = (await testDatabases()).map((t) => t.name);
const KEY = 'sk-last-frame-key-4242';
const KLING = { accessKey: 'ak-last-frame', secretKey: 'sk-last-frame-secret' };

describe.each(backends)('last_frame on %s', (db) => {
  let server: TestServer;
  let runway: RunwayFake;
  let kling: Awaited<ReturnType<typeof startKlingFake>>;
  let minimax: Awaited<ReturnType<typeof startMinimaxFake>>;
  const schema = `t_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    runway = await startRunwayFake({ apiKey: KEY, renderMs: 100 });
    kling = await startKlingFake({ ...KLING, renderMs: 100 });
    minimax = await startMinimaxFake({ apiKey: KEY, renderMs: 100 });
    server = await startTestServer({
      ...(db === 'postgres' ? { databaseUrl: `${postgresUrl}?schema=${schema}` } : {}),
      providerKeys: { runway: KEY, kling_access: KLING.accessKey, kling_secret: KLING.secretKey, minimax: KEY, luma: KEY },
      cloud: { pollIntervalMs: 50, runway: { baseUrl: runway.baseUrl }, kling: { baseUrl: kling.baseUrl }, minimax: { baseUrl: minimax.baseUrl }, luma: { baseUrl: 'http://127.0.0.1:9' } },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await Promise.all([runway, kling, minimax].map((f) => f?.stop()));
    if (db === 'postgres') {
      const admin = await openPostgres(postgresUrl, { max: 1 });
      await dropSchema(admin, schema);
      await admin.destroy();
    }
  });

  const first = sizedPng(1280, 720);
  const last = sizedPng(1280, 720, { bytes: 9_000 }); // other bytes than the first, so the fakes can tell them apart
  const dataUrl = (png: Buffer) => ({ image_url: `data:image/png;base64,${png.toString('base64')}` });

  async function call(path: string, init: { method?: string; json?: unknown; form?: FormData } = {}) {
    const res = await fetch(`${server.url}${path}`, {
      method: init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET'),
      headers: init.json !== undefined ? { 'content-type': 'application/json' } : undefined,
      body: init.form ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined),
    });
    return { status: res.status, json: (await res.json().catch(() => null)) as any };
  }

  function form(fields: Record<string, string>, files: Record<string, Buffer>): FormData {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    for (const [k, v] of Object.entries(files)) f.append(k, new Blob([v], { type: 'image/png' }), `${k}.png`);
    return f;
  }

  const finished = (id: string) => waitFor(() => call(`/v1/videos/${id}`), (r) => r.json.status === 'completed' || r.json.status === 'failed', 60_000, 50);
  const blob = (key: string) => join(server.dataDir, 'blobs', key);

  it('says on each card whether the model takes a last frame', async () => {
    const { json } = await call('/v1/models');
    const byId = Object.fromEntries((json.data as any[]).map((m) => [m.id, m.last_frame]));
    for (const id of ['sketch', 'kling/kling-v2-5-turbo', 'kling/kling-v2-6', 'runway/veo3.1', 'runway/veo3.1_fast', 'minimax/MiniMax-Hailuo-02']) expect(byId[id], id).toBe(true);
    for (const id of ['luma/ray-2', 'runway/gen4_turbo', 'runway/gen4.5']) expect(byId[id], id).toBe(false);
  });

  it('refuses a last frame on a model whose card takes none, naming the models here that do', async () => {
    const r = await call('/v1/videos', { json: { model: 'luma/ray-2', prompt: 'a heron lands', last_frame: dataUrl(last) } });
    expect(r.status, JSON.stringify(r.json)).toBe(400);
    expect(r.json.error).toMatchObject({ type: 'invalid_request_error', param: 'last_frame', code: 'unsupported_parameter' });
    expect(r.json.error.message).toContain('luma/ray-2 does not take a last frame');
    expect(r.json.error.message).toContain('Models here that take a last frame: ');
    for (const id of ['sketch', 'kling/kling-v2-5-turbo', 'runway/veo3.1', 'minimax/MiniMax-Hailuo-02']) expect(r.json.error.message).toContain(id);
    expect(r.json.error.message).not.toMatch(/take a last frame: .*luma/);
    const turbo = await call('/v1/videos', { form: form({ model: 'runway/gen4_turbo', prompt: 'a heron lands' }, { input_reference: first, last_frame: last }) });
    expect(turbo.json.error).toMatchObject({ param: 'last_frame', code: 'unsupported_parameter' });
    expect(runway.bodies).toHaveLength(0);
  });

  it('Kling: sends the last frame as image_tail beside image; without a first frame it is a clear 400', async () => {
    const alone = await call('/v1/videos', { json: { model: 'kling/kling-v2-5-turbo', prompt: 'a heron lands', size: '1280x720', last_frame: dataUrl(last) } });
    expect(alone.status).toBe(400);
    expect(alone.json.error.param).toBe('last_frame');
    expect(alone.json.error.message).toMatch(/image_tail.*only with a first frame.*input_reference/);
    expect(kling.bodies).toHaveLength(0);

    const r = await call('/v1/videos', { form: form({ model: 'kling/kling-v2-5-turbo', prompt: 'a heron lands', size: '1280x720', seconds: '5' }, { input_reference: first, last_frame: last }) });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).not.toHaveProperty('last_frame');
    expect(r.json).not.toHaveProperty('has_last_frame');
    expect((await finished(r.json.id)).json.status).toBe('completed');
    const body = kling.bodies.at(-1) as Record<string, string>;
    expect(body.image).toBe(first.toString('base64'));
    expect(body.image_tail).toBe(last.toString('base64'));
    expect(kling.tasks.all().at(-1)!.params.imageTail).toBe(true);
    expect(existsSync(blob(`inputs/${r.json.id}/last-frame.png`))).toBe(true);
    expect((await call(`/api/videos/${r.json.id}`)).json).toMatchObject({ has_input_reference: true, has_last_frame: true });
    // Deleted with the video.
    expect((await call(`/v1/videos/${r.json.id}`, { method: 'DELETE' })).status).toBe(200);
    expect(existsSync(blob(`inputs/${r.json.id}/last-frame.png`))).toBe(false);
  });

  it('Runway (Veo 3.1) gets promptImage first and last; MiniMax gets last_frame_image', async () => {
    const r = await call('/v1/videos', { json: { model: 'runway/veo3.1', prompt: 'a heron lands', size: '1280x720', seconds: '8', input_reference: dataUrl(first), last_frame: dataUrl(last) } });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect((await finished(r.json.id)).json.status).toBe('completed');
    expect((runway.bodies.at(-1) as any).promptImage).toEqual([
      { uri: `data:image/png;base64,${first.toString('base64')}`, position: 'first' },
      { uri: `data:image/png;base64,${last.toString('base64')}`, position: 'last' },
    ]);

    const m = await call('/v1/videos', { form: form({ model: 'minimax/MiniMax-Hailuo-02', prompt: 'a heron lands', seconds: '6' }, { input_reference: sizedPng(1366, 768), last_frame: sizedPng(1366, 768, { bytes: 9_000 }) }) });
    expect(m.status, JSON.stringify(m.json)).toBe(200);
    expect((await finished(m.json.id)).json.status).toBe('completed');
    const body = minimax.bodies.at(-1) as Record<string, string>;
    expect(body.first_frame_image).toMatch(/^data:image\/png;base64,/);
    expect(body.last_frame_image).toBe(`data:image/png;base64,${sizedPng(1366, 768, { bytes: 9_000 }).toString('base64')}`);
  });

  it('sketch takes it as an uploaded file (file_id), and a remix keeps its own copy', async () => {
    const up = new FormData();
    up.append('purpose', 'vision');
    up.append('file', new Blob([sizedPng(320, 180)], { type: 'image/png' }), 'last.png');
    const file = await call('/v1/files', { form: up });
    expect(file.status, JSON.stringify(file.json)).toBe(200);
    const r = await call('/v1/videos', { json: { model: 'sketch', prompt: 'a meadow', size: '320x180', seconds: '1', last_frame: { file_id: file.json.id } } });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect((await finished(r.json.id)).json.status).toBe('completed');
    expect(existsSync(blob(`inputs/${r.json.id}/last-frame.png`))).toBe(true);
    expect(r.json.size).toBe('320x180'); // asked for; without a size the last frame's aspect picks one
    const framed = await call('/v1/videos', { json: { model: 'sketch', prompt: 'a meadow', seconds: '1', last_frame: { file_id: file.json.id } } });
    const [w, h] = (framed.json.size as string).split('x').map(Number) as [number, number];
    expect(w / h).toBeCloseTo(16 / 9, 1); // the image's 16:9, not sketch's default 720x1280
    await finished(framed.json.id);

    const remix = await call(`/v1/videos/${r.json.id}/remix`, { json: { prompt: 'a meadow at dusk' } });
    expect(remix.status, JSON.stringify(remix.json)).toBe(200);
    expect(existsSync(blob(`inputs/${remix.json.id}/last-frame.png`))).toBe(true);
    expect((await call(`/api/videos/${remix.json.id}`)).json.has_last_frame).toBe(true);
    expect((await finished(remix.json.id)).json.status).toBe('completed');
  });

  it('refuses a bad last frame with the OpenAI envelope naming last_frame', async () => {
    const garbage = await call('/v1/videos', { json: { model: 'sketch', prompt: 'a meadow', last_frame: { image_url: `data:image/png;base64,${Buffer.from('not an image').toString('base64')}` } } });
    expect(garbage.status).toBe(400);
    expect(garbage.json.error).toMatchObject({ type: 'invalid_request_error', param: 'last_frame', code: 'invalid_image' });
    expect(garbage.json.error.message).toContain("'last_frame' is not a PNG, JPEG or WebP image");
    const unknown = await call('/v1/videos', { json: { model: 'sketch', prompt: 'a meadow', last_frame: { file_id: 'file-doesnotexist' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ param: 'last_frame.file_id', code: 'file_not_found' });
    const both = await call('/v1/videos', { json: { model: 'sketch', prompt: 'a meadow', last_frame: { file_id: 'file-x', image_url: 'https://example.com/a.png' } } });
    expect(both.json.error).toMatchObject({ param: 'last_frame' });
    const str = await call('/v1/videos', { json: { model: 'sketch', prompt: 'a meadow', last_frame: 'https://example.com/a.png' } });
    expect(str.json.error).toMatchObject({ param: 'last_frame', code: 'invalid_type' });
    // Kling's own limits hold for the last frame too (at least 300 px a side).
    const small = await call('/v1/videos', { form: form({ model: 'kling/kling-v2-5-turbo', prompt: 'a heron', size: '1280x720' }, { input_reference: first, last_frame: sizedPng(200, 200) }) });
    expect(small.status).toBe(400);
    expect(small.json.error).toMatchObject({ param: 'last_frame', code: 'image_too_small' });
    // A third file part is still refused.
    const extra = await call('/v1/videos', { form: form({ model: 'sketch', prompt: 'a meadow' }, { input_reference: first, other: last }) });
    expect(extra.json.error).toMatchObject({ param: 'other', code: 'unexpected_file' });
  });
});
