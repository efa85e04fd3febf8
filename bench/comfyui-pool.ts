// The ComfyUI engine's scheduling cost and the GPU pool's utilisation, against fake GPUs whose own
// execution time is measured in the same run (the fakes sleep per sampler step, like a GPU the
// CPU waits on, and render the file with ffmpeg):
//  1. one job at a time on one GPU: HTTP create → the GPU starts it (queue claim, dispatch,
//     POST /prompt), and the GPU finishing it → `completed` (download, conform, previews, store),
//     next to the GPU's own execution time;
//  2. 60 jobs on 3 GPUs: busy GPU time over 3 × the span (utilisation), against a baseline run in
//     the same session where a trivial feeder POSTs the same prompts straight to the fakes and
//     keeps one waiting in each GPU's own queue, so no GPU ever waits for work: the best these
//     fakes reach on this machine at this load. Also the makespan against the ideal (total GPU
//     time / 3) and the longest a GPU sat idle while a job waited for one.
// Utilisation is a speed figure, so it lives here; test/comfyui/comfyui-pool.test.ts checks the
// scheduling facts (by event order) that make it high.
// Run: npm run bench:comfyui  (MELIES_BENCH_STEP_MS=25 MELIES_BENCH_STEPS=20 MELIES_BENCH_RUNS=10
// MELIES_BENCH_CONCURRENCY=1 by default; the last is jobs.concurrency, to which 3 workers per GPU are added)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../src/app/server.js';
import { makeConfig } from '../src/config/config.js';
import { newVideoId } from '../src/domain/ids.js';
import { promptIdFor } from '../src/engines/comfyui/job-id.js';
import { buildPrompt, loadTemplates } from '../src/engines/comfyui/workflow-template.js';
import { LOCAL_PRINCIPAL } from '../src/services/accounts/authenticator.js';
import { FakeComfyUI } from '../test/fakes/comfyui/fake-comfyui.server.js';
import { bins } from '../test/helpers/media.js';
import { loadavg, median } from './common.js';

const STEP_MS = Number(process.env.MELIES_BENCH_STEP_MS ?? 25);
const STEPS = Number(process.env.MELIES_BENCH_STEPS ?? 20);
const SINGLE_RUNS = Number(process.env.MELIES_BENCH_RUNS ?? 10);
const POOL_JOBS = 60;
const GPUS = 3;
const MODEL = 'comfyui/wan2.2-ti2v-5b-t2v';
const ms = (n: number) => `${Math.round(n)} ms`;
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

interface PoolReport {
  gpus: { jobs: number; busyMs: number }[];
  /** Busy GPU time over (GPUs × the span from the first start to the last end). */
  utilisation: number;
  spanMs: number;
  /** Mean execution time of one prompt on a fake GPU. */
  meanExecMs: number;
}

/** How well a run used the fake GPUs, from their own execution timelines. */
function poolReport(gpus: FakeComfyUI[]): PoolReport {
  const all = gpus.flatMap((g) => g.stats.executions);
  const spanMs = Math.max(...all.map((e) => e.endedAt)) - Math.min(...all.map((e) => e.startedAt));
  const per = gpus.map((g) => ({ jobs: g.stats.executions.length, busyMs: g.stats.executions.reduce((n, e) => n + (e.endedAt - e.startedAt), 0) }));
  const busy = per.reduce((n, g) => n + g.busyMs, 0);
  return { gpus: per, utilisation: busy / (gpus.length * spanMs), spanMs, meanExecMs: busy / all.length };
}

/**
 * Samples, every 25 ms, how many jobs wait inside Méliès for a free GPU (the engine's status), so
 * idle GPU time can be matched against it: a GPU idle while a job waited is the scheduler's fault.
 */
function sampleWaiting(read: () => Promise<number>, everyMs = 25): { stop(): { at: number; waiting: number }[] } {
  const samples: { at: number; waiting: number }[] = [];
  let on = true;
  void (async () => {
    while (on) {
      samples.push({ at: Date.now(), waiting: await read() });
      await sleep(everyMs);
    }
  })();
  return { stop: () => { on = false; return samples; } };
}

