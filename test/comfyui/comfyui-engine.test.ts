// The ComfyUI engine against fake GPUs, below the API: startup validation against /object_info,
// routing by what each server can run, the WebSocket dropping, cancel on old and new servers,
// re-attaching after a crash, other save nodes' outputs, and servers vanishing at submit.
// Timing never decides an outcome: the fakes' gates hold an execution or a sampler step where a
// test needs it, and their event log gives the order things happened in.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newVideoId } from '../../src/domain/ids.js';
import { promptIdFor } from '../../src/engines/comfyui/job-id.js';
import { buildPrompt, loadTemplate } from '../../src/engines/comfyui/workflow-template.js';
import type { EngineContext, EngineJob } from '../../src/engines/engine.js';
import { runEngineToFile } from '../../src/engines/engine.contract.js';
import { probe } from '../../src/media/probe.js';
import { OLDEST_SUPPORTED, RELEASES, type FakeComfyUI, type FakeEvent } from '../fakes/comfyui/fake-comfyui.server.js';
import { bins, solidPng } from '../helpers/media.js';
import { waitFor } from '../helpers/server.js';
import { bundled, engineOn, removeTempDirs, startFake, stopEngines, tempDir } from './helpers.js';

const fakes: FakeComfyUI[] = [];
const fake = async (over: Parameters<typeof startFake>[0] = {}) => { const f = await startFake(over); fakes.push(f); return f; };
afterEach(async () => {
  await stopEngines();
  for (const f of fakes.splice(0)) await f.stop();
  removeTempDirs();
});

const job = (over: Partial<EngineJob> = {}): EngineJob => ({
  videoId: newVideoId(), model: 'comfyui/wan2.2-ti2v-5b-t2v', prompt: 'a kite over dunes', seconds: 1, width: 256, height: 256, fps: 24, seed: 3,
  negativePrompt: null, inputImagePath: null, providerJobId: null, ...over,
});
const ctx = (signal = new AbortController().signal, attempt = 1) => {
  const progress: number[] = [];
  const c: EngineContext = { workDir: tempDir('comfy-eng-'), signal, attempt, reportProgress: (p) => progress.push(p) };
  return { ctx: c, progress };
};

