// Any OpenAI-compatible Videos API upstream: Azure OpenAI, LocalAI, another Méliès, …
// Wire format from openai/openai-openapi (paths /videos*, schemas VideoResource, Error) and
// openai/openai-node src/resources/videos.ts, as summarised in openai-videos-api.md: POST /videos
// (JSON) → Video {id, status queued}; GET /videos/{id} → queued | in_progress (+progress %) |
// completed | failed (+error {code, message}); GET /videos/{id}/content streams the MP4 (with the
// key); DELETE /videos/{id}. Errors are the {"error": {message, type, param, code}} envelope.
//
// Cards come from the upstream's GET /models when it publishes Méliès-style capability cards
// (seconds, sizes, fps, …), refreshed periodically. A plain upstream only lists ids: for the Sora
// models we know the public limits. OpenAI itself shut its Videos API down on 2026-09-24, so
// pointed at api.openai.com the Sora cards are published as retired.
import type { ProviderAnswer, ProviderFault } from '../cloud/http-client.js';
import type { CloudHttp } from '../cloud/http-client.js';
import type { AdapterCall, CheckResult, CloudAdapter } from '../cloud/cloud-adapter.js';
import type { CatalogueEntry } from '../cloud/catalogue.js';
import { EngineError } from '../../domain/errors.js';
import { fileBytesInDataUri, IMAGE_TYPES, type ImageInputLimits } from '../../domain/model-card.js';
import { KeyedAdapter } from '../cloud/keyed-adapter.js';
import { classifyStatus, failed, isObject, pick, requireJobId, str, unknownStatus } from '../cloud/wire.js';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

interface UpstreamModel {
  upstreamId: string;
  /** The upstream publishes Méliès cards, so it takes our extensions (seed, fps, negative_prompt). */
  extended: boolean;
}

const SORA_SHUTDOWN = 'OpenAI shut down its Videos API and the Sora models on 2026-09-24 (developers.openai.com/api/docs/deprecations); videos made earlier stay downloadable here.';

// The image goes as `input_reference.image_url`, a data URL the Videos API caps at 20971520
// characters (openai/openai-openapi, ImageRefParam maxLength; see openai-videos-api.md).
const DATA_URL_BYTES = fileBytesInDataUri(20_971_520);
const VIA = 'inline as a data URL, which the Videos API caps at 20971520 characters';
// Sora: JPEG, PNG or WebP, and it "must match the target video's resolution" (OpenAI's video
// generation guide; a mismatch is a 400 "Inpaint image must match the requested width and height").
const SORA_IMAGE: ImageInputLimits = { types: ['image/png', 'image/jpeg', 'image/webp'], maxBytes: DATA_URL_BYTES, via: VIA, matchVideoSize: true };

function soraEntries(prefix: string): CatalogueEntry<UpstreamModel>[] {
  const base = {
    engine: 'openai', seconds: [4, 8, 12], defaultSeconds: 4, fps: [30], defaultFps: 30, inputs: ['text' as const, 'image' as const], imageInput: SORA_IMAGE,
    seed: false, remix: false, audio: true,
  };
  return [
    {
      card: { ...base, id: `${prefix}sora-2`, label: 'Sora 2', sizes: ['720x1280', '1280x720'], defaultSize: '720x1280', description: "OpenAI's Sora 2 on an OpenAI-compatible upstream: 4, 8 or 12 seconds, 720x1280 or 1280x720, with audio; an input image must match the size. OpenAI does not document the frame rate." },
      price: { usdPerSecond: 0.1, source: 'OpenAI API pricing for sora-2', checkedAt: '2026-09-01' },
      provider: { upstreamId: 'sora-2', extended: false },
    },
    {
      card: { ...base, id: `${prefix}sora-2-pro`, label: 'Sora 2 Pro', sizes: ['720x1280', '1280x720', '1024x1792', '1792x1024'], defaultSize: '720x1280', description: "OpenAI's Sora 2 Pro on an OpenAI-compatible upstream: 4, 8 or 12 seconds up to 1792x1024, with audio. OpenAI does not document the frame rate." },
      price: { usdPerSecond: 0.5, source: 'OpenAI API pricing for sora-2-pro at its largest size', checkedAt: '2026-09-01' },
      provider: { upstreamId: 'sora-2-pro', extended: false },
    },
  ];
}

