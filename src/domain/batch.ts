// A batch: many videos made from one prompt list, followed, cancelled and downloaded as one.
// The batch owns only its membership (which videos, in which order, from which line); each video
// row still owns its own status, so a batch's state is always read from its videos:
//
//   in_progress ──(no video queued or running)──▶ completed   (some may have failed: see counts)
//        └──────────────cancel──────────────────▶ cancelled   (the unfinished ones failed 'cancelled')
import { randomBytes } from 'node:crypto';
import type { Video, VideoStatus } from './video.js';

const BATCH_ID = /^batch_[0-9a-f]{32}$/;

export function newBatchId(): string {
  return `batch_${randomBytes(16).toString('hex')}`;
}

export function isBatchId(value: string): boolean {
  return BATCH_ID.test(value);
}

export type BatchStatus = 'in_progress' | 'completed' | 'cancelled';

export interface Batch {
  id: string;
  ownerId: string;
  /** The list's file name, or what the caller called it; null when neither was given. */
  name: string | null;
  format: string;
  /** Videos the list asked for (variations counted). */
  requested: number;
  /** Videos left out because the plan's allowance did not cover them (`allow_partial`). */
  skipped: number;
  createdAt: number;
  cancelledAt: number | null;
  updatedAt: number;
}

/** One video of a batch: where it came from in the list. `video` is null once the video was deleted. */
export interface BatchItem {
  position: number;
  line: number;
  variation: number;
  videoId: string;
  video: Video | null;
}

export type BatchCounts = Record<VideoStatus | 'deleted', number>;

export function countItems(items: Array<{ status: VideoStatus | null }>): BatchCounts {
  const counts: BatchCounts = { queued: 0, in_progress: 0, completed: 0, failed: 0, deleted: 0 };
  for (const i of items) counts[i.status ?? 'deleted']++;
  return counts;
}

export function batchStatus(batch: Pick<Batch, 'cancelledAt'>, counts: BatchCounts): BatchStatus {
  if (counts.queued + counts.in_progress > 0) return 'in_progress';
  return batch.cancelledAt !== null ? 'cancelled' : 'completed';
}

/**
 * The batch's progress, 0–100: each video weighs the same, finished ones (completed or failed)
 * count in full, so it reaches 100 exactly when nothing is left to run.
 */
export function batchProgress(items: Array<{ status: VideoStatus | null; progress: number }>): number {
  if (items.length === 0) return 100;
  const sum = items.reduce((s, i) => s + (i.status === null || i.status === 'completed' || i.status === 'failed' ? 100 : i.progress), 0);
  return Math.floor(sum / items.length);
}

/** A file name inside the batch's zip: its place in the batch, then the first words of its prompt. */
export function batchFileName(position: number, total: number, prompt: string, videoId: string): string {
  const width = Math.max(3, String(total).length);
  const slug = prompt.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').split('-').slice(0, 6).join('-');
  return `${String(position).padStart(width, '0')}-${slug || 'video'}-${videoId.slice(-6)}.mp4`;
}
