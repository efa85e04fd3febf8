// Queue control on the `queue_jobs` rows both queues keep (issue 15 §7): an owner's pause (a
// `queue_pauses` row both queues' claim queries skip), moving a waiting job to the top of its
// owner's queue, and changing its priority. One implementation for both, since the rows, not
// Redis, decide what starts next; each queue adds what its own delivery needs (a wake, a pull-back).
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { WaitingJob } from './job-queue.js';

/**
 * A where-clause for `queue_jobs` rows whose group is not paused (a correlated NOT EXISTS, so the
 * claim and its guarded UPDATE see a pause in the same statement that picks the job).
 */
export const groupNotPaused = sql<boolean>`not exists (select 1 from queue_pauses p where p.group_key = queue_jobs.group_key)`;

export async function pauseGroup(db: Database, group: string, by: string | null = null): Promise<void> {
  await db.insertInto('queue_pauses').values({ group_key: group, paused_by: by, paused_at: Date.now() })
    .onConflict((oc) => oc.column('group_key').doNothing()).execute();
}

export async function resumeGroup(db: Database, group: string): Promise<void> {
  await db.deleteFrom('queue_pauses').where('group_key', '=', group).execute();
}

export async function isPaused(db: Database, group: string): Promise<boolean> {
  return !!(await db.selectFrom('queue_pauses').select('group_key').where('group_key', '=', group).executeTakeFirst());
}

/**
 * Rewrites the job's place so it sorts before every other waiting job of its group: the group's
 * earliest due time and an enqueue stamp below the group's oldest (the FIFO keys both claims order
 * by), and the group's highest waiting priority, so "top" holds across the owner's priorities
 * without reaching above any priority the owner already has. A job already handed to Redis
 * (`dispatched`, BullMQ) is starting next anyway: true, unchanged.
 */
export async function moveToTop(db: Database, videoId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const job = await trx.selectFrom('queue_jobs').select(['state', 'group_key', 'priority', 'run_at']).where('video_id', '=', videoId).executeTakeFirst();
    if (!job || (job.state !== 'queued' && job.state !== 'dispatched')) return false;
    if (job.state === 'dispatched') return true;
    const g = await trx.selectFrom('queue_jobs')
      .select([(eb) => eb.fn.max('priority').as('priority'), (eb) => eb.fn.min('run_at').as('run_at'), (eb) => eb.fn.min('created_at').as('created_at')])
      .where('group_key', '=', job.group_key).where('state', '=', 'queued').executeTakeFirstOrThrow();
    const res = await trx.updateTable('queue_jobs')
      .set({
        priority: Math.max(Number(job.priority), Number(g.priority)),
        // Never later than it already was: a job due now stays due now.
        run_at: Math.min(Number(job.run_at), Number(g.run_at)),
        created_at: Number(g.created_at) - 1,
      })
      .where('video_id', '=', videoId).where('state', '=', 'queued').executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  });
}

export async function setPriority(db: Database, videoId: string, priority: number): Promise<boolean> {
  const res = await db.updateTable('queue_jobs').set({ priority: Math.round(priority) })
    .where('video_id', '=', videoId).where('state', 'in', ['queued', 'dispatched']).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * A group's waiting jobs in the order they start (dispatched first, then the claim's order inside
 * a group), each with its position (null while the group is paused).
 */
export async function waitingOf(db: Database, group: string, position: (videoId: string) => Promise<number | null>): Promise<WaitingJob[]> {
  const rows = await db.selectFrom('queue_jobs').select(['video_id', 'priority', 'lane', 'state'])
    .where('group_key', '=', group).where('state', 'in', ['queued', 'dispatched'])
    .orderBy(sql`case when state = 'dispatched' then 0 else 1 end`).orderBy('priority', 'desc').orderBy('run_at').orderBy('created_at').orderBy('video_id')
    .execute();
  const paused = await isPaused(db, group);
  const out: WaitingJob[] = [];
  for (const r of rows) {
    out.push({ videoId: r.video_id, priority: Number(r.priority), lane: r.lane, position: paused && r.state === 'queued' ? null : await position(r.video_id) });
  }
  return out;
}
