// The distributed JobQueue: admission in PostgreSQL, delivery through BullMQ 6 on Redis.
//
// Why not plain BullMQ: its open-source edition has no groups, and fairness per owner (one
// person's hundred videos never starve another's one) is a promise of this queue. So, by design:
// - Every job is a row of the app database's `queue_jobs` (see admission.ts): the row, not Redis,
//   says which jobs exist, their attempt count, when they are due and whose turn is next.
// - A dispatcher, run by every worker process, picks the next fair row of the lanes it serves
//   (`FOR UPDATE SKIP LOCKED`: concurrent dispatchers never pick the same row) and adds it to that
//   lane's BullMQ queue (one queue per lane = engine; BullMQ jobId = video id) only when this
//   process has a free worker slot, then takes a job from BullMQ itself. BullMQ's wait list thus
//   holds about one job per idle slot: fairness is decided at dispatch, not in a long Redis list.
// - Workers fetch from BullMQ manually (Worker without a processor, getNextJob), because one
//   process may serve several lanes under one concurrency limit; BullMQ still owns delivery, the
//   per-job lock and stalled-job detection.
// - Every outcome is written to the row: success, cancel and give-up delete it; a failure (with
//   backoff), a deferral or a shutdown release put it back in the waiting line with a due time,
//   and the BullMQ job completes (removed). BullMQ's own retries and delays are unused.
// - Redis losing its data loses nothing: rows not dispatched are only in PostgreSQL, and a
//   reconcile pass (at start, then every lease) puts back dispatched or running rows that BullMQ
//   no longer knows on two passes a lease apart (the gap lets a running worker notice its lost
//   lock and stop first).
//
// Crash recovery (BullMQ's stalled-job detection): lockDuration = leaseMs, renewed every
// leaseMs/3 by this process; stalledInterval = leaseMs, so a SIGKILLed worker's job is back in the
// wait list within about lockDuration + 2 × stalledInterval (3 leases). The attempt number is
// counted in the row when a worker takes the job, so crashes use attempts; past maxAttempts the
// next taker hands it to onExhausted ("the worker stopped N times…"). maxStalledCount is
// maxAttempts + 1 so the row's count always decides first (BullMQ's limit is a backstop).
// A run whose lock lapsed (event loop stalled past the lease, or renewal refused) is aborted
// (LeaseLost) and writes nothing; a process never starts a job while its earlier run of the same
// id is still winding down.
//
// Queue control (issue 15 §7, queue-control.ts): a pause is a database row the dispatch query
// skips; rows of that owner already in Redis but not yet taken are pulled back to the waiting
// line (a job a worker has taken is running, and running work continues). A resume wakes every
// worker over the wake channel.
//
// Cancel from any process: the row is deleted and the video id published on a Redis pub/sub
// channel under the key prefix; the worker running it aborts the handler's signal (JobCancelled)
// at once. Backstop for a missed message: each lock renewal also checks the runs still own their
// rows (one query per lease/3 per process, not a 100 ms poll).
import { isPostgres } from '../../db/migrator.js';
import type { Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Database } from '../../db/database.js';
import {
  DEFAULT_LANE, JobCancelled, JobDeferred, LeaseLost, WorkerShutdown,
  type CloseOptions, type EnqueueOptions, type JobQueue, type ProcessOptions, type QueueCounts, type WaitingJob,
} from '../job-queue.js';
import { DispatchLoop, drainRuns } from '../dispatch-loop.js';
import { countsByLane, insertQueued, retryDelayMs, totalCounts } from '../queue-row.js';
import * as control from '../queue-control.js';
import { Admission, type Begun, type Picked } from './admission.js';
import { checkLane, LANE_NAME, Lanes } from './lanes.js';

