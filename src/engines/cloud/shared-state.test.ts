// Two workers' engines for one provider over one Coordination store (shared memory here, Redis
// when it answers): the concurrency limit is one for both, and a model one worker found retired is
// refused by the other without a call to the provider. (Leases of dead holders: the contract suite.)
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Coordination } from '../../coordination/coordination.js';
import { MemoryCoordination } from '../../coordination/memory/memory.coordination.js';
import { RedisCoordination } from '../../coordination/redis/redis.coordination.js';
import { deletePrefix, redisAvailable, redisUrl, testPrefix } from '../../coordination/redis/test-redis.js';
import { newVideoId } from '../../domain/ids.js';
import { parseSize } from '../../domain/video.js';
import type { MediaBinaries } from '../../media/binaries.js';
import { RunwayAdapter } from '../runway/runway.adapter.js';
import type { EngineContext, EngineJob } from '../engine.js';
import { CloudEngine, type CloudEngineSettings } from './cloud-engine.js';
import { ModelRetired, ProviderUnavailable } from './errors.js';

/** Runway's catalogue, with a provider that accepts every create, except for one model it says is gone. */
class StubProvider extends RunwayAdapter {
  creates = 0;
  constructor(private readonly gone: string) { super('key'); }
  override async create(c: Parameters<RunwayAdapter['create']>[0]): Promise<string> {
    if (c.job.model === this.gone) throw new ModelRetired('Runway says this model does not exist any more.', 'HTTP 404');
    return `task-${++this.creates}`;
  }
  override async cancel(): Promise<void> {}
}

const settings = (concurrency: number): CloudEngineSettings => ({
  pollIntervalMs: 20, concurrency, dailyCapUsd: null, prices: {}, breaker: { failureThreshold: 3, cooldownMs: 400 },
  retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10, maxRetryAfterMs: 100 },
  requestTimeoutMs: 1000, createTimeoutMs: 1000, downloadTimeoutMs: 1000, maxDownloadBytes: 1024,
});

const ctx = (): EngineContext => ({ workDir: '/nonexistent', signal: new AbortController().signal, attempt: 1, reportProgress: () => {} });
const failure = async (p: Promise<unknown>) => { try { await p; } catch (err) { return err; } throw new Error('expected a failure'); };

function jobOf(e: CloudEngine, model: string): EngineJob {
  const card = e.models().find((c) => c.id === model)!;
  const size = parseSize(card.defaultSize)!;
  return {
    videoId: newVideoId(), model, prompt: 'p', seed: 1, negativePrompt: null, inputImagePath: null, providerJobId: null,
    width: size.width, height: size.height, seconds: card.defaultSeconds, fps: card.defaultFps,
  };
}

function suite(name: string, open: () => Promise<{ a: Coordination; b: Coordination }>) {
  describe(`cloud engines sharing state (${name})`, () => {
    const worker = async (store: Coordination, concurrency = 1) => {
      const adapter = new StubProvider(new RunwayAdapter('k').catalogue()[1]!.card.id);
      return new CloudEngine(adapter, settings(concurrency), { download: async () => ({ ok: false, status: null, message: 'unused' }), media: {} as MediaBinaries, coordination: store });
    };

    it('counts provider slots across workers, and a finished job frees its slot for the other', async () => {
      const { a, b } = await open();
      const [w1, w2] = [await worker(a), await worker(b)];
      const model = w1.models()[0]!.id;
      const first = jobOf(w1, model);
      expect(await w1.submit(first, ctx())).toMatchObject({ kind: 'submitted' });
      const busy = await failure(w2.submit(jobOf(w2, model), ctx()));
      expect(busy).toBeInstanceOf(ProviderUnavailable);
      expect((busy as ProviderUnavailable).reason).toBe('busy');
      expect((await w2.status()).inFlight).toBe(1);
      await w1.cancel({ ...first, providerJobId: 'task-1' });
      expect(await w2.submit(jobOf(w2, model), ctx())).toMatchObject({ kind: 'submitted' });
    });

    it('refuses on every worker a model one worker learned is retired', async () => {
      const { a, b } = await open();
      const [w1, w2] = [await worker(a, 4), await worker(b, 4)];
      const gone = w1.models()[1]!.id;
      expect(await failure(w1.submit(jobOf(w1, gone), ctx()))).toBeInstanceOf(ModelRetired);
      const creates = (w2 as unknown as { adapter: StubProvider }).adapter.creates;
      expect(await failure(w2.submit(jobOf(w2, gone), ctx()))).toBeInstanceOf(ModelRetired);
      expect((w2 as unknown as { adapter: StubProvider }).adapter.creates).toBe(creates);
      expect(w2.retirement(gone)).not.toBeNull();
      expect((await w2.status()).retiredModels).toEqual([gone]);
      expect(w2.models().find((c) => c.id === gone)?.available).toBe(false);
    });
  });
}

suite('one memory store', async () => {
  const store = new MemoryCoordination();
  return { a: store, b: store };
});

if (await redisAvailable()) {
  const conns: Redis[] = [];
  const prefix = testPrefix();
  afterAll(async () => {
    await deletePrefix(conns[0]!, prefix);
    for (const c of conns) c.disconnect();
  });
  suite('redis', async () => {
    // A fresh prefix per test: the two tests must not see each other's slots.
    const p = `${prefix}${newVideoId()}:`;
    const [ra, rb] = [new Redis(redisUrl), new Redis(redisUrl)];
    conns.push(ra, rb);
    return { a: new RedisCoordination({ redis: ra, prefix: p }), b: new RedisCoordination({ redis: rb, prefix: p }) };
  });
}
