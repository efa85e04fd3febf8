// The extension steps of the generate-video job (issue 15 §1). The job carries only the new
// video's id; the source's MP4 is read from storage here. Engines that continue their own plans
// (sketch) render the frames after the source's; any other engine gets the source's last frame as
// its first and its clip's first frame is dropped at the join. Either way ffmpeg joins source and
// new clip into one stream at the source's size and fps.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { EngineError } from '../domain/errors.js';
import type { Video } from '../domain/video.js';
import type { VideoRepo } from '../db/video.repo.js';
import type { Engine, EngineJob } from '../engines/engine.js';
import type { MediaBinaries } from '../media/binaries.js';
import { extractLastFrame, joinableByCopy, joinByCopy, joinClips } from '../media/join.js';
import { probe } from '../media/probe.js';
import { extendsNatively } from '../domain/model-card.js';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.js';

export interface PreparedExtension {
  sourceFile: string;
  /** Seconds the engine makes: the extension's total less its source's. */
  newSeconds: number;
  storedPlan: NonNullable<EngineJob['storedPlan']> | null;
  /** The source's last frame (PNG), the engine's first frame; null when the engine continues its plan or extends natively. */
  lastFrame: string | null;
  /** The source's provider job, which a natively extending provider continues; else null. */
  nativeFrom: string | null;
}

const SOURCE_GONE = 'The video being extended was deleted before its extension was made, so there is nothing to continue.';

/**
 * The source of an extension or an edit, copied into the work folder as source.mp4: the source
 * video's MP4, or the uploaded clip's copy (inputs/<id>/source.mp4). `seconds` is what the source
 * counts for in the video's total.
 */
export async function copySourceVideo(deps: { videos: VideoRepo; storage: BlobStore }, video: Video, workDir: string, gone = SOURCE_GONE): Promise<{ seconds: number; sourceFile: string; providerJobId: string | null }> {
  let key: string;
  let seconds: number;
  let providerJobId: string | null = null;
  if (video.sourceFile) {
    ({ key, seconds } = video.sourceFile);
  } else {
    const source = video.sourceVideoId ? await deps.videos.get(video.sourceVideoId) : null;
    if (!source?.output) throw new EngineError('source_missing', gone);
    ({ seconds, providerJobId } = source);
    key = source.output.videoKey;
  }
  const sourceFile = join(workDir, 'source.mp4');
  try {
    await pipeline(await deps.storage.get(key), createWriteStream(sourceFile));
  } catch (err) {
    if (err instanceof BlobNotFoundError) throw new EngineError('source_missing', gone, { cause: err });
    throw err;
  }
  return { seconds, sourceFile, providerJobId };
}

export async function prepareExtension(deps: { videos: VideoRepo; storage: BlobStore; media: MediaBinaries }, video: Video, engine: Engine,
  workDir: string, signal: AbortSignal): Promise<PreparedExtension> {
  const { seconds: sourceSeconds, sourceFile, providerJobId } = await copySourceVideo(deps, video, workDir);
  const newSeconds = video.seconds - sourceSeconds;
  if (newSeconds <= 0) throw new EngineError('invalid_extension', `The extension is ${video.seconds} s and its source ${sourceSeconds} s: there is nothing to add.`);
  // The stored plan was continued from the source's at request time (services/video-extension.ts).
  if (engine.continuePlan && video.plan) return { sourceFile, newSeconds, storedPlan: { plan: video.plan, fromSeconds: sourceSeconds }, lastFrame: null, nativeFrom: null };
  const card = engine.models().find((c) => c.id === video.model);
  if (card && extendsNatively(card)) {
    // Checked at request time; a source row changed since (it cannot be, but) fails clearly rather than paying for a fresh clip.
    if (!providerJobId) throw new EngineError('invalid_extension', `${card.id} extends only videos its provider made, and the source has no provider job to continue.`);
    return { sourceFile, newSeconds, storedPlan: null, lastFrame: null, nativeFrom: providerJobId };
  }
  const lastFrame = join(workDir, 'last-frame.png');
  await extractLastFrame(deps.media.ffmpeg, sourceFile, lastFrame, signal);
  return { sourceFile, newSeconds, storedPlan: null, lastFrame, nativeFrom: null };
}

/**
 * Source + new clip as one MP4 in the work folder; returns its path. A continued plan's clip made
 * by the same encoder settings is joined by stream copy (nothing re-encoded); anything else (a
 * dropped first frame, another engine's size, rate or codec) is re-encoded at the join. A native
 * extension's clip is measured: Luma's docs do not say whether an extended generation holds the
 * source's frames, so a clip whose length is nearer source + new than new alone is the whole video
 * (used as it is), else it is the continuation and is joined (nothing dropped: it does not start on
 * a frame we gave it).
 */
export async function joinExtension(media: MediaBinaries, ext: PreparedExtension, clip: string, video: Video, workDir: string, signal: AbortSignal): Promise<string> {
  const output = join(workDir, 'extended.mp4');
  if (ext.nativeFrom) {
    const [source, made] = await Promise.all([probe(media.ffprobe, ext.sourceFile, signal), probe(media.ffprobe, clip, signal)]);
    const whole = Math.abs(made.durationSeconds - (source.durationSeconds + ext.newSeconds)) < Math.abs(made.durationSeconds - ext.newSeconds);
    if (whole) return clip;
    await joinClips(media, ext.sourceFile, clip, output, { width: video.width, height: video.height, fps: video.fps, dropFirstFrame: false }, signal);
  } else if (ext.storedPlan && await joinableByCopy(media, ext.sourceFile, clip, signal)) {
    await joinByCopy(media.ffmpeg, ext.sourceFile, clip, output, join(workDir, 'join.ffconcat'), signal);
  } else {
    await joinClips(media, ext.sourceFile, clip, output, { width: video.width, height: video.height, fps: video.fps, dropFirstFrame: ext.storedPlan === null }, signal);
  }
  return output;
}
