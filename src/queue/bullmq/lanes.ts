// The Redis side of the BullMQ queue: one BullMQ queue per lane (engine), and for a worker process
// one BullMQ Worker per lane it serves, used without a processor (manual fetching) so one
// concurrency limit spans all its lanes. Lock and stall settings: see bullmq.queue.ts's header.
import { randomBytes } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

export const LANE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function checkLane(lane: string): string {
  if (!LANE_NAME.test(lane)) throw new Error(`invalid queue lane ${JSON.stringify(lane)}: letters, digits, '_', '.', '-' only`);
  return lane;
}

export interface LaneSettings {
  redis: Redis;
  prefix: string;
  leaseMs: number;
  maxAttempts: number;
  onError: (what: string, lane: string, err: unknown) => void;
  onStalled: (lane: string, videoId: string) => void;
}

export class Lanes {
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  private cursor = 0;

  constructor(private readonly s: LaneSettings) {}

  queue(lane: string): Queue {
    let q = this.queues.get(lane);
    if (!q) {
      q = new Queue(lane, { connection: this.s.redis, prefix: this.s.prefix });
      q.on('error', (err) => this.s.onError('bullmq queue error', lane, err));
      this.queues.set(lane, q);
    }
    return q;
  }

  /** This process's worker for a lane, created (and its stalled checks started) on first use. */
  worker(lane: string): Worker {
    let w = this.workers.get(lane);
    if (!w) {
      w = new Worker(lane, null, {
        connection: this.s.redis, prefix: this.s.prefix, autorun: false,
        lockDuration: this.s.leaseMs, stalledInterval: this.s.leaseMs,
        maxStalledCount: this.s.maxAttempts + 1, skipLockRenewal: true,
      });
      w.on('error', (err) => this.s.onError('bullmq worker error', lane, err));
      w.on('stalled', (jobId) => this.s.onStalled(lane, jobId));
      void w.startStalledCheckTimer().catch((err) => this.s.onError('could not start stalled checks', lane, err));
      this.workers.set(lane, w);
    }
    return w;
  }

  /** Lanes this process has a worker for. */
  served(): string[] {
    return [...this.workers.keys()];
  }

  /** Takes one job (locked under a fresh token) from these lanes, starting at a rotating lane. */
  async fetch(lanes: string[]): Promise<{ job: Job; lane: string; token: string } | undefined> {
    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[(this.cursor + i) % lanes.length]!;
      const token = `${process.pid}:${randomBytes(8).toString('hex')}`;
      const job = await this.worker(lane).getNextJob(token, { block: false });
      if (job?.id) {
        this.cursor = (this.cursor + i + 1) % lanes.length;
        return { job, lane, token };
      }
    }
    return undefined;
  }

  /** Closes every BullMQ worker and queue. Nothing is released: a job still locked stays locked. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.workers.values()].map((w) => w.close(true)));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }
}
