// Batches in the studio: the wire shapes of /api/batches, and the words the Batch panel shows.

export interface BatchCounts { queued: number; in_progress: number; completed: number; failed: number; deleted: number }

export interface Batch {
  id: string;
  object: 'batch';
  name: string | null;
  format: 'text' | 'csv' | 'jsonl';
  status: 'in_progress' | 'completed' | 'cancelled';
  progress: number;
  requested: number;
  skipped: number;
  total: number;
  counts: BatchCounts;
  created_at: number;
  cancelled_at: number | null;
}

export interface BatchPreviewRow { line: number; variation: number; prompt: string; model: string; seconds: number; size: string; fps: number; seed: number | null }

export interface BatchPreview {
  object: 'batch.preview';
  format: 'text' | 'csv' | 'jsonl';
  videos: number;
  seconds: number;
  rows: BatchPreviewRow[];
  problems: Array<{ line: number; message: string }>;
  fits: number;
  fit_message: string | null;
}

/** "3 of 5 done · 1 rendering · 1 failed": what a screen reader announces as the batch moves. */
export function countsText(b: Pick<Batch, 'counts' | 'total'>): string {
  const c = b.counts;
  const parts = [`${c.completed} of ${b.total} done`];
  if (c.in_progress) parts.push(`${c.in_progress} rendering`);
  if (c.queued) parts.push(`${c.queued} waiting`);
  if (c.failed) parts.push(`${c.failed} failed or cancelled`);
  return parts.join(' · ');
}

/** What the Start button may do with a checked list: nothing, all of it, or the part that fits. */
export function startChoice(p: BatchPreview): 'blocked' | 'all' | 'partial' {
  if (p.problems.length > 0 || p.videos === 0 || p.fits === 0) return 'blocked';
  return p.fits < p.videos ? 'partial' : 'all';
}
