// How much of the sketch benchmark is the encoder's work on the sketch's own pictures: renders
// each prompt's 10 s of 1920x1080 24 fps frames to a file first (I420, as the engine pipes them),
// then times ffmpeg encoding that file with the engine's arguments, round by round against the
// testsrc2 baseline of bench/sketch.ts. A ratio here is the floor of that benchmark's ratio for the
// prompt: what it would be if rendering cost nothing.
// Run: tsx bench/sketch-floor.ts   (MELIES_BENCH_RUNS=3 by default; needs ~750 MB of temp disk per prompt)
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parsePrompt } from '../src/engines/sketch/plan/parse-prompt.js';
import { FrameRenderer } from '../src/engines/sketch/render/frame-renderer.js';
import { resolveMediaBinaries } from '../src/media/binaries.js';
import { createI420Converter, i420Bytes } from '../src/media/i420/i420.js';
import { x264Args } from '../src/media/encoder.js';
import { childrenCpuMs, loadavg, median, range, SKETCH_PROMPTS } from './common.js';

const RUNS = Number(process.env.MELIES_BENCH_RUNS ?? 3);
const [W, H, FPS, SECONDS] = [1920, 1080, 24, 10];
const PROMPTS = SKETCH_PROMPTS;
const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });
const X264 = x264Args();

function timed(args: string[]): { wallMs: number; cpuMs: number } {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  execFileSync(bins.ffmpeg, ['-v', 'error', '-y', ...args]);
  return { wallMs: performance.now() - t0, cpuMs: childrenCpuMs() - cpu0 };
}

async function renderToFile(prompt: string, file: string): Promise<void> {
  const r = await FrameRenderer.create({ plan: parsePrompt(prompt, SECONDS), width: W, height: H, fps: FPS, seed: 1 });
  const conv = createI420Converter(W, H);
  const out = new Uint8Array(i420Bytes(W, H));
  const fd = openSync(file, 'w');
  for (let i = 0; i < r.frameCount; i++) {
    r.pixelsInto(i, conv.input);
    conv.convertInput(out);
    writeSync(fd, out);
  }
  closeSync(fd);
}

const dir = mkdtempSync(join(tmpdir(), 'melies-bench-floor-'));
try {
  const files = PROMPTS.map((_, k) => join(dir, `p${k}.yuv`));
  for (const [k, p] of PROMPTS.entries()) await renderToFile(p, files[k]!);
  const load = loadavg();
  const base: Array<{ wallMs: number; cpuMs: number }> = [];
  const enc = PROMPTS.map(() => [] as Array<{ wallMs: number; cpuMs: number }>);
  for (let i = 0; i < RUNS; i++) {
    base.push(timed(['-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=${FPS}`, '-t', String(SECONDS), ...X264, join(dir, 'base.mp4')]));
    for (const [k, f] of files.entries()) {
      // Reading the file first keeps the disk out of the timing.
      readFileSync(f);
      enc[k]!.push(timed(['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${W}x${H}`, '-r', String(FPS), '-i', f, ...X264, '-f', 'mp4', join(dir, 'out.mp4')]));
    }
  }
  console.log(`runs: ${RUNS} (medians, ranges in brackets), load average before ${load}, after ${loadavg()}`);
  console.log('| x264 alone, 10 s 1920x1080 24 fps | testsrc2 wall | sketch frames wall | ratio (wall) | ratio (CPU s) |');
  console.log('|---|---|---|---|---|');
  PROMPTS.forEach((p, k) => {
    const e = enc[k]!;
    const ratios = e.map((o, i) => o.wallMs / base[i]!.wallMs);
    const cpu = e.map((o, i) => o.cpuMs / base[i]!.cpuMs);
    console.log(`| "${p}" | ${(median(base.map((o) => o.wallMs)) / 1000).toFixed(2)} s | ${(median(e.map((o) => o.wallMs)) / 1000).toFixed(2)} s | ${median(ratios).toFixed(2)}x [${range(ratios)}] | ${median(cpu).toFixed(2)}x |`);
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
