// Domain objects as the wire shows them: OpenAI's Video object (all 13 fields, Unix seconds,
// `seconds` as a string) plus our own additions (seed, fps, which engine and model made it, its
// cost), and model cards in snake_case. A failed video's error is OpenAI's {code, message} for
// everyone; operators (the admin scope) also get `detail`, the provider's or tool's own words
// (redacted). Configuration failures (a provider refusing the server's key or billing) read as a
// neutral line to everyone else, whatever the row says (rows written before `detail` existed kept
// the operator's text in the message).
import { isOperator, type Principal } from '../domain/account.js';
import { canEdit, canExtend, canUseCharacters, extendLimitsOf, extendsNatively, supportsLastFrame, type ModelCard } from '../domain/model-card.js';
import { kindOf, sizeString, type Video, type VideoError, type VideoKind } from '../domain/video.js';

const toSeconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

/** Who is looking; without one the wire assumes a non-admin (the safe default). */
export type Viewer = Pick<Principal, 'scopes'>;

const OPERATOR_ONLY = new Set(['engine_misconfigured']);
const NEUTRAL = 'The video could not be made because of a problem with this server\'s engine configuration. The operator can see the details; try another model meanwhile.';

export interface WireError {
  code: string;
  message: string;
  /** Operators only, and only when the row has one. */
  detail?: string;
}

export function wireError(error: VideoError | null, viewer?: Viewer): WireError | null {
  if (!error) return null;
  const operator = viewer !== undefined && isOperator(viewer);
  if (!operator) return { code: error.code, message: OPERATOR_ONLY.has(error.code) ? NEUTRAL : error.message };
  return error.detail ? { code: error.code, message: error.message, detail: error.detail } : { code: error.code, message: error.message };
}

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
  /** How it was made: 'generation', 'remix', 'extension' or 'edit' (a Méliès addition). */
  kind: VideoKind;
  /** The video an extension (or edit) was made from, if any; OpenAI's field covers remixes only. */
  source_video_id: string | null;
  /** The uploaded MP4 an extension or edit was made from, if any (a Méliès addition). */
  source_file: { file_id: string | null; filename: string; sha256: string; duration_seconds: number; size: string; fps: number } | null;
  error: WireError | null;
  seed: number;
  fps: number;
  /** The engine that made (or is making) it: the model's own, or an operator fallback's. */
  engine: string;
  /** The model the provider job went to, when it is not `model` (a fallback made it); else null. */
  made_by_model: string | null;
  /** What the provider job cost by its card's price, in USD; null when nothing was paid. */
  cost_usd: number | null;
  queue_position?: number | null;
  /** What the engine understood (the sketch engine's scene plan); single-video responses only. */
  plan?: unknown;
}

export function wireVideo(v: Video, extra: { queuePosition?: number | null; plan?: boolean; viewer?: Viewer } = {}): WireVideo {
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
    kind: kindOf(v),
    source_video_id: v.sourceVideoId ?? null,
    source_file: v.sourceFile
      ? { file_id: v.sourceFile.fileId, filename: v.sourceFile.filename, sha256: v.sourceFile.sha256, duration_seconds: v.sourceFile.durationSeconds, size: sizeString(v.sourceFile), fps: v.sourceFile.fps }
      : null,
    error: wireError(v.error, extra.viewer),
    seed: v.seed,
    fps: v.fps,
    engine: v.engine,
    made_by_model: v.madeByModel && v.madeByModel !== v.model ? v.madeByModel : null,
    cost_usd: v.costUsdMicros ? v.costUsdMicros / 1e6 : null,
    ...(extra.queuePosition !== undefined ? { queue_position: extra.queuePosition } : {}),
    ...(extra.plan ? { plan: v.plan } : {}),
  };
}

/** The studio's view of a video: the OpenAI object plus the fields only the studio shows. */
export function studioVideo(v: Video, extra: { plan?: boolean; viewer?: Viewer } = {}) {
  return {
    ...wireVideo(v, { plan: extra.plan, viewer: extra.viewer }),
    favorite: v.favorite,
    negative_prompt: v.negativePrompt,
    has_input_reference: v.inputReferenceKey !== null,
    has_last_frame: Boolean(v.lastFrameKey),
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
    /** What a reference image may be (types, bytes, sides, pixels, aspect); null when the model takes none. */
    image_input: c.imageInput && c.inputs.includes('image')
      ? {
        types: c.imageInput.types,
        max_bytes: c.imageInput.maxBytes ?? null,
        min_side: c.imageInput.minSide ?? null,
        max_side: c.imageInput.maxSide ?? null,
        max_pixels: c.imageInput.maxPixels ?? null,
        min_aspect: c.imageInput.minAspect ?? null,
        max_aspect: c.imageInput.maxAspect ?? null,
        match_video_size: c.imageInput.matchVideoSize ?? false,
      }
      : null,
    seed: c.seed,
    remix: c.remix,
    audio: c.audio,
    negative_prompt: c.negativePrompt,
    extend: canExtend(c),
    extend_native: extendsNatively(c),
    extend_limits: canExtend(c) ? { max_extensions: extendLimitsOf(c).maxExtensions, max_total_seconds: extendLimitsOf(c).maxTotalSeconds } : null,
    edit: canEdit(c),
    characters: canUseCharacters(c),
    last_frame: supportsLastFrame(c),
    price_per_second_usd: c.pricePerSecondUsd ?? null,
    available: c.available,
  };
}
