// The ComfyUI engine's scheduling cost and the GPU pool's utilisation, against fake GPUs whose own
// execution time is measured in the same run (the fakes sleep per sampler step, like a GPU the
// CPU waits on, and render the file with ffmpeg):
//  1. one job at a time on one GPU: HTTP create → the GPU starts it (queue claim, dispatch,
//     POST /prompt), and the GPU finishing it → `completed` (download, conform, previews, store),
//     next to the GPU's own execution time;
//  2. 60 jobs on 3 GPUs: busy GPU time over 3 × the span, makespan against the ideal (total GPU
//     time / 3), and the longest a GPU sat idle while a job waited for one.
// Run: npx tsx bench/comfyui-pool.ts  (MELIES_BENCH_STEP_MS=25 MELIES_BENCH_STEPS=20 MELIES_BENCH_RUNS=10
// MELIES_BENCH_CONCURRENCY=1 by default; the last is jobs.concurrency, to which 3 workers per GPU are added)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../src/app/server.js';
import { makeConfig } from '../src/config/config.js';
import { promptIdFor } from '../src/engines/comfyui/job-id.js';
import { LOCAL_PRINCIPAL } from '../src/services/accounts/authenticator.js';
import { FakeComfyUI } from '../test/fakes/comfyui/fake-comfyui.server.js';
import { idleWhileWaiting, poolReport, sampleWaiting } from '../test/comfyui/pool-report.js';
import { bins } from '../test/helpers/media.js';
import { median } from './common.js';

const STEP_MS = Number(process.env.MELIES_BENCH_STEP_MS ?? 25);
const STEPS = Number(process.env.MELIES_BENCH_STEPS ?? 20);
const SINGLE_RUNS = Number(process.env.MELIES_BENCH_RUNS ?? 10);
const POOL_JOBS = 60;
const ms = (n: number) => `${Math.round(n)} ms`;

async function serve(gpus: FakeComfyUI[], dataDir: string): Promise<RunningServer> {
  return startServer(makeConfig({
    port: 0, dataDir, logLevel: 'silent', searchPath: process.env.PATH ?? '', jobs: { pollIntervalMs: 50, concurrency: Number(process.env.MELIES_BENCH_CONCURRENCY ?? 1) },
    comfyui: { servers: gpus.map((g, i) => ({ url: g.url, label: `gpu-${i + 1}` })), healthIntervalMs: 1000, historyPollMs: 500 },
  }));
}

async function create(url: string, prompt: string): Promise<string> {
  const res = await fetch(`${url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'comfyui/wan2.2-ti2v-5b-t2v', prompt, seconds: '1', size: '256x256' }) });
  if (!res.ok) throw new Error(await res.text());
  return ((await res.json()) as { id: string }).id;
}

async function finished(url: string, id: string): Promise<number> {
  for (;;) {
    const v = (await (await fetch(`${url}/v1/videos/${id}`)).json()) as { status: string; error: unknown };
    if (v.status === 'completed') return Date.now();
    if (v.status === 'failed') throw new Error(JSON.stringify(v.error));
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function single(): Promise<{ dispatch: number; finish: number; exec: number; total: number }> {
  const gpu = await FakeComfyUI.start({ ffmpeg: bins.ffmpeg, stepMs: STEP_MS, maxSteps: STEPS });
  const dataDir = mkdtempSync(join(tmpdir(), 'melies-bench-comfy-'));
  const server = await serve([gpu], dataDir);
  const dispatch: number[] = [], finish: number[] = [], exec: number[] = [], total: number[] = [];
  try {
    for (let i = 0; i < SINGLE_RUNS + 1; i++) {
      const t0 = Date.now();
      const id = await create(server.url, `single run ${i}`);
      const done = await finished(server.url, id);
      const e = gpu.stats.executions.find((x) => x.promptId === promptIdFor(id, 1))!;
      if (i === 0) continue; // warm-up: first ffmpeg spawns, first WebSocket
      dispatch.push(e.startedAt - t0);
      finish.push(done - e.endedAt);
      exec.push(e.endedAt - e.startedAt);
      total.push(done - t0);
    }
  } finally {
    await server.close();
    await gpu.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { dispatch: median(dispatch), finish: median(finish), exec: median(exec), total: median(total) };
}

async function pool() {
  const gpus = await Promise.all([0, 1, 2].map(() => FakeComfyUI.start({ ffmpeg: bins.ffmpeg, stepMs: STEP_MS, maxSteps: STEPS })));
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
    await Promise.all(ids.map((id) => finished(server.url, id)));
    const wall = Date.now() - t0;
    const report = poolReport(gpus, t0);
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
  const s = await single();
  console.log(`\nComfyUI engine, fake GPU at ${STEPS} sampler steps × ${STEP_MS} ms, 1 s 256x256 Wan 2.2 t2v, median of ${SINGLE_RUNS}`);
  console.log('| measure | fake GPU | Méliès | ratio |\n|---|---|---|---|');
  console.log(`| HTTP create → GPU starts the prompt (claim, dispatch, POST /prompt) vs the GPU's execution | ${ms(s.exec)} | ${ms(s.dispatch)} | ${(s.dispatch / s.exec).toFixed(2)}x |`);
  console.log(`| GPU done → video \`completed\` (download, conform, thumbnail, spritesheet, store) vs execution | ${ms(s.exec)} | ${ms(s.finish)} | ${(s.finish / s.exec).toFixed(2)}x |`);
  console.log(`| whole job, create → completed, vs execution | ${ms(s.exec)} | ${ms(s.total)} | ${(s.total / s.exec).toFixed(2)}x |`);
  const p = await pool();
  console.log(`\nPool: ${POOL_JOBS} jobs on 3 fake GPUs`);
  console.log('| measure | value |\n|---|---|');
  console.log(`| utilisation (busy GPU time / 3 × span) | ${(p.report.utilisation * 100).toFixed(1)}% |`);
  console.log(`| makespan vs ideal (total GPU time / 3) | ${ms(p.report.spanMs)} vs ${ms(p.ideal)} (${(p.report.spanMs / p.ideal).toFixed(2)}x) |`);
  console.log(`| HTTP wall, first create → last completed | ${ms(p.wall)} |`);
  console.log(`| mean GPU execution per prompt | ${ms(p.report.meanExecMs)} |`);
  console.log(`| jobs per GPU | ${p.report.gpus.map((g) => g.jobs).join(' / ')} |`);
  console.log(`| longest GPU idle while a job waited for a GPU | ${ms(p.idle)} |`);
  console.log(`| POST /prompt per job | ${(p.posts / POOL_JOBS).toFixed(2)} |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
