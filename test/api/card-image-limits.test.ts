// Each card states its provider's limits on a reference image, and the API holds requests to them
// at create (issue 12: "Runway takes inline images up to 5 MB, Méliès accepts 20 MiB and fails
// later in the queue"): over-limit bytes, sides, type and aspect are refused with a 400 naming the
// limit, and the provider's fake is never called; an image within the limits goes through. The
// limits are on GET /v1/models for the studio. On SQLite and PostgreSQL (the accepted ones create
// videos).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, postgresUrl } from '../../src/db/test-databases.js';
import { openPostgres } from '../../src/db/database.js';
import { startRunwayFake, type RunwayFake } from '../fakes/runway/runway.fake.js';
import { startKlingFake } from '../fakes/kling/kling.fake.js';
import { startMinimaxFake } from '../fakes/minimax/minimax.fake.js';
import { sizedPng, webpOf } from '../helpers/images.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { dropSchema } from '../../src/db/migrator.js';

const backends = (await testDatabases()).map((t) => t.name);
const KEY = 'sk-card-limits-key-5150';
const KLING = { accessKey: 'ak-card-limits', secretKey: 'sk-card-limits-secret' };

describe.each(backends)('card image limits on %s', (db) => {
  let server: TestServer;
  let runway: RunwayFake;
  let kling: Awaited<ReturnType<typeof startKlingFake>>;
  let minimax: Awaited<ReturnType<typeof startMinimaxFake>>;
  const schema = `t_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    runway = await startRunwayFake({ apiKey: KEY });
    kling = await startKlingFake(KLING);
    minimax = await startMinimaxFake({ apiKey: KEY });
    server = await startTestServer({
      ...(db === 'postgres' ? { databaseUrl: `${postgresUrl}?schema=${schema}` } : {}),
      providerKeys: { runway: KEY, kling_access: KLING.accessKey, kling_secret: KLING.secretKey, minimax: KEY },
      cloud: { pollIntervalMs: 50, runway: { baseUrl: runway.baseUrl }, kling: { baseUrl: kling.baseUrl }, minimax: { baseUrl: minimax.baseUrl } },
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

  async function create(model: string, size: string, seconds: string, image: Buffer, name = 'ref.png') {
    const form = new FormData();
    for (const [k, v] of Object.entries({ model, prompt: 'the scene comes alive', size, seconds })) form.append(k, v);
    form.append('input_reference', new Blob([image]), name);
    const res = await fetch(`${server.url}/v1/videos`, { method: 'POST', body: form });
    return { status: res.status, json: (await res.json()) as any };
  }

  function refused(r: { status: number; json: any }, code: string, ...words: string[]): void {
    expect(r.status, JSON.stringify(r.json)).toBe(400);
    expect(r.json.error).toMatchObject({ type: 'invalid_request_error', param: 'input_reference', code });
    for (const w of words) expect(r.json.error.message).toContain(w);
  }

  it('shows each card\'s image limits on GET /v1/models, within the server\'s own caps', async () => {
    const { data } = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: any[] };
    const card = (id: string) => data.find((m) => m.id === id)!;
    expect(card('runway/gen4_turbo').image_input).toEqual({
      types: ['image/png', 'image/jpeg', 'image/webp'], max_bytes: 3_749_982, min_side: null, max_side: null,
      max_pixels: 4096 * 4096, min_aspect: 0.5, max_aspect: 2, match_video_size: false,
    });
    expect(card('kling/kling-v2-5-turbo').image_input).toMatchObject({ types: ['image/png', 'image/jpeg'], max_bytes: 10_000_000, min_side: 300, min_aspect: 0.4, max_aspect: 2.5 });
    expect(card('minimax/MiniMax-Hailuo-02').image_input).toMatchObject({ max_bytes: 20_000_000, min_side: 301, min_aspect: 0.4, max_aspect: 2.5 });
    // The built-in engine states no limits of its own: the server's caps are what it takes.
    expect(card('sketch').image_input).toMatchObject({ max_bytes: 20 * 1024 * 1024, max_pixels: 4096 * 4096 });
    expect(card('luma/ray-2')?.image_input ?? null).toBeNull();
  });

  it('Runway: refuses a file over its inline limit and a ratio beyond 2:1, without calling Runway', async () => {
    refused(await create('runway/gen4_turbo', '1280x720', '5', sizedPng(1280, 720, { bytes: 7_200_000 })), 'image_too_large',
      'runway/gen4_turbo takes reference images up to 3.74 MB', 'Runway caps at 5 MB', 'this one is 7.2 MB');
    refused(await create('runway/gen4.5', '1280x720', '5', sizedPng(3000, 1000)), 'unsupported_image_aspect', 'between 1:2 and 2:1', '3000x1000');
    expect(runway.bodies).toEqual([]);
    const ok = await create('runway/gen4_turbo', '1280x720', '5', sizedPng(1280, 720));
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
  });

  it('Kling: refuses WebP, over 10 MB, under 300 px and beyond 2.5:1, without calling Kling', async () => {
    refused(await create('kling/kling-v2-5-turbo', '1280x720', '5', await webpOf(1280, 720), 'ref.webp'), 'unsupported_image_type', 'PNG or JPEG', 'this one is WebP');
    refused(await create('kling/kling-v2-5-turbo', '1280x720', '5', sizedPng(1280, 720, { bytes: 10_500_000 })), 'image_too_large', 'up to 10 MB', 'this one is 10.5 MB');
    refused(await create('kling/kling-v2-5-turbo', '1280x720', '5', sizedPng(200, 400)), 'image_too_small', 'at least 300 pixels', '200x400');
    refused(await create('kling/kling-v2-6', '1920x1080', '5', sizedPng(3000, 1000)), 'unsupported_image_aspect', 'between 2:5 and 5:2', '3000x1000');
    expect(kling.bodies).toEqual([]);
    const ok = await create('kling/kling-v2-5-turbo', '1280x720', '5', sizedPng(1280, 720));
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
  });

  it('MiniMax: refuses over 20 MB, a short side of 300 px and beyond 2:5, without calling MiniMax', async () => {
    refused(await create('minimax/MiniMax-Hailuo-02', '1366x768', '6', sizedPng(1366, 768, { bytes: 20_500_000 })), 'image_too_large', 'up to 20 MB', 'this one is 20.5 MB');
    refused(await create('minimax/MiniMax-Hailuo-2.3', '1366x768', '6', sizedPng(300, 900)), 'image_too_small', 'at least 301 pixels', '300x900');
    refused(await create('minimax/MiniMax-Hailuo-02', '1366x768', '6', sizedPng(1000, 3000)), 'unsupported_image_aspect', 'between 2:5 and 5:2', '1000x3000');
    expect(minimax.bodies).toEqual([]);
    const ok = await create('minimax/MiniMax-Hailuo-02', '1366x768', '6', sizedPng(1366, 768));
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
  });
});
