// The embedded JobQueue: jobs are rows in the app's own database (SQLite by default, PostgreSQL
// works too), claimed with a lease by in-process workers. No Redis, and nothing is lost on a crash:
//
//   enqueue ─▶ queued ──claim (lease)──▶ active ──success──▶ (row deleted)
//                ▲  ▲                      │ │ └─cancel──────▶ (row deleted, handler aborted)
//                │  └──error, attempts left┘ └─shutdown────▶ queued (attempt not counted)
//                └──lease expired or owner process dead: claimed again (attempt counted)
//   a claim past maxAttempts ─▶ onExhausted() ─▶ (row deleted)
//
// Leases are renewed every lease/3; a worker that loses its lease aborts its handler. On start,
// jobs held by dead processes on this host are reclaimed at once instead of after lease expiry.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import {
  JobCancelled, LeaseLost, WorkerShutdown,
  type CloseOptions, type EnqueueOptions, type JobQueue, type ProcessOptions, type QueueCounts,
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
  done: Promise<void>;
}

export class EmbeddedQueue implements JobQueue {
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly running = new Map<string, Running>();
  private processOpts: ProcessOptions | null = null;
  private stopped = false;
  private abandoned = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private ticking = false;
  private tickAgain = false;

  constructor(private readonly db: Database, private readonly opts: EmbeddedQueueOptions) {}

  async enqueue(videoId: string, opts: EnqueueOptions = {}): Promise<void> {
    const now = Date.now();
    await this.db.insertInto('queue_jobs')
      .values({ video_id: videoId, state: 'queued', priority: opts.priority ?? 0, run_at: now + (opts.delayMs ?? 0), attempts: 0, lease_owner: null, lease_until: null, last_error: null, created_at: enqueueStamp() })
      .onConflict((oc) => oc.column('video_id').doNothing())
      .execute();
    this.wake();
  }

