// What signing costs (issue 14 §4: "signing adds <= 10% to a 10 s 1080p sketch job"). The real
// generate-video job (SQLite, local disk, the sketch engine, finalize, previews, store) runs the
// same 10 s 1920x1080 prompt and seed with and without the provenance step, alternating, in one
// process; the ratio of medians is the answer. The signing step alone (a fresh C2PA worker, the
// manifest, the COSE signature, writing the signed file) is timed too, from the job's own log.
// Run: npm run bench:provenance   (MELIES_BENCH_RUNS=3 by default)
// From source (tsx): the sketch engine's render worker and the C2PA worker both start through tsx,
// which slows each a little; `npm run bench:sketch` has the compiled engine's figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newVideoId } from '../src/domain/ids.js';
import type { Video } from '../src/domain/video.js';
import { testDatabases } from '../src/db/test-databases.js';
import { VideoRepo } from '../src/db/video.repo.js';
import { SKETCH_CARD } from '../src/engines/sketch/sketch.card.js';
import { SketchEngine } from '../src/engines/sketch/sketch.engine.js';
import { makeGenerateVideoJob } from '../src/jobs/generate-video.job.js';
import { resolveMediaBinaries } from '../src/media/binaries.js';
import { C2paSigner } from '../src/provenance/c2pa.signer.js';
import { loadSigningIdentity } from '../src/provenance/instance-keys.js';
import type { GenerationFacts } from '../src/provenance/provenance.js';
import { LocalBlobStore } from '../src/storage/local/local.blob-store.js';
import { loadavg, median, range, SKETCH_PROMPTS } from './common.js';

const RUNS = Number(process.env.MELIES_BENCH_RUNS ?? 3);
const PRESET = 'veryfast';
const LOAD_BEFORE = loadavg();
const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });
const root = mkdtempSync(join(tmpdir(), 'melies-bench-prov-'));
const sqlite = (await testDatabases()).find((t) => t.name === 'sqlite')!;
const { db, close } = await sqlite.open();
const repo = new VideoRepo(db);
const storage = new LocalBlobStore(join(root, 'blobs'));
const engine = new SketchEngine({ ffmpeg: bins.ffmpeg, x264Preset: PRESET });
const identity = await loadSigningIdentity({ dataDir: root, certPath: null, keyPath: null, trustAnchorsPath: null });

/** The signer, with each signing's wall time noted. */
const signTimes: number[] = [];
const real = new C2paSigner(identity);
const signer = {
  async signCreated(f: GenerationFacts, source: string, output: string) {
    const t0 = performance.now();
    await real.signCreated(f, source, output);
    signTimes.push(performance.now() - t0);
  },
  resign: (f: GenerationFacts, s: string, o: string) => real.resign(f, s, o),
};
const base = { videos: repo, engineFor: () => engine, storage, publish: () => {}, media: bins, workRoot: join(root, 'work'), log: () => {} };
const unsigned = makeGenerateVideoJob(base);
const signed = makeGenerateVideoJob({ ...base, provenance: { signer, cardFor: () => SKETCH_CARD, authorOf: async (id) => ({ id, handle: 'bench', displayName: 'Bench' }) } });

async function once(job: typeof unsigned): Promise<{ ms: number; bytes: number }> {
  const now = Date.now();
  const v: Video = {
    id: newVideoId(), model: 'sketch', engine: 'sketch', status: 'queued', progress: 0, prompt: SKETCH_PROMPTS[0]!, seconds: 10, width: 1920, height: 1080,
    fps: 24, seed: 42, inputReferenceKey: null, remixedFromVideoId: null, negativePrompt: null, favorite: false, ownerId: 'usr_local', error: null,
    providerJobId: null, plan: null, output: null, createdAt: now, startedAt: null, completedAt: null, expiresAt: null, updatedAt: now,
  };
  await repo.insert(v);
  const t0 = performance.now();
  await job.handler({ videoId: v.id, attempt: 1, signal: new AbortController().signal });
  const ms = performance.now() - t0;
  const done = await repo.get(v.id);
  if (done?.status !== 'completed') throw new Error(`the job did not complete: ${JSON.stringify(done?.error)}`);
  return { ms, bytes: done.output!.bytes };
}

try {
  await once(unsigned); // warm-up: caches, the first worker's module loads
  await once(signed);
  signTimes.length = 0;
  const plain: number[] = [];
  const withSig: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    // Alternating order, so drift in the machine's load lands on both sides.
    const order = i % 2 === 0 ? [false, true] : [true, false];
    for (const sign of order) {
      const r = await once(sign ? signed : unsigned);
      (sign ? withSig : plain).push(r.ms);
      bytes = r.bytes;
    }
  }
  const p = median(plain);
  const s = median(withSig);
  console.log(`runs: ${RUNS} (medians, ranges in brackets), node ${process.version}, x264 preset ${PRESET}, load average before ${LOAD_BEFORE}, after ${loadavg()}`);
  console.log(`10 s 1920x1080 sketch job, unsigned: ${(p / 1000).toFixed(2)} s [${range(plain, 1000)}]`);
  console.log(`10 s 1920x1080 sketch job, signed:   ${(s / 1000).toFixed(2)} s [${range(withSig, 1000)}]`);
  console.log(`signing step alone: ${median(signTimes).toFixed(0)} ms [${range(signTimes)}] for a ${(bytes / 1024 / 1024).toFixed(1)} MB MP4`);
  console.log(`ratio signed / unsigned: ${(s / p).toFixed(3)} (+${(((s - p) / p) * 100).toFixed(1)} %; goal <= +10 %)`);
} finally {
  await close();
  rmSync(root, { recursive: true, force: true });
}
