// Domain objects as the wire shows them: OpenAI's Video object (all 13 fields, Unix seconds,
// `seconds` as a string) plus our own additions (seed, fps), and model cards in snake_case.
import type { ModelCard } from '../domain/model-card.js';
import { sizeString, type Video } from '../domain/video.js';

const toSeconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

export interface WireVideo {
  id: string;
  object: 'video';
  model: string;
  status: Video['status'];
  progress: number;
  created_at: number;
  completed_at: number | null;
  expires_at: number | null;
  prompt: string;
  size: string;
  seconds: string;
  remixed_from_video_id: string | null;
  error: { code: string; message: string } | null;
  seed: number;
  fps: number;
  queue_position?: number | null;
  /** What the engine understood (the sketch engine's scene plan); single-video responses only. */
  plan?: unknown;
}

export function wireVideo(v: Video, extra: { queuePosition?: number | null; plan?: boolean } = {}): WireVideo {
  return {
    id: v.id,
    object: 'video',
    model: v.model,
    status: v.status,
    progress: v.progress,
    created_at: toSeconds(v.createdAt)!,
    completed_at: v.status === 'completed' ? toSeconds(v.completedAt) : null,
    expires_at: toSeconds(v.expiresAt),
    prompt: v.prompt,
    size: sizeString(v),
    seconds: String(v.seconds),
    remixed_from_video_id: v.remixedFromVideoId,
    error: v.error,
    seed: v.seed,
    fps: v.fps,
    ...(extra.queuePosition !== undefined ? { queue_position: extra.queuePosition } : {}),
    ...(extra.plan ? { plan: v.plan } : {}),
  };
}

/** The studio's view of a video: the OpenAI object plus the fields only the studio shows. */
export function studioVideo(v: Video, extra: { plan?: boolean } = {}) {
  return {
    ...wireVideo(v, { plan: extra.plan }),
    engine: v.engine,
    favorite: v.favorite,
    negative_prompt: v.negativePrompt,
    has_input_reference: v.inputReferenceKey !== null,
    started_at: toSeconds(v.startedAt),
    finished_at: v.status === 'failed' ? toSeconds(v.completedAt) : null,
  };
}

const startedAt = Math.floor(Date.now() / 1000);

export function wireModel(c: ModelCard) {
  return {
    id: c.id,
    object: 'model' as const,
    created: startedAt,
    owned_by: c.engine,
    label: c.label,
    description: c.description,
    kind: c.kind,
    seconds: Array.isArray(c.seconds) ? c.seconds : { min: c.seconds.min, max: c.seconds.max, step: c.seconds.step },
    default_seconds: c.defaultSeconds,
    sizes: c.sizes,
    default_size: c.defaultSize,
    size_range: c.sizeRange
      ? { min_width: c.sizeRange.minWidth, max_width: c.sizeRange.maxWidth, min_height: c.sizeRange.minHeight, max_height: c.sizeRange.maxHeight, max_pixels: c.sizeRange.maxPixels, multiple_of: c.sizeRange.multipleOf }
      : null,
    fps: c.fps,
    default_fps: c.defaultFps,
    inputs: c.inputs,
    seed: c.seed,
    remix: c.remix,
    audio: c.audio,
    negative_prompt: c.negativePrompt,
    price_per_second_usd: c.pricePerSecondUsd ?? null,
    available: c.available,
  };
}
