// The `queue_jobs` row both queues keep in the app database (the embedded queue runs from it, the
// BullMQ queue admits from it): how a job enters it, and how long a failed job waits to retry.
import type { Database } from '../db/database.js';
import { DEFAULT_LANE, type EnqueueOptions, type QueueCounts } from './job-queue.js';

let lastStamp = 0;
/**
 * Microseconds since the epoch, strictly increasing within this process, so jobs enqueued in the
 * same millisecond still run in the order they were enqueued.
 */
function enqueueStamp(): number {
  lastStamp = Math.max(Date.now() * 1000, lastStamp + 1);
  return lastStamp;
}

/** Idempotent: a video already waiting or running keeps its row as it is. */
export async function insertQueued(db: Database, videoId: string, opts: EnqueueOptions, lane: string = opts.lane ?? DEFAULT_LANE): Promise<void> {
  await db.insertInto('queue_jobs')
    .values({
      video_id: videoId, state: 'queued', priority: opts.priority ?? 0, run_at: Date.now() + Math.round(opts.delayMs ?? 0), attempts: 0,
      lease_owner: null, lease_until: null, last_error: null, created_at: enqueueStamp(), group_key: opts.group ?? '', lane, dispatched_at: null,
    })
    .onConflict((oc) => oc.column('video_id').doNothing())
    .execute();
}

/** Exponential backoff with jitter (0.5–1.5×), capped at 256× the base: attempt 1 waits ~base. */
export function retryDelayMs(baseMs: number, attempt: number): number {
  return Math.round(baseMs * 2 ** Math.min(attempt - 1, 8) * (0.5 + Math.random()));
}

/** Jobs per lane: running (`active`) and waiting (everything else: queued, or handed to Redis). */
export async function countsByLane(db: Database, lane?: string): Promise<Record<string, QueueCounts>> {
  let q = db.selectFrom('queue_jobs').select(['lane', 'state', (eb) => eb.fn.countAll<number>().as('n')]);
  if (lane !== undefined) q = q.where('lane', '=', lane);
  const out: Record<string, QueueCounts> = {};
  for (const r of await q.groupBy(['lane', 'state']).execute()) {
    const c = (out[r.lane] ??= { queued: 0, active: 0 });
    if (r.state === 'active') c.active += Number(r.n);
    else c.queued += Number(r.n);
  }
  return out;
}

/** The same, added up over the lanes (or for one). */
export async function totalCounts(db: Database, lane?: string): Promise<QueueCounts> {
  const all = Object.values(await countsByLane(db, lane));
  return { queued: all.reduce((n, c) => n + c.queued, 0), active: all.reduce((n, c) => n + c.active, 0) };
}