export interface BullmqQueueOptions {
  /** Redis: a redis:// URL or ioredis options. */
  redis: string | RedisOptions;
  /** Key prefix for every Redis key and channel of this queue (BullMQ's `prefix`). */
  prefix: string;
  /** The app database; must be PostgreSQL (it holds the admission table). */
  db: Database;
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** How often an idle worker looks for due work it was not told about (deferrals, retries). */
  pollIntervalMs: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

interface Run {
  videoId: string;
  lane: string;
  token: string;
  job: Job;
  controller: AbortController;
  leaseUntil: number;
  /** It owns its row (taken in the database), so a row owned by someone else means it lost it. */
  begun: boolean;
  done: Promise<void>;
}

/** BullMQ job states in which Redis still holds the job for a worker. */
const LIVE = new Set(['waiting', 'active', 'prioritized', 'delayed', 'waiting-children']);

export class BullmqQueue implements JobQueue {
  private readonly admission: Admission;
  private readonly redis: Redis;
  private sub: Redis | null = null;
  private readonly lanes: Lanes;
  private readonly running = new Map<string, Run>();
  /** The latest run of each video id here, so a new run waits for an old one to wind down. */
  private readonly settling = new Map<string, Promise<void>>();
  /** Rows seen dispatched but unknown to BullMQ on the last reconcile pass. */
  private readonly suspect = new Set<string>();
  private processOpts: ProcessOptions | null = null;
  private stopped = false;
  private crashed = false;
  private closing: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly loop: DispatchLoop;
  private readonly channel: { cancel: string; wake: string };

  constructor(private readonly opts: BullmqQueueOptions) {
    if (!isPostgres(opts.db)) {
      throw new Error('The BullMQ queue keeps its admission table in PostgreSQL: set DATABASE_URL to a postgres:// URL (SQLite cannot be shared by several processes).');
    }
    this.admission = new Admission(opts.db);
    const base = { maxRetriesPerRequest: null };
    this.redis = typeof opts.redis === 'string' ? new Redis(opts.redis, base) : new Redis({ ...opts.redis, ...base });
    this.redis.on('error', (err) => this.log('warn', 'redis connection error', { err: String(err) }));
    this.lanes = new Lanes({
      redis: this.redis, prefix: opts.prefix, leaseMs: opts.leaseMs, maxAttempts: opts.maxAttempts,
      onError: (what, lane, err) => this.log('warn', what, { lane, err: String(err) }),
      onStalled: (lane, videoId) => { this.log('info', 'recovered a stalled job', { lane, videoId }); this.wake(); },
    });
    this.channel = { cancel: `${opts.prefix}:melies:cancel`, wake: `${opts.prefix}:melies:wake` };
    this.loop = new DispatchLoop({ pass: () => this.fillSlots(), pollMs: opts.pollIntervalMs, onError: (err) => this.log('error', 'queue dispatch failed; will retry', { err: String(err) }) });
  }

  async enqueue(videoId: string, opts: EnqueueOptions = {}): Promise<void> {
    const lane = checkLane(opts.lane ?? DEFAULT_LANE);
    await insertQueued(this.opts.db, videoId, opts, lane);
    // Idle workers anywhere dispatch it now rather than at their next poll. Lost = one poll later.
    await this.redis.publish(this.channel.wake, lane).catch((err) => this.log('warn', 'could not wake workers', { err: String(err) }));
    this.wake();
  }

  process(opts: ProcessOptions): void {
    if (this.processOpts) throw new Error('process() was already called on this queue');
    if (opts.lanes && opts.lanes.length === 0) throw new Error('process() needs at least one lane (or none given, for every lane)');
    opts.lanes?.forEach(checkLane);
    this.processOpts = opts;
    for (const lane of opts.lanes ?? []) this.lanes.worker(lane);
    this.sub = this.redis.duplicate();
    this.sub.on('error', (err) => this.log('warn', 'redis subscriber error', { err: String(err) }));
    this.sub.on('message', (channel: string, message: string) => {
      if (channel === this.channel.cancel) this.abortRuns(message, () => new JobCancelled());
      else this.wake();
    });
    void this.sub.subscribe(this.channel.cancel, this.channel.wake).catch((err) => this.log('warn', 'could not subscribe to queue channels', { err: String(err) }));
    this.timers.push(setInterval(() => void this.renewLocks(), Math.max(50, this.opts.leaseMs / 3)));
    this.timers.push(setInterval(() => void this.reconcile(), this.opts.leaseMs));
    void this.reconcile().finally(() => this.wake());
  }

