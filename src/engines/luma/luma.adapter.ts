// Luma Dream Machine (api.lumalabs.ai/dream-machine/v1). Wire format from
// lumalabs/lumaai-node@be2c3c4 (src/resources/generations/generations.ts) and docs.lumalabs.ai
// (errors): POST /generations/video returns a Generation {id, state}; GET /generations/{id} moves
// queued → dreaming → completed (assets.video) | failed (failure_reason, e.g. "Advanced prompt
// moderation failed"); DELETE removes it. Errors are FastAPI's {detail}. Luma takes images only as
// public URLs (keyframes), which this server does not publish, so its cards are text-only, and take
// no last frame either (keyframes.frame1 is a URL too). Luma's own extend call needs no upload: a
// generation keyframe, keyframes.frame0 {type: 'generation', id} (lumaai-node's Keyframes type;
// the `extend_video` example of lumalabs/lumaai-api openapi.yaml), continues one of its generations,
// so its cards extend the videos Luma made (`extendFrom: 'own'`).
import type { AdapterCall, CheckResult, CloudAdapter } from '../cloud/cloud-adapter.js';
import type { RequestShape } from '../request-shape.js';
import type { CatalogueEntry } from '../cloud/catalogue.js';
import { KeyedAdapter } from '../cloud/keyed-adapter.js';
import { EngineError } from '../../domain/errors.js';
import { failed, pick, requireJobId, sizeParam, str, unknownStatus } from '../cloud/wire.js';

export const LUMA_BASE_URL = 'https://api.lumalabs.ai/dream-machine/v1';

interface LumaModel {
  name: 'ray-2' | 'ray-flash-2';
}

/** Card size → Luma's aspect_ratio and resolution. */
const SIZES: Record<string, { aspect_ratio: string; resolution: string }> = {
  '960x540': { aspect_ratio: '16:9', resolution: '540p' },
  '1280x720': { aspect_ratio: '16:9', resolution: '720p' },
  '1920x1080': { aspect_ratio: '16:9', resolution: '1080p' },
  '540x960': { aspect_ratio: '9:16', resolution: '540p' },
  '720x1280': { aspect_ratio: '9:16', resolution: '720p' },
  '1080x1920': { aspect_ratio: '9:16', resolution: '1080p' },
};

const common = {
  engine: 'luma', seconds: [5, 9], defaultSeconds: 5, sizes: Object.keys(SIZES), defaultSize: '1280x720',
  fps: [24], defaultFps: 24, inputs: ['text' as const], seed: false, remix: false, audio: false,
  extend: true, extendFrom: 'own' as const,
};

const CATALOGUE: CatalogueEntry<LumaModel>[] = [
  {
    card: { ...common, id: 'luma/ray-2', label: 'Luma Ray 2', description: "Luma's Ray 2: realistic motion from a text prompt, 5 or 9 seconds at 540p, 720p or 1080p, 16:9 or 9:16; extends its own videos through Luma's extend call. No seed, no negative prompt, no audio." },
    price: { usdPerSecond: 0.08, source: "Luma pay-as-you-go rate for Ray 2 as listed by plans.apis.io (resolution not stated)", checkedAt: '2026-11-20' },
    provider: { name: 'ray-2' },
  },
  {
    card: { ...common, id: 'luma/ray-flash-2', label: 'Luma Ray Flash 2', description: "Luma's faster, cheaper Ray 2 variant: text to video, 5 or 9 seconds at 540p, 720p or 1080p, 16:9 or 9:16; extends its own videos through Luma's extend call. No seed, no negative prompt, no audio." },
    price: { usdPerSecond: 0.04, source: 'about half of Ray 2, per secondary listings of Luma prices', checkedAt: '2026-11-20' },
    provider: { name: 'ray-flash-2' },
  },
];

export class LumaAdapter extends KeyedAdapter<LumaModel> implements CloudAdapter<LumaModel> {
  readonly id = 'luma';
  readonly label = 'Luma';
  readonly keyName = 'LUMA_API_KEY';
  readonly defaultBaseUrl = LUMA_BASE_URL;

