// The BullMQ queue on the machine's PostgreSQL and Redis: the JobQueue contract, then what
// distribution adds (several processes sharing Redis and the database). Each backend uses its own
// schema and Redis key prefix, deleted afterwards. Without Redis the suite is skipped, unless
// CI=true, where a missing server fails it.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deletePrefix, redisAvailable, redisUrl } from '../../coordination/redis/test-redis.js';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../db/test-databases.js';
import { newVideoId } from '../../domain/ids.js';
import { JobCancelled, LeaseLost, type JobHandler, type QueueJob } from '../job-queue.js';
import { runQueueContract, type QueueTuning } from '../queue.contract.js';
import { BullmqQueue } from './bullmq.queue.js';
import { checkRedisSettings } from './redis-settings.js';

const REDIS_URL = redisUrl;

const databases = await testDatabases();
const pg = databases.find((d) => d.name === 'postgres');
const redisUp = await redisAvailable(); // throws under CI=true when Redis is missing
if (process.env.CI === 'true' && !pg) throw new Error('CI=true but PostgreSQL does not answer');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** One database schema and one Redis prefix; each queue made on it is one "process". */
async function openCluster() {
  const { db, close } = await pg!.open();
  const prefix = `melies-test-${randomBytes(6).toString('hex')}`;
  const admin = new Redis(REDIS_URL);
  const made: BullmqQueue[] = [];
  return {
    prefix,
    admin,
    make(t: QueueTuning & { pollIntervalMs?: number }) {
      const q = new BullmqQueue({ redis: REDIS_URL, prefix, db, pollIntervalMs: 25, ...t });
      made.push(q);
      return q;
    },
    async close() {
      for (const q of made.splice(0)) await q.close().catch(() => {});
      await deletePrefix(admin, `${prefix}:`);
      admin.disconnect();
      await close();
    },
  };
}

