// Redis settings the BullMQ queue depends on, checked at start (the caller logs the warnings):
// - maxmemory-policy must be `noeviction`: any other policy lets Redis silently drop job keys and
//   locks under memory pressure (BullMQ's own requirement). The admission table in PostgreSQL
//   re-dispatches lost jobs, but evicted locks would let two workers run one job.
// - appendonly off means a Redis restart forgets what was dispatched: nothing is lost (the rows
//   are re-dispatched after a reconcile pass) but running jobs are retried; production wants AOF.
// Managed Redis services often disable CONFIG: that is reported, not fatal.
import type { Redis } from 'ioredis';

export async function checkRedisSettings(redis: Pick<Redis, 'config'>): Promise<string[]> {
  const read = async (name: string): Promise<string | null> => {
    try {
      const reply = (await redis.config('GET', name)) as unknown as string[];
      return Array.isArray(reply) && reply.length >= 2 ? String(reply[1]) : null;
    } catch {
      return null;
    }
  };
  const warnings: string[] = [];
  const policy = await read('maxmemory-policy');
  if (policy === null) warnings.push('could not read Redis maxmemory-policy (CONFIG GET refused?): make sure it is noeviction, or Redis may drop queued jobs and locks under memory pressure');
  else if (policy !== 'noeviction') warnings.push(`Redis maxmemory-policy is ${policy}: set it to noeviction (CONFIG SET maxmemory-policy noeviction, and in redis.conf), or Redis may drop queued jobs and locks under memory pressure`);
  const aof = await read('appendonly');
  if (aof === null) warnings.push('could not read Redis appendonly (CONFIG GET refused?): production wants appendonly yes, so a Redis restart keeps dispatched jobs');
  else if (aof !== 'yes') warnings.push('Redis appendonly is off: a Redis restart forgets dispatched jobs (they are dispatched again from the database, and running ones retried); set appendonly yes in production');
  return warnings;
}
