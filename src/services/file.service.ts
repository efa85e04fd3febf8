// Uploaded files (OpenAI's Files API, /v1/files) as every caller sees them: upload (sniffed, capped,
// counted against the plan), list, read, download, delete; and the one door video creation uses to
// take a file as an input (input_reference {file_id}; the source video of an extension or edit).
// Each user sees only their own files: anyone else's id is answered exactly like one that never existed.
import { open as openFile } from 'node:fs/promises';
import type { Principal } from '../domain/account.js';
import { ApiError, storageFull } from '../domain/errors.js';
import { isFileId, newFileId, sniffFile, type FileKind, type FilePurpose, type SniffedFile, type StoredFile } from '../domain/file.js';
import { describeBytes, describePixels } from '../domain/reference-image.js';
import type { FileRepo } from '../db/file.repo.js';
import type { UserRepo } from '../db/user.repo.js';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.js';
import { checkFileStorage } from './accounts/quota.js';
import type { AuditLog } from './accounts/audit-log.js';
import { readBlob } from './reference-input.js';
import type { VideoContent } from './video-content.js';

export interface FileQuotaRepos {
  users: UserRepo;
  files: FileRepo;
}

export interface FileServiceDeps {
  files: FileRepo;
  storage: BlobStore;
  /** Runs `fn` in one database transaction (the user's lock, the bytes kept, the new row). */
  transact: <T>(fn: (tx: FileQuotaRepos) => Promise<T>) => Promise<T>;
  audit: AuditLog;
  /**
   * Images are held at upload to the caps a reference image is held to at create
   * (uploads.maxBytes, uploads.maxPixels): a file that could never be used is not kept.
   */
  imageLimits: { maxBytes: number; maxPixels: number };
  /** Why the server cannot store more now (its disk is nearly full), or null. */
  storageProblem?: () => Promise<string | null>;
  log?: (msg: string, extra: Record<string, unknown>) => void;
  now?: () => number;
}

/** An upload as the API received it: streamed to a scratch file, never held in memory whole. */
export interface FileUpload {
  path: string;
  bytes: number;
  filename: string;
  purpose: FilePurpose;
  /** expires_after.seconds, or null to keep it until deleted. */
  expiresAfterSeconds: number | null;
}

// Enough for every PNG, WebP and MP4 header and for nearly every JPEG; a JPEG whose frame header
// sits further in (large EXIF or ICC segments) is read whole, within the image cap.
const HEAD_BYTES = 256 * 1024;

export class FileService {
  private readonly now: () => number;

