// Luma Dream Machine (api.lumalabs.ai/dream-machine/v1). Wire format from
// lumalabs/lumaai-node@be2c3c4 (src/resources/generations/generations.ts) and docs.lumalabs.ai
// (errors): POST /generations/video returns a Generation {id, state}; GET /generations/{id} moves
// queued → dreaming → completed (assets.video) | failed (failure_reason, e.g. "Advanced prompt
// moderation failed"); DELETE removes it. Errors are FastAPI's {detail}. Luma takes images only as
// public URLs (keyframes), which this server does not publish, so its cards are text-only.
import type { ProviderAnswer, ProviderFault } from '../cloud/http-client.js';
import type { AdapterCall, CheckResult, CloudAdapter } from '../cloud/cloud-engine.js';
import type { RequestShape } from '../request-shape.js';
import type { CatalogueEntry } from '../cloud/catalogue.js';
import { KeyedAdapter } from '../cloud/keyed-adapter.js';
import { EngineError } from '../../domain/errors.js';
import { CONTENT_POLICY } from '../cloud/errors.js';
import { CONTENT_WORDS, faultFromStatus, messageOf, pick, sizeParam, str } from '../cloud/wire.js';

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
};

const CATALOGUE: CatalogueEntry<LumaModel>[] = [
  {
    card: { ...common, id: 'luma/ray-2', label: 'Luma Ray 2', description: "Luma's Ray 2: realistic motion from a text prompt, 5 or 9 seconds at 540p, 720p or 1080p, 16:9 or 9:16. No seed, no negative prompt, no audio." },
    price: { usdPerSecond: 0.08, source: "Luma pay-as-you-go rate for Ray 2 as listed by plans.apis.io (resolution not stated)", checkedAt: '2026-11-20' },
    provider: { name: 'ray-2' },
  },
  {
    card: { ...common, id: 'luma/ray-flash-2', label: 'Luma Ray Flash 2', description: "Luma's faster, cheaper Ray 2 variant: text to video, 5 or 9 seconds at 540p, 720p or 1080p, 16:9 or 9:16. No seed, no negative prompt, no audio." },
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

  classify(a: ProviderAnswer): ProviderFault | null {
    if (a.status >= 200 && a.status < 300) return null;
    const message = messageOf(a);
    return { kind: faultFromStatus(a.status, message)!, message };
  }

  async create(c: AdapterCall<LumaModel>): Promise<string> {
    const { job, entry } = c;
    const size = sizeParam(SIZES, job.width, job.height);
    const body = { model: entry.provider.name, prompt: job.prompt, duration: `${job.seconds}s`, ...size };
    const res = await c.http.request<{ id?: string }>({ method: 'POST', path: '/generations/video', body, kind: 'create', signal: c.signal });
    const id = str(res.data?.id);
    if (!id) throw new EngineError('provider_submit_uncertain', `Luma accepted the job but its answer has no generation id: ${JSON.stringify(res.data).slice(0, 200)}`);
    return id;
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
      case 'failed': {
        const reason = str(pick(data, 'failure_reason')) ?? 'no reason given';
        const code = str(pick(data, 'failure_code'));
        if (code === 'content_moderated' || CONTENT_WORDS.test(reason)) return { state: 'failed', error: new EngineError(CONTENT_POLICY, `Luma's moderation refused this request: ${reason}.`) };
        return { state: 'failed', error: new EngineError('generation_failed', `Luma could not make the video: ${reason}. Luma refunds failed generations.`) };
      }
      default:
        throw new EngineError('provider_error', `Luma answered with an unknown generation state '${String(state)}'.`, { retryable: true });
    }
  }

  async cancel(id: string, c: AdapterCall<LumaModel>): Promise<void> {
    await c.http.request({ method: 'DELETE', path: `/generations/${encodeURIComponent(id)}`, kind: 'cancel', signal: c.signal });
  }
}
