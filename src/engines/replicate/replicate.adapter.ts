// Replicate (api.replicate.com/v1). Wire format from replicate/replicate-javascript@2fd6f39
// (index.d.ts, lib/predictions.js, lib/util.js) and the model pages' API schemas: POST
// /models/{owner}/{name}/predictions {input} returns a Prediction; GET /predictions/{id} moves
// starting → processing → succeeded (output: a URL, or a list) | failed (error) | canceled |
// aborted; POST /predictions/{id}/cancel. The official client retries non-GET calls only on 429,
// as we do. A prediction flagged by the safety checker fails with error code E005.
import type { ProviderAnswer, ProviderFault } from '../cloud/http-client.js';
import type { AdapterCall, CheckResult, CloudAdapter } from '../cloud/cloud-engine.js';
import type { CatalogueEntry } from '../cloud/catalogue.js';
import { KeyedAdapter } from '../cloud/keyed-adapter.js';
import { EngineError } from '../../domain/errors.js';
import { CONTENT_POLICY } from '../cloud/errors.js';
import { CONTENT_WORDS, faultFromStatus, messageOf, pick, sizeParam, str } from '../cloud/wire.js';

export const REPLICATE_BASE_URL = 'https://api.replicate.com/v1';

interface ReplicateModel {
  /** owner/name on Replicate. */
  name: string;
}

/** Card size → the Veo models' aspect_ratio and resolution inputs. */
const VEO_SIZES: Record<string, { aspect_ratio: string; resolution: string }> = {
  '1280x720': { aspect_ratio: '16:9', resolution: '720p' },
  '720x1280': { aspect_ratio: '9:16', resolution: '720p' },
  '1920x1080': { aspect_ratio: '16:9', resolution: '1080p' },
  '1080x1920': { aspect_ratio: '9:16', resolution: '1080p' },
};

const veoCard = { engine: 'replicate', seconds: [4, 6, 8], defaultSeconds: 8, sizes: Object.keys(VEO_SIZES), defaultSize: '1280x720', fps: [24], defaultFps: 24,
  inputs: ['text' as const, 'image' as const], seed: true, remix: false, audio: true, negativePrompt: true };

const CATALOGUE: CatalogueEntry<ReplicateModel>[] = [
  {
    card: { ...veoCard, id: 'replicate/google/veo-3.1-fast', label: 'Veo 3.1 Fast (via Replicate)', description: "Google's Veo 3.1 Fast on Replicate: 4, 6 or 8 seconds at 720p or 1080p, 16:9 or 9:16, with generated audio, from text or a first-frame image; takes a seed and a negative prompt." },
    price: { usdPerSecond: 0.15, source: 'Replicate model page for google/veo-3.1-fast, with audio (secondary listing)', checkedAt: '2026-11-20' },
    provider: { name: 'google/veo-3.1-fast' },
  },
  {
    card: { ...veoCard, id: 'replicate/google/veo-3-fast', label: 'Veo 3 Fast (via Replicate)', description: "Google's Veo 3 Fast on Replicate: 4, 6 or 8 seconds at 720p or 1080p, 16:9 or 9:16, with generated audio, from text or a first-frame image; takes a seed and a negative prompt." },
    price: { usdPerSecond: 0.15, source: 'Replicate model page for google/veo-3-fast, with audio (secondary listing)', checkedAt: '2026-11-20' },
    provider: { name: 'google/veo-3-fast' },
  },
];

export class ReplicateAdapter extends KeyedAdapter<ReplicateModel> implements CloudAdapter<ReplicateModel> {
  readonly id = 'replicate';
  readonly label = 'Replicate';
  readonly keyName = 'REPLICATE_API_TOKEN';
  readonly defaultBaseUrl = REPLICATE_BASE_URL;
  readonly modelInCreatePath = true; // POST /models/{owner}/{name}/predictions

  constructor(apiKey: string) {
    super(apiKey, CATALOGUE);
  }

  classify(a: ProviderAnswer): ProviderFault | null {
    if (a.status >= 200 && a.status < 300) return null;
    const message = messageOf(a);
    return { kind: faultFromStatus(a.status, message)!, message };
  }

  async create(c: AdapterCall<ReplicateModel>): Promise<string> {
    const { job, entry } = c;
    const image = await c.image();
    const input = {
      prompt: job.prompt, duration: job.seconds, ...sizeParam(VEO_SIZES, job.width, job.height), seed: job.seed, generate_audio: true,
      ...(image ? { image: image.dataUrl } : {}),
      ...(job.negativePrompt ? { negative_prompt: job.negativePrompt } : {}),
    };
    const res = await c.http.request({ method: 'POST', path: `/models/${entry.provider.name}/predictions`, body: { input }, kind: 'create', signal: c.signal });
    const id = str(pick(res.data, 'id'));
    if (!id) throw new EngineError('provider_submit_uncertain', `Replicate accepted the job but its answer has no prediction id: ${JSON.stringify(res.data).slice(0, 200)}`);
    return id;
  }

  async check(id: string, c: AdapterCall<ReplicateModel>): Promise<CheckResult> {
    const { data } = await c.http.request({ method: 'GET', path: `/predictions/${encodeURIComponent(id)}`, kind: 'read', signal: c.signal });
    const status = str(pick(data, 'status'));
    switch (status) {
      case 'starting':
        return { state: 'running', progress: 0 };
      case 'processing':
        return { state: 'running' };
      case 'succeeded': {
        const out = pick(data, 'output');
        const url = str(Array.isArray(out) ? out[0] : out) ?? str(pick(out, 'video'));
        if (!url) return { state: 'failed', error: new EngineError('provider_bad_output', 'Replicate says the prediction succeeded but its output has no video URL.') };
        return { state: 'succeeded', url };
      }
      case 'failed': {
        const reason = str(pick(data, 'error')) ?? 'no reason given';
        if (/\bE005\b/.test(reason) || CONTENT_WORDS.test(reason)) return { state: 'failed', error: new EngineError(CONTENT_POLICY, `Replicate's safety checker refused this request: ${reason}`) };
        return { state: 'failed', error: new EngineError('generation_failed', `Replicate could not make the video: ${reason}`) };
      }
      case 'canceled':
      case 'aborted':
        return { state: 'failed', error: new EngineError('cancelled_at_provider', `The prediction was ${status} at Replicate.`) };
      default:
        throw new EngineError('provider_error', `Replicate answered with an unknown prediction status '${String(status)}'.`, { retryable: true });
    }
  }

  async cancel(id: string, c: AdapterCall<ReplicateModel>): Promise<void> {
    await c.http.request({ method: 'POST', path: `/predictions/${encodeURIComponent(id)}/cancel`, kind: 'cancel', signal: c.signal });
  }
}
