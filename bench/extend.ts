// The time to extend a 10 s 1080p sketch video by 8 s (issue 15 "Done means"), against making a
// fresh 8 s 1080p video of the same scene in the same run. Both are the real generate-video job
// (SQLite, local disk, the sketch engine, finalize, previews, store; unsigned, as in
// bench:provenance's baseline): the extension reads its source's MP4 from storage, renders the 8 s
// after it from the continued scene plan, and joins source + new clip (by stream copy, as both
// come from the same encoder settings; media/join.ts), then cuts previews of the whole 18 s. Runs
// alternate, so drift in the machine's load lands on both sides; the ratio of medians is the answer.
// A third line extends the same 10 s 1080p MP4 as if uploaded (source-clip.ts): no plan to carry on,
// so sketch starts from its last frame and the join re-encodes both parts (the path every uploaded
// clip and every cloud engine's extension takes).
// Run: npm run bench:extend   (MELIES_BENCH_RUNS=3 by default)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newVideoId } from '../src/domain/ids.js';
import type { Video } from '../src/domain/video.js';
import { testDatabases } from '../src/db/test-databases.js';
import { VideoRepo } from '../src/db/video.repo.js';
import { SketchEngine } from '../src/engines/sketch/sketch.engine.js';
import { makeGenerateVideoJob } from '../src/jobs/generate-video.job.js';
import { resolveMediaBinaries } from '../src/media/binaries.js';
import { LocalBlobStore } from '../src/storage/local/local.blob-store.js';
import { loadavg, median, range } from './common.js';

const RUNS = Number(process.env.MELIES_BENCH_RUNS ?? 3);
const PRESET = 'veryfast';
const LOAD_BEFORE = loadavg();
const PROMPT = 'a lighthouse on a cliff at dusk';
const NEXT = 'light rain begins to fall';
const SAME_SCENE = `${PROMPT}, ${NEXT}`;
const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });
const root = mkdtempSync(join(tmpdir(), 'melies-bench-extend-'));
const sqlite = (await testDatabases()).find((t) => t.name === 'sqlite')!;
const { db, close } = await sqlite.open();
const repo = new VideoRepo(db);
const storage = new LocalBlobStore(join(root, 'blobs'));
const engine = new SketchEngine({ ffmpeg: bins.ffmpeg, x264Preset: PRESET });
const job = makeGenerateVideoJob({ videos: repo, engineFor: () => engine, storage, publish: () => {}, media: bins, workRoot: join(root, 'work'), log: () => {} });

function row(over: Partial<Video>): Video {
  const now = Date.now();
  return {
    id: newVideoId(), model: 'sketch', engine: 'sketch', status: 'queued', progress: 0, prompt: PROMPT, seconds: 10, width: 1920, height: 1080,
    fps: 24, seed: 42, inputReferenceKey: null, remixedFromVideoId: null, negativePrompt: null, favorite: false, ownerId: 'usr_local', error: null,
    providerJobId: null, plan: null, output: null, createdAt: now, startedAt: null, completedAt: null, expiresAt: null, updatedAt: now, ...over,
  };
}

async function run(v: Video): Promise<number> {
  await repo.insert(v);
  const t0 = performance.now();
  await job.handler({ videoId: v.id, attempt: 1, signal: new AbortController().signal });
  const ms = performance.now() - t0;
  const done = await repo.get(v.id);
  if (done?.status !== 'completed') throw new Error(`the job did not complete: ${JSON.stringify(done?.error)}`);
  return ms;
}

try {
  const source = row({ plan: engine.plan({ prompt: PROMPT, seconds: 10 }) });
  const sourceMs = await run(source);
  const extension = () => row({ prompt: NEXT, seconds: 18, kind: 'extension', sourceVideoId: source.id, plan: engine.continuePlan(source.plan, { prompt: NEXT, seconds: 8, sourceSeconds: 10 }) });
  // The same scene as the extension's new seconds (the lighthouse at dusk, in the rain), so the
  // ratio weighs what extending adds, not a cheaper or dearer scene.
  const fresh = () => row({ prompt: SAME_SCENE, seconds: 8, plan: engine.plan({ prompt: SAME_SCENE, seconds: 8 }) });
  // The source's MP4 as an upload: the same frames, reached through its stored copy instead of its plan.
  const made = (await repo.get(source.id))!.output!;
  const uploadKey = 'inputs/bench-upload/source.mp4';
  const put = await storage.put(uploadKey, await storage.get(made.videoKey));
  const sourceFile = { key: uploadKey, fileId: null, filename: 'clip.mp4', sha256: put.sha256, bytes: put.bytes, durationSeconds: 10, seconds: 10, width: 1920, height: 1080, fps: 24 };
  const fromUpload = () => row({ prompt: NEXT, seconds: 18, kind: 'extension', sourceFile, plan: null });
  await run(fresh()); // warm-up: caches, the first worker's module loads
  const ext: number[] = [];
  const gen: number[] = [];
  const up: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const order = [['ext', 'gen', 'up'], ['gen', 'up', 'ext'], ['up', 'ext', 'gen']][i % 3]!;
    for (const which of order) {
      if (which === 'ext') ext.push(await run(extension()));
      else if (which === 'gen') gen.push(await run(fresh()));
      else up.push(await run(fromUpload()));
    }
  }
  const e = median(ext);
  const g = median(gen);
  const u = median(up);
  console.log(`runs: ${RUNS} (medians, ranges in brackets), node ${process.version}, x264 preset ${PRESET}, load average before ${LOAD_BEFORE}, after ${loadavg()}`);
  console.log(`source: 10 s 1920x1080 sketch job, ${(sourceMs / 1000).toFixed(2)} s (once)`);
  console.log(`extend it by 8 s (one 18 s MP4):    ${(e / 1000).toFixed(2)} s [${range(ext, 1000)}]`);
  console.log(`fresh 8 s 1920x1080 sketch job:     ${(g / 1000).toFixed(2)} s [${range(gen, 1000)}]`);
  console.log(`extend an uploaded 10 s MP4 by 8 s: ${(u / 1000).toFixed(2)} s [${range(up, 1000)}]`);
  console.log(`ratio extend / fresh: ${(e / g).toFixed(2)}; uploaded clip / fresh: ${(u / g).toFixed(2)}`);
} finally {
  await close();
  rmSync(root, { recursive: true, force: true });
}
