// The BullMQ queue's admission table: the embedded queue's `queue_jobs` rows, in PostgreSQL, are
// the truth about which jobs exist, their attempt count, when they are due and whose turn is next.
// Redis only ever holds what a dispatcher handed it (at most about one job per idle worker slot):
//
//   enqueue ─▶ queued ──dispatch (fair pick, SKIP LOCKED, add to the lane's BullMQ queue)──▶ dispatched
//   dispatched ──a worker takes it from BullMQ (attempts + 1, lease_owner = its run token)──▶ active
//   active ──success / cancel / exhausted──▶ (row deleted)
//   active ──failure (backoff), deferral, shutdown release──▶ queued (due later)
//   dispatched|active, unknown to BullMQ twice in a row (Redis lost it)──▶ queued (reconcile)
//
// One table for both queues (rather than a second one) because it already lives in the app's
// database with the claim indexes, holds exactly these fields, and a deployment moving from one
// process to many keeps its waiting jobs. Fair order is the embedded claim's: highest priority,
// then the group served least recently (`queue_turns`, shared by every dispatcher, instead of the
// embedded queue's per-process memory), then the group's oldest work; FIFO inside a group.
// A paused group (`queue_pauses`, queue-control.ts) is never dispatched and is ahead of no one.
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';

export interface Picked { video_id: string; lane: string; priority: number; group_key: string }
export interface Begun { attempts: number; last_error: string | null }

/** Rows of groups their owner has not paused (issue 15 §7); `alias`: how the query names queue_jobs. */
const notPaused = (alias: string) => sql<boolean>`not exists (select 1 from queue_pauses p where p.group_key = ${sql.ref(`${alias}.group_key`)})`;

/** The lanes clause: null = every lane. */
const inLanes = (lanes: string[] | null, col = sql.ref('lane')) =>
  (lanes ? sql<boolean>`${col} = any(${sql.val(lanes)}::text[])` : sql<boolean>`true`);

export class Admission {
  constructor(private readonly db: Database) {}

