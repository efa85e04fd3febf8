// Test helper: the machine's Redis (REDIS_URL, else 127.0.0.1:6379) for the suites that need one,
// each with its own random key prefix, its keys deleted afterwards (other runs share that Redis:
// never FLUSHDB). When no Redis answers the suites are skipped, except with CI=true, where that
// fails loudly. Also a private redis-server on a free port, for tests that stop and restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const redisUrl = process.env.REDIS_URL?.startsWith('redis') ? process.env.REDIS_URL : 'redis://127.0.0.1:6379';

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1500, retryStrategy: () => null });
  r.on('error', () => {}); // the answer is the connect() result
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Whether the Redis suites run here (throws under CI=true when Redis is missing). */
export async function redisAvailable(): Promise<boolean> {
  if (await redisAnswers(redisUrl)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but Redis does not answer at ${redisUrl}`);
  return false;
}

export function testPrefix(): string {
  return `melies-test-${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under a prefix (SCAN, never KEYS or FLUSH: the Redis is shared); returns how many. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length) n += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return n;
}

/** A loopback port nothing listens on right now, for a test's own server (Redis, nginx, melies). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface OwnRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data folder (persistent ones). */
  dispose(): Promise<void>;
}

/**
 * A redis-server of this test's own on a free port, that the test may stop and start. Without
 * persistence by default (stop is a SIGKILL); `persistent`: AOF with fsync on every write in a
 * folder of its own, and stop is a SIGTERM, so a restart comes back with its data, as an operator's
 * production Redis does.
 */
export async function ownRedisServer(opts: { persistent?: boolean } = {}): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const dir = opts.persistent ? mkdtempSync(join(tmpdir(), 'melies-redis-')) : null;
  const args = dir
    ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction']
    : ['--save', '', '--appendonly', 'no'];
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', ...args], { stdio: 'ignore' });
    const end = Date.now() + 20_000;
    while (!(await redisAnswers(url))) {
      if (Date.now() > end) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill(dir ? 'SIGTERM' : 'SIGKILL'); });
  };
  await start();
  return {
    url, start, stop,
    async dispose() {
      await stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
