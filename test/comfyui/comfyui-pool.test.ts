// The GPU pool under load, through the real API with the openai SDK: 3 fake GPUs, 30 jobs from 4
// users in multi-user mode, the first user's 16 queued before anyone else asks. Nothing here
// depends on speed (that is `npm run bench:comfyui`): the fake GPUs hold every prompt at a gate and
// the test lets one finish at a time, waiting between steps until nothing moves. What is checked is
// the order of events in the fakes' shared log:
//  - every job completes, with exactly one POST /prompt each;
//  - no GPU is left idle while a job waits for one: when a GPU finishes while jobs wait, it takes
//    the next one before anything else happens on the GPUs: before the video it just made is
//    downloaded (the fakes hold downloads meanwhile) and before any other GPU finishes;
//  - no GPU is sent a prompt while it still works on another;
//  - users take turns: once the first user's jobs fill the workers, prompts start in strict
//    rotation among the users who have videos left.
// A scheduler that only dispatched on a health check, on a finished download, or on another GPU's
// completion would leave the freed GPU idle for good here, and the step would fail.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerSlotsFor } from '../../src/app/comfyui.js';
import { promptIdFor } from '../../src/engines/comfyui/job-id.js';
import { LOCAL_PRINCIPAL } from '../../src/services/accounts/authenticator.js';
import type { FakeComfyUI, FakeEvent } from '../fakes/comfyui/fake-comfyui.server.js';
import { accountBackends, keyFor, newMember, setupAdmin, startAccountServer, type AccountServer } from '../helpers/accounts.js';
import { sleep } from '../helpers/server.js';
import { probeBytes, startFake } from './helpers.js';

const JOBS = { a: 16, b: 8, c: 4, d: 2 } as const;
type User = keyof typeof JOBS;
const TOTAL = Object.values(JOBS).reduce((n, k) => n + k, 0);
/** How long one step may take before the test calls it stuck: liveness, not speed. */
const STUCK_MS = 45_000;

/** Polls until `done`; a step that never settles fails with what it last saw. */
async function until<T>(what: string, read: () => Promise<T> | T, done: (v: T) => boolean): Promise<T> {
  const end = Date.now() + STUCK_MS;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`stuck waiting for ${what}; last seen ${JSON.stringify(v)}`);
    await sleep(10);
  }
}

