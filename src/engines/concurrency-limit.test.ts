// The limit, local and shared: never more submits at once than the limit, across two processes'
// wrappers when they share a store; a waiting job that is cancelled stops waiting.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Coordination } from '../coordination/coordination.js';
import { MemoryCoordination } from '../coordination/memory/memory.coordination.js';
import { RedisCoordination } from '../coordination/redis/redis.coordination.js';
import { deletePrefix, redisAvailable, redisUrl, testPrefix } from '../coordination/redis/test-redis.js';
import type { Engine, EngineContext, EngineJob, SubmitResult } from './engine.js';
import { limitConcurrency } from './concurrency-limit.js';

/** An engine whose submits finish when the test says, counting how many run at once. */
function gatedEngine() {
  const state = { running: 0, most: 0, done: 0, gates: [] as (() => void)[] };
  const engine = {
    id: 'gated', models: () => [],
    async submit(): Promise<SubmitResult> {
      state.running++;
      state.most = Math.max(state.most, state.running);
      await new Promise<void>((r) => state.gates.push(r));
      state.running--;
      state.done++;
      return { kind: 'completed', file: '/dev/null' } as SubmitResult;
    },
  } as unknown as Engine;
  return { engine, state };
}

const until = async (check: () => boolean) => {
  const end = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};
const ctx = (signal = new AbortController().signal) => ({ workDir: '', signal, attempt: 1, reportProgress: () => {} }) as EngineContext;
const job = {} as EngineJob;

function suite(name: string, stores: () => Promise<[Coordination, Coordination] | null>) {
  it(`runs at most the limit at once (${name})`, async () => {
    const pair = await stores();
    const { engine, state } = gatedEngine();
    const [p1, p2] = pair
      ? [limitConcurrency(engine, 2, { coordination: pair[0], retryMs: 20 }), limitConcurrency(engine, 2, { coordination: pair[1], retryMs: 20 })]
      : [limitConcurrency(engine, 2), limitConcurrency(engine, 2)];
    const local = !pair;
    const runs = Array.from({ length: 6 }, (_, i) => ((i % 2 || local ? p1 : p2).submit(job, ctx())));
    const cancel = new AbortController();
    const cancelled = (pair ? p2 : p1).submit(job, ctx(cancel.signal)).then(() => 'ran', () => 'cancelled');
    await until(() => state.running === 2);
    cancel.abort(new Error('cancelled'));
    expect(await cancelled).toBe('cancelled');
    while (state.done < 6) {
      await until(() => state.gates.length > 0);
      state.gates.shift()!();
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(runs);
    expect(state.most).toBe(2);
  });
}

describe('concurrency limit', () => {
  suite('per process', async () => null);
  suite('shared memory store', async () => { const m = new MemoryCoordination(); return [m, m]; });
});

if (await redisAvailable()) {
  const prefix = testPrefix();
  const [ra, rb] = [new Redis(redisUrl), new Redis(redisUrl)];
  afterAll(async () => { await deletePrefix(ra, prefix); ra.disconnect(); rb.disconnect(); });
  describe('concurrency limit over Redis', () => {
    suite('two processes on Redis', async () => [new RedisCoordination({ redis: ra, prefix }), new RedisCoordination({ redis: rb, prefix })]);
  });
}
