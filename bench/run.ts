// Benchmarks for the trunk. Machines here are noisy, so every number is printed next to a baseline
// measured in the same run:
//  1. create → completed for an 8 s 1280x720 sketch video, against ffmpeg encoding the same number
//     of frames from a ready-made buffer (the floor: what the encoder alone costs);
//  2. GET /v1/videos/{id} latency while a video renders, against the same requests on an idle server
//     (rendering shares the event loop with the API; this shows what that costs clients).
// Run: npm run bench  (MELIES_BENCH_RUNS=3 by default)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../src/app/server.js';
import { makeConfig } from '../src/config/config.js';
import { RawVideoEncoder } from '../src/media/encoder.js';
import { median } from './common.js';

const RUNS = Number(process.env.MELIES_BENCH_RUNS ?? 3);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function encoderOnly(ffmpeg: string, dir: string): Promise<number> {
  const enc = new RawVideoEncoder(ffmpeg, { width: 1280, height: 720, fps: 24, output: join(dir, 'baseline.mp4'), preset: 'veryfast' });
  const frame = Buffer.alloc(enc.frameBytes);
  for (let i = 0; i < frame.length; i += 4) { frame[i] = (i >> 10) & 255; frame[i + 1] = 90; frame[i + 2] = 160; frame[i + 3] = 255; }
  const t0 = performance.now();
  for (let i = 0; i < 192; i++) await enc.writeFrame(frame);
  await enc.finish();
  return performance.now() - t0;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'melies-bench-'));
  const server = await startServer(makeConfig({ port: 0, dataDir, logLevel: 'silent', searchPath: process.env.PATH ?? '', jobs: { pollIntervalMs: 50 } }));
  const url = server.url;
  const post = (body: object) => fetch(`${url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ id: string }>);
  const get = (id: string) => fetch(`${url}/v1/videos/${id}`).then((r) => r.json() as Promise<{ status: string }>);

  try {
    const baseline: number[] = [];
    const endToEnd: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      baseline.push(await encoderOnly(server.stack.media.ffmpeg, dataDir));
      const t0 = performance.now();
      const { id } = await post({ model: 'sketch', prompt: `a lighthouse on a cliff at dusk, run ${run}`, seconds: '8', size: '1280x720' });
      for (;;) {
        const v = await get(id);
        if (v.status === 'completed') break;
        if (v.status === 'failed') throw new Error(JSON.stringify(v));
        await new Promise((r) => setTimeout(r, 25));
      }
      endToEnd.push(performance.now() - t0);
    }

    // Latency: 300 sequential GETs idle, then 300 while a 1080p video renders.
    const { id: probeId } = await post({ prompt: 'probe', seconds: '1', size: '320x180' });
    while ((await get(probeId)).status !== 'completed') await new Promise((r) => setTimeout(r, 25));
    const timeGets = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) { const t = performance.now(); await get(probeId); out.push(performance.now() - t); }
      return out;
    };
    const idle = await timeGets(300);
    const { id: busyId } = await post({ prompt: 'a storm over the sea', seconds: '20', size: '1920x1080' });
    while ((await get(busyId)).status !== 'in_progress') await new Promise((r) => setTimeout(r, 10));
    const busy = await timeGets(300);

    const b = median(baseline), e = median(endToEnd);
    console.log(`runs: ${RUNS} (medians), node ${process.version}, ffmpeg ${server.stack.media.ffmpeg}`);
    console.log('| measure | baseline | Méliès | ratio |');
    console.log('|---|---|---|---|');
    console.log(`| 8 s 1280x720 sketch, create → completed vs ffmpeg encoding 192 ready frames | ${(b / 1000).toFixed(2)} s | ${(e / 1000).toFixed(2)} s | ${(e / b).toFixed(2)}x |`);
    console.log(`| GET /v1/videos/{id} p50, idle vs while rendering 1080p | ${pct(idle, 50).toFixed(2)} ms | ${pct(busy, 50).toFixed(2)} ms | ${(pct(busy, 50) / pct(idle, 50)).toFixed(2)}x |`);
    console.log(`| GET /v1/videos/{id} p99, idle vs while rendering 1080p | ${pct(idle, 99).toFixed(2)} ms | ${pct(busy, 99).toFixed(2)} ms | ${(pct(busy, 99) / pct(idle, 99)).toFixed(2)}x |`);
    console.log(`| 8 s 1280x720 real-time factor (video seconds per wall second) | – | ${(8000 / e).toFixed(2)} | – |`);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
