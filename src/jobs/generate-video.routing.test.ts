// The job runner's cloud routing, with scripted engines: an unavailable or retired primary hands
// the job to the operator's fallback (the row records who made it and the cost); a busy one keeps
// it waiting (queued, JobDeferred); spend caps are checked before any submit; a restart resumes a
// fallback's job on the fallback, never resubmitting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVideoId } from '../domain/ids.js';
import type { ModelCard } from '../domain/model-card.js';
import type { Video } from '../domain/video.js';
import type { Database } from '../db/database.js';
import { testDatabases } from '../db/test-databases.js';
import { VideoRepo } from '../db/video.repo.js';
import { ModelRetired, ProviderUnavailable } from '../engines/cloud/errors.js';
import type { Engine, EngineContext, EngineJob } from '../engines/engine.js';
import type { Route } from '../engines/registry.js';
import { SKETCH_CARD } from '../engines/sketch/sketch.card.js';
import { resolveMediaBinaries } from '../media/binaries.js';
import { runTool } from '../media/run.js';
import { JobDeferred } from '../queue/job-queue.js';
import { LocalBlobStore } from '../storage/local/local.blob-store.js';
import { makeGenerateVideoJob, type GenerateVideoDeps } from './generate-video.job.js';

const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });

type Behaviour = 'ok' | 'circuit-open' | 'busy' | 'retired';

