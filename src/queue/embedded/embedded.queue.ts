// The embedded JobQueue: jobs are rows in the app's own database (SQLite by default, PostgreSQL
// works too), claimed with a lease by in-process workers. No Redis, and nothing is lost on a crash:
//
//   enqueue ─▶ queued ──claim (lease)──▶ active ──success──▶ (row deleted)
//                ▲  ▲                      │ │ └─cancel──────▶ (row deleted, handler aborted)
//                │  └──error, attempts left┘ └─shutdown────▶ queued (attempt not counted)
//                └──lease expired or owner process dead: claimed again (attempt counted)
//   a claim past maxAttempts ─▶ onExhausted() ─▶ (row deleted)
//
// Every claim gets its own lease token, so a run can only renew, finish or release its own claim.
// Leases are renewed every lease/3; a run whose lease lapsed (a stalled event loop, a lost
// renewal) or was taken aborts itself, and a process never claims a job it is already running.
// On start, jobs held by dead processes on this machine are reclaimed at once.
//
// Fair claiming: within the highest claimable priority, the next job comes from the group (owner)
// this process served least recently, oldest job first inside it. With one group this is plain
// FIFO. The rotation is kept in memory: after a restart every group starts level, which is fair.
//
// Lanes: each job names the engine lane it belongs to; workers started for some lanes claim only
// those (the claim index leads with the lane), and fairness is decided over the lanes they serve.
//
// Queue control (queue-control.ts): a paused group's waiting jobs are left out of the claim and of
// everyone's positions; a job whose lease lapsed is still reclaimed (it had started: running work
// continues through a pause).
import { DispatchLoop, drainRuns } from '../dispatch-loop.js';
import { countsByLane, insertQueued, retryDelayMs, totalCounts } from '../queue-row.js';
import * as control from '../queue-control.js';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { processAlive } from '../../domain/process-alive.js';
import {
  JobCancelled, JobDeferred, LeaseLost, WorkerShutdown,
  type CloseOptions, type EnqueueOptions, type JobQueue, type ProcessOptions, type QueueCounts, type WaitingJob,
} from '../job-queue.js';

export interface EmbeddedQueueOptions {
  leaseMs: number;
  pollIntervalMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

interface Running {
  controller: AbortController;
  /** This claim's lease token (the row's lease_owner while we hold it). */
  token: string;
  /** When our lease lapses unless renewed first. */
  leaseUntil: number;
  done: Promise<void>;
}

const MAX_CLAIM_RACES = 5;

/** One group's waiting work at a priority, as the claim and position queries see it. */
interface GroupHead { group_key: string; first: unknown; oldest: unknown }

export class EmbeddedQueue implements JobQueue {
  private readonly processId = `${machineId()}:${process.pid}`;
  private readonly running = new Map<string, Running>();
  private processOpts: ProcessOptions | null = null;
  private stopped = false;
  private abandoned = false;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly loop: DispatchLoop;
  /** Round-robin state: when (in claim order) each priority+group last had a job claimed here. */
  private readonly lastClaim = new Map<string, number>();
  private claimSeq = 0;

  /** Whose turn comes first among groups at one priority: served least recently, then oldest work. */
  private turnOrder(priority: number, a: GroupHead, b: GroupHead): number {
    const last = (g: GroupHead) => this.lastClaim.get(`${priority}:${g.group_key}`) ?? -1;
    return last(a) - last(b) || Number(a.first) - Number(b.first) || Number(a.oldest) - Number(b.oldest) || (a.group_key < b.group_key ? -1 : 1);
  }

  constructor(private readonly db: Database, private readonly opts: EmbeddedQueueOptions) {
    this.loop = new DispatchLoop({
      pass: () => this.claimWhileFree(),
      pollMs: opts.pollIntervalMs,
      onError: (err) => opts.log?.('error', 'queue claim failed; will retry', { err: String(err) }),
    });
  }

  async enqueue(videoId: string, opts: EnqueueOptions = {}): Promise<void> {
    await insertQueued(this.db, videoId, opts);
    this.wake();
  }

