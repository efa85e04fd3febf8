// The job runner around engines, with scripted engines standing in for remote providers: the
// provider job id is stored before polling and never submitted twice, refusals fail the video with
// the engine's code, unknown errors are left to the queue to retry, odd codecs are normalised,
// and a video deleted mid-run leaves no files.
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../domain/errors.js';
import { newVideoId } from '../domain/ids.js';
import type { Video } from '../domain/video.js';
import type { Database } from '../db/database.js';
import { testDatabases } from '../db/test-databases.js';
import { VideoRepo } from '../db/video.repo.js';
import type { Engine, EngineContext, EngineJob } from '../engines/engine.js';
import { SKETCH_CARD } from '../engines/sketch/sketch.card.js';
import { MemoryEventBus } from '../events/event-bus.js';
import { resolveMediaBinaries } from '../media/binaries.js';
import { probe } from '../media/probe.js';
import { runTool } from '../media/run.js';
import { LocalBlobStore } from '../storage/local/local.blob-store.js';
import { makeGenerateVideoJob } from './generate-video.job.js';

const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });

/** A real (MPEG-4 Part 2, not H.264) clip, as a provider might return. */
async function providerClip(ctx: EngineContext, job: EngineJob): Promise<string> {
  const file = join(ctx.workDir, 'provider.mp4');
  await runTool(bins.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${job.width}x${job.height}:rate=${job.fps}`, '-t', String(job.seconds), '-c:v', 'mpeg4', file]);
  return file;
}

class ScriptedRemoteEngine implements Engine {
  readonly id = 'remote';
  submits = 0;
  polls = 0;
  /** Resolves when a poll starts hanging (behaviour 'hang-after-submit'). */
  hanging: Promise<void>;
  private hung!: () => void;
  constructor(private readonly behaviour: 'ok' | 'refuse' | 'flaky' | 'hang-after-submit' | 'provider-restarts' = 'ok') {
    this.hanging = new Promise((r) => { this.hung = r; });
  }
  models() {
    return [{ ...SKETCH_CARD, id: `remote/${this.behaviour}`, engine: 'remote', kind: 'cloud' as const }];
  }
  async submit(): Promise<{ kind: 'submitted'; providerJobId: string }> {
    this.submits++;
    if (this.behaviour === 'refuse') throw new EngineError('content_policy_violation', 'The provider refused the prompt: violence.');
    if (this.behaviour === 'flaky') throw new Error('socket hang up');
    return { kind: 'submitted', providerJobId: `prov-${this.submits}` };
  }
  async poll(job: EngineJob, ctx: EngineContext) {
    this.polls++;
    if (this.behaviour === 'hang-after-submit' && this.polls === 1) {
      this.hung();
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    }
    // The provider lost the job on the first poll; the engine submitted it again under a new id.
    if (this.behaviour === 'provider-restarts' && this.polls === 1) return { kind: 'running' as const, retryAfterMs: 10, providerJobId: `${job.providerJobId}-again` };
    if (this.behaviour === 'provider-restarts' && this.polls === 2 && job.providerJobId !== 'prov-1-again') throw new Error(`polled ${job.providerJobId}`);
    if (this.polls < 3) return { kind: 'running' as const, progress: this.polls / 3, retryAfterMs: 10 };
    return { kind: 'completed' as const, file: await providerClip(ctx, job) };
  }
}

for (const target of await testDatabases()) {
  describe(`generate-video job on ${target.name}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let repo: VideoRepo;
    let root: string;
    let storage: LocalBlobStore;
    const events = new MemoryEventBus();
    beforeAll(async () => {
      ({ db, close } = await target.open());
      repo = new VideoRepo(db);
      root = mkdtempSync(join(tmpdir(), 'melies-job-'));
      storage = new LocalBlobStore(join(root, 'blobs'));
    });
    afterAll(async () => {
      await close();
      rmSync(root, { recursive: true, force: true });
    });

    const job = (engine: Engine) => makeGenerateVideoJob({
      videos: repo, engineFor: () => engine, storage, publish: (v) => events.publish(v), media: bins, workRoot: join(root, 'work'), log: () => {},
    });

    async function queued(model: string): Promise<Video> {
      const v: Video = {
        id: newVideoId(), model, engine: 'remote', status: 'queued', progress: 0, prompt: 'a red balloon', seconds: 1, width: 320, height: 180,
        fps: 12, seed: 1, inputReferenceKey: null, remixedFromVideoId: null, negativePrompt: null, favorite: false, ownerId: 'usr_local', error: null, providerJobId: null, plan: null, output: null,
        createdAt: Date.now(), startedAt: null, completedAt: null, expiresAt: null, updatedAt: Date.now(),
      };
      await repo.insert(v);
      return v;
    }
    const run = (engine: Engine, v: Video, attempt = 1, signal = new AbortController().signal) => job(engine).handler({ videoId: v.id, attempt, signal });

    it('stores the provider job id, polls, normalises to H.264 and completes', async () => {
      const engine = new ScriptedRemoteEngine('ok');
      const v = await queued('remote/ok');
      const seen: number[] = [];
      const unsubscribe = events.subscribe(v.id, (u) => seen.push(u.progress));
      await run(engine, v);
      unsubscribe();
      const done = (await repo.get(v.id))!;
      expect(done).toMatchObject({ status: 'completed', progress: 100, providerJobId: 'prov-1' });
      expect(engine.submits).toBe(1);
      const p = await probe(bins.ffprobe, join(root, 'blobs', done.output!.videoKey));
      expect(p.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 320, height: 180 });
      expect(seen[seen.length - 1]).toBe(100);
      expect(seen.every((x, i) => i === 0 || x >= seen[i - 1]!)).toBe(true);
      expect(existsSync(join(root, 'work', v.id))).toBe(false);
    });

    it('never submits twice: a restarted attempt polls the stored provider job', async () => {
      const engine = new ScriptedRemoteEngine('hang-after-submit');
      const v = await queued('remote/hang-after-submit');
      const ac = new AbortController();
      const first = run(engine, v, 1, ac.signal);
      await engine.hanging; // submitted, and polling the provider's job
      const died = new Error('worker died');
      ac.abort(died);
      await expect(first).rejects.toBe(died);
      expect((await repo.get(v.id))!.providerJobId).toBe('prov-1');
      await run(engine, v, 2);
      expect(engine.submits).toBe(1);
      expect((await repo.get(v.id))!.status).toBe('completed');
    });

    it('keeps the video queued while the engine waits for a free slot, in_progress once it works', async () => {
      let release!: () => void;
      const slot = new Promise<void>((r) => { release = r; });
      let entered!: () => void;
      const waiting = new Promise<void>((r) => { entered = r; });
      const engine = new ScriptedRemoteEngine('ok');
      const submit = engine.submit.bind(engine);
      engine.submit = async () => { entered(); await slot; return submit(); };
      const v = await queued('remote/ok');
      const running = run(engine, v);
      await waiting; // the job is inside the engine, waiting for its slot
      expect(await repo.get(v.id)).toMatchObject({ status: 'queued', startedAt: null });
      release();
      await running;
      const done = (await repo.get(v.id))!;
      expect(done.status).toBe('completed');
      expect(done.startedAt).not.toBeNull();
    });

    it('stores the new provider job id when the engine had to submit again, and polls that one', async () => {
      const engine = new ScriptedRemoteEngine('provider-restarts');
      const v = await queued('remote/provider-restarts');
      await run(engine, v);
      expect(await repo.get(v.id)).toMatchObject({ status: 'completed', providerJobId: 'prov-1-again' });
      expect(engine.submits).toBe(1);
    });

    it('fails the video with the engine\'s code when the engine refuses', async () => {
      const v = await queued('remote/refuse');
      await run(new ScriptedRemoteEngine('refuse'), v);
      expect(await repo.get(v.id)).toMatchObject({ status: 'failed', error: { code: 'content_policy_violation', message: 'The provider refused the prompt: violence.' } });
    });

    it('leaves unknown errors to the queue (thrown, video still unfinished), then fails on exhaustion', async () => {
      const v = await queued('remote/flaky');
      const j = job(new ScriptedRemoteEngine('flaky'));
      await expect(j.handler({ videoId: v.id, attempt: 1, signal: new AbortController().signal })).rejects.toThrow('socket hang up');
      // Unfinished, and still queued: the provider never took it, so it never started.
      expect((await repo.get(v.id))!.status).toBe('queued');
      await j.onExhausted(v.id, 'socket hang up');
      expect(await repo.get(v.id)).toMatchObject({ status: 'failed', error: { code: 'generation_failed' } });
      expect((await repo.get(v.id))!.error!.detail).toMatch(/socket hang up/);
    });

    it('leaves no files when the video is deleted while it renders', async () => {
      const engine = new ScriptedRemoteEngine('ok');
      const v = await queued('remote/ok');
      const original = engine.poll.bind(engine);
      engine.poll = async (j, ctx) => {
        const r = await original(j, ctx);
        if (r.kind === 'completed') await repo.delete(v.id);
        return r;
      };
      await run(engine, v);
      expect(await repo.get(v.id)).toBeNull();
      expect(existsSync(join(root, 'blobs', 'videos', v.id))).toBe(false);
    });

    it('fails clearly when the model has no engine on this server', async () => {
      const v = await queued('gone/model');
      await makeGenerateVideoJob({ videos: repo, engineFor: () => null, storage, publish: () => {}, media: bins, workRoot: join(root, 'work'), log: () => {} })
        .handler({ videoId: v.id, attempt: 1, signal: new AbortController().signal });
      expect(await repo.get(v.id)).toMatchObject({ status: 'failed', error: { code: 'model_unavailable' } });
    });
  });
}
