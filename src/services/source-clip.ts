// An uploaded MP4 as the source of an extension or edit (issue 15 §1–2): `video` sent as a file
// with the request (openai SDK `videos.extend({ video: file })`) or as `{file_id}` of an MP4 the
// caller uploaded with POST /v1/files. The clip is checked at the request (an MP4 by its bytes,
// decodable to its last frame, within the size caps), then copied under the new video's inputs, so
// the queued job never depends on a file the caller may delete, and nothing is queued that cannot run.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '../domain/account.js';
import { ApiError } from '../domain/errors.js';
import { sniffFile } from '../domain/file.js';
import { allowsSize, type ModelCard } from '../domain/model-card.js';
import { describePixels, sizeForImage } from '../domain/reference-image.js';
import type { VideoSourceRef } from '../domain/video-request.js';
import type { SourceFile } from '../domain/video.js';
import type { BlobStore } from '../storage/blob-store.js';
import { readHead, type FileService } from './file.service.js';

/** What ffprobe (media/inspect-clip.ts, given by app/: services do not run ffmpeg) reads of a clip; null when it cannot be decoded. */
export type ClipInspector = (path: string) => Promise<{ durationSeconds: number; width: number; height: number; fps: number; hasAudio: boolean } | null>;

export interface ClipDeps {
  storage: BlobStore;
  files?: Pick<FileService, 'input'>;
  inspectClip?: ClipInspector;
  /** The server's cap on decoded pixels (uploads.maxPixels), which a source clip is held to as well. */
  maxPixels: number;
}

/** A checked clip, still in a scratch file: `store` copies it under a video's inputs; `dispose` removes what this module made. */
export interface LoadedClip {
  fileId: string | null;
  filename: string;
  durationSeconds: number;
  /** Counted in whole seconds (a video's `seconds` is whole); at least 1. */
  seconds: number;
  width: number;
  height: number;
  fps: number;
  store(videoId: string): Promise<SourceFile>;
  dispose(): Promise<void>;
}

// A clip shorter than this has no last second to continue from, nor enough to edit.
const MIN_SECONDS = 0.5;

export async function loadSourceClip(deps: ClipDeps, who: Principal, ref: Exclude<VideoSourceRef, { kind: 'video' }>): Promise<LoadedClip> {
  const param = ref.kind === 'file' ? 'video.file_id' : 'video';
  if (!deps.inspectClip) throw ApiError.badRequest("This server takes only the id of one of its own videos as 'video' ({\"id\": …}).", param, 'unsupported_parameter');
  let path: string;
  let filename: string;
  let fileId: string | null = null;
  let scratch: string | null = null;
  const dispose = async () => { if (scratch) await rm(scratch, { recursive: true, force: true }); };
  try {
    if (ref.kind === 'file') {
      if (!deps.files) throw ApiError.badRequest("'video.file_id' is not supported by this server: upload the MP4 with the request as 'video'.", param, 'unsupported_parameter');
      const file = await deps.files.input(who, ref.fileId, param, 'video');
      scratch = await mkdtemp(join(tmpdir(), 'melies-source-'));
      path = join(scratch, 'source.mp4');
      await pipeline(await deps.storage.get(file.blobKey), createWriteStream(path));
      ({ filename } = file);
      fileId = file.id;
    } else {
      if (ref.clip.bytes === 0) throw ApiError.badRequest("'video' is empty.", param, 'empty_file');
      if (sniffFile(await readHead(ref.clip.path, 64))?.kind !== 'video') {
        throw ApiError.badRequest(`'video' (${ref.clip.filename.slice(0, 80)}) is not an MP4 video; send an MP4, or the id of a video made here as {"id": …}.`, param, 'unsupported_file_type');
      }
      ({ path, filename } = ref.clip);
    }
    const facts = await deps.inspectClip(path);
    if (!facts) throw ApiError.badRequest(`'video' (${filename.slice(0, 80)}) could not be decoded to its last frame: it may be truncated or hold a codec this server cannot read.`, param, 'invalid_video');
    if (facts.durationSeconds < MIN_SECONDS) throw ApiError.badRequest(`'video' lasts ${facts.durationSeconds.toFixed(2)} s; a source must last at least ${MIN_SECONDS} s.`, param, 'invalid_duration');
    if (facts.width * facts.height > deps.maxPixels || facts.width > 8192 || facts.height > 8192) {
      throw ApiError.badRequest(`'video' is ${facts.width}x${facts.height}; this server takes source videos of at most ${describePixels(deps.maxPixels)} (8192 on a side).`, param, 'video_too_large');
    }
    const source = path;
    return {
      fileId, filename, durationSeconds: facts.durationSeconds, seconds: Math.max(1, Math.round(facts.durationSeconds)),
      width: facts.width, height: facts.height, fps: facts.fps,
      store: async (videoId) => {
        const key = `inputs/${videoId}/source.mp4`;
        const put = await deps.storage.put(key, { file: source });
        return {
          key, fileId, filename, sha256: put.sha256, bytes: put.bytes, durationSeconds: facts.durationSeconds,
          seconds: Math.max(1, Math.round(facts.durationSeconds)), width: facts.width, height: facts.height, fps: facts.fps,
        };
      },
      dispose,
    };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/**
 * The size and frame rate a clip's new part is made at: the clip's own when the card allows them,
 * else the card's size closest in shape and then in pixels to the clip's (the clip is fitted into
 * it at the join, never stretched) and its nearest frame rate.
 */
export function shapeForClip(card: ModelCard, clip: { width: number; height: number; fps: number }): { width: number; height: number; fps: number } {
  const fps = card.fps.reduce((best, f) => (Math.abs(f - clip.fps) < Math.abs(best - clip.fps) ? f : best), card.fps[0] ?? card.defaultFps);
  const size = allowsSize(card, clip.width, clip.height) ? { width: clip.width, height: clip.height } : sizeForImage(card, clip, clip);
  return { ...size, fps };
}