if (pg && redisUp) {
  runQueueContract('bullmq on postgres+redis', async () => {
    const cluster = await openCluster();
    return { create: (t) => cluster.make(t), crash: (q) => (q as BullmqQueue).crash(), close: () => cluster.close() };
  });

  describe('BullMQ queue across processes', () => {
    const tuning: QueueTuning = { maxAttempts: 3, leaseMs: 600, retryBaseMs: 10 };
    const clusters: Awaited<ReturnType<typeof openCluster>>[] = [];
    const cluster = async () => { const c = await openCluster(); clusters.push(c); return c; };
    afterAll(async () => { for (const c of clusters) await c.close(); });
    const noExhaust = async () => { throw new Error('onExhausted should not be called'); };
    const holdUntilAborted: (started: QueueJob[], reasons: unknown[]) => JobHandler = (started, reasons) => (j) => new Promise((_, reject) => {
      started.push(j);
      j.signal.addEventListener('abort', () => { reasons.push(j.signal.reason); reject(j.signal.reason); });
    });

    it('cancels from one server a job running on a worker in another process', async () => {
      const c = await cluster();
      // A lease this long means the database backstop cannot be what stops it: the message does.
      const slow = { ...tuning, leaseMs: 120_000 };
      const server = c.make(slow);
      const worker = c.make(slow);
      const started: QueueJob[] = [], reasons: unknown[] = [];
      worker.process({ concurrency: 1, handler: holdUntilAborted(started, reasons), onExhausted: noExhaust });
      const id = newVideoId();
      await server.enqueue(id);
      await until(() => started.length === 1);
      await server.cancel(id);
      await until(() => reasons.length === 1);
      expect(reasons[0]).toBeInstanceOf(JobCancelled);
      await until(async () => (await server.counts()).queued + (await server.counts()).active === 0);
      expect(started.map((j) => j.videoId)).toEqual([id]);
    });

    it('loses no job when Redis loses its data mid-run', async () => {
      const c = await cluster();
      const q = c.make(tuning);
      const ids = Array.from({ length: 5 }, () => newVideoId());
      for (const id of ids) await q.enqueue(id, { group: 'usr_a' });
      const runs: { id: string; attempt: number; outcome: 'done' | 'lost'; reason?: unknown }[] = [];
      q.process({
        concurrency: 1,
        handler: async (j) => {
          if (j.videoId === ids[0] && j.attempt === 1) {
            // Holds its job until it notices Redis forgot it (its lock cannot be renewed).
            await new Promise((_, reject) => j.signal.addEventListener('abort', () => {
              runs.push({ id: j.videoId, attempt: j.attempt, outcome: 'lost', reason: j.signal.reason });
              reject(j.signal.reason);
            }));
          }
          runs.push({ id: j.videoId, attempt: j.attempt, outcome: 'done' });
        },
        onExhausted: noExhaust,
      });
      await until(async () => (await q.counts()).active === 1);
      expect(await deletePrefix(c.admin, `${c.prefix}:`)).toBeGreaterThan(0);
      await until(() => new Set(runs.filter((r) => r.outcome === 'done').map((r) => r.id)).size === ids.length, 30_000);
      await until(async () => (await q.counts()).queued + (await q.counts()).active === 0);
      expect(runs.filter((r) => r.outcome === 'done').map((r) => r.id).sort()).toEqual([...ids].sort()); // each finished once
      // The run Redis forgot was stopped (its lock was gone) and ran again as a new attempt.
      expect(runs.find((r) => r.id === ids[0] && r.outcome === 'lost')).toMatchObject({ attempt: 1, reason: expect.any(LeaseLost) });
      expect(runs.find((r) => r.id === ids[0] && r.outcome === 'done')).toMatchObject({ attempt: 2 });
    });

    it('shares two worker processes fairly: a newcomer is served next, not after the backlog', async () => {
      const c = await cluster();
      const server = c.make(tuning);
      const backlog = Array.from({ length: 10 }, () => newVideoId());
      for (const id of backlog) await server.enqueue(id, { group: 'usr_busy' });
      const order: string[] = [];
      const by = new Map<string, string>();
      const late = newVideoId();
      const handler = (name: string): JobHandler => async (j) => {
        order.push(j.videoId);
        by.set(j.videoId, name);
        if (order.length === 2) await server.enqueue(late, { group: 'usr_late' });
        await sleep(30);
      };
      c.make(tuning).process({ concurrency: 1, handler: handler('w1'), onExhausted: noExhaust });
      c.make(tuning).process({ concurrency: 1, handler: handler('w2'), onExhausted: noExhaust });
      await until(() => order.length === 11);
      // Two jobs running and at most one dispatched per free worker are ahead of it; never the backlog.
      expect(order.indexOf(late)).toBeGreaterThanOrEqual(2);
      expect(order.indexOf(late)).toBeLessThanOrEqual(4);
      expect(new Set(order).size).toBe(11);
      expect(new Set(by.values())).toEqual(new Set(['w1', 'w2']));
    });

    it('recovers a SIGKILLed worker\'s job on another box of its lane only', async () => {
      const c = await cluster();
      const gpu1 = c.make(tuning);
      const started: QueueJob[] = [];
      gpu1.process({ concurrency: 1, lanes: ['comfyui'], handler: (j) => new Promise(() => { started.push(j); }), onExhausted: noExhaust });
      const id = newVideoId();
      await c.make(tuning).enqueue(id, { lane: 'comfyui' });
      await until(() => started.length === 1);
      gpu1.crash();
      const cpu: QueueJob[] = [], gpu2: QueueJob[] = [];
      c.make(tuning).process({ concurrency: 1, lanes: ['sketch'], handler: async (j) => { cpu.push(j); }, onExhausted: noExhaust });
      c.make(tuning).process({ concurrency: 1, lanes: ['comfyui'], handler: async (j) => { gpu2.push(j); }, onExhausted: noExhaust });
      await until(() => gpu2.length === 1);
      expect(gpu2[0]).toMatchObject({ videoId: id, attempt: 2 });
      expect(cpu).toEqual([]);
    });

    it('refuses SQLite with a message that says what to change', async () => {
      const sqlite = databases.find((d) => d.name === 'sqlite')!;
      const { db, close } = await sqlite.open();
      try {
        expect(() => new BullmqQueue({ redis: REDIS_URL, prefix: 'melies-test-never', db, ...tuning, pollIntervalMs: 25 })).toThrow(/PostgreSQL.*DATABASE_URL/);
      } finally {
        await close();
      }
    });
  });
}

describe('Redis settings check', () => {
  const fake = (values: Record<string, string> | 'refused') => ({
    config: (async (_op: string, name: string) => {
      if (values === 'refused') throw new Error("ERR unknown command 'CONFIG'");
      return [name, values[name]];
    }) as never,
  });

  it('warns loudly about an eviction policy other than noeviction, and about AOF off', async () => {
    const warnings = await checkRedisSettings(fake({ 'maxmemory-policy': 'allkeys-lru', appendonly: 'no' }));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/maxmemory-policy is allkeys-lru: set it to noeviction/);
    expect(warnings[1]).toMatch(/appendonly is off/);
  });

  it('is quiet when Redis is set up for production', async () => {
    expect(await checkRedisSettings(fake({ 'maxmemory-policy': 'noeviction', appendonly: 'yes' }))).toEqual([]);
  });

  it('tolerates a server where CONFIG is disabled', async () => {
    const warnings = await checkRedisSettings(fake('refused'));
    expect(warnings.join('\n')).toMatch(/could not read Redis maxmemory-policy/);
  });

  it.runIf(redisUp)('reads a real server', async () => {
    const r = new Redis(REDIS_URL);
    try {
      const warnings = await checkRedisSettings(r);
      const [, policy] = (await r.config('GET', 'maxmemory-policy')) as string[];
      expect(warnings.some((w) => w.includes('maxmemory-policy is'))).toBe(policy !== 'noeviction');
    } finally {
      r.disconnect();
    }
  });
});
