// The Engine every cloud adapter becomes. An adapter (runway/, luma/, …; its contract is in
// cloud-adapter.ts) only knows its provider's wire format: how to create a job, read its state,
// find the result, and what its errors mean. Everything else is here, once: the HTTP client with
// retries and the circuit breaker, per-engine concurrency, the submit/poll split, progress, prompt
// download of the result (provider URLs expire; an expired one is fetched fresh), conforming the
// file to the card, retired models, and the engine's health for operators.
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { EngineError } from '../../domain/errors.js';
import type { ModelCard } from '../../domain/model-card.js';
import type { MediaBinaries } from '../../media/binaries.js';
import type { Engine, EngineContext, EngineJob, PollResult, SubmitResult } from '../engine.js';
import type { RequestShape } from '../request-shape.js';
import { abortableSleep } from '../../domain/abortable-sleep.js';
import { backoffDelay } from './backoff.js';
import { publishCard, type CatalogueEntry, type PriceInfo, type PriceOverrides } from './catalogue.js';
import { CircuitBreaker, type BreakerSnapshot } from './circuit-breaker.js';
import { ModelRetired, ProviderUnavailable, redact, scrubError } from './errors.js';
import { RetiredModels, type Retirement } from './retired-models.js';
import { CloudHttp, type RetrySettings } from './http-client.js';
import { JobSlots } from './job-slots.js';
import { conformToRequest } from './output-file.js';
import type { Coordination } from '../../coordination/coordination.js';
import { MemoryCoordination } from '../../coordination/memory/memory.coordination.js';
import type { AdapterCall, CheckResult, CloudAdapter, Downloader, InputImage } from './cloud-adapter.js';

export interface CloudEngineSettings {
  baseUrl?: string;
  pollIntervalMs: number;
  concurrency: number;
  dailyCapUsd: number | null;
  prices: PriceOverrides;
  breaker: { failureThreshold: number; cooldownMs: number };
  retry: RetrySettings;
  requestTimeoutMs: number;
  createTimeoutMs: number;
  downloadTimeoutMs: number;
  maxDownloadBytes: number;
}

export interface CloudEngineDeps {
  fetch?: typeof fetch;
  download: Downloader;
  media: MediaBinaries;
  /** Today's spend on this engine from the ledger (db/), for status(). */
  spentTodayMicros?: (engine: string) => Promise<number>;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
  now?: () => number;
  random?: () => number;
  /**
   * Where the circuit breaker, the concurrency slots and the retired models live: this process's
   * memory by default, Redis when several workers must share them (keys are per engine id).
   */
  coordination?: Coordination;
}

export interface CloudEngineStatus {
  kind: 'cloud';
  breaker: BreakerSnapshot;
  inFlight: number;
  concurrency: number;
  spentTodayUsd: number | null;
  dailyCapUsd: number | null;
  retiredModels: string[];
}

/** Recognises cloud engines (the composition root wires their spend caps and workers). */
export function isCloudEngine(e: Engine): e is CloudEngine {
  return e instanceof CloudEngine;
}


// A poll that keeps failing for this long (provider unreachable, circuit open) gives the job back
// to the queue as a failed attempt instead of waiting silently forever.
const MAX_POLL_OUTAGE_MS = 30 * 60_000;

/** The catalogue as published, rebuilt only when the adapter hands out a new catalogue array. */
interface Published {
  source: readonly CatalogueEntry[];
  entries: Map<string, CatalogueEntry>;
  known: Record<string, string>;
  /** Cards built so far (on first ask), dropped when a model is retired. */
  cards: Map<string, { card: ModelCard; price: PriceInfo }>;
}

export class CloudEngine implements Engine {
  readonly id: string;
  readonly http: CloudHttp;
  readonly breaker: CircuitBreaker;
  private readonly slots: JobSlots;
  private readonly retired: RetiredModels;
  private readonly store: Coordination;
  private published: Published | null = null;
  private readonly progress = new Map<string, { first: number; last: number; failingSince: number | null }>();
  private readonly now: () => number;
  private readonly pollMs: number;