describe('startup validation and routing', () => {
  it('reports missing model files and node types per server, and sends each job only where it can run', async () => {
    const noWan = await fake({ models: { diffusion_models: [] } });
    const noLtx = await fake({ missingNodes: ['EmptyLTXVLatentVideo'] });
    const engine = engineOn([noWan, noLtx]);
    await engine.start();
    expect(engine.models().map((c) => [c.id, c.available])).toEqual([
      ['comfyui/ltx-video', true], ['comfyui/wan2.2-ti2v-5b-i2v', true], ['comfyui/wan2.2-ti2v-5b-t2v', true],
    ]);
    const status = await engine.status();
    const t2vOn1 = status.servers[0]!.templates.find((t) => t.model === 'comfyui/wan2.2-ti2v-5b-t2v')!;
    expect(t2vOn1.ok).toBe(false);
    expect(t2vOn1.problems).toEqual([expect.stringContaining("the model file 'wan2.2_ti2v_5B_fp16.safetensors' is missing on fake-gpu-1")]);
    expect(t2vOn1.problems[0]).toMatch(/put it in ComfyUI\/models\/diffusion_models\/ \(download: https:\/\/huggingface\.co\//);
    const ltxOn2 = status.servers[1]!.templates.find((t) => t.model === 'comfyui/ltx-video')!;
    expect(ltxOn2.problems).toEqual([expect.stringMatching(/the node type 'EmptyLTXVLatentVideo' is not installed on fake-gpu-2/)]);
    expect(status.models.find((m) => m.id === 'comfyui/ltx-video')).toEqual({ id: 'comfyui/ltx-video', available: true, servers: 1 });

    // Two Wan jobs at once: both go to the server that has the model, one after the other.
    const [a, b] = await Promise.all([runEngineToFile(engine, job(), ctx().ctx), runEngineToFile(engine, job(), ctx().ctx)]);
    expect((await probe(bins.ffprobe, a)).video).toMatchObject({ width: 256, height: 256 });
    expect((await probe(bins.ffprobe, b)).video).toMatchObject({ width: 256, height: 256 });
    expect(noWan.stats.promptPosts).toBe(0);
    expect(noLtx.stats.accepted).toHaveLength(2);
    const ltx = await runEngineToFile(engine, job({ model: 'comfyui/ltx-video', fps: 25 }), ctx().ctx);
    expect((await probe(bins.ffprobe, ltx)).video).toMatchObject({ fps: 25, frames: 25 });
    expect(noWan.stats.accepted).toHaveLength(1);
  });

  it('marks a model unavailable where its files are missing, and available once they are installed', async () => {
    const gpu = await fake({ models: { diffusion_models: [] } });
    const engine = engineOn([gpu], { revalidateMs: 200 });
    await engine.start();
    const available = () => Object.fromEntries(engine.models().map((c) => [c.id, c.available]));
    expect(available()).toEqual({ 'comfyui/ltx-video': true, 'comfyui/wan2.2-ti2v-5b-i2v': false, 'comfyui/wan2.2-ti2v-5b-t2v': false });
    gpu.models.diffusion_models.push('wan2.2_ti2v_5B_fp16.safetensors');
    await waitFor(async () => available()['comfyui/wan2.2-ti2v-5b-t2v'], Boolean, 30_000, 50);
    const closed = await fake();
    await closed.goDown(); // a port nobody listens on any more
    const unreachable = engineOn([gpu], { servers: [{ url: closed.url, label: 'gone', concurrency: 1, templates: null }] });
    await unreachable.start(); // never throws for a backend that is down
    expect(unreachable.models().every((c) => !c.available)).toBe(true);
    expect((await unreachable.status()).servers[0]).toMatchObject({ state: 'down', error: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe('following a prompt', () => {
  it('falls back to polling /history when the WebSocket drops, and still reports progress', async () => {
    const gpu = await fake({ stepMs: 30, maxSteps: 10 });
    const engine = engineOn([gpu]);
    await engine.start();
    await waitFor(async () => gpu.sockets.size, (n) => n === 1, 30_000, 5);
    // The socket drops at step 3 and cannot come back: only HTTP is left.
    gpu.faults.refuseSockets = true;
    gpu.faults.dropSocketsAtStep = 3;
    const c = ctx();
    const file = await runEngineToFile(engine, job(), c.ctx);
    expect((await probe(bins.ffprobe, file)).video).toMatchObject({ width: 256, height: 256, frames: 24 });
    expect(gpu.faults.dropSocketsAtStep).toBeNull(); // it did drop
    expect(Object.values(gpu.stats.socketConnects)).toEqual([1]); // and never came back
    expect(c.progress.some((p) => p > 0 && p < 1)).toBe(true);
    expect(c.progress.at(-1)).toBe(1);
  });

  it('re-attaches instead of submitting again when a run died between POST /prompt and storing the id', async () => {
    const gpu = await fake({ stepMs: 20, maxSteps: 10 });
    const j = job();
    const first = await engineOn([gpu]).submit(j, ctx().ctx);
    expect(first.kind).toBe('submitted');
    // A new process: the runner never stored the id, so it calls submit() again, as the next attempt.
    const engine = engineOn([gpu]);
    const again = await engine.submit(j, ctx(undefined, 2).ctx);
    expect(again).toEqual(first);
    expect(gpu.stats.promptPosts).toBe(1);
    const file = await runEngineToFile(engine, { ...j, providerJobId: (again as { providerJobId: string }).providerJobId }, ctx().ctx);
    expect((await probe(bins.ffprobe, file)).video?.frames).toBe(24);
    expect(gpu.stats.promptPosts).toBe(1);
  });

  it('follows the id an older server picked itself when it ignores prompt_id', async () => {
    const gpu = await fake(RELEASES['before-prompt-id']);
    const engine = engineOn([gpu]);
    const j = job();
    const submitted = await engine.submit(j, ctx().ctx) as { providerJobId: string };
    expect(gpu.stats.accepted).toHaveLength(1);
    expect(gpu.stats.accepted[0]).not.toBe(promptIdFor(j.videoId, 1));
    expect(submitted.providerJobId).toBe(`1:${gpu.stats.accepted[0]}@${gpu.url}`);
    const file = await runEngineToFile(engine, { ...j, providerJobId: submitted.providerJobId }, ctx().ctx);
    expect((await probe(bins.ffprobe, file)).video?.frames).toBe(24);
  });

  it('fails clearly when someone interrupts the prompt in ComfyUI itself', async () => {
    const gpu = await fake({ stepMs: 5, maxSteps: 20 });
    gpu.faults.holdAtStep = 2;
    const engine = engineOn([gpu]);
    const run = runEngineToFile(engine, job(), ctx().ctx);
    await waitFor(async () => gpu.worker.running?.step, (n) => n === 2, 30_000, 5);
    gpu.worker.interrupt();
    await expect(run).rejects.toMatchObject({ code: 'engine_interrupted' });
  });
});

describe('cancel', () => {
  // Each ComfyUI generation cancels differently (see the fake's header). Before v0.3.57 /interrupt
  // stops whatever runs, so Méliès must only send it when its own prompt is the running one.
  const generations = [
    { name: 'newest (POST /api/jobs/{id}/cancel)', release: RELEASES.newest },
    { name: 'v0.3.57 (targeted /interrupt, no jobs API)', release: RELEASES['v0.3.57'] },
    { name: 'v0.3.45, the oldest supported (/interrupt stops whatever runs)', release: OLDEST_SUPPORTED },
  ];
  const interrupted = (events: FakeEvent[]) => events.filter((e) => e.type === 'interrupt').map((e) => e.promptId);

  for (const { name, release } of generations) {
    it(`${name}: cancelling a queued job leaves the running one alone; cancelling the running one stops it`, async () => {
      const events: FakeEvent[] = [];
      const gpu = await fake({ ...release, events });
      // Each execution waits at the gate: the first stays running, the second stays queued.
      gpu.faults.gate = true;
      // Concurrency 2 keeps a second prompt waiting in ComfyUI's own queue.
      const engine = engineOn([gpu], { servers: [{ url: gpu.url, label: 'gpu', concurrency: 2, templates: null }] });
      const running = job(), queued = job();
      const runningId = promptIdFor(running.videoId, 1), queuedId = promptIdFor(queued.videoId, 1);
      const r = await engine.submit(running, ctx().ctx) as { providerJobId: string };
      const q = await engine.submit(queued, ctx().ctx) as { providerJobId: string };
      await waitFor(async () => gpu.worker.running, (w) => w?.item[1] === runningId && w.atGate, 30_000, 5);
      expect(gpu.queue.map((i) => i[1])).toEqual([queuedId]);

      await engine.cancel({ ...queued, providerJobId: q.providerJobId });
      expect(gpu.queue).toEqual([]);
      expect([gpu.worker.running?.item[1], gpu.worker.running?.interrupted]).toEqual([runningId, false]);
      expect(interrupted(events)).toEqual([]);

      await engine.cancel({ ...running, providerJobId: r.providerJobId });
      await waitFor(async () => gpu.stats.executions, (e) => e.length === 1, 30_000, 10);
      expect(gpu.stats.executions.map((e) => [e.promptId, e.outcome])).toEqual([[runningId, 'interrupted']]);
      expect(interrupted(events)).toEqual([runningId]);
      if (release.jobsApi) expect(gpu.stats.jobCancels).toEqual([queuedId, runningId]);
      else {
        expect(gpu.stats.jobCancels).toEqual([]);
        expect(gpu.stats.queueDeletes).toEqual([queuedId, runningId]);
        // /interrupt only for the prompt that was running, named in the body.
        expect(gpu.stats.interrupts).toEqual([runningId]);
      }
    });

    it(`${name}: cancelling a job queued behind someone else's prompt leaves theirs running`, async () => {
      const events: FakeEvent[] = [];
      const gpu = await fake({ ...release, events });
      gpu.faults.gate = true;
      // Someone uses the same ComfyUI directly, from its own page or script.
      const theirs = randomUUID();
      const t2v = bundled().find((t) => t.id === 'wan2.2-ti2v-5b-t2v')!;
      const res = await fetch(`${gpu.url}/prompt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: buildPrompt(t2v, job(), null), client_id: 'someone-else', prompt_id: theirs }) });
      expect(res.status).toBe(200);
      const foreign = (await res.json()) as { prompt_id: string };
      await waitFor(async () => gpu.worker.running, (w) => w?.item[1] === foreign.prompt_id && w.atGate, 30_000, 5);
      const engine = engineOn([gpu], { servers: [{ url: gpu.url, label: 'gpu', concurrency: 2, templates: null }] });
      const mine = job();
      const m = await engine.submit(mine, ctx().ctx) as { providerJobId: string };
      const mineId = promptIdFor(mine.videoId, 1);
      expect(gpu.queue.map((i) => i[1])).toEqual([mineId]);

      await engine.cancel({ ...mine, providerJobId: m.providerJobId });
      expect(gpu.queue).toEqual([]);
      expect([gpu.worker.running?.item[1], gpu.worker.running?.interrupted]).toEqual([foreign.prompt_id, false]);
      expect(interrupted(events)).toEqual([]);
      // Theirs goes on to the end.
      gpu.release();
      await waitFor(async () => gpu.stats.executions, (e) => e.length === 1, 30_000, 10);
      expect(gpu.stats.executions.map((e) => [e.promptId, e.outcome])).toEqual([[foreign.prompt_id, 'success']]);
    });
  }

  it('the oldest supported ComfyUI runs a whole job: submit, progress, history, download', async () => {
    const gpu = await fake({ ...OLDEST_SUPPORTED, stepMs: 5, maxSteps: 6 });
    const engine = engineOn([gpu]);
    const j = job();
    const c = ctx();
    const file = await runEngineToFile(engine, j, c.ctx);
    expect((await probe(bins.ffprobe, file)).video).toMatchObject({ codec: 'h264', width: 256, height: 256, frames: 24 });
    // It kept the id Méliès chose (what restart safety relies on), and reported the server's age.
    expect(gpu.stats.accepted).toEqual([promptIdFor(j.videoId, 1)]);
    expect((await engine.status()).servers[0]!.version).toBe('0.3.45');
    expect(c.progress.some((p) => p > 0 && p < 1)).toBe(true);
  });
});

describe('characters (issue 15 §3)', () => {
  it("image-to-video templates take characters and start from the first look; text-only ones do not", async () => {
    const gpu = await fake({ stepMs: 5, maxSteps: 6 });
    const engine = engineOn([gpu]);
    await engine.start();
    expect(engine.models().map((c) => [c.id, c.characters])).toEqual([
      ['comfyui/ltx-video', false], ['comfyui/wan2.2-ti2v-5b-i2v', true], ['comfyui/wan2.2-ti2v-5b-t2v', false],
    ]);
    const dir = tempDir('comfy-look-');
    const look = join(dir, 'character-0.png');
    writeFileSync(look, await solidPng('#ff0000', 256, 256));
    const j = job({ model: 'comfyui/wan2.2-ti2v-5b-i2v', characterImages: [look] });
    await runEngineToFile(engine, j, ctx().ctx);
    expect(gpu.stats.uploads).toEqual([`melies_${j.videoId}.png`]);
  });
});

describe('other save nodes and servers that vanish', () => {
  it('reads SaveWEBM (images+animated) and VideoHelperSuite (gifs) outputs, trimmed to the frames asked', async () => {
    const gpu = await fake();
    const dir = tempDir('comfy-tpl-');
    const wan = bundled().find((t) => t.id === 'wan2.2-ti2v-5b-t2v')!;
    const variants = {
      'wan-webm': { '47': { class_type: 'SaveWEBM', inputs: { images: ['8', 0], filename_prefix: 'ComfyUI', codec: 'vp9', fps: 24, crf: 32 } } },
      'wan-vhs': { '47': { class_type: 'VHS_VideoCombine', inputs: { images: ['8', 0], frame_rate: 24, loop_count: 0, filename_prefix: 'AnimateDiff', format: 'video/h264-mp4', pingpong: false, save_output: true } } },
    };
    const templates = Object.entries(variants).map(([id, save]) => {
      const graph: Record<string, unknown> = { ...wan.workflow, ...save };
      delete graph['57'];
      delete graph['58'];
      const fps = id === 'wan-webm' ? { node: '47', input: 'fps' } : { node: '47', input: 'frame_rate' };
      writeFileSync(join(dir, `${id}.workflow.json`), JSON.stringify(graph));
      writeFileSync(join(dir, `${id}.mapping.json`), JSON.stringify({ ...wan.mapping, label: id, inputs: { ...wan.mapping.inputs, fps } }));
      return loadTemplate(join(dir, `${id}.workflow.json`), join(dir, `${id}.mapping.json`));
    });
    const engine = engineOn([gpu], { templates });
    for (const t of templates) {
      const file = await runEngineToFile(engine, job({ model: t.modelId, seconds: 2 }), ctx().ctx);
      expect((await probe(bins.ffprobe, file)).video, t.id).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 256, height: 256, frames: 48 });
    }
  });

  it('copes with a slow server, and counts one that does not answer in time as unreachable', async () => {
    const slow = await fake(), stuck = await fake();
    // Slow answers in a thirtieth of the timeout; stuck never answers within the test.
    slow.faults.httpDelayMs = 100;
    const engine = engineOn([slow, stuck], { requestTimeoutMs: 3000, healthIntervalMs: 600_000 });
    await engine.start();
    stuck.faults.answerDelayMs = 600_000;
    stuck.faults.holdAtStep = 2; // what it accepted stays running until Méliès withdraws it
    // Both idle: the first job goes to the first server, the second to the other, which times out.
    const [a, b] = await Promise.all([runEngineToFile(engine, job(), ctx().ctx), runEngineToFile(engine, job(), ctx().ctx)]);
    for (const f of [a, b]) expect((await probe(bins.ffprobe, f)).video?.frames).toBe(24);
    expect(slow.stats.executions.filter((e) => e.outcome === 'success')).toHaveLength(2);
    expect((await engine.status()).servers[1]).toMatchObject({ state: 'down', error: expect.stringMatching(/no answer within 3000 ms/) });
    // The stuck server accepted the prompt but its answer came too late: Méliès withdrew it there.
    expect(stuck.stats.promptPosts).toBe(1);
    await waitFor(async () => stuck.stats.jobCancels.length, (n) => n >= 1, 30_000, 50);
    await waitFor(async () => stuck.queue.length + (stuck.worker.running ? 1 : 0), (n) => n === 0, 30_000, 50);
    await waitFor(async () => stuck.stats.executions, (e) => e.length === 1, 30_000, 50);
    expect(stuck.stats.executions[0]!.outcome).toBe('interrupted');
  });

  it('sends the job to another server when the chosen one is unreachable at submit time', async () => {
    const a = await fake(), b = await fake();
    const engine = engineOn([a, b], { healthIntervalMs: 60_000 });
    await engine.start();
    await a.goDown(); // before any health check could notice
    const file = await runEngineToFile(engine, job(), ctx().ctx);
    expect((await probe(bins.ffprobe, file)).video?.frames).toBe(24);
    expect(b.stats.accepted).toHaveLength(1);
    expect((await engine.status()).servers[0]).toMatchObject({ state: 'down' });
  });

  it('waits for a free GPU while it is busy, and gives up on none at all after the bounded wait', async () => {
    const events: FakeEvent[] = [];
    const gpu = await fake({ stepMs: 20, maxSteps: 10, events });
    const engine = engineOn([gpu], { unavailableAfterMs: 600 });
    // Busy is not unavailable: two jobs on one GPU both finish, and with concurrency 1 the second
    // is sent only once the first is over (never queued behind it inside ComfyUI).
    const [a, b] = [job(), job()];
    await Promise.all([runEngineToFile(engine, a, ctx().ctx), runEngineToFile(engine, b, ctx().ctx)]);
    const seen = events.filter((e) => e.type === 'accept' || e.type === 'end').map((e) => e.type);
    expect(seen).toEqual(['accept', 'end', 'accept', 'end']);
    expect(gpu.stats.executions.map((e) => e.outcome)).toEqual(['success', 'success']);
    await gpu.goDown();
    const started = Date.now();
    await expect(engine.submit(job(), ctx().ctx)).rejects.toMatchObject({ code: 'engine_unavailable', message: expect.stringMatching(/No ComfyUI server could run comfyui\/wan2\.2-ti2v-5b-t2v .*fake-gpu-1: unreachable/) });
    // Not before the bounded wait (the engine's own clock decides; load can only make it later).
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });
});