  constructor(private readonly deps: FileServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async upload(who: Principal, up: FileUpload): Promise<StoredFile> {
    if (up.bytes === 0) throw ApiError.badRequest("'file' is empty.", 'file', 'empty_file');
    const sniffed = await this.sniff(up);
    if (await this.deps.storageProblem?.()) throw storageFull();
    const plan = who.plan;
    // A quick refusal before the bytes travel to the store; the one that counts is under the lock below.
    if (plan) checkFileStorage(plan, await this.deps.files.bytesOf(who.userId, this.now()), up.bytes);
    const id = newFileId();
    const blobKey = `files/${id}`;
    const put = await this.deps.storage.put(blobKey, { file: up.path });
    const now = this.now();
    const file: StoredFile = {
      id, ownerId: who.userId, filename: up.filename, purpose: up.purpose, kind: sniffed.kind, contentType: sniffed.contentType,
      bytes: put.bytes, sha256: put.sha256, width: sniffed.width, height: sniffed.height, blobKey, createdAt: now,
      expiresAt: up.expiresAfterSeconds === null ? null : now + up.expiresAfterSeconds * 1000,
    };
    try {
      await this.deps.transact(async (tx) => {
        await tx.users.lock(who.userId);
        if (plan) checkFileStorage(plan, await tx.files.bytesOf(who.userId, now), file.bytes);
        await tx.files.insert(file);
      });
    } catch (err) {
      // No row will ever point at it: remove it now (a crash here leaves an orphan under files/, never a broken row).
      await this.deps.storage.delete(blobKey).catch(() => {});
      throw err;
    }
    await this.deps.audit.record({ actor: who.via === 'local' ? null : who, action: 'file.create', target: { type: 'file', id }, details: { bytes: file.bytes, kind: file.kind, purpose: file.purpose } });
    return file;
  }

  /** What the bytes are, whatever the name says; images held to the reference caps. */
  private async sniff(up: FileUpload): Promise<SniffedFile> {
    const refuseType = () => new ApiError(400, `'file' (${up.filename.slice(0, 80)}) is not a PNG, JPEG or WebP image or an MP4 video; this server keeps only files videos are made from, and judges them by their bytes, not their name.`, { param: 'file', code: 'unsupported_file_type' });
    let head = await readHead(up.path, Math.min(up.bytes, HEAD_BYTES));
    let sniffed = sniffFile(head);
    const jpegStart = head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
    if (!sniffed && jpegStart && up.bytes > head.length && up.bytes <= this.deps.imageLimits.maxBytes) {
      head = await readHead(up.path, up.bytes);
      sniffed = sniffFile(head);
    }
    if (!sniffed) throw refuseType();
    if (sniffed.kind === 'image') {
      const { maxBytes, maxPixels } = this.deps.imageLimits;
      if (up.bytes > maxBytes) {
        throw new ApiError(413, `This image is ${describeBytes(up.bytes)}; this server takes images of at most ${describeBytes(maxBytes, 'down')} (the cap on a reference image). Scale it down and upload it again.`, { param: 'file', code: 'file_too_large' });
      }
      const w = sniffed.width!, h = sniffed.height!;
      if (w < 16 || h < 16 || w > 8192 || h > 8192 || w * h > maxPixels) {
        throw ApiError.badRequest(`This image is ${w}x${h}; images must be 16 to 8192 pixels on each side and at most ${describePixels(maxPixels)}.`, 'file', 'image_too_large');
      }
    }
    return sniffed;
  }

  /** A live file of the caller's; anyone else's is a 404, exactly like one that does not exist. */
  async get(who: Principal, id: string): Promise<StoredFile> {
    const file = isFileId(id) ? await this.deps.files.get(id, this.now()) : null;
    if (!file || file.ownerId !== who.userId) throw ApiError.notFound(`No such File object: ${id.slice(0, 80)}`, 'file_id');
    return file;
  }

  async list(who: Principal, opts: { after?: string; limit?: number; order?: 'asc' | 'desc'; purpose?: string }): Promise<{ data: StoredFile[]; hasMore: boolean }> {
    return this.deps.files.list({ ownerId: who.userId, after: opts.after, limit: opts.limit ?? 10_000, order: opts.order ?? 'desc', purpose: opts.purpose, now: this.now() });
  }

  async content(who: Principal, id: string): Promise<VideoContent> {
    const file = await this.get(who, id);
    const stat = await this.deps.storage.stat(file.blobKey);
    const missing = () => new ApiError(500, `The bytes of file ${file.id} are missing from storage.`, { code: 'content_missing' });
    if (!stat) throw (await this.deps.files.get(file.id, this.now())) ? missing() : ApiError.notFound(`No such File object: ${id}`, 'file_id');
    const { storage } = this.deps;
    // The name goes into Content-Disposition as typed: only printable ASCII survives a header.
    return {
      contentType: file.contentType, bytes: stat.bytes, etag: `"${file.sha256}"`, modifiedAt: stat.modifiedAt, filename: file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_'), key: file.blobKey,
      open: async (range) => {
        try {
          return await storage.get(file.blobKey, range);
        } catch (err) {
          if (err instanceof BlobNotFoundError) throw ApiError.notFound(`No such File object: ${id}`, 'file_id');
          throw err;
        }
      },
    };
  }

  /**
   * The row becomes a tombstone (gone for every read at once), then the blob is removed and the
   * row with it. A store that refuses leaves the tombstone for sweep(): never a row without its
   * bytes, never bytes without a row to find them by. Videos made from the file keep their own copy.
   */
  async delete(who: Principal, id: string): Promise<StoredFile> {
    const file = await this.get(who, id);
    const gone = await this.deps.files.markDeleted(file.id, this.now());
    if (!gone) throw ApiError.notFound(`No such File object: ${id}`, 'file_id');
    await this.deps.audit.record({ actor: who.via === 'local' ? null : who, action: 'file.delete', target: { type: 'file', id: file.id }, details: { bytes: file.bytes } });
    await this.removeBlob(gone);
    return gone;
  }

  /** Expired files become tombstones; tombstones whose blobs could not be removed are tried again. */
  async sweep(batch = 100): Promise<{ removed: number; left: number }> {
    await this.deps.files.markExpired(this.now());
    let removed = 0;
    let left = 0;
    for (const f of await this.deps.files.listDeleted(batch)) {
      if (await this.removeBlob(f)) removed++;
      else left++;
    }
    return { removed, left };
  }

  private async removeBlob(file: StoredFile): Promise<boolean> {
    try {
      await this.deps.storage.delete(file.blobKey);
    } catch (err) {
      this.deps.log?.('could not remove a deleted file\'s bytes; the sweeper will try again', { fileId: file.id, err: String(err) });
      return false;
    }
    await this.deps.files.purge(file.id);
    return true;
  }

  /**
   * A file the caller named as an input of a new video (`param`, e.g. 'input_reference.file_id'):
   * theirs, live and of the kind the input takes, else a 400 naming the field (an unknown id and
   * someone else's read the same). The video copies what it uses (bytes()), so deleting the file
   * later never breaks it.
   */
  async input(who: Principal, id: unknown, param: string, kind: FileKind): Promise<StoredFile> {
    if (typeof id !== 'string' || id.length === 0) throw new ApiError(400, `Invalid type for '${param}': expected a file id ('file-…').`, { param, code: 'invalid_type' });
    const file = isFileId(id) ? await this.deps.files.get(id, this.now()) : null;
    if (!file || file.ownerId !== who.userId) {
      throw new ApiError(400, `No such File object: ${id.slice(0, 80)} ('${param}'). Upload it first with POST /v1/files; files are visible only to their owner.`, { param, code: 'file_not_found' });
    }
    if (file.kind !== kind) {
      const what = file.kind === 'image' ? `an image (${file.contentType})` : 'an MP4 video';
      throw ApiError.badRequest(`'${param}' names ${file.id}, which is ${what}; this input takes ${kind === 'image' ? 'an image (PNG, JPEG or WebP)' : 'an MP4 video'}.`, param, 'unsupported_file_type');
    }
    return file;
  }

  /** An input file's bytes (images: within the reference cap, so in memory). */
  async bytes(file: StoredFile, param: string): Promise<Buffer> {
    try {
      return await readBlob(await this.deps.storage.get(file.blobKey));
    } catch (err) {
      if (err instanceof BlobNotFoundError) throw new ApiError(400, `No such File object: ${file.id} ('${param}').`, { param, code: 'file_not_found' });
      throw err;
    }
  }
}

/** The first `n` bytes of a file (what sniffing reads). */
export async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await openFile(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