  constructor(readonly adapter: CloudAdapter, readonly settings: CloudEngineSettings, private readonly deps: CloudEngineDeps) {
    this.id = adapter.id;
    this.now = deps.now ?? Date.now;
    this.pollMs = Math.max(settings.pollIntervalMs, 0);
    this.store = deps.coordination ?? new MemoryCoordination(this.now);
    this.retired = new RetiredModels({
      engine: this.id, store: this.store, now: this.now, log: deps.log,
      onRetired: (model) => this.published?.cards.delete(model), // its card now says so
    });
    this.breaker = new CircuitBreaker({ ...settings.breaker, now: this.now, coordination: this.store, name: this.id });
    this.slots = new JobSlots(settings.concurrency, Math.max(10 * this.pollMs, 10 * 60_000), { coordination: this.store, name: this.id });
    this.http = new CloudHttp({
      provider: adapter.id, label: adapter.label, keyName: adapter.keyName, baseUrl: settings.baseUrl ?? adapter.defaultBaseUrl,
      fetch: deps.fetch, authHeaders: () => adapter.authHeaders(), secrets: () => adapter.secrets(), retry: settings.retry,
      breaker: this.breaker, requestTimeoutMs: settings.requestTimeoutMs, createTimeoutMs: settings.createTimeoutMs,
      classify: (a) => adapter.classify(a), createRetryStatuses: adapter.createRetryStatuses, modelInCreatePath: adapter.modelInCreatePath, random: deps.random,
    });
  }

  models(): ModelCard[] {
    this.retired.syncSoon();
    return this.view().source.map((e) => this.publish(e).card);
  }

  /** A card's price and where it came from (for the README table and operators). */
  priceOf(model: string): PriceInfo | null {
    const e = this.entry(model);
    return e ? this.publish(e).price : null;
  }

  retirement(model: string): Retirement | null {
    const known = this.view().known[model];
    return this.retired.get(model) ?? (known ? { message: known, since: 0 } : null);
  }

  requestProblem(model: string, req: RequestShape): { message: string; param: string } | null {
    const e = this.entry(model);
    return e && this.adapter.requestProblem ? this.adapter.requestProblem(e, req) : null;
  }

  async start(): Promise<void> {
    await this.adapter.start?.(this.http).catch((err) => this.deps.log?.('warn', 'cloud engine start failed', { engine: this.id, err: this.clean(String(err)) }));
  }

  async stop(): Promise<void> {
    await this.adapter.stop?.();
  }

  async status(): Promise<CloudEngineStatus> {
    await this.retired.sync();
    const spent = this.deps.spentTodayMicros ? await this.deps.spentTodayMicros(this.id).catch(() => null) : null;
    return {
      kind: 'cloud', breaker: await this.breaker.snapshot(), inFlight: await this.slots.inUse().catch(() => 0), concurrency: this.settings.concurrency,
      spentTodayUsd: spent === null ? null : spent / 1e6, dailyCapUsd: this.settings.dailyCapUsd, retiredModels: this.retired.models(),
    };
  }

  /** Removes this adapter's secrets (keys, Kling's current JWT) from provider text. */
  private clean(text: string): string {
    return redact(text, this.adapter.secrets());
  }

  // Everything an adapter raises passes through here: whatever provider text an error carries
  // (its message or its detail), no secret of this adapter leaves the engine in it.
  submit(job: EngineJob, ctx: EngineContext): Promise<SubmitResult> {
    return this.scrubbed(() => this.submitOnce(job, ctx));
  }

  poll(job: EngineJob, ctx: EngineContext): Promise<PollResult> {
    return this.scrubbed(() => this.pollOnce(job, ctx));
  }

  findSubmitted(job: EngineJob, ctx: EngineContext, sinceMs: number): Promise<string[] | null> {
    const find = this.adapter.findCreated?.bind(this.adapter);
    if (!find) return Promise.resolve(null);
    return this.scrubbed(async () => {
      const entry = this.entry(job.model);
      if (!entry) throw new ProviderUnavailable(`${this.adapter.label} does not list ${job.model} right now.`, 'unreachable', this.pollMs || 1000);
      return find(this.call(job, ctx.signal, entry), sinceMs);
    });
  }

  private async scrubbed<T>(work: () => Promise<T>): Promise<T> {
    try { return await work(); } catch (err) { throw scrubError(err, this.adapter.secrets()); }
  }

  private async submitOnce(job: EngineJob, ctx: EngineContext): Promise<SubmitResult> {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const call = this.call(job, ctx.signal, this.entry(job.model));
    await this.retired.sync();
    const retired = this.retirement(job.model);
    if (retired) throw new ModelRetired(retired.message, retired.detail);
    if (!(await this.slots.tryClaim(job.videoId))) {
      throw new ProviderUnavailable(`${this.adapter.label} already has ${this.settings.concurrency} jobs from this deployment in flight; this one waits its turn.`, 'busy', this.pollMs || 1000);
    }
    try {
      const providerJobId = await this.adapter.create(call);
      this.track(job.videoId).last = 0.02;
      ctx.reportProgress(0.02);
      return { kind: 'submitted', providerJobId };
    } catch (err) {
      await this.slots.release(job.videoId);
      if (err instanceof ModelRetired) await this.retired.retire(job.model, err);
      throw err;
    }
  }

