// The queue-control part of the JobQueue contract (issue 15 §7): pause and resume an owner's
// queue, move a waiting job to the top, change its priority. runQueueContract runs these on every
// implementation, with the queues it makes (so its afterEach closes them). Order is asserted by the
// order jobs start, never by times.
import { describe, expect, it } from 'vitest';
import { newVideoId } from '../domain/ids.js';
import type { JobQueue } from './job-queue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

export function describeQueueControl(make: () => Promise<JobQueue>): void {
  const noExhaust = async () => { throw new Error('onExhausted should not be called'); };
  const idle = async (q: JobQueue) => { const c = await q.counts(); return c.active === 0; };

  describe('queue control', () => {
    it("pauses one owner's queue: its waiting jobs stay while others start, its running job continues; resume starts them", async () => {
      const q = await make();
      const running = newVideoId();
      const [a1, a2] = [newVideoId(), newVideoId()];
      const [b1, b2] = [newVideoId(), newVideoId()];
      const order: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => { release = r; });
      let runningAborted = false;
      await q.enqueue(running, { group: 'usr_a' });
      q.process({
        concurrency: 1,
        handler: async (j) => {
          order.push(j.videoId);
          if (j.videoId === running) {
            j.signal.addEventListener('abort', () => { runningAborted = true; });
            await held;
          }
        },
        onExhausted: noExhaust,
      });
      await until(() => order.length === 1);
      await q.pauseGroup('usr_a', 'usr_a');
      await q.pauseGroup('usr_a'); // idempotent
      expect(await q.isPaused('usr_a')).toBe(true);
      expect(await q.isPaused('usr_b')).toBe(false);
      // a's jobs are older than b's: without the pause, a1 would start next.
      await q.enqueue(a1, { group: 'usr_a' });
      await q.enqueue(a2, { group: 'usr_a' });
      await q.enqueue(b1, { group: 'usr_b' });
      await q.enqueue(b2, { group: 'usr_b' });
      expect(await q.position(a1)).toBeNull();
      expect(await q.position(b1)).toBe(0); // a paused queue is ahead of no one
      expect(await q.waitingOf('usr_a')).toEqual([
        { videoId: a1, priority: 0, lane: 'default', position: null },
        { videoId: a2, priority: 0, lane: 'default', position: null },
      ]);
      release();
      await until(() => order.length === 3);
      await until(() => idle(q));
      expect(runningAborted).toBe(false);
      expect(order).toEqual([running, b1, b2]);
      expect(await q.counts()).toEqual({ queued: 2, active: 0 });
      await q.resumeGroup('usr_a');
      expect(await q.isPaused('usr_a')).toBe(false);
      await until(() => order.length === 5);
      expect(order).toEqual([running, b1, b2, a1, a2]);
    });

    it('keeps a pause for queues made later (it lives in the database, not in a process)', async () => {
      const q1 = await make();
      await q1.pauseGroup('usr_p');
      const id = newVideoId();
      await q1.enqueue(id, { group: 'usr_p' });
      const q2 = await make();
      expect(await q2.isPaused('usr_p')).toBe(true);
      expect(await q2.position(id)).toBeNull();
      await q2.resumeGroup('usr_p');
      expect(await q1.position(id)).toBe(0);
    });

    it("moves a waiting job to the top of its owner's queue, even above the owner's higher priorities", async () => {
      const q = await make();
      const [a1, a2, a3] = [newVideoId(), newVideoId(), newVideoId()];
      const b1 = newVideoId();
      for (const id of [a1, a2, a3]) await q.enqueue(id, { group: 'usr_a' });
      await q.enqueue(b1, { group: 'usr_b' });
      expect(await q.moveToTop(a3)).toBe(true);
      expect(await q.moveToTop(newVideoId())).toBe(false);
      expect(await q.position(a3)).toBe(0);
      expect((await q.waitingOf('usr_a')).map((j) => j.videoId)).toEqual([a3, a1, a2]);
      // The owner's other job goes up in priority; moving a2 to the top still puts it first.
      expect(await q.setPriority(a1, 3)).toBe(true);
      expect(await q.moveToTop(a2)).toBe(true);
      expect((await q.waitingOf('usr_a')).map((j) => [j.videoId, j.priority])).toEqual([[a2, 3], [a1, 3], [a3, 0]]);
      const order: string[] = [];
      q.process({ concurrency: 1, handler: async (j) => { order.push(j.videoId); }, onExhausted: noExhaust });
      await until(() => order.length === 4);
      // Priority 3 first (a2, then a1: a's FIFO), then priority 0, where neither group has had a
      // turn yet and a's work is the older.
      expect(order).toEqual([a2, a1, a3, b1]);
    });

    it("changes a waiting job's priority, and refuses a job that is not waiting", async () => {
      const q = await make();
      const [x, y, z] = [newVideoId(), newVideoId(), newVideoId()];
      await q.enqueue(x, { group: 'usr_x' });
      await q.enqueue(y, { group: 'usr_y' });
      await q.enqueue(z, { group: 'usr_z' });
      expect(await q.setPriority(z, 5)).toBe(true);
      expect(await q.position(z)).toBe(0);
      expect(await q.position(x)).toBe(1);
      expect(await q.setPriority(newVideoId(), 5)).toBe(false);
      const order: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => { release = r; });
      q.process({ concurrency: 1, handler: async (j) => { order.push(j.videoId); if (j.videoId === z) await held; }, onExhausted: noExhaust });
      await until(() => order.length === 1);
      await until(async () => (await q.counts()).active === 1);
      expect(await q.setPriority(z, 0)).toBe(false); // running: no longer in line
      expect(await q.moveToTop(z)).toBe(false);
      release();
      await until(() => order.length === 3);
      expect(order).toEqual([z, x, y]);
    });
  });
}
