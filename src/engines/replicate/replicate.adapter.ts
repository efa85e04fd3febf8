// Replicate (api.replicate.com/v1). Wire format from replicate/replicate-javascript@2fd6f39
// (index.d.ts, lib/predictions.js, lib/util.js) and the model pages' API schemas: POST
// /models/{owner}/{name}/predictions {input} returns a Prediction; GET /predictions/{id} moves
// starting → processing → succeeded (output: a URL, or a list) | failed (error) | canceled |
// aborted; POST /predictions/{id}/cancel. The official client retries non-GET calls only on 429,
// as we do. A prediction flagged by the safety checker fails with error code E005.
import type { AdapterCall, CheckResult, CloudAdapter } from '../cloud/cloud-adapter.js';
import type { CatalogueEntry } from '../cloud/catalogue.js';
import type { ImageInputLimits } from '../../domain/model-card.js';
import { KeyedAdapter } from '../cloud/keyed-adapter.js';
import { EngineError } from '../../domain/errors.js';
import { VEO_SIZES, failed, pick, requireJobId, sizeParam, str, unknownStatus } from '../cloud/wire.js';

export const REPLICATE_BASE_URL = 'https://api.replicate.com/v1';

interface ReplicateModel {
  /** owner/name on Replicate. */
  name: string;
}

// Reference images go inline as a data URI, which replicate.com/docs/topics/predictions/input-files
// recommends "only if the file is less than 1MB" (larger files belong on a URL or Replicate's files
// API). The model page (google/veo-3.1-fast, API schema) names no formats; these are the ones Méliès
// reads.
const IMAGE_INPUT: ImageInputLimits = {
  types: ['image/png', 'image/jpeg', 'image/webp'], maxBytes: 1_000_000, via: 'inline as a data URI, which Replicate recommends only under 1 MB',
};

const veoCard = { engine: 'replicate', seconds: [4, 6, 8], defaultSeconds: 8, sizes: Object.keys(VEO_SIZES), defaultSize: '1280x720', fps: [24], defaultFps: 24,
  inputs: ['text' as const, 'image' as const], imageInput: IMAGE_INPUT, seed: true, remix: false, audio: true, negativePrompt: true };

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

  async create(c: AdapterCall<ReplicateModel>): Promise<string> {
    const { job, entry } = c;
    const image = await c.image();
    const input = {
      prompt: job.prompt, duration: job.seconds, ...sizeParam(VEO_SIZES, job.width, job.height), seed: job.seed, generate_audio: true,
      ...(image ? { image: image.dataUrl } : {}),
      ...(job.negativePrompt ? { negative_prompt: job.negativePrompt } : {}),
    };
    const res = await c.http.request({ method: 'POST', path: `/models/${entry.provider.name}/predictions`, body: { input }, kind: 'create', signal: c.signal });
    return requireJobId(res.data, 'id', this.label, 'prediction id');
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
        // E005: the safety checker flagged the input or output.
        const reason = str(pick(data, 'error')) ?? 'no reason given';
        return failed(this.label, reason, { policy: /\bE005\b/.test(reason) });
      }
      case 'canceled':
      case 'aborted':
        return { state: 'failed', error: new EngineError('cancelled_at_provider', `The prediction was ${status} at Replicate.`) };
      default:
        throw unknownStatus(this.label, 'prediction status', status);
    }
  }

  async cancel(id: string, c: AdapterCall<ReplicateModel>): Promise<void> {
    await c.http.request({ method: 'POST', path: `/predictions/${encodeURIComponent(id)}/cancel`, kind: 'cancel', signal: c.signal });
  }
}