  private async pollOnce(job: EngineJob, ctx: EngineContext): Promise<PollResult> {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (!job.providerJobId) throw new EngineError('engine_error', `${this.id}: poll() without a provider job id`);
    await this.slots.touch(job.videoId);
    const t = this.track(job.videoId);
    let r: CheckResult;
    let call: AdapterCall | null = null;
    try {
      // A discovered card may be missing for a while (its upstream did not answer after a restart):
      // the paid job is still there, so that waits like an outage instead of failing the video.
      const entry = this.entry(job.model);
      if (!entry) throw new ProviderUnavailable(`${this.adapter.label} does not list ${job.model} right now.`, 'unreachable', this.pollMs || 1000);
      call = this.call(job, ctx.signal, entry);
      r = await this.adapter.check(job.providerJobId, call);
      t.failingSince = null;
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      if (this.isTransient(err)) {
        // The job is paid for and still at the provider: keep waiting, never resubmit.
        t.failingSince ??= this.now();
        if (this.now() - t.failingSince < MAX_POLL_OUTAGE_MS) {
          const wait = err instanceof ProviderUnavailable ? err.retryAfterMs : backoffDelay(3, this.settings.retry);
          return { kind: 'running', retryAfterMs: Math.max(this.pollMs, wait) };
        }
      }
      await this.finish(job.videoId);
      if (err instanceof ModelRetired) await this.retired.retire(job.model, err);
      throw err;
    }
    if (r.state === 'running') {
      const p = this.estimate(t, r.progress);
      ctx.reportProgress(p);
      return { kind: 'running', progress: p, retryAfterMs: this.pollMs };
    }
    if (r.state === 'failed') {
      await this.finish(job.videoId);
      throw r.error;
    }
    try {
      ctx.reportProgress(Math.max(t.last, 0.9));
      const file = await this.fetchResult(r, job, call!, ctx);
      ctx.reportProgress(1);
      return { kind: 'completed', file };
    } finally {
      await this.finish(job.videoId);
    }
  }

  async cancel(job: EngineJob): Promise<void> {
    await this.finish(job.videoId);
    if (!job.providerJobId || !this.adapter.cancel) return;
    // The job's own signal is already aborted (that is why we cancel): give the call its own.
    await this.adapter.cancel(job.providerJobId, this.call(job, AbortSignal.timeout(this.settings.requestTimeoutMs), this.entry(job.model))).catch((err) => {
      // Gone at the provider already (finished and expired, or deleted): nothing is left to cancel.
      if (!(err instanceof EngineError && err.code === 'provider_job_not_found')) throw scrubError(err, this.adapter.secrets());
    });
  }

  private isTransient(err: unknown): boolean {
    return err instanceof ProviderUnavailable || (err instanceof EngineError && err.retryable && err.code === 'provider_error');
  }

  /**
   * The catalogue and what is derived from it, kept while the adapter returns the same array (a
   * discovering adapter replaces its array when its upstream's list changes): models() and every
   * poll would otherwise rebuild each card, and OpenAI's known retirements, on every call.
   */
  private view(): Published {
    const source = this.adapter.catalogue();
    if (this.published?.source !== source) {
      const entries = new Map<string, CatalogueEntry>();
      for (const e of source) if (!entries.has(e.card.id)) entries.set(e.card.id, e);
      this.published = { source, entries, known: this.adapter.knownRetirements?.() ?? {}, cards: new Map() };
    }
    return this.published;
  }

  private publish(e: CatalogueEntry): { card: ModelCard; price: PriceInfo } {
    const cards = this.view().cards;
    let published = cards.get(e.card.id);
    if (!published) {
      published = publishCard(e, this.settings.prices);
      const retired = this.retirement(e.card.id);
      if (retired) published.card = { ...published.card, available: false, description: `Retired: ${retired.message} ${published.card.description}` };
      cards.set(e.card.id, published);
    }
    return published;
  }

  private entry(model: string): CatalogueEntry | undefined {
    return this.view().entries.get(model);
  }

