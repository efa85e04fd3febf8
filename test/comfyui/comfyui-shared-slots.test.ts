// Two workers' ComfyUI engines on one GPU server (concurrency 1), sharing their slots through a
// Coordination store: the server never has a second prompt from them before the first has ended,
// and every job completes. Without the shared slot each worker sees the GPU free and sends at once.
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Coordination } from '../../src/coordination/coordination.js';
import { MemoryCoordination } from '../../src/coordination/memory/memory.coordination.js';
import { RedisCoordination } from '../../src/coordination/redis/redis.coordination.js';
import { deletePrefix, redisAvailable, redisUrl, testPrefix } from '../../src/coordination/redis/test-redis.js';
import { newVideoId } from '../../src/domain/ids.js';
import type { EngineContext, EngineJob } from '../../src/engines/engine.js';
import { runEngineToFile } from '../../src/engines/engine.contract.js';
import type { FakeComfyUI, FakeEvent } from '../fakes/comfyui/fake-comfyui.server.js';
import { engineOn, removeTempDirs, startFake, stopEngines, tempDir } from './helpers.js';

const job = (): EngineJob => ({
  videoId: newVideoId(), model: 'comfyui/wan2.2-ti2v-5b-t2v', prompt: 'a kite over dunes', seconds: 1, width: 256, height: 256, fps: 24, seed: 3,
  negativePrompt: null, inputImagePath: null, providerJobId: null,
});
const ctx = (): EngineContext => ({ workDir: tempDir('comfy-shared-'), signal: new AbortController().signal, attempt: 1, reportProgress: () => {} });

/** The most prompts the GPU had accepted and not yet finished at once. */
function mostAtOnce(events: FakeEvent[]): number {
  let open = 0;
  let most = 0;
  for (const e of events) {
    if (e.type === 'accept') most = Math.max(most, ++open);
    if (e.type === 'end') open--;
  }
  return most;
}

const fakes: FakeComfyUI[] = [];
afterEach(async () => {
  await stopEngines();
  for (const f of fakes.splice(0)) await f.stop();
  removeTempDirs();
});

async function twoWorkersOneGpu(stores: [Coordination, Coordination]): Promise<FakeEvent[]> {
  const events: FakeEvent[] = [];
  const gpu = await startFake({ stepMs: 5, maxSteps: 6, events });
  fakes.push(gpu);
  const workers = stores.map((coordination, i) => engineOn([gpu], { coordination, clientId: `worker-${i}` }));
  const files = await Promise.all(Array.from({ length: 6 }, (_, i) => runEngineToFile(workers[i % 2]!, job(), ctx())));
  expect(files).toHaveLength(6);
  return events;
}

const withRedis = await redisAvailable();

describe('ComfyUI GPU slots shared by two workers', () => {
  it('one GPU never holds two of their prompts at once (shared memory store)', async () => {
    const store = new MemoryCoordination();
    const events = await twoWorkersOneGpu([store, store]);
    expect(events.filter((e) => e.type === 'end' && e.outcome === 'success')).toHaveLength(6);
    expect(mostAtOnce(events)).toBe(1);
  });

  if (withRedis) {
    const prefix = testPrefix();
    const [ra, rb] = [new Redis(redisUrl), new Redis(redisUrl)];
    afterAll(async () => { await deletePrefix(ra, prefix); ra.disconnect(); rb.disconnect(); });
    it('one GPU never holds two of their prompts at once (Redis)', async () => {
      const events = await twoWorkersOneGpu([new RedisCoordination({ redis: ra, prefix }), new RedisCoordination({ redis: rb, prefix })]);
      expect(events.filter((e) => e.type === 'end' && e.outcome === 'success')).toHaveLength(6);
      expect(mostAtOnce(events)).toBe(1);
    });
  }
});
