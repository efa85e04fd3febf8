// Peak memory of one sketch job given a large reference image (issue 12): a PNG of 8192x8192
// (a few hundred KB on disk, 256 MiB once decoded), one of 4096x4096 and a 4096x4096 JPEG, against
// the same job with no reference. Each job runs in its own process; the figure is that process's peak RSS
// (all its threads; ffmpeg, a separate process, is not counted).
// Run: npx tsx bench/reference-memory.ts   (MELIES_BENCH_RUNS=3 by default)
// The engine runs from source through tsx, in both the before and after figures of BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { loadavg, median, range } from './common.js';

const RUNS = Number(process.env.MELIES_BENCH_RUNS ?? 3);
const SECONDS = 4, WIDTH = 1280, HEIGHT = 720;
const dir = mkdtempSync(join(tmpdir(), 'melies-bench-refs-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** A flat landscape (sky, hills, a sun): compresses to little, decodes to width × height × 4 bytes. */
async function landscape(side: number, format: 'png' | 'jpeg' = 'png'): Promise<string> {
  const canvas = createCanvas(side, side);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#8fc3ea';
  ctx.fillRect(0, 0, side, side);
  ctx.fillStyle = '#f4d35e';
  ctx.beginPath();
  ctx.arc(side * 0.7, side * 0.3, side * 0.08, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#4f7d3a';
  ctx.fillRect(0, side * 0.6, side, side * 0.4);
  const file = join(dir, `landscape-${side}.${format === 'png' ? 'png' : 'jpg'}`);
  writeFileSync(file, await canvas.encode(format as 'png'));
  return file;
}

function once(image: string): { wallMs: number; peakRssMb: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'reference-memory-run.ts'), image, String(SECONDS), String(WIDTH), String(HEIGHT)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const images: Array<[string, string]> = [
  ['no reference', ''], ['4096x4096 PNG', await landscape(4096)], ['8192x8192 PNG', await landscape(8192)], ['4096x4096 JPEG', await landscape(4096, 'jpeg')],
];
console.log(`one ${SECONDS} s ${WIDTH}x${HEIGHT} sketch job, ${RUNS} runs each, load ${loadavg()}`);
console.log('| reference | file | peak RSS (median) | range | wall (median) |');
console.log('|---|---|---|---|---|');
for (const [label, image] of images) {
  const runs = Array.from({ length: RUNS }, () => once(image));
  const rss = runs.map((r) => r.peakRssMb), wall = runs.map((r) => r.wallMs);
  const file = image ? `${(statSync(image).size / 1024).toFixed(0)} KB` : '–';
  console.log(`| ${label} | ${file} | ${median(rss).toFixed(0)} MB | ${range(rss)} MB | ${(median(wall) / 1000).toFixed(2)} s |`);
}
