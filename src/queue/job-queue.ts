// The JobQueue interface: durable, at-least-once delivery of video ids to a handler. Jobs carry
// ids only; the video row owns everything else. Implementations: embedded/ (a table in the app's
// own database, in-process workers) and bullmq/ (distributed: admission in PostgreSQL, delivery
// through BullMQ on Redis); both pass queue.contract.ts.

export interface QueueJob {
  videoId: string;
  /** 1 on the first run; crashes and failures each use one up, a clean shutdown release does not. */
  attempt: number;
  /** Aborted when the job is cancelled, its lease is lost, or the worker shuts down. */
  signal: AbortSignal;
}

export type JobHandler = (job: QueueJob) => Promise<void>;

export interface ProcessOptions {
  concurrency: number;
  handler: JobHandler;
  /**
   * Called once when a job has used up its attempts (thrown errors or worker crashes): the place
   * to mark the video failed. If it throws, the job is kept and offered again later.
   */
  onExhausted: (videoId: string, lastError: string) => Promise<void>;
  /**
   * The lanes (engine ids) these workers serve; a job enqueued on another lane is never given to
   * them. Undefined: every lane.
   */
  lanes?: string[];
}

export interface EnqueueOptions {
  /** Higher runs first; within a priority, groups take turns (see `group`), FIFO inside a group. */
  priority?: number;
  delayMs?: number;
  /**
   * Whose job this is (the video's owner). Within a priority, workers claim round-robin across
   * groups, so one group's hundred waiting jobs never starve another group's one. Default: one
   * shared group (plain FIFO).
   */
  group?: string;
  /**
   * Which workers may run it: the engine id ('sketch', 'comfyui', 'runway', …), so a GPU box
   * started for ComfyUI never receives a sketch job. Default: 'default'.
   */
  lane?: string;
}

export const DEFAULT_LANE = 'default';

export interface QueueCounts {
  queued: number;
  active: number;
}

/** One waiting job of a group, as the owner's queue view shows it. */
export interface WaitingJob {
  videoId: string;
  priority: number;
  lane: string;
  /** Jobs ahead of it, as `position()` says; null while its group is paused. */
  position: number | null;
}

export interface CloseOptions {
  /** How long running jobs may take to finish before they are aborted and released. */
  graceMs?: number;
}

export interface JobQueue {
  /** Idempotent: enqueueing an id that is already waiting or running changes nothing. */
  enqueue(videoId: string, opts?: EnqueueOptions): Promise<void>;
  /** Starts workers in this process. */
  process(opts: ProcessOptions): void;
  /** Removes the job; if it is running anywhere, its signal is aborted. Never retried. */
  cancel(videoId: string): Promise<void>;
  /** Jobs ahead of this one (0 = next), or null if it is running or not queued. */
  position(videoId: string): Promise<number | null>;
  /** Waiting and running jobs, of one lane or of all. */
  counts(lane?: string): Promise<QueueCounts>;
  /** The same per lane (queue depth per engine, for metrics); lanes with no job are absent. */
  countsByLane(): Promise<Record<string, QueueCounts>>;
  // Queue control (issue 15 §7). A group is an owner (EnqueueOptions.group). The pause lives in the
  // app database, so it holds across restarts and for every process sharing the queue.
  /** Its waiting jobs are not started until resumed (running ones continue). Idempotent. */
  pauseGroup(group: string, by?: string | null): Promise<void>;
  /** Its waiting jobs may start again. Idempotent. */
  resumeGroup(group: string): Promise<void>;
  isPaused(group: string): Promise<boolean>;
  /**
   * Makes a waiting job its group's next: first in the group's FIFO, at the highest priority any of
   * the group's waiting jobs has. False when it is not waiting (running, finished, unknown).
   */
  moveToTop(videoId: string): Promise<boolean>;
  /** Changes a waiting job's priority (it keeps its place in its group). False when not waiting. */
  setPriority(videoId: string, priority: number): Promise<boolean>;
  /** A group's waiting jobs, in the order they will start. */
  waitingOf(group: string): Promise<WaitingJob[]>;
  /** Stops claiming, lets running jobs finish within the grace period, releases the rest. */
  close(opts?: CloseOptions): Promise<void>;
}

/** Abort reasons a handler may see on its signal. */
export class JobCancelled extends Error {
  constructor() { super('job cancelled'); this.name = 'JobCancelled'; }
}
export class WorkerShutdown extends Error {
  constructor() { super('worker shutting down'); this.name = 'WorkerShutdown'; }
}
export class LeaseLost extends Error {
  constructor() { super('job lease lost to another worker'); this.name = 'LeaseLost'; }
}

/**
 * Thrown by a handler to hand the job back untouched, to be offered again after `delayMs` without
 * using up an attempt (e.g. its engine is paused by the operator).
 */
export class JobDeferred extends Error {
  constructor(readonly delayMs: number, reason = 'job deferred') { super(reason); this.name = 'JobDeferred'; }
}