  private call(job: EngineJob, signal: AbortSignal, entry: CatalogueEntry | undefined): AdapterCall {
    if (!entry) throw new EngineError('model_unavailable', `The model '${job.model}' is not offered by ${this.adapter.label} on this server.`);
    let image: Promise<InputImage | null> | null = null;
    let lastFrame: Promise<InputImage | null> | null = null;
    const engine = this;
    return {
      http: this.http, signal, job, entry,
      // Only some adapters read the card (OpenAI's, for its seed): build it when asked.
      get card() { return engine.publish(entry).card; },
      image: () => (image ??= readImage(job.inputImagePath)),
      characterImages: async () => (await Promise.all((job.characterImages ?? []).map((p) => readImage(p)))).filter((i): i is InputImage => i !== null),
      lastFrame: () => (lastFrame ??= readImage(job.lastFrameImagePath ?? null)),
    };
  }

  private track(videoId: string) {
    let t = this.progress.get(videoId);
    if (!t) this.progress.set(videoId, (t = { first: this.now(), last: 0, failingSince: null }));
    return t;
  }

  private async finish(videoId: string): Promise<void> {
    this.progress.delete(videoId);
    await this.slots.release(videoId);
  }

  /**
   * Rising progress: the provider's own fraction when it gives one, else an estimate that creeps up
   * with time (most providers say only "running"), never above 0.9 until the file is here.
   */
  private estimate(t: { first: number; last: number }, provider?: number): number {
    const guess = provider !== undefined
      ? 0.05 + 0.85 * Math.max(0, Math.min(1, provider))
      : 0.05 + 0.8 * (1 - Math.exp(-(this.now() - t.first) / 90_000));
    t.last = Math.max(t.last, Math.min(0.9, guess));
    return t.last;
  }

  private async fetchResult(first: Extract<CheckResult, { state: 'succeeded' }>, job: EngineJob, call: AdapterCall, ctx: EngineContext): Promise<string> {
    const raw = join(ctx.workDir, `${this.id}-result${extname(new URL(first.url).pathname).slice(0, 6) || '.mp4'}`);
    let result = first;
    for (let round = 1; ; round++) {
      const got = await this.downloadOnce(result, raw, ctx.signal);
      if (got.ok) break;
      // Result URLs expire (Runway's in 24–48 h, MiniMax's in ~9 h): ask the provider for a fresh one.
      if (round === 1 && got.status !== null && [401, 403, 404, 410].includes(got.status)) {
        const again = await this.adapter.check(job.providerJobId!, call);
        if (again.state === 'succeeded') { result = again; continue; }
        if (again.state === 'failed') throw again.error;
      }
      throw new EngineError('output_unavailable', `${this.adapter.label} made the video but its file could not be downloaded. The job is kept and the download is tried again; it is not paid for twice.`,
        { retryable: true, detail: `download${got.status !== null ? ` (HTTP ${got.status})` : ''}: ${this.clean(got.message)}` });
    }
    return conformToRequest(this.deps.media, raw, job, join(ctx.workDir, `${this.id}-conformed.mp4`), ctx.signal);
  }

  private async downloadOnce(r: Extract<CheckResult, { state: 'succeeded' }>, file: string, signal: AbortSignal) {
    const base = new URL(this.http.baseUrl).origin;
    let url: URL;
    try {
      url = new URL(r.url, this.http.baseUrl);
    } catch {
      return { ok: false as const, status: null, message: 'the provider gave a result URL that is not a URL' };
    }
    // Credentials go only to the API's own origin, never to wherever a result URL points.
    const headers = r.authenticated && url.origin === base ? this.adapter.authHeaders() : undefined;
    let last: { ok: false; status: number | null; message: string } = { ok: false, status: null, message: 'not tried' };
    for (let attempt = 1; attempt <= this.settings.retry.maxAttempts; attempt++) {
      const got = await this.deps.download(url.toString(), file, { headers, signal, timeoutMs: this.settings.downloadTimeoutMs, maxBytes: this.settings.maxDownloadBytes, trustedOrigins: [base] });
      if (got.ok) return got;
      if (signal.aborted) throw signal.reason;
      last = got;
      // A 4xx will not change by asking again (an expired URL needs a fresh one, see fetchResult).
      if (got.status !== null && got.status >= 400 && got.status < 500 && got.status !== 429) return got;
      await abortableSleep(backoffDelay(attempt, this.settings.retry), signal);
    }
    return last;
  }
}

async function readImage(path: string | null): Promise<InputImage | null> {
  if (!path) return null;
  const data = await readFile(path);
  const ext = extname(path).toLowerCase();
  const mimeType = ext === '.png' ? 'image/png' : ext === '.webp' ? 'image/webp' : 'image/jpeg';
  const base64 = data.toString('base64');
  return { base64, mimeType, dataUrl: `data:${mimeType};base64,${base64}` };
}
