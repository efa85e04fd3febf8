// Coordination shared by every process through Redis. Each operation that reads then writes is
// one Lua script, so it is atomic however many processes race; times come from the Redis server's
// TIME so the processes' own clocks never matter. Every key gets the installation's prefix and a
// PEXPIRE, so nothing outlives its window or lease (and `maxmemory-policy noeviction` is safe).
//
//   hit          INCR + PEXPIRE on the first hit           (fixed window, rate limits)
//   log*         sorted set scored by time                 (sliding window, failed sign-ins)
//   semaphore    sorted set of holders scored by lease end (provider slots, GPU slots)
//   flag / map   SET PX [NX] / HSET + PEXPIRE              (circuit breakers, retired models)
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Coordination, Flag, LogAppend, WindowCount } from '../coordination.js';

const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

const SCRIPTS = {
  // KEYS[1] counter; ARGV: windowMs, amount → {count, pttl}
  meliesHit: `
    local n = redis.call('INCRBY', KEYS[1], ARGV[2])
    local ttl = redis.call('PTTL', KEYS[1])
    if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
    return {n, ttl}`,
  // KEYS[1] log; ARGV: windowMs, id, append (1|0) → {now, t1, t2, …} (before the append)
  meliesLog: `${NOW}
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
    local times = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
    local out = {now}
    for i = 2, #times, 2 do out[#out + 1] = tonumber(times[i]) end
    if ARGV[3] == '1' then
      redis.call('ZADD', KEYS[1], now, ARGV[2])
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
    end
    return out`,
  // KEYS[1] semaphore; ARGV: holder, capacity (-1: whatever), ttlMs → 1 held | 0 full
  meliesAcquire: `${NOW}
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
    local cap = tonumber(ARGV[2])
    if cap >= 0 and not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= cap then return 0 end
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
    local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
    redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(last[2]) - now))
    return 1`,
  // KEYS[1] semaphore → live holders
  meliesHolders: `${NOW}
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
    return redis.call('ZRANGE', KEYS[1], 0, -1)`,
  // KEYS[1] flag → {value, pttl} | nil
  meliesFlag: `
    local v = redis.call('GET', KEYS[1])
    if not v then return nil end
    return {v, redis.call('PTTL', KEYS[1])}`,
} as const;

type Scripted = Redis & {
  meliesHit(key: string, windowMs: number, amount: number): Promise<[number, number]>;
  meliesLog(key: string, windowMs: number, id: string, append: '0' | '1'): Promise<number[]>;
  meliesAcquire(key: string, holder: string, capacity: number, ttlMs: number): Promise<number>;
  meliesHolders(key: string): Promise<string[]>;
  meliesFlag(key: string): Promise<[string, number] | null>;
};

export interface RedisCoordinationOptions {
  /** A connection this object uses and does not close (the composition root owns it). */
  redis: Redis;
  /** Put before every key: one installation's keys, or one test's. */
  prefix: string;
}

export class RedisCoordination implements Coordination {
  private readonly r: Scripted;
  private readonly prefix: string;

  constructor(opts: RedisCoordinationOptions) {
    // Sent once per connection and then called by their SHA (ioredis falls back on NOSCRIPT).
    for (const [name, lua] of Object.entries(SCRIPTS)) opts.redis.defineCommand(name, { numberOfKeys: 1, lua });
    this.r = opts.redis as Scripted;
    this.prefix = opts.prefix;
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  async hit(key: string, windowMs: number, amount = 1): Promise<WindowCount> {
    const [count, ttl] = await this.r.meliesHit(this.k(key), windowMs, amount);
    return { count, resetInMs: ttl };
  }

  async logAppend(key: string, windowMs: number): Promise<LogAppend> {
    const id = randomUUID();
    const [at, ...earlier] = await this.r.meliesLog(this.k(key), windowMs, id, '1');
    return { id, at: at!, earlier };
  }

  async logRead(key: string, windowMs: number): Promise<{ now: number; times: number[] }> {
    const [now, ...times] = await this.r.meliesLog(this.k(key), windowMs, '', '0');
    return { now: now!, times };
  }

  async logRemove(key: string, id: string): Promise<void> {
    await this.r.zrem(this.k(key), id);
  }

  async tryAcquire(name: string, holder: string, capacity: number, ttlMs: number): Promise<boolean> {
    return (await this.r.meliesAcquire(this.k(name), holder, Math.max(0, capacity), ttlMs)) === 1;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<void> {
    await this.r.meliesAcquire(this.k(name), holder, -1, ttlMs);
  }

  async release(name: string, holder: string): Promise<void> {
    await this.r.zrem(this.k(name), holder);
  }

  async holders(name: string): Promise<string[]> {
    return this.r.meliesHolders(this.k(name));
  }

  async setFlag(key: string, value: string, ttlMs: number, opts: { onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    const ms = Math.max(1, Math.ceil(ttlMs));
    const ok = opts.onlyIfAbsent ? await this.r.set(this.k(key), value, 'PX', ms, 'NX') : await this.r.set(this.k(key), value, 'PX', ms);
    return ok === 'OK';
  }

  async getFlag(key: string): Promise<Flag | null> {
    const got = await this.r.meliesFlag(this.k(key));
    return got ? { value: got[0], ttlMs: got[1] } : null;
  }

  async mapSet(key: string, field: string, value: string, ttlMs: number): Promise<void> {
    await this.r.multi().hset(this.k(key), field, value).pexpire(this.k(key), Math.max(1, Math.ceil(ttlMs))).exec();
  }

  async mapGetAll(key: string): Promise<Record<string, string>> {
    return this.r.hgetall(this.k(key));
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length) await this.r.del(...keys.map((k) => this.k(k)));
  }

  async close(): Promise<void> {
    // The connection is the caller's.
  }
}