/** The longest stretch a GPU sat idle while some job waited for one (from sampleWaiting). */
function idleWhileWaiting(gpus: FakeComfyUI[], samples: { at: number; waiting: number }[]): number {
  let worst = 0;
  for (const g of gpus) {
    const ex = [...g.stats.executions].sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < ex.length; i++) {
      const from = ex[i - 1]!.endedAt, to = ex[i]!.startedAt;
      let waited = 0;
      for (let j = 0; j < samples.length - 1; j++) {
        const a = Math.max(from, samples[j]!.at), b = Math.min(to, samples[j + 1]!.at);
        if (b > a && samples[j]!.waiting > 0) waited += b - a;
      }
      worst = Math.max(worst, waited);
    }
  }
  return worst;
}

const startGpus = (n: number) => Promise.all(Array.from({ length: n }, () => FakeComfyUI.start({ ffmpeg: bins.ffmpeg, stepMs: STEP_MS, maxSteps: STEPS })));

async function serve(gpus: FakeComfyUI[], dataDir: string): Promise<RunningServer> {
  return startServer(makeConfig({
    port: 0, dataDir, logLevel: 'silent', searchPath: process.env.PATH ?? '', jobs: { pollIntervalMs: 50, concurrency: Number(process.env.MELIES_BENCH_CONCURRENCY ?? 1) },
    comfyui: { servers: gpus.map((g, i) => ({ url: g.url, label: `gpu-${i + 1}` })), healthIntervalMs: 1000, historyPollMs: 500 },
  }));
}

async function create(url: string, prompt: string): Promise<string> {
  const res = await fetch(`${url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL, prompt, seconds: '1', size: '256x256' }) });
  if (!res.ok) throw new Error(await res.text());
  return ((await res.json()) as { id: string }).id;
}

async function finished(url: string, id: string): Promise<number> {
  for (;;) {
    const v = (await (await fetch(`${url}/v1/videos/${id}`)).json()) as { status: string; error: unknown };
    if (v.status === 'completed') return Date.now();
    if (v.status === 'failed') throw new Error(JSON.stringify(v.error));
    await sleep(10);
  }
}

async function single(): Promise<{ dispatch: number; finish: number; exec: number; total: number }> {
  const [gpu] = await startGpus(1);
  const dataDir = mkdtempSync(join(tmpdir(), 'melies-bench-comfy-'));
  const server = await serve([gpu!], dataDir);
  const dispatch: number[] = [], finish: number[] = [], exec: number[] = [], total: number[] = [];
  try {
    for (let i = 0; i < SINGLE_RUNS + 1; i++) {
      const t0 = Date.now();
      const id = await create(server.url, `single run ${i}`);
      const done = await finished(server.url, id);
      const e = gpu!.stats.executions.find((x) => x.promptId === promptIdFor(id, 1))!;
      if (i === 0) continue; // warm-up: first ffmpeg spawns, first WebSocket
      dispatch.push(e.startedAt - t0);
      finish.push(done - e.endedAt);
      exec.push(e.endedAt - e.startedAt);
      total.push(done - t0);
    }
  } finally {
    await server.close();
    await gpu!.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { dispatch: median(dispatch), finish: median(finish), exec: median(exec), total: median(total) };
}

/**
 * The baseline: the same prompts (the graph Méliès builds for the same request) POSTed straight to
 * the fakes, topping each GPU's own queue up to two so it never waits. No Méliès in the process.
 */
async function baselinePool(): Promise<PoolReport> {
  const gpus = await startGpus(GPUS);
  const template = loadTemplates({ bundled: true, dir: null, files: [] }).find((t) => t.modelId === MODEL)!;
  try {
    let sent = 0;
    const post = async (g: FakeComfyUI) => {
      const job = { videoId: newVideoId(), model: MODEL, prompt: `baseline job ${sent}`, seconds: 1, width: 256, height: 256, fps: 24, seed: sent, negativePrompt: null, inputImagePath: null, providerJobId: null };
      sent++;
      const res = await fetch(`${g.url}/prompt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: buildPrompt(template, job, null), client_id: 'bench-baseline' }) });
      if (!res.ok) throw new Error(await res.text());
    };
    while (gpus.reduce((n, g) => n + g.stats.executions.length, 0) < POOL_JOBS) {
      for (const g of gpus) {
        while (sent < POOL_JOBS && g.queue.length + (g.worker.running ? 1 : 0) < 2) await post(g);
      }
      await sleep(5);
    }
    return poolReport(gpus);
  } finally {
    for (const g of gpus) await g.stop();
  }
}

