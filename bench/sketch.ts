// Benchmark of the built-in engine (issue 3): 10 s at 1920x1080, 24 fps, against ffmpeg encoding
// its own testsrc2 source at the same size, fps, codec and preset in the same run (the floor for
// any renderer feeding this encoder). Then peak memory of a 10 s and a 60 s render, each in its own
// process, to show memory does not grow with duration.
// Run: npm run bench:sketch   (MELIES_BENCH_RUNS=3 by default; MELIES_BENCH_LONG=0 skips the 60 s run)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveMediaBinaries } from '../src/media/binaries.js';

const RUNS = Number(process.env.MELIES_BENCH_RUNS ?? 3);
const PRESET = 'veryfast';
const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function baseline(seconds: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'melies-bench-base-'));
  const t0 = performance.now();
  execFileSync(bins.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=24`, '-t', String(seconds),
    '-c:v', 'libx264', '-preset', PRESET, '-crf', '20', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', join(dir, 'base.mp4')]);
  const ms = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

// Three kinds of shot: still land (the common case), animated water with a sweeping beam, and
// everything moving at once (rain over a zoom).
const PROMPTS = [
  'a fox walking through a meadow at noon',
  'a lighthouse on a cliff at dusk',
  'a lighthouse on a cliff at dusk, light rain, slow zoom in',
];

function sketch(seconds: number, prompt = PROMPTS[0]!): { wallMs: number; peakRssMb: number; bytes: number } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sketch-run.ts'), String(seconds), '1920', '1080', '24', PRESET, prompt], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sketch run failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

const base: number[] = [];
const runs = PROMPTS.map(() => [] as Array<{ wallMs: number; peakRssMb: number; bytes: number }>);
for (let i = 0; i < RUNS; i++) {
  base.push(baseline(10));
  PROMPTS.forEach((p, k) => runs[k]!.push(sketch(10, p)));
}
const b = median(base);
console.log(`runs: ${RUNS} (medians), node ${process.version}, ffmpeg ${bins.ffmpeg}, x264 preset ${PRESET}`);
console.log('| 10 s 1920x1080 24 fps: testsrc2 encode vs sketch render+encode (wall) | baseline | sketch | ratio |');
console.log('|---|---|---|---|');
PROMPTS.forEach((p, k) => {
  const s = median(runs[k]!.map((o) => o.wallMs));
  console.log(`| "${p}" | ${(b / 1000).toFixed(2)} s | ${(s / 1000).toFixed(2)} s | ${(s / b).toFixed(2)}x |`);
});
const rss10 = median(runs.flat().map((o) => o.peakRssMb));
console.log(`| peak RSS of the sketch process, 10 s clips | – | ${rss10.toFixed(0)} MB | – |`);
if (process.env.MELIES_BENCH_LONG !== '0') {
  const long = sketch(60, PROMPTS[1]);
  const rss = median(runs[1]!.map((o) => o.peakRssMb));
  console.log(`| peak RSS, 60 s clip vs 10 s ("${PROMPTS[1]}") | ${rss.toFixed(0)} MB | ${long.peakRssMb.toFixed(0)} MB | ${(long.peakRssMb / rss).toFixed(2)}x |`);
  console.log(`| 60 s 1920x1080 render+encode wall (real-time factor) | – | ${(long.wallMs / 1000).toFixed(1)} s | ${(60000 / long.wallMs).toFixed(2)}x real time |`);
}
