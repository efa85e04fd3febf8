// Where finished files live (videos, thumbnails, spritesheets, uploaded references). Every
// implementation makes a put atomic: a reader sees the whole blob or none of it, never a prefix.
import type { Readable } from 'node:stream';

export interface PutResult {
  bytes: number;
  sha256: string;
}

export interface BlobStat {
  bytes: number;
  modifiedAt: number;
}

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export type BlobSource = Buffer | Readable | { file: string };

export interface PresignOptions {
  /** How long the URL works. Keep it short: anyone holding the URL can download until then. */
  expiresInSeconds: number;
  /** Sent back as `Content-Disposition: inline; filename="…"`. */
  filename?: string;
  /** Sent back as `Content-Type`, overriding what the object was stored with. */
  contentType?: string;
}

export interface BlobStore {
  put(key: string, source: BlobSource): Promise<PutResult>;
  /** Throws BlobNotFoundError when the key holds nothing. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  stat(key: string): Promise<BlobStat | null>;
  /** Idempotent: deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * A URL anyone can GET the blob from until it expires, for stores a client can reach directly
   * (S3). The URL does not pin a byte range: the client's own Range header works on it.
   */
  presignedUrl?(key: string, opts: PresignOptions): Promise<string>;
  /** For readiness checks: resolves when the store can serve, else throws saying what is wrong. */
  check?(): Promise<void>;
  /** Closes what the store holds open (S3's sockets) at shutdown. */
  destroy?(): void;
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no blob at ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

const KEY = /^[a-z0-9_-][a-z0-9_.-]*(\/[a-z0-9_-][a-z0-9_.-]*)*$/i;

/** Keys are relative slash paths of safe characters; `..` and absolute paths are refused. */
export function assertValidKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((p) => p === '..' || p === '.') || key.length > 512) {
    throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
  }
}