async function meliesPool() {
  const gpus = await startGpus(GPUS);
  const dataDir = mkdtempSync(join(tmpdir(), 'melies-bench-pool-'));
  const server = await serve(gpus, dataDir);
  try {
    const waiting = sampleWaiting(async () => {
      const o = await server.stack.engineStatus.overview(LOCAL_PRINCIPAL);
      return (o.data.find((e) => e.engine === 'comfyui')!.status as { waiting: number }).waiting;
    });
    const t0 = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < POOL_JOBS; i++) ids.push(await create(server.url, `pool job ${i}`));
    // One cheap look at the queue, not sixty clients polling: the bench's own traffic would slow
    // the fakes sharing this process.
    for (;;) {
      const c = await server.stack.queue.counts();
      if (c.queued + c.active === 0) break;
      await sleep(20);
    }
    const wall = Date.now() - t0;
    for (const id of ids) await finished(server.url, id); // all completed (throws on a failure)
    const report = poolReport(gpus);
    const idle = idleWhileWaiting(gpus, waiting.stop());
    const totalExec = report.gpus.reduce((n, g) => n + g.busyMs, 0);
    return { wall, report, idle, ideal: totalExec / gpus.length, posts: gpus.reduce((n, g) => n + g.stats.promptPosts, 0) };
  } finally {
    await server.close();
    for (const g of gpus) await g.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`load average at start: ${loadavg()}`);
  const s = await single();
  console.log(`\nComfyUI engine, fake GPU at ${STEPS} sampler steps × ${STEP_MS} ms, 1 s 256x256 Wan 2.2 t2v, median of ${SINGLE_RUNS}`);
  console.log('| measure | fake GPU | Méliès | ratio |\n|---|---|---|---|');
  console.log(`| HTTP create → GPU starts the prompt (claim, dispatch, POST /prompt) vs the GPU's execution | ${ms(s.exec)} | ${ms(s.dispatch)} | ${(s.dispatch / s.exec).toFixed(2)}x |`);
  console.log(`| GPU done → video \`completed\` (download, conform, thumbnail, spritesheet, store) vs execution | ${ms(s.exec)} | ${ms(s.finish)} | ${(s.finish / s.exec).toFixed(2)}x |`);
  console.log(`| whole job, create → completed, vs execution | ${ms(s.exec)} | ${ms(s.total)} | ${(s.total / s.exec).toFixed(2)}x |`);
  const base = await baselinePool();
  const p = await meliesPool();
  console.log(`\nPool: ${POOL_JOBS} jobs on ${GPUS} fake GPUs; baseline = the same prompts fed straight to the fakes, never letting a GPU wait`);
  console.log('| measure | baseline | Méliès | ratio |\n|---|---|---|---|');
  console.log(`| utilisation (busy GPU time / ${GPUS} × span) | ${pct(base.utilisation)} | ${pct(p.report.utilisation)} | ${(p.report.utilisation / base.utilisation).toFixed(2)}x |`);
  console.log(`| mean GPU execution per prompt | ${ms(base.meanExecMs)} | ${ms(p.report.meanExecMs)} | ${(p.report.meanExecMs / base.meanExecMs).toFixed(2)}x |`);
  console.log(`| span, first start → last end | ${ms(base.spanMs)} | ${ms(p.report.spanMs)} | ${(p.report.spanMs / base.spanMs).toFixed(2)}x |`);
  console.log(`| jobs per GPU | ${base.gpus.map((g) => g.jobs).join(' / ')} | ${p.report.gpus.map((g) => g.jobs).join(' / ')} | – |`);
  console.log('\n| Méliès only | value |\n|---|---|');
  console.log(`| makespan vs ideal (total GPU time / ${GPUS}) | ${ms(p.report.spanMs)} vs ${ms(p.ideal)} (${(p.report.spanMs / p.ideal).toFixed(2)}x) |`);
  console.log(`| HTTP wall, first create → last completed | ${ms(p.wall)} |`);
  console.log(`| longest GPU idle while a job waited for a GPU | ${ms(p.idle)} |`);
  console.log(`| POST /prompt per job | ${(p.posts / POOL_JOBS).toFixed(2)} |`);
  console.log(`\nload average at end: ${loadavg()}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
