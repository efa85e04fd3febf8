// The contract every JobQueue passes (embedded now, BullMQ later). Each test builds queues on a
// fresh backend; `crash` must stop a queue the way a SIGKILL would (leases kept, nothing released).
import { afterEach, describe, expect, it } from 'vitest';
import { newVideoId } from '../domain/ids.js';
import { JobDeferred, type JobHandler, type JobQueue, type QueueJob } from './job-queue.js';
import { describeQueueControl } from './queue-control.contract.js';

export interface QueueTuning {
  maxAttempts: number;
  leaseMs: number;
  retryBaseMs: number;
}

export interface QueueBackend {
  create(tuning: QueueTuning): JobQueue;
  crash(queue: JobQueue): void;
  close(): Promise<void>;
}

const fast: QueueTuning = { maxAttempts: 3, leaseMs: 600, retryBaseMs: 10 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

export function runQueueContract(name: string, makeBackend: () => Promise<QueueBackend>): void {
  describe(`JobQueue contract: ${name}`, () => {
    let backend: QueueBackend;
    const open: JobQueue[] = [];
    const make = async (tuning: QueueTuning = fast) => {
      backend ??= await makeBackend();
      const q = backend.create(tuning);
      open.push(q);
      return q;
    };
    afterEach(async () => {
      for (const q of open.splice(0)) await q.close().catch(() => {});
      await backend?.close();
      backend = undefined as unknown as QueueBackend;
    });
    const noExhaust = async () => { throw new Error('onExhausted should not be called'); };

    it('delivers each enqueued id once, on attempt 1, then forgets it', async () => {
      const q = await make();
      const seen: QueueJob[] = [];
      const ids = [newVideoId(), newVideoId(), newVideoId()];
      for (const id of ids) await q.enqueue(id);
      await q.enqueue(ids[0]!); // idempotent while waiting
      q.process({ concurrency: 1, handler: async (j) => { seen.push(j); }, onExhausted: noExhaust });
      await until(() => seen.length === 3);
      // Once nothing is queued or running, no further delivery can come: the list is final.
      await until(async () => (await q.counts()).queued + (await q.counts()).active === 0);
      expect(seen.map((j) => j.videoId)).toEqual(ids); // FIFO, each once
      expect(seen.every((j) => j.attempt === 1)).toBe(true);
    });

    it('runs higher priority first and reports queue positions', async () => {
      const q = await make();
      const [a, b, c] = [newVideoId(), newVideoId(), newVideoId()];
      await q.enqueue(a);
      await q.enqueue(b);
      await q.enqueue(c, { priority: 5 });
      expect(await q.position(c)).toBe(0);
      expect(await q.position(a)).toBe(1);
      expect(await q.position(b)).toBe(2);
      expect(await q.position(newVideoId())).toBeNull();
      const order: string[] = [];
      q.process({ concurrency: 1, handler: async (j) => { order.push(j.videoId); }, onExhausted: noExhaust });
      await until(() => order.length === 3);
      expect(order).toEqual([c, a, b]);
    });

    it('shares workers fairly across groups: round-robin within a priority, FIFO inside a group', async () => {
      const q = await make();
      const a = Array.from({ length: 6 }, () => newVideoId());
      const b = [newVideoId(), newVideoId()];
      const c = newVideoId();
      const vip = newVideoId();
      for (const id of a) await q.enqueue(id, { group: 'usr_a' });
      for (const id of b) await q.enqueue(id, { group: 'usr_b' });
      await q.enqueue(c, { group: 'usr_c' });
      await q.enqueue(vip, { group: 'usr_a', priority: 5 });
      // Positions predict the claim order below, one group's turn at a time.
      expect(await q.position(vip)).toBe(0);
      expect(await q.position(a[0]!)).toBe(1);
      expect(await q.position(c)).toBe(3);
      expect(await q.position(a[2]!)).toBe(6);
      const order: string[] = [];
      q.process({ concurrency: 1, handler: async (j) => { order.push(j.videoId); }, onExhausted: noExhaust });
      await until(() => order.length === 10);
      // The priority job first, then each group in turn, never one group's backlog ahead of a newcomer.
      expect(order).toEqual([vip, a[0], b[0], c, a[1], b[1], a[2], a[3], a[4], a[5]]);
    });

    it('gives a late group its turn at once, ahead of a long backlog', async () => {
      const q = await make();
      const backlog = Array.from({ length: 8 }, () => newVideoId());
      for (const id of backlog) await q.enqueue(id, { group: 'usr_busy' });
      const order: string[] = [];
      const late = newVideoId();
      q.process({
        concurrency: 1,
        handler: async (j) => {
          order.push(j.videoId);
          if (order.length === 2) await q.enqueue(late, { group: 'usr_late' });
          await sleep(10);
        },
        onExhausted: noExhaust,
      });
      await until(() => order.length === 9);
      expect(order.indexOf(late)).toBe(2);
      expect(order.filter((id) => id !== late)).toEqual(backlog);
    });

    it('gives a job only to workers serving its lane, and counts and ranks each lane apart', async () => {
      const q = await make();
      const [s1, s2, c1, plain] = [newVideoId(), newVideoId(), newVideoId(), newVideoId()];
      await q.enqueue(s1, { lane: 'sketch' });
      await q.enqueue(s2, { lane: 'sketch' });
      await q.enqueue(c1, { lane: 'comfyui' });
      await q.enqueue(plain);
      // Another lane's backlog is not ahead of a job: its own lane's workers serve it.
      expect(await q.position(c1)).toBe(0);
      expect(await q.position(s2)).toBe(1);
      expect(await q.position(plain)).toBe(0);
      expect(await q.counts('sketch')).toEqual({ queued: 2, active: 0 });
      expect(await q.countsByLane()).toEqual({ sketch: { queued: 2, active: 0 }, comfyui: { queued: 1, active: 0 }, default: { queued: 1, active: 0 } });
      const gpu: string[] = [];
      const cpu: string[] = [];
      let releaseGpu!: () => void;
      const gpuHeld = new Promise<void>((r) => { releaseGpu = r; });
      const gpuBox = await make();
      gpuBox.process({ concurrency: 2, lanes: ['comfyui'], handler: async (j) => { gpu.push(j.videoId); await gpuHeld; }, onExhausted: noExhaust });
      const cpuBox = await make();
      cpuBox.process({ concurrency: 2, lanes: ['sketch'], handler: async (j) => { cpu.push(j.videoId); }, onExhausted: noExhaust });
      await until(() => gpu.length === 1 && cpu.length === 2);
      await until(async () => (await q.counts('comfyui')).active === 1);
      expect(await q.countsByLane()).toEqual({ comfyui: { queued: 0, active: 1 }, default: { queued: 1, active: 0 } });
      releaseGpu();
      // Only the default lane's job is left, and neither box takes it: a box for every lane does.
      await until(async () => (await q.counts('comfyui')).active === 0);
      expect(await q.counts()).toEqual({ queued: 1, active: 0 });
      const any: string[] = [];
      q.process({ concurrency: 1, handler: async (j) => { any.push(j.videoId); }, onExhausted: noExhaust });
      await until(() => any.length === 1);
      await until(async () => (await q.counts()).queued + (await q.counts()).active === 0);
      expect(gpu).toEqual([c1]);
      expect(cpu).toEqual([s1, s2]);
      expect(any).toEqual([plain]);
    });

    it('never runs more than `concurrency` jobs at once', async () => {
      const q = await make();
      let now = 0, peak = 0, done = 0;
      // The first jobs hold their slots until two run at once, so the queue is full while more wait.
      let bothRunning!: () => void;
      const full = new Promise<void>((r) => { bothRunning = r; });
      const handler: JobHandler = async () => {
        peak = Math.max(peak, ++now);
        if (now === 2) bothRunning();
        await full;
        await sleep(10);
        now--;
        done++;
      };
      for (let i = 0; i < 6; i++) await q.enqueue(newVideoId());
      q.process({ concurrency: 2, handler, onExhausted: noExhaust });
      await until(() => done === 6);
      expect(peak).toBe(2);
    });

    it('retries a failing job, then hands it to onExhausted exactly once', async () => {
      const q = await make();
      const id = newVideoId();
      const attempts: number[] = [];
      const exhausted: Array<[string, string]> = [];
      await q.enqueue(id);
      q.process({
        concurrency: 1,
        handler: async (j) => { attempts.push(j.attempt); throw new Error(`boom ${j.attempt}`); },
        onExhausted: async (videoId, err) => { exhausted.push([videoId, err]); },
      });
      await until(() => exhausted.length === 1);
      await until(async () => (await q.counts()).queued + (await q.counts()).active === 0); // gone: no attempt can follow
      expect(attempts).toEqual([1, 2, 3]);
      expect(exhausted).toEqual([[id, 'boom 3']]);
      expect(await q.counts()).toEqual({ queued: 0, active: 0 });
    });

    it('puts a deferred job back without using an attempt, and offers it again after the delay', async () => {
      const q = await make();
      const id = newVideoId();
      const runs: { attempt: number; at: number }[] = [];
      await q.enqueue(id);
      q.process({
        concurrency: 1,
        handler: async (j) => {
          runs.push({ attempt: j.attempt, at: Date.now() });
          if (runs.length <= 3) throw new JobDeferred(120);
        },
        onExhausted: noExhaust,
      });
      await until(() => runs.length === 4);
      expect(runs.map((r) => r.attempt)).toEqual([1, 1, 1, 1]); // maxAttempts is 3: deferrals never exhaust it
      // Not a speed limit: both stamps come from the clock the queue schedules by, and the job is
      // due 120 ms after it was handed back, so a busy machine can only widen the gap.
      expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(120);
      await until(async () => (await q.counts()).queued === 0 && (await q.counts()).active === 0);
    });

    it('cancels a waiting job (never runs) and a running one (signal aborted, not retried)', async () => {
      const q = await make();
      const [running, waiting] = [newVideoId(), newVideoId()];
      const ran: string[] = [];
      let aborted = false;
      await q.enqueue(running);
      await q.enqueue(waiting, { delayMs: 300 });
      q.process({
        concurrency: 2,
        handler: async (j) => {
          ran.push(j.videoId);
          await new Promise<void>((resolve, reject) => {
            j.signal.addEventListener('abort', () => { aborted = true; reject(j.signal.reason); });
          });
        },
        onExhausted: noExhaust,
      });
      await until(() => ran.length === 1);
      await q.cancel(waiting);
      await q.cancel(running);
      await until(() => aborted);
      // Both rows are gone, so the delayed one can never be claimed.
      await until(async () => (await q.counts()).queued + (await q.counts()).active === 0);
      expect(ran).toEqual([running]);
    });

    it('lets a running job finish during a graceful close', async () => {
      const q = await make();
      let finished = false;
      await q.enqueue(newVideoId());
      let started = false;
      q.process({ concurrency: 1, handler: async () => { started = true; await sleep(200); finished = true; }, onExhausted: noExhaust });
      await until(() => started);
      await q.close({ graceMs: 30_000 });
      expect(finished).toBe(true);
      expect(await (await make()).counts()).toEqual({ queued: 0, active: 0 });
    });

    it('releases a job still running after the grace period, without using up an attempt', async () => {
      const q1 = await make();
      const id = newVideoId();
      await q1.enqueue(id);
      let started = false;
      q1.process({
        concurrency: 1,
        handler: (j) => new Promise((_, reject) => { started = true; j.signal.addEventListener('abort', () => reject(j.signal.reason)); }),
        onExhausted: noExhaust,
      });
      await until(() => started);
      await q1.close({ graceMs: 50 });
      const q2 = await make();
      const seen: QueueJob[] = [];
      q2.process({ concurrency: 1, handler: async (j) => { seen.push(j); }, onExhausted: noExhaust });
      await until(() => seen.length === 1);
      expect(seen[0]).toMatchObject({ videoId: id, attempt: 1 });
    });

    it('never runs a job twice at once when its lease lapses during a stalled event loop', async () => {
      const tuning = { ...fast, leaseMs: 300 };
      const q = await make(tuning);
      const id = newVideoId();
      await q.enqueue(id);
      const active = new Set<string>();
      let overlap = false;
      const finished: number[] = [];
      let settled = 0;
      q.process({
        concurrency: 2,
        handler: async (j) => {
          if (active.has(j.videoId)) overlap = true;
          active.add(j.videoId);
          try {
            if (j.attempt === 1) {
              const until = Date.now() + tuning.leaseMs * 2;
              while (Date.now() < until) { /* a synchronous stall: GC pause, heavy CPU work */ }
            }
            await sleep(tuning.leaseMs);
            if (j.signal.aborted) throw j.signal.reason;
            finished.push(j.attempt);
          } finally {
            active.delete(j.videoId);
            settled++;
          }
        },
        onExhausted: noExhaust,
      });
      // Both runs have ended (the stalled one noticed its lost lease), so nothing more can happen.
      await until(() => finished.length === 1 && settled === 2);
      expect(overlap).toBe(false);
      expect(finished).toEqual([2]);
    });

    /** Enqueues a job, lets a worker start it, then kills that worker the way SIGKILL would. */
    async function crashWhileRunning(tuning: QueueTuning): Promise<string> {
      const q1 = await make(tuning);
      const id = newVideoId();
      await q1.enqueue(id);
      let started = false;
      q1.process({ concurrency: 1, handler: () => new Promise(() => { started = true; }), onExhausted: noExhaust });
      await until(() => started);
      backend.crash(q1);
      return id;
    }

    it('gives a crashed worker\'s job to another worker once its lease expires', async () => {
      const id = await crashWhileRunning(fast);
      const q2 = await make();
      const seen: QueueJob[] = [];
      q2.process({ concurrency: 1, handler: async (j) => { seen.push(j); }, onExhausted: noExhaust });
      await until(() => seen.length === 1);
      expect(seen[0]).toMatchObject({ videoId: id, attempt: 2 });
    });

    it('fails a job whose workers keep crashing, instead of retrying forever', async () => {
      const tuning = { ...fast, maxAttempts: 1, leaseMs: 300 };
      const id = await crashWhileRunning(tuning);
      const q2 = await make(tuning);
      const exhausted: string[] = [];
      q2.process({ concurrency: 1, handler: async () => { throw new Error('must not run'); }, onExhausted: async (v, e) => { exhausted.push(`${v}: ${e}`); } });
      await until(() => exhausted.length === 1);
      expect(exhausted[0]).toMatch(new RegExp(`^${id}: the worker stopped 1 times`));
    });

    describeQueueControl(() => make());
  });
}
