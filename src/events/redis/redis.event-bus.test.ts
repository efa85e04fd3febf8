// The Redis bus passes the EventBus contract, carries updates between two buses (two processes),
// and keeps its subscriptions through a Redis restart.
import { afterAll, describe, expect, it } from 'vitest';
import { ownRedisServer, redisAvailable, redisUrl, testPrefix } from '../../coordination/redis/test-redis.js';
import { newVideoId } from '../../domain/ids.js';
import type { Video } from '../../domain/video.js';
import { runEventBusContract } from '../event-bus.contract.js';
import { RedisEventBus } from './redis.event-bus.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function video(id: string, progress: number): Video {
  return {
    id, model: 'sketch', engine: 'sketch', status: 'in_progress', progress, prompt: 'p', seconds: 1, width: 2, height: 2, fps: 1, seed: 1,
    inputReferenceKey: null, remixedFromVideoId: null, negativePrompt: null, favorite: false, ownerId: 'usr_local', error: null, providerJobId: null, plan: null, output: null,
    createdAt: 1, startedAt: 1, completedAt: null, expiresAt: null, updatedAt: 1,
  };
}

if (await redisAvailable()) {
  runEventBusContract('redis', () => RedisEventBus.open({ redis: redisUrl, prefix: testPrefix() }));

  describe('Redis event bus across processes', () => {
    const opened: RedisEventBus[] = [];
    afterAll(async () => { await Promise.all(opened.map((b) => b.close())); });
    const open = async (url: string, prefix: string, log?: (level: string, msg: string) => void) => {
      const bus = await RedisEventBus.open({ redis: url, prefix, log });
      opened.push(bus);
      return bus;
    };

    it('delivers what one bus publishes to the other bus\'s subscribers, and nothing across prefixes', async () => {
      const prefix = testPrefix();
      const [worker, server, otherInstallation] = [await open(redisUrl, prefix), await open(redisUrl, prefix), await open(redisUrl, testPrefix())];
      const id = newVideoId();
      const onServer: number[] = [];
      const onWorker: number[] = [];
      const elsewhere: number[] = [];
      server.subscribe(id, (v) => onServer.push(v.progress));
      worker.subscribe(id, (v) => onWorker.push(v.progress));
      otherInstallation.subscribe(id, (v) => elsewhere.push(v.progress));
      for (const p of [0.1, 0.2, 0.3]) worker.publish(video(id, p));
      server.publish(video(id, 0.4));
      await until(() => onServer.length === 4 && onWorker.length === 4, 'both buses to get all four updates');
      // One publisher's updates arrive in the order it sent them.
      expect(onServer.slice(0, 3)).toEqual([0.1, 0.2, 0.3]);
      expect(onWorker.slice(0, 3)).toEqual([0.1, 0.2, 0.3]);
      // Another installation (another prefix) on the same Redis sees none of them.
      otherInstallation.publish(video(newVideoId(), 1));
      const marker = newVideoId();
      let markerSeen = false;
      otherInstallation.subscribe(marker, () => { markerSeen = true; });
      otherInstallation.publish(video(marker, 1));
      await until(() => markerSeen, 'the other installation\'s own update');
      expect(elsewhere).toEqual([]);
    });

    it('keeps subscriptions through a Redis restart: updates published after it still arrive', async () => {
      const redis = await ownRedisServer();
      const logs: string[] = [];
      try {
        const prefix = testPrefix();
        const worker = await open(redis.url, prefix);
        const server = await open(redis.url, prefix, (_level, msg) => logs.push(msg));
        const id = newVideoId();
        const got: number[] = [];
        server.subscribe(id, (v) => got.push(v.progress));
        worker.publish(video(id, 1));
        await until(() => got.includes(1), 'the update before the restart');

        await redis.stop();
        await until(() => logs.some((m) => m.includes('connection lost') || m.includes('connection closed')), 'the bus to notice Redis is gone');
        await redis.start();
        // Publish until one arrives: those sent while the subscriber is still reconnecting are
        // lost (events are hints), but the subscription itself must come back.
        let n = 100;
        await until(() => {
          if (got.some((p) => p >= 100)) return true;
          worker.publish(video(id, n++));
          return false;
        }, 'an update published after the restart', 30_000);
        expect(logs.some((m) => m.includes('subscription restored'))).toBe(true);
      } finally {
        await Promise.all(opened.splice(0).map((b) => b.close()));
        await redis.stop();
      }
    });
  });

} else describe.skip('Redis event bus (no Redis at REDIS_URL)', () => {});
