// One sketch render in its own process, so its peak memory is measured alone. Prints JSON.
// Used by bench/sketch.ts; run directly: tsx bench/sketch-run.ts <seconds> <width> <height> <fps> <preset>
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newVideoId } from '../src/domain/ids.js';
import { SketchEngine } from '../src/engines/sketch/sketch.engine.js';
import { resolveMediaBinaries } from '../src/media/binaries.js';
import { childrenCpuMs } from './common.js';

const [seconds, width, height, fps] = process.argv.slice(2, 6).map(Number) as [number, number, number, number];
const preset = process.argv[6] ?? 'veryfast';
const prompt = process.argv[7] ?? 'a lighthouse on a cliff at dusk, light rain, slow zoom in';
const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });
const dir = mkdtempSync(join(tmpdir(), 'melies-bench-sketch-'));
const engine = new SketchEngine({ ffmpeg: bins.ffmpeg, x264Preset: preset });
// CPU of this process (all threads) and of its finished children (ffmpeg), from /proc on Linux.
let peakRss = 0;
const sample = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 50);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const children0 = childrenCpuMs();
const result = await engine.submit(
  { videoId: newVideoId(), model: 'sketch', prompt, seconds, width, height, fps, seed: 1, inputImagePath: null, providerJobId: null },
  { workDir: dir, signal: new AbortController().signal, attempt: 1, reportProgress: () => {} },
);
const wallMs = performance.now() - t0;
clearInterval(sample);
peakRss = Math.max(peakRss, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
const bytes = result.kind === 'completed' ? statSync(result.file).size : 0;
rmSync(dir, { recursive: true, force: true });
const cpu = process.cpuUsage(cpu0);
const nodeCpuMs = (cpu.user + cpu.system) / 1000;
const cpuMs = nodeCpuMs + (childrenCpuMs() - children0);
process.stdout.write(JSON.stringify({ wallMs, peakRssMb: peakRss / 1024 / 1024, bytes, nodeCpuMs, cpuMs }) + '\n');
