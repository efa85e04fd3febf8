// The Engine interface: every way of making a video (the built-in renderer, ComfyUI, cloud APIs)
// sits behind it. An engine turns a validated request into an MP4 file in its work folder; the
// job runner (jobs/generate-video.job.ts) owns everything around that: rows, retries, storage.
import type { ModelCard } from '../domain/model-card.js';
import type { VideoParams } from '../domain/video.js';
import type { RequestShape } from './request-shape.js';

/** What the engine must make: the validated request, plus what the runner prepared for it. */
export interface EngineJob extends VideoParams {
  videoId: string;
  /** What to keep out, for models whose card takes a negative prompt. */
  negativePrompt?: string | null;
  /** A local copy of the uploaded reference image (first frame / backdrop), if any. */
  inputImagePath: string | null;
  /** An edit's source video, copied locally, for engines that re-make a video (video to video). */
  inputVideoPath?: string | null;
  /**
   * A local copy of the `last_frame` image (issue 15 §5), for models whose card has `lastFrame`:
   * the video ends on it. Absent or null: none.
   */
  lastFrameImagePath?: string | null;
  /**
   * An extension by a model that extends natively (card `extendFrom: 'own'`): the source's job id at
   * the same provider, which the provider continues (Luma: keyframes.frame0 {type: 'generation'}).
   * `seconds` is then the new part's length.
   */
  extendsProviderJobId?: string | null;
  /** Set when an earlier attempt already submitted to a remote provider: poll, never resubmit. */
  providerJobId: string | null;
  /**
   * A plan stored with the video for an engine that renders its own plans (sketch): an extension's
   * (the source's plan carried on, rendered from `fromSeconds`, where the source ended) or an
   * edit's (the source's plan changed, rendered whole). When absent the engine plans from the
   * prompt; an extension by another engine gets the source's last frame as `inputImagePath`.
   */
  storedPlan?: { plan: unknown; fromSeconds: number } | null;
  /**
   * Local copies of the looks (PNG stills) of the characters the video is made with (at most 2,
   * `characters: [{id}]`), for engines whose card says `characters: true`. Never given together
   * with `inputImagePath` from an upload: the API refuses that combination.
   */
  characterImages?: string[];
}

export interface EngineContext {
  /** A private folder for this attempt; the runner empties it afterwards. */
  workDir: string;
  /** Fires on cancel, delete or shutdown; engines stop promptly and throw. */
  signal: AbortSignal;
  /** Fraction 0..1 of the engine's own work. */
  reportProgress(fraction: number): void;
  /**
   * Which run of this job this is: the queue's attempt, 1 for the first. A crash, a lost lease or
   * a failure each use one up (a clean release at shutdown does not), so an engine whose backend
   * may hold the job from an earlier run that died before the runner stored its id only needs to
   * look for it there when this is above 1.
   */
  attempt: number;
}

export type SubmitResult =
  /** The engine made the file itself (local engines). */
  | { kind: 'completed'; file: string }
  /** A remote provider accepted the job; the runner stores the id, then calls poll(). */
  | { kind: 'submitted'; providerJobId: string };

export type PollResult =
  /**
   * Still working. `providerJobId` is set when the engine had to submit again (the provider lost
   * the job, e.g. it restarted): the runner stores the new id before polling on.
   */
  | { kind: 'running'; progress?: number; retryAfterMs?: number; providerJobId?: string }
  | { kind: 'completed'; file: string };

/**
 * An engine's health for operators (GET /api/engines, the studio's engines panel), as plain JSON.
 * `kind` says how to read the rest; each engine adds its own fields (ComfyUI: servers with VRAM
 * and queue lengths, templates and their problems; cloud: breaker state, spend). camelCase here;
 * the API sends it snake_cased.
 */
export interface EngineStatus {
  kind: string;
}

/** Failures are thrown as EngineError (domain/errors.ts) with a code and a retryable flag. */
export interface Engine {
  readonly id: string;
  /** Read on every request: an engine may change a card's `available` as its backends come and go. */
  models(): ModelCard[];
  /**
   * Called once before the process serves or works (e.g. to check remote servers and templates);
   * it must not throw for an unreachable backend, only mark its models unavailable.
   */
  start?(): Promise<void>;
  /** Releases sockets and timers at shutdown. */
  stop?(): Promise<void>;
  /**
   * What the engine will make of a request, as plain JSON (the sketch engine's scene plan). Stored
   * with the video so users see what was understood. Engines that only forward a prompt omit it.
   */
  plan?(params: Pick<VideoParams, 'prompt' | 'seconds'>): unknown;
  /**
   * Extensions (issue 15): the source's stored plan carried on for `seconds` more, as `prompt`
   * directs (same world and seed, time moves on), or null when it cannot be continued (then the
   * extension starts from the source's last frame like any engine's).
   */
  continuePlan?(sourcePlan: unknown, params: { prompt: string; seconds: number; sourceSeconds: number }): unknown | null;
  /**
   * Edits (issue 15 §2): the source's stored plan with the change `prompt` describes ("make it
   * night", "add rain"), or null when it cannot read that plan. Only engines that can re-make a
   * video with a change have it.
   */
  editPlan?(sourcePlan: unknown, params: { prompt: string }): unknown | null;
  submit(job: EngineJob, ctx: EngineContext): Promise<SubmitResult>;
  /**
   * For a create whose answer was lost (a run died or was cut off mid-request, so no provider id
   * was stored): the provider's ids of jobs matching this request that it made since `sinceMs`,
   * oldest first, so the runner adopts one instead of paying for the video twice. [] means the
   * provider has none (it never got the create); null means it cannot be asked. Engines whose
   * provider has no way to look a job up omit it.
   */
  findSubmitted?(job: EngineJob, ctx: EngineContext, sinceMs: number): Promise<string[] | null>;
  poll?(job: EngineJob, ctx: EngineContext): Promise<PollResult>;
  cancel?(job: EngineJob): Promise<void>;
  /**
   * A combination the card cannot express but the engine refuses (e.g. 1080p only at 8 s), so the
   * API refuses it before any call and a fallback that cannot make it is skipped.
   */
  requestProblem?(model: string, shape: RequestShape): { message: string; param: string } | null;
  /** Set once the provider says the model no longer exists: new requests are refused. */
  retirement?(model: string): { message: string } | null;
  /** Health and load for operators; must answer quickly and never throw for a backend that is down. */
  status?(): Promise<EngineStatus>;
}