  process(opts: ProcessOptions): void {
    if (this.processOpts) throw new Error('process() was already called on this queue');
    if (opts.lanes && opts.lanes.length === 0) throw new Error('process() needs at least one lane (or none given, for every lane)');
    this.processOpts = opts;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), Math.max(50, this.opts.leaseMs / 3));
    void this.reclaimFromDeadLocalWorkers().catch((err) => this.opts.log?.('warn', 'could not check for dead workers', { err: String(err) })).finally(() => this.wake());
  }

  async cancel(videoId: string): Promise<void> {
    await this.db.deleteFrom('queue_jobs').where('video_id', '=', videoId).execute();
    this.running.get(videoId)?.controller.abort(new JobCancelled());
  }

  pauseGroup(group: string, by: string | null = null): Promise<void> {
    return control.pauseGroup(this.db, group, by);
  }

  async resumeGroup(group: string): Promise<void> {
    await control.resumeGroup(this.db, group);
    this.wake(); // other processes see it at their next poll
  }

  isPaused(group: string): Promise<boolean> {
    return control.isPaused(this.db, group);
  }

  moveToTop(videoId: string): Promise<boolean> {
    return control.moveToTop(this.db, videoId);
  }

  setPriority(videoId: string, priority: number): Promise<boolean> {
    return control.setPriority(this.db, videoId, priority);
  }

  waitingOf(group: string): Promise<WaitingJob[]> {
    return control.waitingOf(this.db, group, (id) => this.position(id));
  }

  /**
   * Jobs claimed before this one if nothing else arrives: every higher-priority job, the jobs
   * ahead of it in its own group, and for each other group at its priority as many turns as this
   * job waits (one more for groups whose turn comes before its own).
   */
  async position(videoId: string): Promise<number | null> {
    const job = await this.db.selectFrom('queue_jobs').selectAll().where('video_id', '=', videoId).executeTakeFirst();
    if (!job || job.state !== 'queued') return null;
    // Paused: it is not in line at all until its owner resumes.
    if (await control.isPaused(this.db, job.group_key)) return null;
    const count = (q: any) => q.select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow().then((r: { n: unknown }) => Number(r.n));
    // Only the job's own lane competes with it: other lanes have their own workers.
    // Nor do paused groups' jobs: they wait behind everyone until resumed.
    const queued = () => this.db.selectFrom('queue_jobs').where('state', '=', 'queued').where('lane', '=', job.lane).where(control.groupNotPaused);
    const higher: number = await count(queued().where('priority', '>', job.priority));
    const ownAhead: number = await count(queued().where('priority', '=', job.priority).where('group_key', '=', job.group_key).where((eb) => eb.or([
      eb('run_at', '<', job.run_at),
      eb.and([eb('run_at', '=', job.run_at), eb('created_at', '<', job.created_at)]),
      eb.and([eb('run_at', '=', job.run_at), eb('created_at', '=', job.created_at), eb('video_id', '<', job.video_id)]),
    ])));
    const heads = await queued().where('priority', '=', job.priority)
      .select(['group_key', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('run_at').as('first'), (eb) => eb.fn.min('created_at').as('oldest')])
      .groupBy('group_key').execute();
    const mine = heads.find((g) => g.group_key === job.group_key);
    if (!mine) return null; // claimed, or its group paused, between the reads
    let ahead = higher + ownAhead;
    for (const g of heads) {
      if (g === mine) continue;
      const n = Number(g.n);
      const before = this.turnOrder(job.priority, g, mine) < 0;
      ahead += Math.min(n, ownAhead) + (before && n > ownAhead ? 1 : 0);
    }
    return ahead;
  }

  counts(lane?: string): Promise<QueueCounts> {
    return totalCounts(this.db, lane);
  }

  countsByLane(): Promise<Record<string, QueueCounts>> {
    return countsByLane(this.db);
  }

  async close(opts: CloseOptions = {}): Promise<void> {
    if (this.abandoned) return;
    this.stopped = true;
    // A claim in flight finishes (and releases what it took) before we look at what is running.
    await this.loop.stop();
    await drainRuns(this.running.values(), opts.graceMs ?? 0, () => new WorkerShutdown());
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
  }

  /** For tests: stop as a killed process would, keeping every lease it holds. */
  abandon(): void {
    this.abandoned = true;
    this.stopped = true;
    this.loop.halt();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const r of this.running.values()) r.controller.abort(new LeaseLost());
  }

  private wake(): void {
    if (this.processOpts && !this.stopped) this.loop.wake();
  }

  /** Claims and starts jobs while this process has free slots. */
  private async claimWhileFree(): Promise<void> {
    const opts = this.processOpts!;
    while (!this.stopped && this.running.size < opts.concurrency) {
      const claimed = await this.claim();
      if (!claimed) break;
      if (this.stopped) {
        await this.release(claimed.video_id, claimed.lease_owner!);
        break;
      }
      this.start(claimed.video_id, claimed.attempts, claimed.lease_owner!, Number(claimed.lease_until));
    }
  }

  /**
   * Picks the next claimable job this process is not already running (highest priority, then the
   * group whose turn it is, then that group's oldest job), then takes it with one guarded UPDATE:
   * of concurrent claimers exactly one wins; a loser tries again.
   */
  private async claim() {
    for (let race = 0; race < MAX_CLAIM_RACES; race++) {
      const now = Date.now();
      const claimable = (eb: any) => eb.or([
        eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', now), control.groupNotPaused]),
        eb.and([eb('state', '=', 'active'), eb('lease_until', '<', now)]),
      ]);
      const lanes = this.processOpts?.lanes;
      const notMine = <Q extends { where: (...args: any[]) => any }>(q0: Q): Q => {
        const q: Q = lanes ? q0.where('lane', 'in', lanes) : q0;
        return this.running.size > 0 ? q.where('video_id', 'not in', [...this.running.keys()]) : q;
      };
      const groups = await notMine(this.db.selectFrom('queue_jobs').where(claimable))
        .select(['group_key', 'priority', (eb) => eb.fn.min('run_at').as('first'), (eb) => eb.fn.min('created_at').as('oldest')])
        .groupBy(['group_key', 'priority'])
        .execute();
      if (groups.length === 0) return undefined;
      const top = Math.max(...groups.map((g) => Number(g.priority)));
      const pick = groups.filter((g) => Number(g.priority) === top).sort((a, b) => this.turnOrder(top, a, b))[0]!;
      const candidate = await notMine(this.db.selectFrom('queue_jobs').select('video_id').where(claimable))
        .where('priority', '=', top)
        .where('group_key', '=', pick.group_key)
        .orderBy('run_at').orderBy('created_at').orderBy('video_id').limit(1).executeTakeFirst();
      if (!candidate) continue;
      const claimed = await this.db.updateTable('queue_jobs')
        .set({ state: 'active', lease_owner: `${this.processId}:${randomBytes(6).toString('hex')}`, lease_until: now + this.opts.leaseMs, attempts: sql<number>`attempts + 1` })
        .where('video_id', '=', candidate.video_id)
        .where(claimable)
        .returningAll()
        .executeTakeFirst();
      if (claimed) {
        this.lastClaim.set(`${top}:${claimed.group_key}`, ++this.claimSeq);
        return claimed;
      }
    }
    return undefined;
  }

  private start(videoId: string, attempt: number, token: string, leaseUntil: number): void {
    const controller = new AbortController();
    const entry: Running = { controller, token, leaseUntil, done: Promise.resolve() };
    entry.done = this.run(videoId, attempt, token, controller).finally(() => {
      if (this.running.get(videoId) === entry) this.running.delete(videoId);
      this.wake();
    });
    this.running.set(videoId, entry);
  }

  /** Statements scoped to our own claim: a stale run can never touch someone else's. */
  private mine<Q extends { where: (...args: any[]) => any }>(q: Q, videoId: string, token: string): Q {
    return q.where('video_id', '=', videoId).where('lease_owner', '=', token);
  }

  private async release(videoId: string, token: string): Promise<void> {
    await this.mine(this.db.updateTable('queue_jobs'), videoId, token)
      .set({ state: 'queued', lease_owner: null, lease_until: null, run_at: Date.now(), attempts: sql<number>`attempts - 1` })
      .execute().catch(this.lostWrite(videoId, 'release'));
  }

  /**
   * A write that hands a job back failed: the lease still expires and the job is claimed again,
   * only later. Logged, never silent: it hid a PostgreSQL bug (a fractional run_at) for a release.
   */
  private lostWrite(videoId: string, what: string): (err: unknown) => void {
    return (err) => this.opts.log?.('warn', `queue: could not record a job's ${what}; it runs again when its lease expires`, { videoId, err: String(err) });
  }

  private async run(videoId: string, attempt: number, token: string, controller: AbortController): Promise<void> {
    const opts = this.processOpts!;
    try {
      if (attempt > this.opts.maxAttempts) {
        await this.exhaust(videoId, attempt, token);
        return;
      }
      await opts.handler({ videoId, attempt, signal: controller.signal });
      await this.mine(this.db.deleteFrom('queue_jobs'), videoId, token).execute();
    } catch (err) {
      const reason = controller.signal.reason;
      if (controller.signal.aborted && reason instanceof WorkerShutdown) return this.release(videoId, token);
      if (controller.signal.aborted && (reason instanceof JobCancelled || reason instanceof LeaseLost)) return;
      if (err instanceof JobDeferred) {
        await this.mine(this.db.updateTable('queue_jobs'), videoId, token)
          .set({ state: 'queued', lease_owner: null, lease_until: null, run_at: Date.now() + Math.round(err.delayMs), attempts: sql<number>`attempts - 1` })
          .execute().catch(this.lostWrite(videoId, 'deferral'));
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      // Whole milliseconds: run_at is a BIGINT, which PostgreSQL refuses a fraction for.
      const backoff = retryDelayMs(this.opts.retryBaseMs, attempt);
      this.opts.log?.('warn', 'job failed; will retry or give up', { videoId, attempt, err: message });
      // The next claim sees attempts > maxAttempts and hands the job to onExhausted.
      await this.mine(this.db.updateTable('queue_jobs'), videoId, token)
        .set({ state: 'queued', lease_owner: null, lease_until: null, last_error: message.slice(0, 2000), run_at: Date.now() + (attempt >= this.opts.maxAttempts ? 0 : backoff) })
        .execute().catch(this.lostWrite(videoId, 'retry'));
    }
  }

  private async exhaust(videoId: string, attempt: number, token: string): Promise<void> {
    const last = await this.db.selectFrom('queue_jobs').select('last_error').where('video_id', '=', videoId).executeTakeFirst();
    try {
      await this.processOpts!.onExhausted(videoId, last?.last_error ?? `the worker stopped ${attempt - 1} times while running this job`);
    } catch (err) {
      // Keep the job so the outcome is recorded later; back off instead of spinning.
      this.opts.log?.('error', 'could not record a failed job; will try again', { videoId, err: String(err) });
      await this.mine(this.db.updateTable('queue_jobs'), videoId, token)
        .set({ state: 'queued', lease_owner: null, lease_until: null, attempts: sql<number>`attempts - 1`, run_at: Date.now() + Math.max(1000, this.opts.retryBaseMs) })
        .execute().catch(this.lostWrite(videoId, 'failure'));
      return;
    }
    await this.mine(this.db.deleteFrom('queue_jobs'), videoId, token).execute();
  }

  private async heartbeat(): Promise<void> {
    for (const [videoId, r] of this.running) {
      if (r.controller.signal.aborted) continue;
      // Lapsed before we could renew (the event loop stalled, renewals failed): another worker
      // may already own it, so stop rather than run it twice.
      if (Date.now() >= r.leaseUntil) {
        r.controller.abort(new LeaseLost());
        continue;
      }
      const until = Date.now() + this.opts.leaseMs;
      try {
        const res = await this.mine(this.db.updateTable('queue_jobs'), videoId, r.token).set({ lease_until: until }).where('state', '=', 'active').executeTakeFirst();
        // Gone (cancelled from another process) or taken over: stop working on it.
        if (Number(res.numUpdatedRows) === 0) r.controller.abort(new LeaseLost());
        else r.leaseUntil = until;
      } catch (err) {
        this.opts.log?.('warn', 'lease renewal failed', { videoId, err: String(err) });
      }
    }
  }

  private async reclaimFromDeadLocalWorkers(): Promise<void> {
    const prefix = `${machineId()}:`;
    const held = await this.db.selectFrom('queue_jobs').select(['video_id', 'lease_owner']).where('state', '=', 'active').execute();
    for (const job of held) {
      if (!job.lease_owner?.startsWith(prefix)) continue;
      const pid = Number(job.lease_owner.slice(prefix.length).split(':')[0]);
      if (pid === process.pid || processAlive(pid)) continue;
      await this.db.updateTable('queue_jobs').set({ lease_until: 0 })
        .where('video_id', '=', job.video_id).where('lease_owner', '=', job.lease_owner).execute();
      this.opts.log?.('info', 'reclaiming a job from a dead worker', { videoId: job.video_id, owner: job.lease_owner });
    }
  }
}

let cachedMachineId: string | null = null;
/**
 * Identifies this machine *and* pid namespace, so "is pid N alive?" is only asked where N means
 * the same process: containers sharing a hostname, or one kernel with several pid namespaces,
 * get different ids.
 */
function machineId(): string {
  if (cachedMachineId) return cachedMachineId;
  const read = (f: () => string) => { try { return f(); } catch { return ''; } };
  const parts = [hostname(), read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()), read(() => readlinkSync('/proc/self/ns/pid'))];
  cachedMachineId = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 12);
  return cachedMachineId;
}
