// Batches as the /api wire shows them (Unix seconds, snake_case), and a preview of a list.
import type { Principal } from '../domain/account.js';
import type { BatchItem } from '../domain/batch.js';
import type { BatchPreview, BatchView } from './batch.service.js';
import { wireVideo, type WireVideo } from './video.wire.js';

const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

export interface WireBatch {
  id: string;
  object: 'batch';
  name: string | null;
  format: string;
  status: string;
  progress: number;
  requested: number;
  skipped: number;
  total: number;
  counts: Record<string, number>;
  created_at: number;
  cancelled_at: number | null;
  videos?: WireBatchItem[];
}

export interface WireBatchItem {
  position: number;
  line: number;
  variation: number;
  video_id: string;
  video: WireVideo | null;
}

export function wireBatch(v: BatchView, items?: BatchItem[], viewer?: Principal): WireBatch {
  return {
    id: v.batch.id,
    object: 'batch',
    name: v.batch.name,
    format: v.batch.format,
    status: v.status,
    progress: v.progress,
    requested: v.batch.requested,
    skipped: v.batch.skipped,
    total: v.total,
    counts: v.counts,
    created_at: seconds(v.batch.createdAt)!,
    cancelled_at: seconds(v.batch.cancelledAt),
    ...(items ? {
      videos: items.map((i) => ({ position: i.position, line: i.line, variation: i.variation, video_id: i.videoId, video: i.video ? wireVideo(i.video, { viewer }) : null })),
    } : {}),
  };
}

/** What the studio shows before "Start": the rows as they will be made, the bad lines, and what the plan takes. */
export function wirePreview(p: BatchPreview) {
  return {
    object: 'batch.preview',
    format: p.list.format,
    videos: p.planned.length,
    seconds: p.planned.reduce((s, x) => s + x.draft.video.seconds, 0),
    rows: p.planned.map((x) => ({
      line: x.line, variation: x.variation, prompt: x.draft.video.prompt, model: x.draft.video.model, seconds: x.draft.video.seconds,
      size: `${x.draft.video.width}x${x.draft.video.height}`, fps: x.draft.video.fps, seed: x.seeded ? x.draft.video.seed : null,
    })),
    problems: p.problems.map((x) => ({ line: x.line, message: x.message })),
    fits: p.fit ? p.fit.fits : p.planned.length,
    fit_message: p.fit?.reason ?? null,
  };
}
