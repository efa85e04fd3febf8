// One sketch job with a reference image, alone in its process, so its peak memory is its own.
// Prints JSON. Used by bench/reference-memory.ts; run directly:
//   tsx bench/reference-memory-run.ts <image> <seconds> <width> <height>
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newVideoId } from '../src/domain/ids.js';
import { SketchEngine } from '../src/engines/sketch/sketch.engine.js';
import { resolveMediaBinaries } from '../src/media/binaries.js';

const [image, seconds, width, height] = [process.argv[2] ?? '', ...process.argv.slice(3, 6).map(Number)] as [string, number, number, number];
const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });
const dir = mkdtempSync(join(tmpdir(), 'melies-bench-ref-'));
const engine = new SketchEngine({ ffmpeg: bins.ffmpeg, x264Preset: 'veryfast' });
const t0 = performance.now();
try {
  await engine.submit(
    { videoId: newVideoId(), model: 'sketch', prompt: 'a fox walking through a meadow at dusk', seconds, width, height, fps: 24, seed: 1, inputImagePath: image || null, providerJobId: null },
    { workDir: dir, signal: new AbortController().signal, attempt: 1, reportProgress: () => {} },
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
// maxRSS covers every thread of this process (the render worker included), not ffmpeg.
process.stdout.write(JSON.stringify({ wallMs: performance.now() - t0, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