  process(opts: ProcessOptions): void {
    if (this.processOpts) throw new Error('process() was already called on this queue');
    this.processOpts = opts;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), Math.max(50, this.opts.leaseMs / 3));
    void this.reclaimFromDeadLocalWorkers().finally(() => this.wake());
  }

  async cancel(videoId: string): Promise<void> {
    await this.db.deleteFrom('queue_jobs').where('video_id', '=', videoId).execute();
    this.running.get(videoId)?.controller.abort(new JobCancelled());
  }

  async position(videoId: string): Promise<number | null> {
    const job = await this.db.selectFrom('queue_jobs').selectAll().where('video_id', '=', videoId).executeTakeFirst();
    if (!job || job.state !== 'queued') return null;
    const ahead = await this.db.selectFrom('queue_jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'queued')
      .where((eb) => eb.or([
        eb('priority', '>', job.priority),
        eb.and([eb('priority', '=', job.priority), eb('run_at', '<', job.run_at)]),
        eb.and([eb('priority', '=', job.priority), eb('run_at', '=', job.run_at), eb('created_at', '<', job.created_at)]),
        eb.and([eb('priority', '=', job.priority), eb('run_at', '=', job.run_at), eb('created_at', '=', job.created_at), eb('video_id', '<', job.video_id)]),
      ]))
      .executeTakeFirstOrThrow();
    return Number(ahead.n);
  }

  async counts(): Promise<QueueCounts> {
    const rows = await this.db.selectFrom('queue_jobs').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
    const get = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
    return { queued: get('queued'), active: get('active') };
  }

  async close(opts: CloseOptions = {}): Promise<void> {
    if (this.abandoned) return;
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    const all = () => Promise.allSettled([...this.running.values()].map((r) => r.done));
    const graceMs = opts.graceMs ?? 0;
    if (this.running.size > 0 && graceMs > 0) {
      await Promise.race([all(), new Promise((r) => setTimeout(r, graceMs).unref())]);
    }
    for (const r of this.running.values()) r.controller.abort(new WorkerShutdown());
    // A handler that ignores its signal must not hold shutdown hostage; its lease will expire.
    await Promise.race([all(), new Promise((r) => setTimeout(r, 5000).unref())]);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
  }

  /** For tests: stop as a killed process would, keeping every lease it holds. */
  abandon(): void {
    this.abandoned = true;
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const r of this.running.values()) r.controller.abort(new LeaseLost());
  }

  private wake(): void {
    if (!this.processOpts || this.stopped) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    void this.tick();
  }

  private async tick(): Promise<void> {
    const opts = this.processOpts!;
    this.ticking = true;
    try {
      do {
        this.tickAgain = false;
        while (!this.stopped && this.running.size < opts.concurrency) {
          const claimed = await this.claim();
          if (!claimed) break;
          this.start(claimed.video_id, claimed.attempts);
        }
      } while (this.tickAgain && !this.stopped);
    } catch (err) {
      this.opts.log?.('error', 'queue claim failed; will retry', { err: String(err) });
    } finally {
      this.ticking = false;
    }
    if (!this.stopped) {
      if (this.pollTimer) clearTimeout(this.pollTimer);
      this.pollTimer = setTimeout(() => this.wake(), this.opts.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  /** One guarded UPDATE: under concurrent claimers exactly one wins each row. */
  private async claim() {
    const now = Date.now();
    const claimable = (eb: any) => eb.or([
      eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', now)]),
      eb.and([eb('state', '=', 'active'), eb('lease_until', '<', now)]),
    ]);
    const next = this.db.selectFrom('queue_jobs').select('video_id').where(claimable)
      .orderBy('priority', 'desc').orderBy('run_at').orderBy('created_at').orderBy('video_id').limit(1);
    return this.db.updateTable('queue_jobs')
      .set({ state: 'active', lease_owner: this.owner, lease_until: now + this.opts.leaseMs, attempts: sql<number>`attempts + 1` })
      .where('video_id', '=', next)
      .where(claimable)
      .returningAll()
      .executeTakeFirst();
  }

  private start(videoId: string, attempt: number): void {
    const controller = new AbortController();
    const done = this.run(videoId, attempt, controller).finally(() => {
      this.running.delete(videoId);
      this.wake();
    });
    this.running.set(videoId, { controller, done });
  }

  private async run(videoId: string, attempt: number, controller: AbortController): Promise<void> {
    const opts = this.processOpts!;
    const mine = (q: any) => q.where('video_id', '=', videoId).where('lease_owner', '=', this.owner);
    try {
      if (attempt > this.opts.maxAttempts) {
        await this.exhaust(videoId, attempt);
        return;
      }
      await opts.handler({ videoId, attempt, signal: controller.signal });
      await mine(this.db.deleteFrom('queue_jobs')).execute();
    } catch (err) {
      const reason = controller.signal.reason;
      if (controller.signal.aborted && reason instanceof WorkerShutdown) {
        await mine(this.db.updateTable('queue_jobs'))
          .set({ state: 'queued', lease_owner: null, lease_until: null, run_at: Date.now(), attempts: sql<number>`attempts - 1` })
          .execute().catch(() => {});
        return;
      }
      if (controller.signal.aborted && (reason instanceof JobCancelled || reason instanceof LeaseLost)) return;
      const message = err instanceof Error ? err.message : String(err);
      const backoff = this.opts.retryBaseMs * 2 ** Math.min(attempt - 1, 8) * (0.5 + Math.random());
      this.opts.log?.('warn', 'job failed; will retry or give up', { videoId, attempt, err: message });
      // The next claim sees attempts > maxAttempts and hands the job to onExhausted.
      await mine(this.db.updateTable('queue_jobs'))
        .set({ state: 'queued', lease_owner: null, lease_until: null, last_error: message.slice(0, 2000), run_at: Date.now() + (attempt >= this.opts.maxAttempts ? 0 : backoff) })
        .execute().catch(() => {});
    }
  }

  private async exhaust(videoId: string, attempt: number): Promise<void> {
    const mine = (q: any) => q.where('video_id', '=', videoId).where('lease_owner', '=', this.owner);
    const last = await this.db.selectFrom('queue_jobs').select('last_error').where('video_id', '=', videoId).executeTakeFirst();
    try {
      await this.processOpts!.onExhausted(videoId, last?.last_error ?? `the worker stopped ${attempt - 1} times while running this job`);
    } catch (err) {
      // Keep the job so the outcome is recorded later; back off instead of spinning.
      this.opts.log?.('error', 'could not record a failed job; will try again', { videoId, err: String(err) });
      await mine(this.db.updateTable('queue_jobs'))
        .set({ state: 'queued', lease_owner: null, lease_until: null, attempts: sql<number>`attempts - 1`, run_at: Date.now() + Math.max(1000, this.opts.retryBaseMs) })
        .execute().catch(() => {});
      return;
    }
    await mine(this.db.deleteFrom('queue_jobs')).execute();
  }

  private async heartbeat(): Promise<void> {
    if (this.running.size === 0) return;
    const until = Date.now() + this.opts.leaseMs;
    for (const [videoId, r] of this.running) {
      if (r.controller.signal.aborted) continue;
      try {
        const res = await this.db.updateTable('queue_jobs').set({ lease_until: until })
          .where('video_id', '=', videoId).where('lease_owner', '=', this.owner).where('state', '=', 'active')
          .executeTakeFirst();
        // Gone (cancelled from another process) or taken over: stop working on it.
        if (Number(res.numUpdatedRows) === 0) r.controller.abort(new LeaseLost());
      } catch (err) {
        this.opts.log?.('warn', 'lease renewal failed', { videoId, err: String(err) });
      }
    }
  }

  private async reclaimFromDeadLocalWorkers(): Promise<void> {
    const prefix = `${hostname()}:`;
    const held = await this.db.selectFrom('queue_jobs').select(['video_id', 'lease_owner'])
      .where('state', '=', 'active').where('lease_owner', 'like', `${prefix}%`).execute();
    for (const job of held) {
      const pid = Number(job.lease_owner!.slice(prefix.length).split(':')[0]);
      if (pid === process.pid || processAlive(pid)) continue;
      await this.db.updateTable('queue_jobs').set({ lease_until: 0 })
        .where('video_id', '=', job.video_id).where('lease_owner', '=', job.lease_owner).execute();
      this.opts.log?.('info', 'reclaiming a job from a dead worker', { videoId: job.video_id, owner: job.lease_owner });
    }
  }
}

let lastStamp = 0;
/**
 * Microseconds since the epoch, strictly increasing within this process, so jobs enqueued in the
 * same millisecond still run in the order they were enqueued.
 */
function enqueueStamp(): number {
  lastStamp = Math.max(Date.now() * 1000, lastStamp + 1);
  return lastStamp;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // unknown: let the lease decide
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
