// The job's last step: embed the C2PA manifest in the finished MP4. Nothing may rewrite the file
// after this (ffmpeg drops the manifest on any rewrite), so the stored file, its sha256 and size
// are the signed file's.
//
// When signing fails: it is tried once more at once (a fresh worker; the usual cause is a worker
// killed for memory). If that fails too, the run throws and the queue retries the whole job with
// backoff (a remote job is polled again, never paid twice); after the last attempt the video fails
// with the signing error in its operator detail, and every failure is logged at error level. An
// unsigned video is never stored: "every video carries its provenance" would silently be false.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ModelCard } from '../domain/model-card.js';
import { parentIdOf, type Video, type VideoProvenance } from '../domain/video.js';
import type { VideoRepo } from '../db/video.repo.js';
import { generationFacts } from '../provenance/facts.js';
import type { Author, Signer } from '../provenance/provenance.js';
import type { BlobStore } from '../storage/blob-store.js';

export interface ProvenanceDeps {
  signer: Signer;
  cardFor: (model: string) => ModelCard | null;
  /** Who made it, as the manifest names them (id, and handle / display name when the user has them). */
  authorOf: (ownerId: string) => Promise<Author>;
}

export class SigningFailed extends Error {}

export async function signFinishedVideo(
  deps: { provenance: ProvenanceDeps; videos: VideoRepo; storage: BlobStore; log: (level: 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void },
  video: Video, made: { model: string; engine: string }, file: string, workDir: string, watermarkPlan: string | null,
): Promise<{ file: string; provenance: VideoProvenance }> {
  const parentFile = await parentCopy(deps, video, workDir);
  const sourceUploadFile = await uploadCopy(deps, video, workDir);
  const facts = generationFacts({
    video, model: made.model, engine: made.engine, card: deps.provenance.cardFor(made.model),
    author: await deps.provenance.authorOf(video.ownerId), training: 'not-allowed', watermarkPlan, parentFile, sourceUploadFile,
  });
  const signed = join(workDir, 'signed.mp4');
  let lastError: unknown;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await deps.provenance.signer.signCreated(facts, file, signed);
      return { file: signed, provenance: { signedAt: Date.now(), training: facts.training, watermarkPlan, authorHandle: facts.author.handle } };
    } catch (err) {
      lastError = err;
      deps.log(attempt === 1 ? 'warn' : 'error', 'signing the finished video failed', { videoId: video.id, attempt, err: String((err as Error)?.message ?? err) });
    }
  }
  throw new SigningFailed(`signing the finished video failed (C2PA, provenance/): ${String((lastError as Error)?.message ?? lastError)}`);
}

/** The remix parent's signed MP4, when the parent still exists and finished (else no ingredient). */
async function parentCopy(deps: { videos: VideoRepo; storage: BlobStore }, video: Video, workDir: string): Promise<string | null> {
  const parentId = parentIdOf(video);
  if (!parentId) return null;
  const parent = await deps.videos.get(parentId);
  if (!parent?.output) return null;
  const path = join(workDir, 'parent.mp4');
  try {
    await pipeline(await deps.storage.get(parent.output.videoKey), createWriteStream(path));
    return path;
  } catch {
    return null; // its file went away meanwhile: the manifest still names the parent's id
  }
}

// The signer reads an ingredient whole into memory; a larger upload is bound by its hash alone.
const MAX_UPLOAD_INGREDIENT_BYTES = 64 * 1024 * 1024;

/** The uploaded source clip (an extension's or edit's), when small enough to embed as an ingredient. */
async function uploadCopy(deps: { storage: BlobStore }, video: Video, workDir: string): Promise<string | null> {
  const src = video.sourceFile;
  if (!src || src.bytes > MAX_UPLOAD_INGREDIENT_BYTES) return null;
  const path = join(workDir, 'source-upload.mp4');
  try {
    await pipeline(await deps.storage.get(src.key), createWriteStream(path));
    return path;
  } catch {
    return null; // gone meanwhile (the video was deleted): the manifest still names its hash
  }
}
