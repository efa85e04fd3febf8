// The video record as every room sees it. The database row (db/) and the wire object (api/)
// are both mapped from this shape; the row owns status, progress and output keys.

export const VIDEO_STATUSES = ['queued', 'in_progress', 'completed', 'failed'] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

export const TERMINAL_STATUSES: readonly VideoStatus[] = ['completed', 'failed'];

export function isTerminal(status: VideoStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export interface VideoError {
  code: string;
  /** What the owner reads: never a secret, a server path or a tool's raw output. */
  message: string;
  /**
   * For operators only (admins see it on the wire; the owner never does): the provider's or the
   * tool's own words, with every known secret redacted. Absent when the message says it all.
   */
  detail?: string | null;
}

export interface VideoOutput {
  videoKey: string;
  thumbnailKey: string;
  spritesheetKey: string;
  bytes: number;
  sha256: string;
}

/** The signature on a completed video's MP4: when, the AI-training licence it carries, whose plan's watermark is on the frames. */
export interface VideoProvenance {
  signedAt: number;
  training: 'allowed' | 'not-allowed';
  watermarkPlan: string | null;
  /** The author's public handle the manifest names (null: none chosen yet; absent on older rows). */
  authorHandle?: string | null;
}

/** What the client asked for, after validation against the model card. */
/**
 * An uploaded clip used as the source of an extension or edit (issue 15 §1–2), as read by ffprobe
 * when it was taken. `seconds` is its length counted in whole seconds (a video's `seconds` is a whole
 * number, as on OpenAI's wire); every frame is kept, so the file lasts `durationSeconds`.
 */
export interface SourceFile {
  /** The copy in storage (inputs/<video id>/source.mp4): deleting the uploaded file never breaks the video. */
  key: string;
  /** The /v1/files file it was copied from, or null for a clip uploaded with the request. */
  fileId: string | null;
  filename: string;
  sha256: string;
  bytes: number;
  durationSeconds: number;
  seconds: number;
  width: number;
  height: number;
  fps: number;
}

/** A video's stored inputs (reference image, last frame, uploaded source clip): removed with it. */
export function inputKeysOf(v: Pick<Video, 'inputReferenceKey' | 'lastFrameKey' | 'sourceFile'>): string[] {
  return [v.inputReferenceKey, v.lastFrameKey, v.sourceFile?.key].filter((k): k is string => !!k);
}

export interface VideoParams {
  model: string;
  prompt: string;
  seconds: number;
  width: number;
  height: number;
  fps: number;
  seed: number;
}

/** How a video came to be: made from a prompt, or from another video (issue 15: extensions and edits). */
export const VIDEO_KINDS = ['generation', 'remix', 'extension', 'edit'] as const;
export type VideoKind = (typeof VIDEO_KINDS)[number];

/** Rows and fixtures from before 0018 have no kind: a remix is known by its parent. */
export function kindOf(v: Pick<Video, 'kind' | 'remixedFromVideoId'>): VideoKind {
  return v.kind ?? (v.remixedFromVideoId ? 'remix' : 'generation');
}

/** The video this one was made from (a remix's parent, an extension's or edit's source), or null. */
export function parentIdOf(v: Pick<Video, 'remixedFromVideoId' | 'sourceVideoId'>): string | null {
  return v.remixedFromVideoId ?? v.sourceVideoId ?? null;
}

export interface Video extends VideoParams {
  id: string;
  /** The user who made it; only they see it (accounts) — LOCAL_USER_ID in local mode. */
  ownerId: string;
  engine: string;
  status: VideoStatus;
  /** 0-100, never decreasing while a job runs. */
  progress: number;
  inputReferenceKey: string | null;
  /** The stored `last_frame` image (issue 15 §5), for models whose card takes one; optional in the type so older fixtures stay valid. */
  lastFrameKey?: string | null;
  remixedFromVideoId: string | null;
  /** Optional in the type only so older fixtures stay valid (see kindOf); rows always carry it (0018). */
  kind?: VideoKind;
  /**
   * The video an extension or edit was made from: an extension is its source's frames followed by
   * new ones, so `seconds` is the stitched total (as OpenAI has it). Null otherwise.
   */
  sourceVideoId?: string | null;
  /**
   * The uploaded MP4 an extension or edit was made from (`video` as a file upload or `{file_id}`),
   * copied under the video's own inputs; null or absent when its source is a video here.
   */
  sourceFile?: SourceFile | null;
  error: VideoError | null;
  /** What the engine understood (e.g. the sketch engine's scene plan), as plain JSON; null if none. */
  plan: unknown;
  /** Set in the same write that marks a remote job submitted, so a restart never submits twice. */
  providerJobId: string | null;
  /**
   * The model the provider job was submitted to: `model` itself, or the operator's fallback that
   * made it (then `engine` names the fallback's engine). Null until submitted, and for local engines.
   * Optional in the type only so fixtures that predate it stay valid; rows always carry it.
   */
  madeByModel?: string | null;
  /** What the provider job cost by its card's price, in micro-dollars; null when nothing was paid. */
  costUsdMicros?: number | null;
  output: VideoOutput | null;
  /** What to keep out of the video, for models whose card has `negativePrompt`; else null. */
  negativePrompt: string | null;
  /** Kept in the studio's favourites (a studio flag; the OpenAI wire does not show it). */
  favorite: boolean;
  /**
   * What the stored MP4's C2PA manifest was signed with (provenance/); null for files made before
   * signing existed. Optional in the type so older fixtures stay valid.
   */
  provenance?: VideoProvenance | null;
  /** Milliseconds since the epoch; the wire shows seconds. */
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  expiresAt: number | null;
  updatedAt: number;
}

export function sizeString(v: { width: number; height: number }): string {
  return `${v.width}x${v.height}`;
}

export function parseSize(size: string): { width: number; height: number } | null {
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  if (!m) return null;
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Seeds are unsigned 32-bit integers: every engine we drive accepts that range. */
export const MAX_SEED = 4294967295;

/**
 * Where one run of a video's job writes its files. Each run has its own folder, so a stale run
 * (a worker that lost its lease) can never overwrite or delete the files of the run that won.
 */
export function outputKeys(videoId: string, run: string): { videoKey: string; thumbnailKey: string; spritesheetKey: string } {
  const dir = `videos/${videoId}/${run}`;
  return { videoKey: `${dir}/video.mp4`, thumbnailKey: `${dir}/thumbnail.webp`, spritesheetKey: `${dir}/spritesheet.jpg` };
}
