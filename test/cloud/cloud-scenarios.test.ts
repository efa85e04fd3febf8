// Cloud engines end to end through the real HTTP API, with the official openai SDK as the client
// and provider fakes behind: a burst past Runway's rate limit completes with one create per video;
// Runway going down opens its circuit and the operator's fallback (Luma) makes the videos, which
// say so; a MiniMax daily spend cap refuses the request before any provider call; a Veo refusal
// fails the video with Google's reason; a model Luma says is gone is retired with alternatives,
// while videos made earlier stay downloadable. Outputs are checked with ffprobe.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeBytes } from '../helpers/media.js';
import { serverBackends, startTestServer, waitFor, type TestServer } from '../helpers/server.js';
import { startLumaFake } from '../fakes/luma/luma.fake.js';
import { startMinimaxFake } from '../fakes/minimax/minimax.fake.js';
import { startRunwayFake } from '../fakes/runway/runway.fake.js';
import { startVeoFake } from '../fakes/veo/veo.fake.js';

const KEY = 'sk-scenario-provider-key-77aa21';
type Fakes = { runway: Awaited<ReturnType<typeof startRunwayFake>>; luma: Awaited<ReturnType<typeof startLumaFake>>; minimax: Awaited<ReturnType<typeof startMinimaxFake>>; veo: Awaited<ReturnType<typeof startVeoFake>> };

