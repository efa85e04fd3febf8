// The contract every Engine passes (sketch, ComfyUI and the cloud adapters against their fake
// servers): honest, self-consistent cards; a real H.264 MP4 of the asked size and duration;
// progress that only rises; cancellation that rejects with the abort's reason and stops the work.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cardProblems, ModelCardSchema, type ModelCard } from '../domain/model-card.js';
import { newVideoId } from '../domain/ids.js';
import { parseSize } from '../domain/video.js';
import { probe } from '../media/probe.js';
import { frameHashes } from '../media/frames.js';
import type { Engine, EngineContext, EngineJob } from './engine.js';

export interface EngineContractOptions {
  ffmpeg: string;
  ffprobe: string;
  /** The job to run for a card; defaults to its smallest preset size and shortest duration. */
  jobFor?: (card: ModelCard) => Partial<EngineJob>;
  /** Same request → identical frames (true for procedural engines). */
  deterministic?: boolean;
  /** Exact duration (procedural) or within this many seconds (remote engines round). */
  durationTolerance?: number;
}

export async function runEngineToFile(engine: Engine, job: EngineJob, ctx: EngineContext): Promise<string> {
  const first = await engine.submit(job, ctx);
  if (first.kind === 'completed') return first.file;
  const polled = { ...job, providerJobId: first.providerJobId };
  for (;;) {
    if (!engine.poll) throw new Error(`${engine.id} returned a provider job id but has no poll()`);
    const r = await engine.poll(polled, ctx);
    if (r.kind === 'completed') return r.file;
    await new Promise((res) => setTimeout(res, Math.min(r.retryAfterMs ?? 50, 200)));
  }
}

/** Every file under `dir` with its size: what an engine has written so far. */
function filesIn(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const st = statSync(join(dir, name), { throwIfNoEntry: false });
    if (st?.isFile()) out[name] = st.size;
  }
  return out;
}

function smallestJob(card: ModelCard): Partial<EngineJob> {
  const sizes = card.sizes.map((s) => parseSize(s)!).sort((a, b) => a.width * a.height - b.width * b.height);
  const seconds = Array.isArray(card.seconds) ? Math.min(...card.seconds) : card.seconds.min;
  return { width: sizes[0]!.width, height: sizes[0]!.height, seconds, fps: card.defaultFps };
}

export function runEngineContract(name: string, makeEngine: () => Engine, opts: EngineContractOptions): void {
  const makeJob = (card: ModelCard, over: Partial<EngineJob> = {}): EngineJob => ({
    videoId: newVideoId(), model: card.id, prompt: 'a red balloon rising over a harbour at dawn', seed: 7,
    inputImagePath: null, providerJobId: null, width: 0, height: 0, seconds: 0, fps: 0,
    ...smallestJob(card), ...opts.jobFor?.(card), ...over,
  });
  const workDirs: string[] = [];
  const makeCtx = (signal = new AbortController().signal, onProgress?: (f: number, all: number[]) => void) => {
    const progress: number[] = [];
    const workDir = mkdtempSync(join(tmpdir(), `engine-${name.replace(/[^\w.-]+/g, '_')}-`));
    workDirs.push(workDir);
    const ctx: EngineContext = { workDir, signal, attempt: 1, reportProgress: (f) => { progress.push(f); onProgress?.(f, progress); } };
    return { ctx, progress };
  };

  describe(`Engine contract: ${name}`, () => {
    afterAll(() => { for (const d of workDirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

    it('publishes valid, self-consistent model cards', () => {
      const engine = makeEngine();
      const cards = engine.models();
      expect(cards.length).toBeGreaterThan(0);
      for (const card of cards) {
        expect(() => ModelCardSchema.parse(card)).not.toThrow();
        expect(cardProblems(card)).toEqual([]);
        expect(card.engine).toBe(engine.id);
        expect(card.description.length).toBeGreaterThan(20);
      }
    });

    it('makes an H.264 MP4 of the requested size and duration, reporting rising progress', async () => {
      const engine = makeEngine();
      for (const card of engine.models()) {
        const job = makeJob(card);
        const { ctx, progress } = makeCtx();
        const file = await runEngineToFile(engine, job, ctx);
        expect(statSync(file).size).toBeGreaterThan(0);
        const p = await probe(opts.ffprobe, file);
        expect(p.formatName).toContain('mp4');
        expect(p.tags.major_brand, 'an MP4 brand, not QuickTime').not.toMatch(/^qt/);
        expect(p.video).toMatchObject({ codec: 'h264', width: job.width, height: job.height });
        expect(Math.abs(p.durationSeconds - job.seconds)).toBeLessThanOrEqual(opts.durationTolerance ?? 0.01);
        expect(progress.length).toBeGreaterThan(0);
        expect(progress.every((v, i) => v >= 0 && v <= 1 && (i === 0 || v >= progress[i - 1]!))).toBe(true);
      }
    });

    it('stops when its signal is aborted: rejects with the abort reason and does no more work', async () => {
      const engine = makeEngine();
      const card = engine.models()[0]!;
      const ac = new AbortController();
      const reason = new Error('aborted by the engine contract');
      // Aborted at the engine's first sign of work, while it is busy with the longest job its card allows.
      const { ctx, progress } = makeCtx(ac.signal, (_f, all) => { if (all.length === 1) ac.abort(reason); });
      const run = runEngineToFile(engine, makeJob(card, { seconds: Array.isArray(card.seconds) ? Math.max(...card.seconds) : card.seconds.max }), ctx);
      await expect(run).rejects.toBe(reason);
      expect(progress, 'progress reported after the abort').toHaveLength(1);
      const left = filesIn(ctx.workDir);
      // The same engine then runs a whole job: anything of the aborted run still going (a render
      // loop, an encoder, a poller) would report progress or write its files meanwhile.
      const next = makeCtx();
      await runEngineToFile(engine, makeJob(card), next.ctx);
      expect(next.progress.length).toBeGreaterThan(0);
      expect(progress, 'progress reported after the abort').toHaveLength(1);
      expect(filesIn(ctx.workDir), 'files written after the abort').toEqual(left);
    });

    if (opts.deterministic) {
      it('renders identical frames for the same request and different ones for another seed or prompt', async () => {
        const engine = makeEngine();
        const card = engine.models()[0]!;
        const job = makeJob(card);
        const hashes = async (j: EngineJob) => frameHashes(opts.ffmpeg, await runEngineToFile(engine, j, makeCtx().ctx));
        const a = await hashes(job);
        const b = await hashes({ ...job, videoId: newVideoId() });
        expect(b).toEqual(a);
        expect(await hashes({ ...job, seed: job.seed + 1 })).not.toEqual(a);
        expect(await hashes({ ...job, prompt: 'a snowy forest at night' })).not.toEqual(a);
      });
    }
  });
}
