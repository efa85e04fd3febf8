// What a cloud adapter is (runway/, luma/, …): its provider's wire format and nothing else. The
// CloudEngine (cloud-engine.ts) turns one into an Engine, with everything the adapters share.
import type { EngineError } from '../../domain/errors.js';
import type { ModelCard } from '../../domain/model-card.js';
import type { EngineJob } from '../engine.js';
import type { RequestShape } from '../request-shape.js';
import type { CatalogueEntry } from './catalogue.js';
import type { CloudHttp, ProviderAnswer, ProviderFault } from './http-client.js';

/** Fetches a result file to disk; app/ provides one that refuses private addresses (SSRF). */
export type Downloader = (url: string, file: string, opts: {
  headers?: Record<string, string>;
  signal: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  /** Origins the operator configured (the API base): these may be on a private network. */
  trustedOrigins: string[];
}) => Promise<{ ok: true; bytes: number } | { ok: false; status: number | null; message: string }>;

export interface InputImage {
  base64: string;
  mimeType: string;
  dataUrl: string;
}

/** What an adapter gets for one call: the shared client, the job, its card, and its image if any. */
export interface AdapterCall<P = unknown> {
  http: CloudHttp;
  signal: AbortSignal;
  job: EngineJob;
  card: ModelCard;
  entry: CatalogueEntry<P>;
  image(): Promise<InputImage | null>;
  /** The looks of the video's characters (EngineJob.characterImages), for adapters whose cards take characters. */
  characterImages(): Promise<InputImage[]>;
  /** The `last_frame` image (job.lastFrameImagePath), for models whose card has `lastFrame`. */
  lastFrame(): Promise<InputImage | null>;
}

export type CheckResult =
  | { state: 'running'; progress?: number }
  | { state: 'succeeded'; url: string; /** Send the API credentials with the download (same origin only). */ authenticated?: boolean }
  | { state: 'failed'; error: EngineError };

export interface CloudAdapter<P = unknown> {
  readonly id: string;
  readonly label: string;
  readonly keyName: string;
  readonly defaultBaseUrl: string;
  /** The provider asks not to be polled faster than this. */
  readonly minPollMs?: number;
  /** Statuses after which the provider's docs say a create was not processed (besides 429). */
  readonly createRetryStatuses?: readonly number[];
  /** The create URL names the model (Replicate, fal): a 404 on a create means the model is gone. */
  readonly modelInCreatePath?: boolean;
  authHeaders(): Record<string, string>;
  secrets(): readonly string[];
  classify(answer: ProviderAnswer): ProviderFault | null;
  catalogue(): CatalogueEntry<P>[];
  /** Models the provider is known to have shut down, with the reason (e.g. OpenAI's Sora API). */
  knownRetirements?(): Record<string, string>;
  /** A combination the card cannot express (e.g. 1080p only at 8 s), refused before any call. */
  requestProblem?(entry: CatalogueEntry<P>, req: RequestShape): { message: string; param: string } | null;
  /** Reads the provider's model list, if it has one (must not throw: mark models unavailable instead). */
  start?(http: CloudHttp): Promise<void>;
  stop?(): Promise<void>;
  create(call: AdapterCall<P>): Promise<string>;
  /**
   * Jobs the provider made since `sinceMs` that match this call's request, oldest first, from a
   * lookup its docs show (a list of recent jobs, a query by our own reference); null when this
   * provider (or this upstream) offers none. See Engine.findSubmitted.
   */
  findCreated?(call: AdapterCall<P>, sinceMs: number): Promise<string[] | null>;
  check(providerJobId: string, call: AdapterCall<P>): Promise<CheckResult>;
  cancel?(providerJobId: string, call: AdapterCall<P>): Promise<void>;
}
