// The distributed implementations, picked here and loaded only in distributed mode (REDIS_URL):
// Redis itself (checked before anything depends on it), the BullMQ queue, the Redis event bus and
// the shared state. Embedded mode never imports bullmq or ioredis.
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { Coordination } from '../coordination/coordination.js';
import type { EventBus } from '../events/event-bus.js';

type LogFn = (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;

/** The Redis URL without its password, for messages. */
export function redisLabel(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.username = '';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}

/**
 * Connects once to check Redis answers (a clear start-up error instead of retrying forever) and
 * that its settings suit a queue; the warnings go to the log, loudly.
 */
export async function checkRedis(config: Config, log: Logger): Promise<void> {
  const { Redis } = await import('ioredis');
  const { checkRedisSettings } = await import('../queue/bullmq/redis-settings.js');
  const redis = new Redis(config.redisUrl!, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => { /* reported by connect() below */ });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new ConfigError(`REDIS_URL: Redis at ${redisLabel(config.redisUrl!)} is unreachable (${(err as Error).message}): start it, or fix REDIS_URL`);
  }
  try {
    for (const warning of await checkRedisSettings(redis)) log.warn({ redis: redisLabel(config.redisUrl!) }, warning);
  } finally {
    redis.disconnect();
  }
}

export async function openBullmqQueue(config: Config, db: Database, log: LogFn): Promise<JobQueue> {
  const { BullmqQueue } = await import('../queue/bullmq/bullmq.queue.js');
  return new BullmqQueue({
    redis: config.redisUrl!,
    prefix: config.redisPrefix,
    db,
    leaseMs: config.jobs.leaseSeconds * 1000,
    maxAttempts: config.jobs.maxAttempts,
    retryBaseMs: config.jobs.retryBaseMs,
    pollIntervalMs: config.jobs.pollIntervalMs,
    log,
  });
}

export interface SharedState {
  coordination: Coordination;
  events: EventBus;
  /** For /readyz: resolves when Redis answers, else throws saying so. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/**
 * What processes share through Redis besides the queue: live video events (pub/sub), and the
 * counters, slots and flags of rate limits, throttles, circuit breakers, provider slots, GPU slots
 * and retired models. One connection serves the commands; the event bus adds its subscriber.
 */
export async function openSharedState(config: Config, log: LogFn): Promise<SharedState> {
  const { Redis } = await import('ioredis');
  const { RedisCoordination } = await import('../coordination/redis/redis.coordination.js');
  const { RedisEventBus } = await import('../events/redis/redis.event-bus.js');
  const redis = new Redis(config.redisUrl!, { maxRetriesPerRequest: 3, enableOfflineQueue: true });
  let lost = false;
  redis.on('error', (err) => {
    if (!lost) log('warn', 'lost Redis; reconnecting', { redis: redisLabel(config.redisUrl!), err: err.message });
    lost = true;
  });
  redis.on('ready', () => {
    if (lost) log('info', 'Redis is back', { redis: redisLabel(config.redisUrl!) });
    lost = false;
  });
  const coordination = new RedisCoordination({ redis, prefix: `${config.redisPrefix}:shared:` });
  const events = await RedisEventBus.open({ redis, prefix: `${config.redisPrefix}:`, log });
  return {
    coordination,
    events,
    async check() {
      // Not queued behind a reconnect: readiness wants the answer now.
      if (redis.status !== 'ready') throw new Error(`Redis at ${redisLabel(config.redisUrl!)} is unreachable (${redis.status})`);
      await redis.ping();
    },
    async close() {
      await events.close();
      await coordination.close();
      redis.disconnect();
    },
  };
}