for (const backend of await accountBackends()) {
  describe(`GPU pool: 3 GPUs, 30 jobs, 4 users (${backend})`, () => {
    const events: FakeEvent[] = [];
    let gpus: FakeComfyUI[];
    let server: AccountServer;

    beforeAll(async () => {
      gpus = await Promise.all([1, 2, 3].map((i) => startFake({ stepMs: 2, maxSteps: 4, events, label: `gpu-${i}` })));
      for (const g of gpus) g.faults.gate = true;
      server = await startAccountServer(backend, {
        auth: { requestsPerMinute: 100_000 },
        // No periodic traffic that could hand a freed GPU its next job by accident: health checks and
        // history polls are rarer than a stuck step is allowed to last.
        comfyui: { servers: gpus.map((g, i) => ({ url: g.url, label: `gpu-${i + 1}` })), healthIntervalMs: 600_000, historyPollMs: 60_000 },
      });
    });
    afterAll(async () => {
      await server?.stop();
      for (const g of gpus ?? []) await g.stop();
    });

    it('completes every job once, never leaves a GPU idle while a job waits for one, and lets users take turns', { timeout: 600_000 }, async () => {
      const admin = await setupAdmin(server);
      expect((await admin.put('/api/admin/plans/studio', { label: 'Studio', seconds_per_day: null, seconds_per_month: null, max_concurrent: null, max_seconds: null, max_pixels: null, usd_budget_month: null })).status).toBe(200);
      const users = Object.fromEntries(await Promise.all(Object.keys(JOBS).map(async (u) => {
        const key = (await keyFor(await newMember(server, admin, 'studio'))).auth.key!;
        return [u, new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 })] as const;
      }))) as Record<User, OpenAI>;
      // The engines panel is for operators: a member's key is refused, in OpenAI's envelope.
      const member = await newMember(server, admin, 'studio');
      const refused = await (await keyFor(member)).get('/api/engines');
      expect(refused.status).toBe(403);
      expect(refused.json.error).toMatchObject({ code: 'forbidden', type: 'invalid_request_error' });
      expect((await admin.get('/api/engines')).json.data.map((e: { engine: string }) => e.engine)).toEqual(expect.arrayContaining(['sketch', 'comfyui']));

      const owner = new Map<string, User>(); // prompt id → user
      const videoOwner = new Map<string, User>();
      const create = async (u: User) => {
        for (let i = 0; i < JOBS[u]; i++) {
          const v = await users[u].videos.create({ model: 'comfyui/wan2.2-ti2v-5b-t2v', prompt: `${u} shot ${i}`, seconds: '1', size: '256x256' } as any);
          owner.set(promptIdFor(v.id, 1), u);
          videoOwner.set(v.id, u);
        }
      };

      const config = server.stack.config;
      const workers = config.jobs.concurrency + workerSlotsFor(config);
      const db = await server.openDb();
      try {
        const state = async () => {
          const o = await server.stack.engineStatus.overview(LOCAL_PRINCIPAL);
          const waiting = (o.data.find((e) => e.engine === 'comfyui')!.status as { waiting: number }).waiting;
          const { active } = await server.stack.queue.counts();
          const rows = await db.selectFrom('videos').select('status').execute();
          return {
            waiting, active,
            done: rows.filter((r) => r.status === 'completed' || r.status === 'failed').length,
            ended: events.filter((e) => e.type === 'end').length,
            held: gpus.filter((g) => g.worker.running?.atGate).length,
            busy: gpus.filter((g) => g.worker.running || g.queue.length).length,
            created: videoOwner.size,
          };
        };
        // Nothing moves: each GPU holds a prompt at its gate or has none; every ended prompt's video
        // is finished; every worker that can have a job has one; every claimed job not on a GPU waits
        // in the pool; and no GPU is idle while one waits.
        const quiet = (s: Awaited<ReturnType<typeof state>>) => s.busy === s.held && s.done === s.ended
          && s.active === Math.min(workers, s.created - s.done) && s.waiting === s.active - s.held
          && (s.held === gpus.length || s.waiting === 0);

        // The first user's jobs are queued and fill every worker before anyone else asks; then the
        // three others ask at once.
        await create('a');
        await until('user a\'s jobs to fill the workers', state, quiet);
        await Promise.all((['b', 'c', 'd'] as const).map(create));

        const steps: { gpu: string; ended: string; endSeq: number; waiting: number }[] = [];
        for (;;) {
          const s = await until('everything to settle', state, quiet);
          if (s.done === TOTAL) break;
          // The GPU holding the oldest prompt finishes it, while every download is held.
          const startOf = (g: FakeComfyUI) => events.findLast((e) => e.type === 'start' && e.gpu === g.opts.label)!.seq;
          const g = gpus.filter((x) => x.worker.running?.atGate).sort((x, y) => startOf(x) - startOf(y))[0]!;
          const finishing = g.worker.running!.item[1];
          for (const x of gpus) x.faults.holdViews = true;
          expect(g.release()).toBe(true);
          const end = await until(`${g.opts.label} to finish ${finishing}`, () => events.find((e) => e.type === 'end' && e.promptId === finishing), Boolean);
          steps.push({ gpu: g.opts.label!, ended: finishing, endSeq: end!.seq, waiting: s.waiting });
          if (s.waiting > 0) {
            await until(`${g.opts.label}, idle with ${s.waiting} job(s) waiting for a GPU, to take one`,
              () => events.find((e) => e.seq > end!.seq && e.gpu === g.opts.label && e.type === 'accept'), Boolean);
          }
          for (const x of gpus) x.faults.holdViews = false;
        }

        const rows = await db.selectFrom('videos').select(['id', 'status', 'error_message']).execute();
        expect(rows.filter((r) => r.status !== 'completed')).toEqual([]);
        expect(rows).toHaveLength(TOTAL);

        // One prompt per job on the GPUs, none twice.
        const accepted = gpus.flatMap((g) => g.stats.accepted);
        expect(accepted).toHaveLength(TOTAL);
        expect(new Set(accepted)).toEqual(new Set(rows.map((r) => promptIdFor(r.id, 1))));
        expect(gpus.reduce((n, g) => n + g.stats.promptPosts, 0)).toBe(TOTAL);

        // No GPU left idle while a job waited: after each end with jobs waiting, that GPU's next
        // event of consequence is taking a job, before the finished video's download and before any
        // other GPU ends a prompt.
        const waitedSteps = steps.filter((st) => st.waiting > 0);
        expect(waitedSteps.length).toBeGreaterThanOrEqual(TOTAL - workers);
        for (const st of waitedSteps) {
          const after = events.filter((e) => e.seq > st.endSeq);
          const took = after.findIndex((e) => e.type === 'accept' && e.gpu === st.gpu);
          const downloaded = after.findIndex((e) => e.type === 'view' && e.promptId === st.ended);
          const nextEnd = after.findIndex((e) => e.type === 'end');
          expect(took, `${st.gpu} after ending ${st.ended}`).toBeGreaterThanOrEqual(0);
          expect(took, `${st.gpu} took a job before ${st.ended} was downloaded`).toBeLessThan(downloaded);
          if (nextEnd >= 0) expect(took, `${st.gpu} took a job before another GPU finished`).toBeLessThan(nextEnd);
        }
        // No GPU sent a prompt while it worked on one (per-server concurrency 1).
        for (const g of gpus) {
          let working = 0;
          for (const e of events.filter((x) => x.gpu === g.opts.label)) {
            if (e.type === 'accept') expect(working, `${g.opts.label} was sent a prompt while busy`).toBe(0);
            if (e.type === 'accept') working++;
            if (e.type === 'end') working--;
          }
        }
        // Every GPU got work.
        for (const g of gpus) expect(g.stats.executions.length).toBeGreaterThanOrEqual(Math.floor(TOTAL / gpus.length) - 1);

        // Users take turns. The first `workers` prompts are user a's (their jobs were claimed before
        // anyone else asked); from then on, each user with videos left gets one start per round.
        const order = events.filter((e) => e.type === 'start').map((e) => owner.get(e.promptId)!);
        const head = Math.min(workers, JOBS.a);
        expect(order.slice(0, head)).toEqual(Array(head).fill('a'));
        const firstRound = order.slice(head, head + 3);
        expect([...firstRound].sort()).toEqual(['b', 'c', 'd']);
        const left: Record<User, number> = { a: JOBS.a - head, b: JOBS.b, c: JOBS.c, d: JOBS.d };
        // Served least recently goes first: b, c, d never yet (in the order they first asked), then a.
        const last = new Map<User, number>([[firstRound[0] as User, -3], [firstRound[1] as User, -2], [firstRound[2] as User, -1], ['a', 0]]);
        const expected: User[] = [];
        for (let seq = 1; expected.length < TOTAL - head; seq++) {
          const next = (Object.keys(left) as User[]).filter((u) => left[u] > 0).sort((x, y) => last.get(x)! - last.get(y)!)[0]!;
          expected.push(next);
          left[next]--;
          last.set(next, seq);
        }
        expect(order.slice(head).join('')).toBe(expected.join(''));
        // So the user who asked last, for two videos, is done long before the one who asked first.
        expect(order.lastIndexOf('d')).toBeLessThan(order.lastIndexOf('a') - JOBS.a / 2);

        // Spot-check the files: real H.264 MP4s of the size and length asked.
        for (const r of rows.slice(0, 4)) {
          const u = videoOwner.get(r.id)!;
          const p = await probeBytes(await (await users[u].videos.downloadContent(r.id)).arrayBuffer());
          expect(p.video).toMatchObject({ codec: 'h264', width: 256, height: 256, frames: 24 });
        }
      } finally {
        await db.destroy();
      }
    });
  });
}
