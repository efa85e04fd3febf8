// Provenance use cases shared by the API and the CLI: a video's signed sidecar, verifying any MP4
// (with "was it made here?" answered from this instance's records by sha256), and re-signing a
// stored video when its owner publishes it under another AI-training licence.
import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '../domain/account.js';
import { ApiError } from '../domain/errors.js';
import type { ModelCard } from '../domain/model-card.js';
import { parentIdOf, type Video } from '../domain/video.js';
import type { VideoRepo } from '../db/video.repo.js';
import { generationFacts } from '../provenance/facts.js';
import type { SigningIdentity } from '../provenance/instance-keys.js';
import { digitalSourceType, generationAssertion } from '../provenance/manifest.js';
import type { Author, ManifestReport, Signer, Training, Verifier } from '../provenance/provenance.js';
import { signSidecar, type SignedSidecar } from '../provenance/sidecar.js';
import type { BlobStore } from '../storage/blob-store.js';

export interface ProvenanceServiceDeps {
  identity: SigningIdentity;
  signer: Signer;
  verifier: Verifier;
  videos: VideoRepo;
  storage: BlobStore;
  /** Scratch space for uploads being verified and files being re-signed. */
  workRoot: string;
  cardFor: (model: string) => ModelCard | null;
  authorOf: (ownerId: string) => Promise<Author>;
  /**
   * The video if `who` may see its provenance, else a 404 ApiError. Wired to VideoService.get
   * (the owner only); publishing widens it to anyone who may see the public video.
   */
  visibleTo: (who: Principal, id: string) => Promise<Video>;
  /** Largest file verify reads (MELIES_VERIFY_MAX_BYTES). */
  maxVerifyBytes: number;
  log: (msg: string, extra?: Record<string, unknown>) => void;
}

/** POST /api/verify and `melies verify`: the file's manifest, and what this instance knows of it. */
export interface VerifyAnswer {
  state: ManifestReport['state'];
  valid: boolean;
  reason: string;
  signer: string | null;
  engine: string | null;
  model: string | null;
  author: { handle: string | null; display_name: string | null } | null;
  /** Unix seconds, when the manifest says. */
  created_at: number | null;
  digital_source_type: string | null;
  training: Training | null;
  ingredients: { title: string; video_id: string | null; author: { handle: string | null; display_name: string | null } | null }[];
  made_here: boolean;
  video_id: string | null;
  altered: boolean;
  sha256: string;
  bytes: number;
}

/** Verifications at once per process: each holds a whole file in a WASM instance. */
const MAX_CONCURRENT_VERIFY = 2;

export class ProvenanceService {
  private verifying = 0;

  constructor(private readonly deps: ProvenanceServiceDeps) {}

  /** The signed sidecar: the claims the video's manifest makes, as a JWS (provenance/sidecar.ts). */
  async sidecar(who: Principal, id: string): Promise<SignedSidecar> {
    const video = await this.deps.visibleTo(who, id);
    if (video.status !== 'completed' || !video.output) {
      throw new ApiError(400, `Video ${video.id} is ${video.status}; its provenance exists once its status is 'completed'.`, { param: 'video_id', code: 'video_not_ready' });
    }
    if (!video.provenance) {
      throw new ApiError(404, `Video ${video.id} was made before this server signed its videos, so it has no provenance.`, { param: 'video_id', code: 'provenance_not_found' });
    }
    const facts = generationFacts({
      video, model: video.madeByModel ?? video.model, engine: video.engine, card: this.deps.cardFor(video.madeByModel ?? video.model),
      author: await this.deps.authorOf(video.ownerId), training: video.provenance.training, watermarkPlan: video.provenance.watermarkPlan, parentFile: null,
    });
    const claims = {
      video_id: video.id,
      mp4: { sha256: video.output.sha256, bytes: video.output.bytes, c2pa_manifest: 'embedded' },
      signed_at: new Date(video.provenance.signedAt).toISOString(),
      signer: this.deps.identity.leaf.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? null,
      software_agent: facts.software,
      digital_source_type: digitalSourceType(facts.kind),
      generation: generationAssertion(facts).data,
      training_mining: facts.training,
      ingredients: parentIdOf(video) ? [{ video_id: parentIdOf(video), relationship: 'inputTo' }] : [],
    };
    return signSidecar(claims, this.deps.identity);
  }

  /**
   * Verifies an upload as it arrives: written to a scratch file (hashed on the way, cut off past
   * the cap with a 413), then read by the C2PA library in a worker.
   */
  async verifyStream(source: Readable): Promise<VerifyAnswer> {
    if (this.verifying >= MAX_CONCURRENT_VERIFY) {
      source.resume();
      throw new ApiError(429, 'The server is verifying other files right now; try again in a few seconds.', { code: 'verify_busy', headers: { 'retry-after': '5' } });
    }
    this.verifying++;
    const dir = join(this.deps.workRoot, 'verify');
    const path = join(dir, `${randomBytes(8).toString('hex')}.mp4`);
    try {
      await mkdir(dir, { recursive: true });
      const hash = createHash('sha256');
      let bytes = 0;
      const max = this.deps.maxVerifyBytes;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          if (bytes > max) return done(new ApiError(413, `The file is larger than the ${Math.round(max / 1024 / 1024)} MB this server verifies.`, { param: 'file', code: 'file_too_large' }));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(source, meter, createWriteStream(path));
      if (bytes === 0) throw ApiError.badRequest('The file is empty: send an MP4 as the multipart field `file` or as a video/mp4 body.', 'file');
      return await this.answer(path, hash.digest('hex'), bytes);
    } finally {
      this.verifying--;
      await rm(path, { force: true });
    }
  }

