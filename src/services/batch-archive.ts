// A batch as one zip: manifest.csv (the parameters of every video of the batch, finished or not)
// and each completed MP4. Written by yazl as it is read: one video's file is open at a time, so a
// 500-video batch costs the same memory as a one-video batch. MP4s are stored, not deflated (they
// are compressed already; deflating would spend CPU to gain nothing).
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { batchFileName, type BatchItem } from '../domain/batch.js';
import { csvLine } from '../domain/csv.js';
import type { BlobStore } from '../storage/blob-store.js';

export const MANIFEST_COLUMNS = ['file', 'video_id', 'line', 'prompt', 'model', 'seconds', 'size', 'fps', 'seed', 'status', 'error'] as const;

/** The file name each completed video gets in the zip (null: not in it). */
export function archiveName(item: BatchItem, total: number): string | null {
  const v = item.video;
  return v?.status === 'completed' && v.output ? batchFileName(item.position, total, v.prompt, v.id) : null;
}

export function manifestCsv(items: BatchItem[]): string {
  let csv = csvLine([...MANIFEST_COLUMNS]);
  for (const item of items) {
    const v = item.video;
    csv += csvLine(v
      ? [archiveName(item, items.length), v.id, item.line, v.prompt, v.model, v.seconds, `${v.width}x${v.height}`, v.fps, v.seed, v.status, v.error?.message ?? null]
      : [null, item.videoId, item.line, null, null, null, null, null, null, 'deleted', null]);
  }
  // A BOM, so spreadsheet programs read the prompts' accents as UTF-8 (the batch parser drops it).
  return `\uFEFF${csv}`;
}

export function batchArchive(items: BatchItem[], storage: BlobStore): Readable {
  const zip = new ZipFile();
  const out = zip.outputStream as unknown as Readable;
  // A file gone from storage mid-way cannot change the status already sent: the download is cut
  // short (the client sees an incomplete zip), never a zip silently missing a video.
  zip.on('error', (err: Error) => out.destroy(err));
  zip.addBuffer(Buffer.from(manifestCsv(items), 'utf8'), 'manifest.csv', { mtime: new Date() });
  for (const item of items) {
    const name = archiveName(item, items.length);
    const v = item.video;
    if (!name || !v?.output) continue;
    const key = v.output.videoKey;
    zip.addReadStreamLazy(name, { compress: false, mtime: new Date(v.completedAt ?? v.updatedAt) }, (cb) => {
      storage.get(key).then((s) => cb(null, s), (err) => cb(err, undefined as never));
    });
  }
  zip.end();
  return out;
}
