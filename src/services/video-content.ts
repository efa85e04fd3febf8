// What a completed video's files look like to a client that downloads them: type, size, ETag,
// file name, a stream with Range, and (stores that can, S3) a short-lived URL of the store's own.
import type { Readable } from 'node:stream';
import type { ApiError } from '../domain/errors.js';
import type { Video } from '../domain/video.js';
import { BlobNotFoundError, type BlobStore, type ByteRange } from '../storage/blob-store.js';

export type ContentVariant = 'video' | 'thumbnail' | 'spritesheet';

export interface VideoContent {
  contentType: string;
  bytes: number;
  etag: string;
  modifiedAt: number;
  filename: string;
  /** The blob's key in storage (an X-Accel-Redirect names it to the proxy that sends the bytes). */
  key: string;
  open(range?: ByteRange): Promise<Readable>;
  /** A short-lived URL the store itself serves (S3), when it can make one: for S3_PRESIGN redirects. */
  presignedUrl?(expiresInSeconds: number): Promise<string>;
}

const CONTENT_TYPES: Record<ContentVariant, string> = { video: 'video/mp4', thumbnail: 'image/webp', spritesheet: 'image/jpeg' };
const EXTENSIONS: Record<ContentVariant, string> = { video: 'mp4', thumbnail: 'webp', spritesheet: 'jpg' };

/** `video` is completed, with output; `missing` says what to answer when its file is gone. */
export async function videoContent(video: Video, variant: ContentVariant, storage: BlobStore, missing: () => Promise<ApiError>): Promise<VideoContent> {
  const output = video.output!;
  const key = { video: output.videoKey, thumbnail: output.thumbnailKey, spritesheet: output.spritesheetKey }[variant];
  const stat = await storage.stat(key);
  if (!stat) throw await missing();
  const filename = `${video.id}${variant === 'video' ? '' : `-${variant}`}.${EXTENSIONS[variant]}`;
  const contentType = CONTENT_TYPES[variant];
  return {
    contentType,
    bytes: stat.bytes,
    etag: variant === 'video' ? `"${output.sha256}"` : `"${stat.bytes.toString(16)}-${Math.floor(stat.modifiedAt).toString(16)}"`,
    modifiedAt: stat.modifiedAt,
    filename,
    key,
    ...(storage.presignedUrl ? { presignedUrl: (expiresInSeconds: number) => storage.presignedUrl!(key, { expiresInSeconds, contentType, filename }) } : {}),
    open: async (range) => {
      try {
        return await storage.get(key, range);
      } catch (err) {
        if (err instanceof BlobNotFoundError) throw await missing();
        throw err;
      }
    },
  };
}
