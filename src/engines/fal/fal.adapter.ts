// fal's queue API (queue.fal.run). Wire format from fal-ai/fal-js@381105e
// (libs/client/src/{queue.ts,request.ts,response.ts,types/common.ts,utils.ts}) and the models'
// llms.txt pages: POST /{endpoint} with the model input returns {request_id, status: IN_QUEUE};
// GET /{owner}/{app}/requests/{id}/status → IN_QUEUE | IN_PROGRESS | COMPLETED; then GET
// /{owner}/{app}/requests/{id} gives the output ({video: {url}}) or the model's error. Status,
// result and cancel use only owner/app, not the full endpoint path (parseEndpointId). Auth is
// `Key <FAL_KEY>`; errors are {detail: string | [{loc, msg, type}]}, type content_policy_violation
// for refusals.
import type { ProviderAnswer, ProviderFault } from '../cloud/http-client.js';
import type { AdapterCall, CheckResult, CloudAdapter } from '../cloud/cloud-adapter.js';
import type { CatalogueEntry } from '../cloud/catalogue.js';
import { KeyedAdapter } from '../cloud/keyed-adapter.js';
import { EngineError } from '../../domain/errors.js';
import { VEO_SIZES, classifyStatus, pick, requireJobId, sizeParam, str, unknownStatus } from '../cloud/wire.js';

export const FAL_QUEUE_URL = 'https://queue.fal.run';

interface FalModel {
  endpoint: string;
  input: (job: AdapterCall['job']) => Record<string, unknown>;
}

/** owner/app of an endpoint id: what status, result and cancel paths use. */
export function falApp(endpoint: string): string {
  return endpoint.split('/').slice(0, 2).join('/');
}

const KLING_SIZES: Record<string, string> = { '1920x1080': '16:9', '1080x1920': '9:16', '1080x1080': '1:1' };

const CATALOGUE: CatalogueEntry<FalModel>[] = [
  {
    card: {
      id: 'fal/fal-ai/veo3/fast', engine: 'fal', label: 'Veo 3 Fast (via fal)',
      description: "Google's Veo 3 Fast on fal: 4, 6 or 8 seconds at 720p or 1080p, 16:9 or 9:16, with generated audio, from text. Takes a seed and a negative prompt.",
      seconds: [4, 6, 8], defaultSeconds: 8, sizes: Object.keys(VEO_SIZES), defaultSize: '1280x720', fps: [24], defaultFps: 24,
      inputs: ['text'], seed: true, remix: false, audio: true, negativePrompt: true,
    },
    price: { usdPerSecond: 0.15, source: 'fal.ai/models/fal-ai/veo3/fast pricing, audio on', checkedAt: '2026-11-20' },
    provider: {
      endpoint: 'fal-ai/veo3/fast',
      input: (j) => ({ prompt: j.prompt, duration: `${j.seconds}s`, ...sizeParam(VEO_SIZES, j.width, j.height), seed: j.seed, generate_audio: true, ...(j.negativePrompt ? { negative_prompt: j.negativePrompt } : {}) }),
    },
  },
  {
    card: {
      id: 'fal/fal-ai/kling-video/v2.5-turbo/pro/text-to-video', engine: 'fal', label: 'Kling 2.5 Turbo Pro (via fal)',
      description: "Kling 2.5 Turbo in pro mode on fal: 5 or 10 seconds at 1080p, 16:9, 9:16 or 1:1, from text. Takes a negative prompt; no seed, no audio.",
      seconds: [5, 10], defaultSeconds: 5, sizes: Object.keys(KLING_SIZES), defaultSize: '1920x1080', fps: [24], defaultFps: 24,
      inputs: ['text'], seed: false, remix: false, audio: false, negativePrompt: true,
    },
    price: { usdPerSecond: 0.07, source: 'fal.ai model page for kling-video v2.5-turbo pro ($0.35 per 5 s), secondary listing', checkedAt: '2026-11-20' },
    provider: {
      endpoint: 'fal-ai/kling-video/v2.5-turbo/pro/text-to-video',
      input: (j) => ({ prompt: j.prompt, duration: String(j.seconds), aspect_ratio: sizeParam(KLING_SIZES, j.width, j.height), ...(j.negativePrompt ? { negative_prompt: j.negativePrompt } : {}) }),
    },
  },
];

export class FalAdapter extends KeyedAdapter<FalModel> implements CloudAdapter<FalModel> {
  readonly id = 'fal';
  readonly label = 'fal';
  readonly keyName = 'FAL_KEY';
  readonly defaultBaseUrl = FAL_QUEUE_URL;
  readonly modelInCreatePath = true; // POST /{endpoint id}

  constructor(apiKey: string) {
    super(apiKey, CATALOGUE);
  }

  override authHeaders() {
    return { authorization: `Key ${this.apiKey}` };
  }

  override classify(a: ProviderAnswer): ProviderFault | null {
    return classifyStatus(a, () => {
      const detail = pick(a.body, 'detail');
      return Array.isArray(detail) && detail.some((d) => str(pick(d, 'type')) === 'content_policy_violation') ? 'content_policy' : null;
    });
  }

  async create(c: AdapterCall<FalModel>): Promise<string> {
    const { job, entry } = c;
    const res = await c.http.request({ method: 'POST', path: `/${entry.provider.endpoint}`, body: entry.provider.input(job), kind: 'create', signal: c.signal });
    return requireJobId(res.data, 'request_id', this.label, 'request id');
  }

  async check(id: string, c: AdapterCall<FalModel>): Promise<CheckResult> {
    const base = `/${falApp(c.entry.provider.endpoint)}/requests/${encodeURIComponent(id)}`;
    const { data } = await c.http.request({ method: 'GET', path: `${base}/status`, query: { logs: '0' }, kind: 'read', signal: c.signal });
    const status = str(pick(data, 'status'));
    if (status === 'IN_QUEUE') return { state: 'running', progress: 0 };
    if (status === 'IN_PROGRESS') return { state: 'running' };
    if (status !== 'COMPLETED') throw unknownStatus(this.label, 'request status', status);
    // A model's failure shows up here, as the result's own error status (422 for refusals).
    const result = await c.http.request({ method: 'GET', path: base, kind: 'read', signal: c.signal });
    const url = str(pick(result.data, 'video.url'));
    if (!url) return { state: 'failed', error: new EngineError('provider_bad_output', 'fal says the request completed but its output has no video URL.') };
    return { state: 'succeeded', url };
  }

  async cancel(id: string, c: AdapterCall<FalModel>): Promise<void> {
    await c.http.request({ method: 'PUT', path: `/${falApp(c.entry.provider.endpoint)}/requests/${encodeURIComponent(id)}/cancel`, kind: 'cancel', signal: c.signal });
  }
}
