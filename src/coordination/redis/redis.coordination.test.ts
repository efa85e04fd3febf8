// Two connections stand for two processes: what one counts, holds or sets, the other sees.
import { Redis } from 'ioredis';
import { describe } from 'vitest';
import { runCoordinationContract } from '../coordination.contract.js';
import { RedisCoordination } from './redis.coordination.js';
import { deletePrefix, redisAvailable, redisUrl, testPrefix } from './test-redis.js';

if (await redisAvailable()) {
  runCoordinationContract('redis', {
    async open() {
      const prefix = testPrefix();
      const [ra, rb] = [new Redis(redisUrl), new Redis(redisUrl)];
      return {
        a: new RedisCoordination({ redis: ra, prefix }),
        b: new RedisCoordination({ redis: rb, prefix }),
        close: async () => { await deletePrefix(ra, prefix); ra.disconnect(); rb.disconnect(); },
      };
    },
    // Redis' own clock: time passes for real.
    advance: (ms) => new Promise((r) => setTimeout(r, ms)),
    concurrent: true,
  });
} else describe.skip('Coordination contract: redis (no Redis at REDIS_URL)', () => {});