for (const db of await serverBackends()) {
  describe(`cloud engines on ${db}`, () => {
    let f: Fakes;
    let server: TestServer;
    let client: OpenAI;
    type Wire = Awaited<ReturnType<OpenAI['videos']['retrieve']>> & { engine: string; made_by_model: string | null; cost_usd: number | null };

    beforeAll(async () => {
      f = {
        runway: await startRunwayFake({ apiKey: KEY, rateLimit: { max: 3, windowMs: 1000 } }),
        luma: await startLumaFake({ apiKey: KEY }),
        minimax: await startMinimaxFake({ apiKey: KEY }),
        veo: await startVeoFake({ apiKey: KEY }),
      };
      server = await startTestServer({
        providerKeys: { runway: KEY, luma: KEY, minimax: KEY, veo: KEY },
        cloud: {
          pollIntervalMs: 50,
          retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 200, maxRetryAfterMs: 3000 },
          breaker: { failureThreshold: 3, cooldownMs: 120_000 },
          fallbacks: { 'runway/gen4.5': ['luma/ray-2'] },
          runway: { baseUrl: f.runway.baseUrl, concurrency: 4 },
          luma: { baseUrl: f.luma.baseUrl },
          minimax: { baseUrl: f.minimax.baseUrl, dailyCapUsd: 1 },
          veo: { baseUrl: f.veo.baseUrl },
        },
      }, { db });
      client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local' });
    });
    afterAll(async () => {
      await server?.stop();
      await Promise.all(Object.values(f ?? {}).map((x) => x.stop()));
    });

    const create = (body: Record<string, unknown>) => client.videos.create(body as never) as unknown as Promise<Wire>;
    const finished = (id: string) => waitFor(() => client.videos.retrieve(id) as unknown as Promise<Wire>, (v) => v.status === 'completed' || v.status === 'failed', 90_000, 50);
    const download = async (id: string) => Buffer.from(await (await client.videos.downloadContent(id)).arrayBuffer());

    describe('cloud engines through the API', () => {
      it('lists the configured providers with honest cards (and no others)', async () => {
        const models: Array<Record<string, any>> = [];
        for await (const m of client.models.list()) models.push(m as unknown as Record<string, any>);
        const gen45 = models.find((m) => m.id === 'runway/gen4.5')!;
        expect(gen45).toMatchObject({ kind: 'cloud', owned_by: 'runway', seconds: { min: 2, max: 10, step: 1 }, seed: true, audio: false, price_per_second_usd: 0.12, available: true });
        expect(gen45.description).toMatch(/checked 20\d\d-\d\d-\d\d/);
        expect(models.map((m) => m.owned_by)).toEqual(expect.arrayContaining(['sketch', 'runway', 'luma', 'minimax', 'veo']));
        expect(models.some((m) => m.owned_by === 'kling' || m.owned_by === 'fal')).toBe(false);
      });

      it('refuses what a card does not allow before any provider call', async () => {
        const before = f.veo.server.calls.length;
        await expect(create({ model: 'veo-3.1-generate-preview', prompt: 'x', seconds: '4', size: '1920x1080' })).rejects.toMatchObject({ status: 400, param: 'seconds' });
        await expect(create({ model: 'veo-3.1-generate-preview', prompt: 'x', seconds: '5' })).rejects.toMatchObject({ status: 400, param: 'seconds' });
        await expect(create({ model: 'veo-3.1-generate-preview', prompt: 'x', seed: 3 })).rejects.toMatchObject({ status: 400, param: 'seed' });
        expect(f.veo.server.calls.length).toBe(before);
      });

      it('a burst past the rate limit completes, with exactly one accepted create per video', async () => {
        const videos = await Promise.all(Array.from({ length: 10 }, (_, i) => create({ model: 'runway/gen4.5', prompt: `a lantern festival, shot ${i}`, seconds: '2', size: '1280x720' })));
        const done = await Promise.all(videos.map((v) => finished(v.id)));
        expect(done.map((v) => v.status)).toEqual(Array(10).fill('completed'));
        expect(f.runway.server.accepted('create')).toBe(10);
        expect(f.runway.server.count('create')).toBeGreaterThan(10); // some were throttled (429) and waited
        expect(f.runway.server.calls.some((c) => c.route === 'create' && c.status === 429)).toBe(true);
        expect(done.every((v) => v.engine === 'runway' && v.made_by_model === null && v.cost_usd === 0.24)).toBe(true);
        const p = await probeBytes(await download(done[0]!.id));
        expect(p.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
        expect(p.durationSeconds).toBeCloseTo(2, 1);
      });

      it('runway down: the circuit opens after 3 failures, Luma (the fallback) makes the videos, and they say so', async () => {
        f.runway.server.faults.always('*', { kind: 'http', status: 503 });
        const seen = f.runway.server.calls.length;
        const first = await finished((await create({ model: 'runway/gen4.5', prompt: 'a ferry in fog', seconds: '5', size: '1280x720' })).id);
        expect(first).toMatchObject({ status: 'completed', model: 'runway/gen4.5', engine: 'luma', made_by_model: 'luma/ray-2' });
        expect(f.runway.server.calls.length - seen).toBe(3);
        const more = await Promise.all([1, 2, 3].map(async (i) => finished((await create({ model: 'runway/gen4.5', prompt: `a ferry in fog ${i}`, seconds: '5', size: '1280x720' })).id)));
        expect(more.every((v) => v.status === 'completed' && v.engine === 'luma' && v.made_by_model === 'luma/ray-2')).toBe(true);
        expect(f.runway.server.calls.length - seen).toBe(3); // an open circuit sends nothing
        const p = await probeBytes(await download(first.id));
        expect(p.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
        expect(p.durationSeconds).toBeCloseTo(5, 1);
      });

      it('a request over the daily spend cap is refused (429) before any provider call', async () => {
        const a = await create({ model: 'minimax/MiniMax-Hailuo-2.3', prompt: 'a glass harbour', seconds: '6' });
        const b = await create({ model: 'minimax/MiniMax-Hailuo-2.3', prompt: 'a glass harbour at noon', seconds: '6' });
        const refused = await create({ model: 'minimax/MiniMax-Hailuo-2.3', prompt: 'one too many', seconds: '6' }).catch((e) => e);
        expect(refused).toMatchObject({ status: 429, code: 'spend_cap_reached' });
        expect(String(refused.message)).toMatch(/MiniMax's daily spending cap on this server is reached: \$0\.98 of \$1\.00/);
        const done = await Promise.all([a, b].map((v) => finished(v.id)));
        expect(done.map((v) => [v.status, v.cost_usd])).toEqual([['completed', 0.492], ['completed', 0.492]]);
        expect(f.minimax.server.count('create')).toBe(2);
      });

      it("a refused prompt fails the video with content_policy_violation and Google's reason", async () => {
        f.veo.server.faults.once('create', { kind: 'content_policy' });
        const v = await finished((await create({ model: 'veo-3.1-fast-generate-preview', prompt: 'something the filter dislikes', seconds: '4' })).id);
        expect(v.status).toBe('failed');
        expect(v.error).toMatchObject({ code: 'content_policy_violation', message: expect.stringMatching(/safety filters.*You have not been charged/) });
      });

      it('a model the provider says is gone is retired: named alternatives, refused at create; earlier videos stay downloadable', async () => {
        const earlier = (await client.videos.list()).data.find((v) => (v as Wire).engine === 'luma' && v.status === 'completed')!;
        f.luma.server.faults.once('create', { kind: 'model_not_found' });
        const v = await finished((await create({ model: 'luma/ray-flash-2', prompt: 'a lighthouse', seconds: '5' })).id);
        expect(v.status).toBe('failed');
        expect(v.error?.code).toBe('model_retired');
        expect(v.error?.message).toMatch(/Alternatives on this server: luma\/ray-2/);
        const before = f.luma.server.count('create');
        const refused = await create({ model: 'luma/ray-flash-2', prompt: 'again' }).catch((e) => e);
        expect(refused).toMatchObject({ status: 400, code: 'model_retired', param: 'model' });
        expect(String(refused.message)).toMatch(/Use one of: luma\/ray-2/);
        expect(f.luma.server.count('create')).toBe(before);
        const card = (await client.models.retrieve('luma/ray-flash-2')) as unknown as { available: boolean };
        expect(card.available).toBe(false);
        expect((await probeBytes(await download(earlier.id))).video?.codec).toBe('h264');
      });

      it("operators see each cloud engine's circuit, load and spend against its cap at GET /api/engines", async () => {
        const r = await fetch(`${server.url}/api/engines`);
        expect(r.status).toBe(200);
        const body = (await r.json()) as { data: Array<{ engine: string; status: Record<string, any> }> };
        const by = Object.fromEntries(body.data.map((d) => [d.engine, d.status]));
        expect(by.runway).toMatchObject({ kind: 'cloud', breaker: { state: 'open', consecutive_failures: 3 }, in_flight: 0, concurrency: 4, daily_cap_usd: null });
        expect(by.minimax).toMatchObject({ kind: 'cloud', breaker: { state: 'closed' }, spent_today_usd: 0.984, daily_cap_usd: 1 });
        expect(by.luma).toMatchObject({ retired_models: ['luma/ray-flash-2'] });
        expect(JSON.stringify(body)).not.toContain(KEY);
      });
    });
  });
}