  async cancel(videoId: string): Promise<void> {
    const row = await this.opts.db.deleteFrom('queue_jobs').where('video_id', '=', videoId).returning('lane').executeTakeFirst();
    if (row) {
      // Waiting in Redis: remove it (a job already taken is locked and stays; its taker finds no row).
      await this.lanes.queue(row.lane).remove(videoId).catch(() => 0);
    }
    this.abortRuns(videoId, () => new JobCancelled());
    await this.redis.publish(this.channel.cancel, videoId);
  }

  position(videoId: string): Promise<number | null> {
    return this.admission.position(videoId);
  }

  async pauseGroup(group: string, by: string | null = null): Promise<void> {
    await control.pauseGroup(this.opts.db, group, by);
    // Dispatched but not taken: BullMQ removes it only while no worker holds its lock (0 otherwise:
    // taken, so it runs), and the row goes back only if it is still the one we read.
    for (const row of await this.admission.dispatchedOf(group)) {
      const removed = await this.lanes.queue(row.lane).remove(row.video_id).catch(() => 0);
      if (removed === 1) await this.admission.redispatch(row);
    }
  }

  async resumeGroup(group: string): Promise<void> {
    await control.resumeGroup(this.opts.db, group);
    await this.redis.publish(this.channel.wake, 'resume').catch((err) => this.log('warn', 'could not wake workers', { err: String(err) }));
    this.wake();
  }

  // The rest is rows only: the dispatch query reads them as they are.
  isPaused(group: string): Promise<boolean> { return control.isPaused(this.opts.db, group); }
  moveToTop(videoId: string): Promise<boolean> { return control.moveToTop(this.opts.db, videoId); }
  setPriority(videoId: string, priority: number): Promise<boolean> { return control.setPriority(this.opts.db, videoId, priority); }
  waitingOf(group: string): Promise<WaitingJob[]> { return control.waitingOf(this.opts.db, group, (id) => this.admission.position(id)); }

  counts(lane?: string): Promise<QueueCounts> {
    return totalCounts(this.opts.db, lane);
  }

  countsByLane(): Promise<Record<string, QueueCounts>> {
    return countsByLane(this.opts.db);
  }

  close(opts: CloseOptions = {}): Promise<void> {
    if (this.crashed) return Promise.resolve();
    this.closing ??= this.shutdown(opts.graceMs ?? 0);
    return this.closing;
  }

  /** For tests: stop the way SIGKILL would, releasing nothing (locks lapse, rows stay). */
  crash(): void {
    this.crashed = this.stopped = true;
    this.clearTimers();
    for (const r of this.running.values()) r.controller.abort(new LeaseLost());
    void this.lanes.close();
    this.sub?.disconnect();
    this.redis.disconnect();
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
    await drainRuns(this.running.values(), graceMs, () => new WorkerShutdown());
    this.clearTimers();
    await this.lanes.close();
    this.sub?.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private clearTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.loop.halt();
  }

  private log(level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>): void {
    if (!this.crashed) this.opts.log?.(level, msg, extra);
  }

  private abortRuns(videoId: string, reason: () => Error): void {
    for (const r of this.running.values()) if (r.videoId === videoId && !r.controller.signal.aborted) r.controller.abort(reason());
  }

  private wake(): void {
    if (this.processOpts && !this.stopped) this.loop.wake();
  }