  /** Verifies a file on disk (the CLI). */
  async verifyFile(path: string): Promise<VerifyAnswer> {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(path)) { hash.update(chunk as Buffer); bytes += (chunk as Buffer).length; }
    return this.answer(path, hash.digest('hex'), bytes);
  }

  private async answer(path: string, sha256: string, bytes: number): Promise<VerifyAnswer> {
    const report = await this.deps.verifier.verify(path);
    const exact = await this.deps.videos.findBySha256(sha256);
    // Made here: these exact bytes are one of our videos, or an intact manifest we trust names one.
    const named = !exact && report.state === 'trusted' && report.videoId ? await this.deps.videos.get(report.videoId) : null;
    const here = exact ?? named;
    let reason = report.reason;
    if (report.state === 'no_manifest' && exact) reason = `no C2PA manifest, but these are exactly the bytes of video ${exact.id}, made here before this server signed its videos`;
    return {
      state: report.state,
      valid: report.state === 'trusted' || report.state === 'valid',
      reason,
      signer: report.signer,
      engine: report.engine ?? exact?.engine ?? null,
      model: report.model ?? (exact ? exact.madeByModel ?? exact.model : null),
      author: report.author,
      created_at: report.createdAt === null ? (exact ? Math.floor(exact.createdAt / 1000) : null) : Math.floor(report.createdAt / 1000),
      digital_source_type: report.digitalSourceType,
      training: report.training,
      ingredients: report.ingredients.map((i) => ({ title: i.title, video_id: i.videoId, author: i.author })),
      made_here: Boolean(here),
      video_id: here?.id ?? null,
      altered: report.altered,
      sha256,
      bytes,
    };
  }

  /**
   * Re-signs a completed video's stored MP4 with another AI-training licence, or with the public
   * name its author has chosen since it was signed (called at publish). The previous manifest
   * becomes the parent ingredient; the new file goes under a new key, the row moves to it in one
   * conditional write, and only then is the old file deleted. A no-op when both already match.
   */
  async resignTraining(videoId: string, training: Training): Promise<Video> {
    const video = await this.deps.videos.get(videoId);
    if (!video || video.status !== 'completed' || !video.output) throw ApiError.notFound(`No completed video found with id '${videoId}'.`, 'video_id');
    const author = await this.deps.authorOf(video.ownerId);
    if (video.provenance?.training === training && (video.provenance.authorHandle ?? null) === author.handle) return video;
    const run = `resign-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const dir = join(this.deps.workRoot, 'resign', run);
    const newKey = `videos/${video.id}/${run}/video.mp4`;
    let stored = false;
    await mkdir(dir, { recursive: true });
    try {
      const source = join(dir, 'current.mp4');
      const output = join(dir, 'signed.mp4');
      await pipeline(await this.deps.storage.get(video.output.videoKey), createWriteStream(source));
      const model = video.madeByModel ?? video.model;
      const facts = generationFacts({
        video, model, engine: video.engine, card: this.deps.cardFor(model), author,
        training, watermarkPlan: video.provenance?.watermarkPlan ?? null, parentFile: null,
      });
      // A video stored before signing existed has no manifest to keep: it gets its first one.
      if (video.provenance) await this.deps.signer.resign(facts, source, output);
      else await this.deps.signer.signCreated(facts, source, output);
      const put = await this.deps.storage.put(newKey, { file: output });
      const updated = await this.deps.videos.replaceVideoFile(video.id, video.output.videoKey,
        { videoKey: newKey, bytes: put.bytes, sha256: put.sha256 }, { signedAt: Date.now(), training, watermarkPlan: facts.watermarkPlan, authorHandle: author.handle });
      if (!updated) {
        // Deleted, or re-signed by someone else meanwhile: theirs stands.
        const now = await this.deps.videos.get(video.id);
        if (now?.provenance?.training === training && (now.provenance.authorHandle ?? null) === author.handle) return now;
        throw new ApiError(409, `Video ${video.id} changed while it was being re-signed; try again.`, { param: 'video_id', code: 'conflict' });
      }
      stored = true;
      await this.deps.storage.delete(video.output.videoKey).catch((err) => this.deps.log('could not delete the previous signed file; it is no longer used', { videoId, key: video.output!.videoKey, err: String(err) }));
      return updated;
    } finally {
      if (!stored) await this.deps.storage.delete(newKey).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  }
}