/** An upstream Méliès publishes its cards' image limits; ours are those, within the data-URL cap. */
function upstreamImageInput(raw: unknown): ImageInputLimits {
  const l = isObject(raw) ? raw : {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  const int = (v: unknown) => { const n = num(v); return n === undefined ? undefined : Math.floor(n); };
  const types = Array.isArray(l.types) ? IMAGE_TYPES.filter((t) => (l.types as unknown[]).includes(t)) : [];
  const upstreamBytes = int(l.max_bytes);
  const limits: ImageInputLimits = {
    types: types.length ? types : [...IMAGE_TYPES],
    maxBytes: Math.min(upstreamBytes ?? DATA_URL_BYTES, DATA_URL_BYTES),
    ...(upstreamBytes === undefined || upstreamBytes >= DATA_URL_BYTES ? { via: VIA } : {}),
    minSide: int(l.min_side), maxSide: int(l.max_side), maxPixels: int(l.max_pixels),
    minAspect: num(l.min_aspect), maxAspect: num(l.max_aspect),
    ...(l.match_video_size === true ? { matchVideoSize: true } : {}),
  };
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as ImageInputLimits;
}

export interface OpenAiAdapterOptions {
  apiKey: string;
  baseUrl: string;
  modelPrefix: string;
  refreshMs: number;
  /** Model ids other engines publish: an upstream id that clashes is published as openai/<id>. */
  reservedIds: () => ReadonlySet<string>;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

export class OpenAiAdapter extends KeyedAdapter<UpstreamModel> implements CloudAdapter<UpstreamModel> {
  readonly id = 'openai';
  readonly keyName = 'OPENAI_API_KEY';
  readonly defaultBaseUrl = OPENAI_BASE_URL;
  readonly label: string;
  private timer: NodeJS.Timeout | null = null;
  private readonly isOpenAi: boolean;

  constructor(private readonly opts: OpenAiAdapterOptions) {
    const isOpenAi = new URL(opts.baseUrl).host === 'api.openai.com';
    // Until the upstream says what it has, nothing is offered (except OpenAI's own, retired, list).
    super(opts.apiKey, isOpenAi ? soraEntries(opts.modelPrefix) : []);
    this.isOpenAi = isOpenAi;
    this.label = isOpenAi ? 'OpenAI' : `the OpenAI-compatible upstream at ${new URL(opts.baseUrl).host}`;
  }

  knownRetirements(): Record<string, string> {
    if (!this.isOpenAi) return {};
    return Object.fromEntries(this.entries.map((e) => [e.card.id, SORA_SHUTDOWN]));
  }

  async start(http: CloudHttp): Promise<void> {
    if (this.isOpenAi) return;
    await this.refresh(http);
    this.timer = setInterval(() => { void this.refresh(http); }, this.opts.refreshMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads the upstream's model list; on failure the last known cards stay, marked unavailable. */
  async refresh(http: CloudHttp): Promise<void> {
    try {
      const { data } = await http.request({ method: 'GET', path: '/models', kind: 'read', signal: AbortSignal.timeout(15_000) });
      const list = pick(data, 'data');
      if (!Array.isArray(list)) throw new Error('the upstream model list has no data array');
      this.entries = list.flatMap((m) => this.fromUpstream(m));
    } catch (err) {
      this.entries = this.entries.map((e) => ({ ...e, available: false }));
      this.opts.log?.('warn', 'OpenAI-compatible upstream: model list unavailable', { err: (err as Error).message });
    }
  }

  private publicId(upstreamId: string): string {
    const id = `${this.opts.modelPrefix}${upstreamId}`;
    return this.opts.reservedIds().has(id) ? `openai/${id}` : id;
  }

  private fromUpstream(m: unknown): CatalogueEntry<UpstreamModel>[] {
    const upstreamId = str(pick(m, 'id'));
    if (!upstreamId || !isObject(m)) return [];
    if (!Array.isArray(m.sizes) || !(Array.isArray(m.seconds) || isObject(m.seconds)) || !Array.isArray(m.fps)) {
      // A plain upstream: offer only the video models whose limits are public.
      return soraEntries(this.opts.modelPrefix).filter((e) => e.provider.upstreamId === upstreamId).map((e) => ({ ...e, card: { ...e.card, id: this.publicId(upstreamId) } }));
    }
    const seconds = Array.isArray(m.seconds) ? m.seconds.map(Number) : { min: Number(pick(m, 'seconds.min')), max: Number(pick(m, 'seconds.max')), step: Number(pick(m, 'seconds.step')) };
    const range = isObject(m.size_range) ? {
      minWidth: Number(m.size_range.min_width), maxWidth: Number(m.size_range.max_width), minHeight: Number(m.size_range.min_height),
      maxHeight: Number(m.size_range.max_height), maxPixels: Number(m.size_range.max_pixels), multipleOf: Number(m.size_range.multiple_of),
    } : undefined;
    const inputs = (Array.isArray(m.inputs) ? m.inputs : ['text']).filter((i): i is 'text' | 'image' => i === 'text' || i === 'image');
    const card: CatalogueEntry<UpstreamModel>['card'] = {
      id: this.publicId(upstreamId), engine: 'openai', label: `${str(m.label) ?? upstreamId} (via ${new URL(this.opts.baseUrl).host})`,
      description: `${str(m.description) ?? upstreamId} Served by ${this.label}.`,
      seconds, defaultSeconds: Number(m.default_seconds), sizes: m.sizes.map(String), defaultSize: String(m.default_size),
      ...(range ? { sizeRange: range } : {}),
      fps: m.fps.map(Number), defaultFps: Number(m.default_fps),
      inputs,
      ...(inputs.includes('image') ? { imageInput: upstreamImageInput(m.image_input) } : {}),
      seed: m.seed === true, remix: false, audio: m.audio === true, negativePrompt: m.negative_prompt === true,
    } as CatalogueEntry<UpstreamModel>['card'];
    const price = typeof m.price_per_second_usd === 'number' ? m.price_per_second_usd : 0;
    return [{
      card, available: m.available !== false,
      price: { usdPerSecond: price, source: "the upstream's own card", checkedAt: new Date().toISOString().slice(0, 10) },
      provider: { upstreamId, extended: true },
    }];
  }

  override classify(a: ProviderAnswer): ProviderFault | null {
    return classifyStatus(a, () => {
      const code = str(pick(a.body, 'error.code'));
      if (code === 'invalid_api_key') return 'auth';
      // OpenAI sends insufficient_quota as a 429: it is billing, and waiting will not fix it.
      if (code === 'insufficient_quota' || code === 'spend_cap_reached' || code === 'plan_limit' || code === 'billing_hard_limit_reached') return 'billing';
      if (code === 'model_not_found' || code === 'model_retired') return 'model_not_found';
      if (code === 'moderation_blocked' || code === 'content_policy_violation') return 'content_policy';
      return null;
    });
  }

  async create(c: AdapterCall<UpstreamModel>): Promise<string> {
    const { job, entry, card } = c;
    const image = await c.image();
    const body: Record<string, unknown> = {
      model: entry.provider.upstreamId, prompt: job.prompt, seconds: String(job.seconds), size: `${job.width}x${job.height}`,
      ...(image ? { input_reference: { image_url: image.dataUrl } } : {}),
      ...(entry.provider.extended ? { fps: job.fps, ...(card.seed ? { seed: job.seed } : {}), ...(job.negativePrompt ? { negative_prompt: job.negativePrompt } : {}) } : {}),
    };
    const res = await c.http.request({ method: 'POST', path: '/videos', body, kind: 'create', signal: c.signal });
    return requireJobId(res.data, 'id', this.label, 'video id');
  }

  /**
   * OpenAI's Videos API has no idempotency key, but it lists an account's videos newest first
   * (GET /videos, `order`, `after`, `limit` ≤ 100) with each one's model, prompt, seconds, size and
   * created_at: enough to find a create whose answer never arrived. Pages back to `sinceMs` (a
   * minute earlier, for clock skew between us and the provider), at most ten pages. An upstream
   * without the list (some OpenAI-compatible servers) answers 404: it cannot be asked.
   */
  async findCreated(c: AdapterCall<UpstreamModel>, sinceMs: number): Promise<string[] | null> {
    const { job, entry } = c;
    const want = { model: entry.provider.upstreamId, prompt: job.prompt, seconds: String(job.seconds), size: `${job.width}x${job.height}` };
    const from = Math.floor((sinceMs - 60_000) / 1000);
    const found: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      let data: unknown;
      try {
        ({ data } = await c.http.request({ method: 'GET', path: `/videos?order=desc&limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`, kind: 'read', signal: c.signal }));
      } catch (err) {
        if (err instanceof EngineError && err.code === 'provider_job_not_found') return null; // its 404
        throw err;
      }
      const items = pick(data, 'data');
      if (!Array.isArray(items)) return null;
      let older = false;
      for (const v of items) {
        const created = pick(v, 'created_at');
        if (typeof created === 'number' && created < from) { older = true; continue; }
        if (pick(v, 'model') === want.model && pick(v, 'prompt') === want.prompt && String(pick(v, 'seconds')) === want.seconds && pick(v, 'size') === want.size) {
          const id = str(pick(v, 'id'));
          if (id) found.push(id);
        }
      }
      after = str(pick(data, 'last_id')) ?? null;
      if (older || pick(data, 'has_more') !== true || !after) break;
    }
    return found.reverse();
  }

  async check(id: string, c: AdapterCall<UpstreamModel>): Promise<CheckResult> {
    const path = `/videos/${encodeURIComponent(id)}`;
    const { data } = await c.http.request({ method: 'GET', path, kind: 'read', signal: c.signal });
    const status = str(pick(data, 'status'));
    const progress = pick(data, 'progress');
    switch (status) {
      case 'queued':
        return { state: 'running', progress: 0 };
      case 'in_progress':
        return { state: 'running', progress: typeof progress === 'number' ? progress / 100 : undefined };
      case 'completed':
        return { state: 'succeeded', url: c.http.url(`${path}/content`).toString(), authenticated: true };
      case 'failed': {
        const code = str(pick(data, 'error.code')) ?? 'failed';
        const message = str(pick(data, 'error.message')) ?? 'no reason given';
        return failed(this.label, `${message.replace(/\.+$/, '')} (${code})`, { policy: /moderation|content_policy/.test(code) });
      }
      default:
        throw unknownStatus(this.label, 'video status', status);
    }
  }

  async cancel(id: string, c: AdapterCall<UpstreamModel>): Promise<void> {
    await c.http.request({ method: 'DELETE', path: `/videos/${encodeURIComponent(id)}`, kind: 'cancel', signal: c.signal });
  }
}