  /** Fills free slots: first from what BullMQ already holds, else by dispatching the next fair row. */
  private async fillSlots(): Promise<void> {
    const concurrency = this.processOpts!.concurrency;
    // Dispatches not yet matched by a fetch: never more than the free slots, whatever happens.
    let unmatched = 0;
    while (!this.stopped && this.running.size < concurrency) {
      const got = await this.lanes.fetch(this.processOpts!.lanes ?? this.lanes.served());
      if (got) {
        unmatched = Math.max(0, unmatched - 1);
        this.start(got.job, got.lane, got.token);
        continue;
      }
      if (unmatched >= concurrency - this.running.size) break;
      const picked = await this.admission.dispatchNext(this.processOpts!.lanes ?? null, (p) => this.handOver(p));
      if (!picked) break;
      unmatched++;
    }
  }

  private async handOver(p: Picked): Promise<void> {
    this.lanes.worker(p.lane); // a process serving every lane starts fetching from a new lane here
    await this.lanes.queue(p.lane).add('video', {}, { jobId: p.video_id, removeOnComplete: true, removeOnFail: true });
  }

  private start(job: Job, lane: string, token: string): void {
    const videoId = job.id!;
    const before = this.settling.get(videoId);
    const run: Run = { videoId, lane, token, job, controller: new AbortController(), leaseUntil: Date.now() + this.opts.leaseMs, begun: false, done: Promise.resolve() };
    run.done = (async () => {
      if (before) await before; // an earlier run of this id here (lost its lease) ends first
      await this.run(run);
    })().catch((err) => this.log('error', 'queue run failed', { videoId, err: String(err) })).finally(() => {
      this.running.delete(token);
      if (this.settling.get(videoId) === run.done) this.settling.delete(videoId);
      this.wake();
    });
    this.settling.set(videoId, run.done);
    this.running.set(token, run);
  }