  constructor(apiKey: string) {
    super(apiKey, CATALOGUE);
  }

  requestProblem(_e: CatalogueEntry<LumaModel>, r: RequestShape) {
    if (r.promptLength < 3) return { message: 'Luma needs a prompt of at least 3 characters.', param: 'prompt' };
    if (r.promptLength > 5000) return { message: `Luma takes prompts of up to 5000 characters; this one has ${r.promptLength}.`, param: 'prompt' };
    return null;
  }

  async create(c: AdapterCall<LumaModel>): Promise<string> {
    const { job, entry } = c;
    const size = sizeParam(SIZES, job.width, job.height);
    const body = {
      model: entry.provider.name, prompt: job.prompt, duration: `${job.seconds}s`, ...size,
      ...(job.extendsProviderJobId ? { keyframes: { frame0: { type: 'generation', id: job.extendsProviderJobId } } } : {}),
    };
    const res = await c.http.request({ method: 'POST', path: '/generations/video', body, kind: 'create', signal: c.signal });
    return requireJobId(res.data, 'id', this.label, 'generation id');
  }

  /**
   * Luma lists an account's generations (GET /generations?limit&offset, newest first), each with
   * the request it was made from: a create whose answer was lost is found by its model, prompt,
   * duration and size among those made since `sinceMs` (less a minute of clock skew). At most ten
   * pages of 100.
   */
  async findCreated(c: AdapterCall<LumaModel>, sinceMs: number): Promise<string[] | null> {
    // (An extension is told apart by the generation it continues, keyframes.frame0.id.)
    const { job, entry } = c;
    const size = sizeParam(SIZES, job.width, job.height);
    const from = sinceMs - 60_000;
    const found: string[] = [];
    for (let page = 0; page < 10; page++) {
      const { data } = await c.http.request({ method: 'GET', path: `/generations?limit=100&offset=${page * 100}`, kind: 'read', signal: c.signal });
      const items = pick(data, 'generations');
      if (!Array.isArray(items)) return null;
      let older = false;
      for (const g of items) {
        const created = Date.parse(str(pick(g, 'created_at')) ?? '');
        if (Number.isFinite(created) && created < from) { older = true; continue; }
        const r = pick(g, 'request');
        if (pick(r, 'model') === entry.provider.name && pick(r, 'prompt') === job.prompt && pick(r, 'duration') === `${job.seconds}s`
          && pick(r, 'aspect_ratio') === size.aspect_ratio && pick(r, 'resolution') === size.resolution
          && (pick(r, 'keyframes.frame0.id') ?? null) === (job.extendsProviderJobId ?? null)) {
          const id = str(pick(g, 'id'));
          if (id) found.push(id);
        }
      }
      if (older || pick(data, 'has_more') !== true) break;
    }
    return found.reverse();
  }

  async check(id: string, c: AdapterCall<LumaModel>): Promise<CheckResult> {
    const { data } = await c.http.request({ method: 'GET', path: `/generations/${encodeURIComponent(id)}`, kind: 'read', signal: c.signal });
    const state = str(pick(data, 'state'));
    switch (state) {
      case 'queued':
        return { state: 'running', progress: 0 };
      case 'dreaming':
        return { state: 'running' };
      case 'completed': {
        const url = str(pick(data, 'assets.video'));
        if (!url) return { state: 'failed', error: new EngineError('provider_bad_output', 'Luma says the generation completed but gives no video.') };
        return { state: 'succeeded', url };
      }
      case 'failed':
        return failed(this.label, str(pick(data, 'failure_reason')) ?? 'no reason given',
          { policy: str(pick(data, 'failure_code')) === 'content_moderated', note: 'Luma refunds failed generations.' });
      default:
        throw unknownStatus(this.label, 'generation state', state);
    }
  }

  async cancel(id: string, c: AdapterCall<LumaModel>): Promise<void> {
    await c.http.request({ method: 'DELETE', path: `/generations/${encodeURIComponent(id)}`, kind: 'cancel', signal: c.signal });
  }
}
