// Benchmark of the built-in engine (issue 3): 10 s at 1920x1080, 24 fps, against ffmpeg encoding
// its own testsrc2 source at the same size, fps, codec and preset in the same run (the floor for
// any renderer feeding this encoder). Then peak memory of a 10 s and a 60 s render, each in its own
// process, to show memory does not grow with duration.
// Run: npm run bench:sketch   (MELIES_BENCH_RUNS=3 by default; MELIES_BENCH_LONG=0 skips the 60 s run;
// the engine is compiled with tsc first, see compileEngine)
// Wall ratios are the goal; CPU-second ratios (render + x264 against x264 alone) are printed too,
// as they move less when other work shares the machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveMediaBinaries } from '../src/media/binaries.js';
import { x264Args } from '../src/media/encoder.js';
import { childrenCpuMs, loadavg, median, range, SKETCH_PROMPTS } from './common.js';

const RUNS = Number(process.env.MELIES_BENCH_RUNS ?? 3);
const LOAD_BEFORE = loadavg();
const PRESET = 'veryfast';
const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });
function withCpu(run: () => void): number {
  const before = childrenCpuMs();
  run();
  return childrenCpuMs() - before;
}

function baseline(seconds: number): { wallMs: number; cpuMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'melies-bench-base-'));
  const t0 = performance.now();
  const cpuMs = withCpu(() => execFileSync(bins.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=24`, '-t', String(seconds),
    ...x264Args({ preset: PRESET }), join(dir, 'base.mp4')]));
  const wallMs = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, cpuMs };
}

const ALL_PROMPTS = SKETCH_PROMPTS;
// MELIES_BENCH_ONLY=1,2 runs a subset (indices into the list above), e.g. while working on one case.
const PROMPTS = process.env.MELIES_BENCH_ONLY ? process.env.MELIES_BENCH_ONLY.split(',').map((k) => ALL_PROMPTS[Number(k)]!) : ALL_PROMPTS;

// The engine runs as users run it, compiled to JavaScript (as `npm start` does), not through tsx:
// from source, tsx's loader starts in the render worker too and adds ~0.45 s to every video.
// Only the engine's import graph is compiled, into node_modules/.cache (dist/ is left alone).
// MELIES_BENCH_FROM_SOURCE=1 runs it from source through tsx instead (how figures before 2026-12 were taken).
const FROM_SOURCE = process.env.MELIES_BENCH_FROM_SOURCE === '1';
const REPO = join(import.meta.dirname, '..');
function compileEngine(): string {
  // One folder per run (others may benchmark from the same tree at the same time), removed at exit.
  mkdirSync(join(REPO, 'node_modules', '.cache'), { recursive: true });
  const out = mkdtempSync(join(REPO, 'node_modules', '.cache', 'melies-bench-sketch-'));
  process.on('exit', () => rmSync(out, { recursive: true, force: true }));
  const config = join(out, 'tsconfig.json');
  writeFileSync(config, JSON.stringify({
    extends: join(REPO, 'tsconfig.json'),
    compilerOptions: { rootDir: REPO, outDir: join(out, 'js'), incremental: false, sourceMap: false, types: ['node'], typeRoots: [join(REPO, 'node_modules', '@types')] },
    files: [join(REPO, 'bench', 'sketch-run.ts'), join(REPO, 'src', 'engines', 'sketch', 'render', 'render.worker.ts')],
    include: [],
  }));
  // Type errors elsewhere in a shared tree must not stop the benchmark: tsc still emits.
  spawnSync(join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', config], { encoding: 'utf8' });
  const entry = join(out, 'js', 'bench', 'sketch-run.js');
  if (!existsSync(entry) || !existsSync(join(out, 'js', 'src', 'engines', 'sketch', 'render', 'render.worker.js'))) throw new Error('could not compile the sketch engine for the benchmark');
  return entry;
}
const RUNNER = FROM_SOURCE ? ['--import', 'tsx', join(import.meta.dirname, 'sketch-run.ts')] : [compileEngine()];

type SketchRun = { wallMs: number; peakRssMb: number; bytes: number; cpuMs: number };
// cpuMs: the run's own count (render threads + ffmpeg), which leaves out starting node in the child.
function sketch(seconds: number, prompt = PROMPTS[0]!): SketchRun {
  const run = spawnSync(process.execPath, [...RUNNER, String(seconds), '1920', '1080', '24', PRESET, prompt], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sketch run failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as SketchRun;
}

const base: Array<{ wallMs: number; cpuMs: number }> = [];
const runs = PROMPTS.map(() => [] as SketchRun[]);
for (let i = 0; i < RUNS; i++) {
  base.push(baseline(10));
  PROMPTS.forEach((p, k) => runs[k]!.push(sketch(10, p)));
}
// Each sketch run is compared with the baseline of its own round (run just before it), so a burst
// of load from elsewhere weighs on both sides of a ratio; the table gives medians and ranges.
const b = median(base.map((o) => o.wallMs));
const bCpu = median(base.map((o) => o.cpuMs));
console.log(`runs: ${RUNS} (medians, ranges in brackets), engine ${FROM_SOURCE ? 'from source (tsx)' : 'compiled'}, node ${process.version}, ffmpeg ${bins.ffmpeg}, x264 preset ${PRESET}, load average before ${LOAD_BEFORE}, after ${loadavg()}`);
console.log('| 10 s 1920x1080 24 fps: testsrc2 encode vs sketch render+encode | baseline wall | sketch wall | ratio (wall) | ratio (CPU s) |');
console.log('|---|---|---|---|---|');
PROMPTS.forEach((p, k) => {
  const r = runs[k]!;
  const s = median(r.map((o) => o.wallMs));
  const ratios = r.map((o, i) => o.wallMs / base[i]!.wallMs);
  const cpuRatios = r.map((o, i) => o.cpuMs / base[i]!.cpuMs);
  console.log(`| "${p}" | ${(b / 1000).toFixed(2)} s [${range(base.map((o) => o.wallMs), 1000)}] | ${(s / 1000).toFixed(2)} s [${range(r.map((o) => o.wallMs), 1000)}] | ${median(ratios).toFixed(2)}x [${range(ratios)}] | ${median(cpuRatios).toFixed(2)}x (${(median(r.map((o) => o.cpuMs)) / 1000).toFixed(1)} vs ${(bCpu / 1000).toFixed(1)} s) |`);
});
const rss10 = median(runs.flat().map((o) => o.peakRssMb));
console.log(`| peak RSS of the sketch process, 10 s clips | – | ${rss10.toFixed(0)} MB | – | – |`);
if (process.env.MELIES_BENCH_LONG !== '0' && PROMPTS === ALL_PROMPTS) {
  const long = sketch(60, PROMPTS[1]);
  const rss = median(runs[1]!.map((o) => o.peakRssMb));
  console.log(`| peak RSS, 60 s clip vs 10 s ("${PROMPTS[1]}") | ${rss.toFixed(0)} MB | ${long.peakRssMb.toFixed(0)} MB | ${(long.peakRssMb / rss).toFixed(2)}x | – |`);
  console.log(`| 60 s 1920x1080 render+encode wall (real-time factor) | – | ${(long.wallMs / 1000).toFixed(1)} s | ${(60000 / long.wallMs).toFixed(2)}x real time | – |`);
}
