// Queue control over HTTP (issue 15 §7), on SQLite and PostgreSQL, with the real embedded queue,
// the sketch engine and one worker slot: a paused queue stays queued while someone else's videos
// run and starts on resume; move-to-top changes the order the worker takes videos (asserted as the
// order the worker started them, never by times); a priority above the plan is refused; someone
// else's video is a 404; an admin does all of it for anyone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessOptions } from '../../src/queue/job-queue.js';
import { accountBackends, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer, type Caller } from '../helpers/accounts.js';

const CLIP = { model: 'sketch', seconds: '1', size: '320x180', fps: 12 };
const finished = (s: string) => s === 'completed' || s === 'failed';

for (const db of await accountBackends()) {
  describe(`queue control on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    let ada: Caller;
    let bob: Caller;
    /** Video ids in the order the worker started them. */
    const started: string[] = [];

    const create = async (who: Caller, prompt: string): Promise<string> => {
      const r = await who.post('/v1/videos', { ...CLIP, prompt });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return r.json.id as string;
    };
    const queueOf = async (who: Caller) => {
      const r = await who.get('/api/queue');
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return r.json as { paused: boolean; owner_id: string; data: { video: { id: string; status: string }; position: number | null; priority: number }[] };
    };

    beforeAll(async () => {
      // Workers start later, once the first queue is set up; one slot, so starts happen one by one.
      server = await startAccountServer(db, {}, { workers: false });
      admin = await setupAdmin(server);
      ada = await newMember(server, admin, 'pro');
      bob = await newMember(server, admin, 'pro');
      // Records each job as the worker takes it: the order of start, which is what queue control changes.
      const queue = server.stack.queue;
      const processJobs = queue.process.bind(queue);
      queue.process = (opts: ProcessOptions) => processJobs({ ...opts, handler: (j) => { started.push(j.videoId); return opts.handler(j); } });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("keeps a paused queue's videos queued while another user's run, and starts them on resume", async () => {
      const paused = await ada.post('/api/queue/pause');
      expect(paused.status).toBe(200);
      expect(paused.json).toMatchObject({ object: 'queue', owner_id: ada.userId, paused: true, data: [] });
      // Ada's are older: without the pause the worker would take hers first.
      const a1 = await create(ada, 'a lantern in the fog');
      const a2 = await create(ada, 'a lantern on the shore');
      const b1 = await create(bob, 'a bicycle in the rain');
      const mine = await queueOf(ada);
      expect(mine.paused).toBe(true);
      expect(mine.data.map((e) => [e.video.id, e.position, e.priority])).toEqual([[a1, null, 10], [a2, null, 10]]);
      expect((await queueOf(bob)).data.map((e) => [e.video.id, e.position])).toEqual([[b1, 0]]);

      await server.stack.startWorkers({ concurrency: 1 });
      await waitStatus(bob, b1, finished);
      expect(started).toEqual([b1]);
      for (const id of [a1, a2]) expect((await ada.get(`/v1/videos/${id}`)).json.status).toBe('queued');

      const resumed = await ada.post('/api/queue/resume');
      expect(resumed.json.paused).toBe(false);
      for (const id of [a1, a2]) expect((await waitStatus(ada, id, finished)).status).toBe('completed');
      expect(started).toEqual([b1, a1, a2]);
    });

    it('moves a queued video to the top: the worker takes it first', async () => {
      await ada.post('/api/queue/pause'); // holds them in line while the order is set
      const [a3, a4, a5] = [await create(ada, 'three kites'), await create(ada, 'four kites'), await create(ada, 'five kites')];
      expect((await queueOf(ada)).data.map((e) => e.video.id)).toEqual([a3, a4, a5]);
      const moved = await ada.post(`/api/videos/${a5}/move-to-top`);
      expect(moved.status, JSON.stringify(moved.json)).toBe(200);
      expect(moved.json.data.map((e: { video: { id: string } }) => e.video.id)).toEqual([a5, a3, a4]);
      const before = started.length;
      await ada.post('/api/queue/resume');
      for (const id of [a3, a4, a5]) await waitStatus(ada, id, finished);
      expect(started.slice(before)).toEqual([a5, a3, a4]);
      // Nothing is waiting now: moving a finished video is refused, saying why.
      const late = await ada.post(`/api/videos/${a5}/move-to-top`);
      expect(late.status).toBe(400);
      expect(late.json.error.code).toBe('video_not_queued');
    });

    it("sets a queued video's priority up to the plan's, refuses above it, and changes the order", async () => {
      await ada.post('/api/queue/pause');
      const [a6, a7] = [await create(ada, 'six lanterns'), await create(ada, 'seven lanterns')];
      const above = await ada.put(`/api/videos/${a6}/priority`, { priority: 11 });
      expect(above.status).toBe(403);
      expect(above.json.error).toMatchObject({ code: 'priority_above_plan', param: 'priority' });
      expect(above.json.error.message).toMatch(/Pro.*up to 10/);
      expect((await ada.put(`/api/videos/${a6}/priority`, { priority: 'high' })).status).toBe(400);
      // Lowering one puts the other first.
      const lowered = await ada.put(`/api/videos/${a6}/priority`, { priority: -5 });
      expect(lowered.status).toBe(200);
      expect(lowered.json.data.map((e: { video: { id: string }; priority: number }) => [e.video.id, e.priority])).toEqual([[a7, 10], [a6, -5]]);
      const before = started.length;
      await ada.post('/api/queue/resume');
      for (const id of [a6, a7]) await waitStatus(ada, id, finished);
      expect(started.slice(before)).toEqual([a7, a6]);
    });

    it("answers 404 for another user's video, and shows no one else's queue", async () => {
      await ada.post('/api/queue/pause');
      const a8 = await create(ada, 'eight lanterns');
      for (const r of [await bob.post(`/api/videos/${a8}/move-to-top`), await bob.put(`/api/videos/${a8}/priority`, { priority: 1 })]) {
        expect(r.status).toBe(404);
        expect(r.json.error.code).toBe('not_found');
      }
      expect((await queueOf(bob)).data).toEqual([]);
      // Members cannot reach the admin routes, not even for themselves.
      expect((await bob.get(`/api/admin/users/${ada.userId}/queue`)).status).toBe(403);
      await ada.post('/api/queue/resume');
      await waitStatus(ada, a8, finished);
    });

    it('lets an admin pause, reorder, reprioritise (above the plan) and resume anyone', async () => {
      const base = `/api/admin/users/${ada.userId}/queue`;
      const paused = await admin.post(`${base}/pause`);
      expect(paused.status, JSON.stringify(paused.json)).toBe(200);
      expect((await queueOf(ada)).paused).toBe(true);
      const [a9, a10] = [await create(ada, 'nine lanterns'), await create(ada, 'ten lanterns')];
      const raised = await admin.put(`${base}/${a10}/priority`, { priority: 50 });
      expect(raised.status, JSON.stringify(raised.json)).toBe(200);
      expect(raised.json.data.map((e: { video: { id: string }; priority: number }) => [e.video.id, e.priority])).toEqual([[a10, 50], [a9, 10]]);
      const moved = await admin.post(`${base}/${a9}/move-to-top`);
      expect(moved.json.data.map((e: { video: { id: string } }) => e.video.id)).toEqual([a9, a10]);
      expect((await admin.get(base)).json).toMatchObject({ owner_id: ada.userId, paused: true });
      // A video of someone else than the user named is not in that user's queue.
      expect((await admin.post(`/api/admin/users/${bob.userId}/queue/${a9}/move-to-top`)).status).toBe(404);
      expect((await admin.get('/api/admin/users/usr_00000000000000000000000000000000/queue')).status).toBe(404);
      const before = started.length;
      expect((await admin.post(`${base}/resume`)).json.paused).toBe(false);
      for (const id of [a9, a10]) await waitStatus(ada, id, finished);
      expect(started.slice(before)).toEqual([a9, a10]);
    });
  });
}