  /**
   * Dispatches the next fair job of these lanes: picks and locks it (another dispatcher skips it
   * and takes the next), marks it dispatched, records the group's turn, and calls `handOver`
   * (the BullMQ add) before committing, so a row is never marked dispatched without being in
   * Redis. A failed hand-over rolls back: the job stays queued.
   */
  async dispatchNext(lanes: string[] | null, handOver: (p: Picked) => Promise<void>): Promise<Picked | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const now = Date.now();
      const { rows } = await sql<Picked>`
        with heads as (
          select lane, priority, group_key, min(run_at) as first, min(created_at) as oldest
          from queue_jobs where state = 'queued' and run_at <= ${now} and ${inLanes(lanes)} and ${notPaused('queue_jobs')}
          group by lane, priority, group_key
        )
        select q.video_id, q.lane, q.priority, q.group_key
        from queue_jobs q
        join heads h on h.lane = q.lane and h.priority = q.priority and h.group_key = q.group_key
        left join queue_turns t on t.lane = q.lane and t.priority = q.priority and t.group_key = q.group_key
        where q.state = 'queued' and q.run_at <= ${now} and ${inLanes(lanes, sql.ref('q.lane'))} and ${notPaused('q')}
        order by q.priority desc, t.served_at asc nulls first, h.first, h.oldest, q.group_key, q.lane,
                 q.run_at, q.created_at, q.video_id
        limit 1
        for update of q skip locked`.execute(trx);
      const pick = rows[0];
      if (!pick) return undefined;
      await trx.updateTable('queue_jobs').set({ state: 'dispatched', dispatched_at: now, lease_owner: null })
        .where('video_id', '=', pick.video_id).execute();
      await sql`
        insert into queue_turns (lane, priority, group_key, served_at)
        values (${pick.lane}, ${pick.priority}, ${pick.group_key},
                (select coalesce(max(served_at), 0) + 1 from queue_turns where lane = ${pick.lane}))
        on conflict (lane, priority, group_key) do update set served_at = excluded.served_at`.execute(trx);
      await handOver(pick);
      return pick;
    });
  }

  /**
   * A worker took the job from BullMQ: the row becomes this run's (its token) and counts an
   * attempt. Undefined when the row is gone (cancelled, or already finished): nothing to run.
   * 'queued' is accepted too: the dispatcher adds to BullMQ before it commits, so a fast taker can
   * read the row before the dispatch is visible (its UPDATE then waits for the dispatcher's lock).
   */
  async begin(videoId: string, token: string): Promise<Begun | undefined> {
    return this.db.updateTable('queue_jobs')
      .set({ state: 'active', lease_owner: token, dispatched_at: Date.now(), attempts: sql<number>`attempts + 1` })
      .where('video_id', '=', videoId).where('state', 'in', ['queued', 'dispatched', 'active'])
      .returning(['attempts', 'last_error'])
      .executeTakeFirst();
  }

  /** Removes this run's row (done, cancelled or given up); a stale run's token matches nothing. */
  async finish(videoId: string, token: string): Promise<void> {
    await this.db.deleteFrom('queue_jobs').where('video_id', '=', videoId).where('lease_owner', '=', token).execute();
  }

  /** Hands this run's row back to the waiting line, due at `runAt`. */
  async requeue(videoId: string, token: string, o: { runAt: number; refundAttempt: boolean; lastError?: string }): Promise<void> {
    await this.db.updateTable('queue_jobs')
      .set({
        state: 'queued', lease_owner: null, dispatched_at: null, run_at: Math.round(o.runAt),
        ...(o.refundAttempt ? { attempts: sql<number>`attempts - 1` } : {}),
        ...(o.lastError !== undefined ? { last_error: o.lastError.slice(0, 2000) } : {}),
      })
      .where('video_id', '=', videoId).where('lease_owner', '=', token).execute();
  }

  /** Of these run tokens, the ones that no longer own their row (cancelled, or taken over). */
  async lostRuns(runs: { videoId: string; token: string }[]): Promise<Map<string, 'gone' | 'taken'>> {
    const out = new Map<string, 'gone' | 'taken'>();
    if (runs.length === 0) return out;
    const rows = await this.db.selectFrom('queue_jobs').select(['video_id', 'lease_owner'])
      .where('video_id', 'in', runs.map((r) => r.videoId)).execute();
    const owner = new Map(rows.map((r) => [r.video_id, r.lease_owner]));
    for (const r of runs) {
      if (!owner.has(r.videoId)) out.set(r.token, 'gone');
      else if (owner.get(r.videoId) !== r.token) out.set(r.token, 'taken');
    }
    return out;
  }

  /** Rows handed to Redis (dispatched or running), for the reconcile pass. */
  async inRedis(lanes: string[] | null) {
    return this.db.selectFrom('queue_jobs').select(['video_id', 'lane', 'state', 'lease_owner', 'dispatched_at'])
      .where('state', 'in', ['dispatched', 'active']).where(inLanes(lanes)).execute();
  }

  /** Back to the waiting line, unless the row moved on since it was read (guarded on all three). */
  async redispatch(row: { video_id: string; state: string; lease_owner: string | null; dispatched_at: number | null }): Promise<boolean> {
    const res = await this.db.updateTable('queue_jobs').set({ state: 'queued', lease_owner: null, dispatched_at: null })
      .where('video_id', '=', row.video_id).where('state', '=', row.state)
      .where(sql<boolean>`lease_owner is not distinct from ${row.lease_owner}`)
      .where(sql<boolean>`dispatched_at is not distinct from ${row.dispatched_at}`)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async lanes(): Promise<string[]> {
    const rows = await this.db.selectFrom('queue_jobs').select('lane').distinct().execute();
    return rows.map((r) => r.lane);
  }

  /** A paused group's rows already handed to Redis but not taken by a worker yet. */
  async dispatchedOf(group: string) {
    return this.db.selectFrom('queue_jobs').select(['video_id', 'lane', 'state', 'lease_owner', 'dispatched_at'])
      .where('group_key', '=', group).where('state', '=', 'dispatched').execute();
  }

  /** Forgets the turns of groups with no job left: when they come back they start level. */
  async pruneTurns(): Promise<void> {
    await sql`delete from queue_turns t where not exists (
      select 1 from queue_jobs q where q.lane = t.lane and q.priority = t.priority and q.group_key = t.group_key)`.execute(this.db);
  }

  /**
   * Jobs dispatched before this one if nothing else arrives, as in the embedded queue: what is
   * already in Redis for its lane, every higher priority, the jobs ahead in its own group, and
   * for each other group at its priority as many turns as it waits (one more if that group's
   * turn comes first). Dispatched = next (0); running or unknown = null.
   */
  async position(videoId: string, rereads = 3): Promise<number | null> {
    const job = await this.db.selectFrom('queue_jobs').selectAll().where('video_id', '=', videoId).executeTakeFirst();
    if (!job || job.state === 'active') return null;
    if (job.state === 'dispatched') return 0;
    const paused = await this.db.selectFrom('queue_pauses').select('group_key').where('group_key', '=', job.group_key).executeTakeFirst();
    if (paused) return null; // not in line at all until its owner resumes
    const n = (r: unknown) => Number((r as { n?: unknown } | undefined)?.n ?? 0);
    const lane = () => this.db.selectFrom('queue_jobs').where('lane', '=', job.lane);
    const count = (eb: any) => eb.fn.countAll().as('n') as any;
    const inRedis = n(await lane().where('state', '=', 'dispatched').select(count).executeTakeFirst());
    const higher = n(await lane().where('state', '=', 'queued').where('priority', '>', job.priority).where(notPaused('queue_jobs')).select(count).executeTakeFirst());
    const ownAhead = n(await lane().where('state', '=', 'queued').where('priority', '=', job.priority).where('group_key', '=', job.group_key)
      .where((eb) => eb.or([
        eb('run_at', '<', job.run_at),
        eb.and([eb('run_at', '=', job.run_at), eb('created_at', '<', job.created_at)]),
        eb.and([eb('run_at', '=', job.run_at), eb('created_at', '=', job.created_at), eb('video_id', '<', job.video_id)]),
      ])).select(count).executeTakeFirst());
    const { rows: heads } = await sql<{ group_key: string; n: number; first: number; oldest: number; served: number | null }>`
      select q.group_key, count(*)::int as n, min(q.run_at) as first, min(q.created_at) as oldest, max(t.served_at) as served
      from queue_jobs q left join queue_turns t on t.lane = q.lane and t.priority = q.priority and t.group_key = q.group_key
      where q.lane = ${job.lane} and q.state = 'queued' and q.priority = ${job.priority} and ${notPaused('q')}
      group by q.group_key`.execute(this.db);
    const turn = (g: typeof heads[number]) => [g.served ?? -1, Number(g.first), Number(g.oldest)] as const;
    const before = (a: typeof heads[number], b: typeof heads[number]) => {
      const [x, y] = [turn(a), turn(b)];
      for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
      return a.group_key < b.group_key;
    };
    const mine = heads.find((g) => g.group_key === job.group_key);
    // Dispatched (or cancelled) between the first read and this one: read its state again.
    if (!mine) return rereads > 0 ? this.position(videoId, rereads - 1) : null;
    let ahead = inRedis + higher + ownAhead;
    for (const g of heads) {
      if (g === mine) continue;
      ahead += Math.min(g.n, ownAhead) + (before(g, mine) && g.n > ownAhead ? 1 : 0);
    }
    return ahead;
  }
}