  private async run(r: Run): Promise<void> {
    const opts = this.processOpts!;
    const { videoId, token, controller } = r;
    if (controller.signal.aborted) return;
    const begun = await this.admission.begin(videoId, token);
    if (!begun) {
      await this.complete(r); // cancelled or finished meanwhile: nothing to run
      return;
    }
    r.begun = true;
    if (begun.attempts > this.opts.maxAttempts) return this.exhaust(r, begun);
    try {
      await opts.handler({ videoId, attempt: begun.attempts, signal: controller.signal });
      await this.admission.finish(videoId, token);
      await this.complete(r);
    } catch (err) {
      const reason = controller.signal.aborted ? controller.signal.reason : undefined;
      if (reason instanceof LeaseLost) return; // another run owns it now, or will
      if (reason instanceof JobCancelled) {
        await this.admission.finish(videoId, token);
        await this.complete(r);
        return;
      }
      if (reason instanceof WorkerShutdown) {
        if (await this.complete(r)) await this.admission.requeue(videoId, token, { runAt: Date.now(), refundAttempt: true }).catch(this.lostWrite(videoId, 'release'));
        return;
      }
      if (err instanceof JobDeferred) {
        if (await this.complete(r)) await this.admission.requeue(videoId, token, { runAt: Date.now() + err.delayMs, refundAttempt: true }).catch(this.lostWrite(videoId, 'deferral'));
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      const backoff = retryDelayMs(this.opts.retryBaseMs, begun.attempts);
      this.log('warn', 'job failed; will retry or give up', { videoId, attempt: begun.attempts, err: message });
      // The next taker sees attempts > maxAttempts and hands the job to onExhausted.
      if (await this.complete(r)) {
        await this.admission.requeue(videoId, token, { runAt: Date.now() + (begun.attempts >= this.opts.maxAttempts ? 0 : backoff), refundAttempt: false, lastError: message })
          .catch(this.lostWrite(videoId, 'retry'));
      }
    }
  }

  private async exhaust(r: Run, begun: Begun): Promise<void> {
    try {
      await this.processOpts!.onExhausted(r.videoId, begun.last_error ?? `the worker stopped ${begun.attempts - 1} times while running this job`);
    } catch (err) {
      // Keep the job so the outcome is recorded later; back off instead of spinning.
      this.log('error', 'could not record a failed job; will try again', { videoId: r.videoId, err: String(err) });
      if (await this.complete(r)) {
        await this.admission.requeue(r.videoId, r.token, { runAt: Date.now() + Math.max(1000, this.opts.retryBaseMs), refundAttempt: true }).catch(this.lostWrite(r.videoId, 'failure'));
      }
      return;
    }
    await this.admission.finish(r.videoId, r.token);
    await this.complete(r);
  }

  /** BullMQ forgets the job (removeOnComplete). False if our lock was gone: then we own nothing. */
  private async complete(r: Run): Promise<boolean> {
    try {
      await r.job.moveToCompleted(null, r.token, false);
      return true;
    } catch (err) {
      this.log('warn', 'queue: lost the lock on a job before finishing it; another run owns it', { videoId: r.videoId, err: String(err) });
      return false;
    }
  }

  private lostWrite(videoId: string, what: string): (err: unknown) => void {
    return (err) => this.log('warn', `queue: could not record a job's ${what}; it is dispatched again after a reconcile pass`, { videoId, err: String(err) });
  }

  /** Extends our BullMQ locks; a run whose lock lapsed or was refused, or whose row is gone, stops. */
  private async renewLocks(): Promise<void> {
    const live = [...this.running.values()].filter((r) => !r.controller.signal.aborted);
    for (const r of live) {
      // Lapsed before we could renew (a stalled event loop): another worker may own it already.
      if (Date.now() >= r.leaseUntil) r.controller.abort(new LeaseLost());
    }
    const byLane = new Map<string, Run[]>();
    for (const r of live) if (!r.controller.signal.aborted) byLane.set(r.lane, [...(byLane.get(r.lane) ?? []), r]);
    for (const [lane, runs] of byLane) {
      const sentAt = Date.now();
      try {
        const failed = new Set(await this.lanes.worker(lane).extendJobLocks(runs.map((r) => r.videoId), runs.map((r) => r.token), this.opts.leaseMs));
        for (const r of runs) {
          if (failed.has(r.videoId)) r.controller.abort(new LeaseLost());
          else r.leaseUntil = sentAt + this.opts.leaseMs;
        }
      } catch (err) {
        this.log('warn', 'lock renewal failed', { lane, err: String(err) });
      }
    }
    // Backstop for a cancel message this process missed (subscriber reconnecting).
    try {
      const lost = await this.admission.lostRuns(live.filter((r) => r.begun && !r.controller.signal.aborted));
      for (const [token, why] of lost) this.running.get(token)?.controller.abort(why === 'gone' ? new JobCancelled() : new LeaseLost());
    } catch (err) {
      this.log('warn', 'could not check running jobs against the database', { err: String(err) });
    }
  }

  /** Puts back rows BullMQ no longer knows (Redis lost them), seen so on two passes a lease apart. */
  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.processOpts?.lanes) for (const lane of await this.admission.lanes()) if (LANE_NAME.test(lane)) this.lanes.worker(lane);
      const mine = new Set([...this.running.values()].map((r) => r.videoId));
      const seen = new Set<string>();
      let requeued = 0;
      for (const row of await this.admission.inRedis(this.processOpts?.lanes ?? null)) {
        if (mine.has(row.video_id)) continue;
        const state = await this.lanes.queue(row.lane).getJobState(row.video_id);
        if (LIVE.has(state)) continue;
        const key = `${row.video_id}:${row.state}:${row.lease_owner}:${row.dispatched_at}`;
        seen.add(key);
        if (this.suspect.has(key) && await this.admission.redispatch(row)) {
          requeued++;
          this.log('warn', 'redis no longer holds a dispatched job; dispatching it again', { videoId: row.video_id, lane: row.lane });
        }
      }
      this.suspect.clear();
      for (const k of seen) this.suspect.add(k);
      await this.admission.pruneTurns();
      if (requeued > 0) this.wake();
    } catch (err) {
      this.log('warn', 'queue reconcile failed; will retry', { err: String(err) });
    }
  }
}