class Provider implements Engine {
  submits = 0;
  polls = 0;
  constructor(readonly id: string, private behaviour: Behaviour, readonly price = 0.1) {}
  card(): ModelCard {
    return { ...SKETCH_CARD, id: `${this.id}/m`, engine: this.id, kind: 'cloud', pricePerSecondUsd: this.price };
  }
  models() { return [this.card()]; }
  async submit(job: EngineJob): Promise<{ kind: 'submitted'; providerJobId: string }> {
    this.submits++;
    if (this.behaviour === 'circuit-open') throw new ProviderUnavailable(`${this.id} is down`, 'circuit_open', 5000);
    if (this.behaviour === 'busy') throw new ProviderUnavailable(`${this.id} is busy`, 'busy', 300);
    if (this.behaviour === 'retired') throw new ModelRetired(`${this.id} says the model does not exist.`);
    return { kind: 'submitted', providerJobId: `${this.id}-job-${this.submits}` };
  }
  async poll(job: EngineJob, ctx: EngineContext) {
    this.polls++;
    const file = join(ctx.workDir, 'out.mp4');
    await runTool(bins.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${job.width}x${job.height}:rate=${job.fps}`, '-t', String(job.seconds), '-pix_fmt', 'yuv420p', file]);
    return { kind: 'completed' as const, file };
  }
}

for (const target of await testDatabases()) {
  describe(`generate-video job: cloud routing on ${target.name}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let repo: VideoRepo;
    let root: string;
    let storage: LocalBlobStore;
    beforeAll(async () => {
      ({ db, close } = await target.open());
      repo = new VideoRepo(db);
      root = mkdtempSync(join(tmpdir(), 'melies-route-'));
      storage = new LocalBlobStore(join(root, 'blobs'));
    });
    afterAll(async () => {
      await close();
      rmSync(root, { recursive: true, force: true });
    });

    const route = (p: Provider): Route => ({ model: p.card().id, card: p.card(), engine: p });
    const deps = (primary: Provider, fallbacks: Provider[], over: Partial<GenerateVideoDeps> = {}): GenerateVideoDeps => {
      const all = [primary, ...fallbacks];
      return {
        videos: repo, storage, media: bins, workRoot: join(root, 'work'), log: () => {}, publish: () => {},
        engineFor: (model) => all.find((p) => p.card().id === model) ?? null,
        routesFor: () => all.map(route),
        alternativesFor: () => fallbacks.map((f) => f.card().id),
        ...over,
      };
    };
    const queued = async (model: string): Promise<Video> => {
      const v: Video = {
        id: newVideoId(), model, engine: model.split('/')[0]!, status: 'queued', progress: 0, prompt: 'a kite over dunes', seconds: 2, width: 320, height: 180,
        fps: 12, seed: 1, inputReferenceKey: null, remixedFromVideoId: null, negativePrompt: null, favorite: false, ownerId: 'usr_local', error: null,
        providerJobId: null, madeByModel: null, costUsdMicros: null, plan: null, output: null, createdAt: Date.now(), startedAt: null, completedAt: null, expiresAt: null, updatedAt: Date.now(),
      };
      await repo.insert(v);
      return v;
    };
    const run = (d: GenerateVideoDeps, v: Video) => makeGenerateVideoJob(d).handler({ videoId: v.id, attempt: 1, signal: new AbortController().signal });

    it('a provider with its circuit open hands the job to the fallback, and the row says so', async () => {
      const primary = new Provider('runway', 'circuit-open');
      const fallback = new Provider('luma', 'ok', 0.08);
      const v = await queued('runway/m');
      await run(deps(primary, [fallback]), v);
      expect(await repo.get(v.id)).toMatchObject({ status: 'completed', model: 'runway/m', engine: 'luma', madeByModel: 'luma/m', providerJobId: 'luma-job-1', costUsdMicros: 160_000 });
      expect([primary.submits, fallback.submits]).toEqual([1, 1]);
    });

    it('a retired model falls back; without a fallback it fails naming the alternatives', async () => {
      const v = await queued('old/m');
      await run(deps(new Provider('old', 'retired'), [new Provider('new', 'ok')]), v);
      expect(await repo.get(v.id)).toMatchObject({ status: 'completed', madeByModel: 'new/m' });

      const alone = await queued('old/m');
      await run(deps(new Provider('old', 'retired'), [], { alternativesFor: () => ['veo-3.1-generate-preview', 'luma/ray-2'] }), alone);
      const failed = (await repo.get(alone.id))!;
      expect(failed).toMatchObject({ status: 'failed', error: { code: 'model_retired' } });
      expect(failed.error!.message).toMatch(/Alternatives on this server: veo-3\.1-generate-preview, luma\/ray-2\./);
    });

    it('a busy provider keeps its job: back to queued, handed back to the queue, no fallback, nothing submitted', async () => {
      const primary = new Provider('kling', 'busy');
      const fallback = new Provider('fal', 'ok');
      const v = await queued('kling/m');
      const err = await run(deps(primary, [fallback]), v).catch((e) => e);
      expect(err).toBeInstanceOf(JobDeferred);
      expect((err as JobDeferred).delayMs).toBe(300);
      expect(fallback.submits).toBe(0);
      expect(await repo.get(v.id)).toMatchObject({ status: 'queued', providerJobId: null });
    });

    it('no route with room under its spend cap: failed before any submit; a fallback with room is used', async () => {
      const primary = new Provider('minimax', 'ok');
      const fallback = new Provider('replicate', 'ok');
      const capped = new Set(['minimax']);
      const reserveSpend = async (_v: Video, r: Route) => (capped.has(r.engine.id) ? { ok: false as const, message: `${r.engine.id} cap reached.` } : { ok: true as const });
      const v = await queued('minimax/m');
      await run(deps(primary, [fallback], { reserveSpend }), v);
      expect(await repo.get(v.id)).toMatchObject({ status: 'completed', madeByModel: 'replicate/m' });
      expect(primary.submits).toBe(0);

      capped.add('replicate');
      const w = await queued('minimax/m');
      await run(deps(primary, [fallback], { reserveSpend }), w);
      expect(await repo.get(w.id)).toMatchObject({ status: 'failed', error: { code: 'spend_cap_reached', message: 'minimax cap reached. replicate cap reached.' } });
      expect(primary.submits + fallback.submits).toBe(1);
    });

    it("a restart resumes a fallback's job on the fallback: polled, never submitted again", async () => {
      const primary = new Provider('runway', 'ok');
      const fallback = new Provider('luma', 'ok');
      const v = await queued('runway/m');
      await repo.markStarted(v.id);
      await repo.markSubmitted(v.id, 'luma-job-7', { model: 'luma/m', engine: 'luma', costUsdMicros: 1 });
      await run(deps(primary, [fallback]), v);
      expect(await repo.get(v.id)).toMatchObject({ status: 'completed', providerJobId: 'luma-job-7', engine: 'luma' });
      expect([primary.submits, primary.polls, fallback.submits, fallback.polls]).toEqual([0, 0, 0, 1]);
    });
  });
}
