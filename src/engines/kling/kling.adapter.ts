// Kling (api-singapore.klingai.com). Wire format from the Kling developer docs
// (app.klingai.com/global/dev/document-api: apiReference/commonInfo, model/textToVideo,
// model/imageToVideo), read through the copies cited in engines-wire.md §5: every answer is wrapped
// {code, message, request_id, data}; create returns data.task_id; GET /v1/videos/{text2video|
// image2video}/{task_id} moves submitted → processing → succeed (task_result.videos[0].url) |
// failed (task_status_msg). Errors: HTTP status + code (1000–1004 auth, 1100–1102 account and
// balance, 1200–1201 parameters, 1300–1304 policy with 1302/1303 rate and concurrency limits,
// 5000+ server). We send our video id as external_task_id so the operator can match tasks.
import type { ProviderAnswer, ProviderFault } from '../cloud/http-client.js';
import type { AdapterCall, CheckResult, CloudAdapter } from '../cloud/cloud-adapter.js';
import type { RequestShape } from '../request-shape.js';
import type { CatalogueEntry } from '../cloud/catalogue.js';
import type { ImageInputLimits } from '../../domain/model-card.js';
import { EngineError } from '../../domain/errors.js';
import { CONTENT_WORDS, failed, faultFromStatus, mentionsMissingModel, messageOf, pick, requireJobId, sizeParam, str, unknownStatus } from '../cloud/wire.js';
import { KlingToken } from './kling-jwt.js';

export const KLING_BASE_URL = 'https://api-singapore.klingai.com';

interface KlingModel {
  name: string;
  sound: boolean;
}

/** Card size → aspect_ratio and mode (std renders 720p, pro 1080p). */
const SIZES: Record<string, { aspect_ratio: string; mode: 'std' | 'pro' }> = {
  '1280x720': { aspect_ratio: '16:9', mode: 'std' },
  '720x1280': { aspect_ratio: '9:16', mode: 'std' },
  '720x720': { aspect_ratio: '1:1', mode: 'std' },
  '1920x1080': { aspect_ratio: '16:9', mode: 'pro' },
  '1080x1920': { aspect_ratio: '9:16', mode: 'pro' },
  '1080x1080': { aspect_ratio: '1:1', mode: 'pro' },
};
// Reference images (image2video `image`, sent as raw base64), from the Kling API reference
// (app.klingai.com/global/dev/document-api, model/imageToVideo) as its resellers copy it (novita.ai
// kling-v2.6-pro-i2v, docs.comfy.org Kling nodes): .jpg/.jpeg/.png, at most 10 MB, width and height
// at least 300 px, aspect ratio between 1:2.5 and 2.5:1.
const IMAGE_INPUT: ImageInputLimits = {
  types: ['image/png', 'image/jpeg'], maxBytes: 10_000_000, minSide: 300, minAspect: 0.4, maxAspect: 2.5,
};
const PRO_SIZES = ['1920x1080', '1080x1920', '1080x1080'];

const CATALOGUE: CatalogueEntry<KlingModel>[] = [
  {
    card: {
      id: 'kling/kling-v2-5-turbo', engine: 'kling', label: 'Kling 2.5 Turbo',
      description: "Kling's 2.5 Turbo: 5 or 10 seconds from text or a first-frame image, standard mode at 720p or pro mode at 1080p (16:9, 9:16, 1:1). Takes a negative prompt; no seed, no audio. With an image the aspect ratio follows the image.",
      seconds: [5, 10], defaultSeconds: 5, sizes: Object.keys(SIZES), defaultSize: '1280x720', fps: [24], defaultFps: 24,
      inputs: ['text', 'image'], imageInput: IMAGE_INPUT, seed: false, remix: false, audio: false, negativePrompt: true,
      // image2video's `image_tail` (engines-wire.md §5, K model/imageToVideo), beside the first frame `image`.
      lastFrame: true,
    },
    price: { usdPerSecond: 0.07, source: 'Kling API pro-mode rate ($0.35 per 5 s) from secondary listings; std is cheaper', checkedAt: '2026-11-20' },
    provider: { name: 'kling-v2-5-turbo', sound: false },
  },
  {
    card: {
      id: 'kling/kling-v2-6', engine: 'kling', label: 'Kling 2.6 (with sound)',
      description: "Kling 2.6 in pro mode with generated sound: 5 or 10 seconds at 1080p (16:9, 9:16, 1:1) from text or a first-frame image. Takes a negative prompt; no seed.",
      seconds: [5, 10], defaultSeconds: 5, sizes: PRO_SIZES, defaultSize: '1920x1080', fps: [24], defaultFps: 24,
      inputs: ['text', 'image'], imageInput: IMAGE_INPUT, seed: false, remix: false, audio: true, negativePrompt: true,
      lastFrame: true, // image_tail, as above
    },
    price: { usdPerSecond: 0.14, source: 'Kling API pro mode with sound, from secondary listings', checkedAt: '2026-11-20' },
    provider: { name: 'kling-v2-6', sound: true },
  },
];

export class KlingAdapter implements CloudAdapter<KlingModel> {
  readonly id = 'kling';
  readonly label = 'Kling';
  readonly keyName = 'KLING_ACCESS_KEY and KLING_SECRET_KEY';
  readonly defaultBaseUrl = KLING_BASE_URL;
  private readonly token: KlingToken;

  constructor(private readonly accessKey: string, private readonly secretKey: string, now: () => number = Date.now) {
    this.token = new KlingToken(accessKey, secretKey, now);
  }

  authHeaders() {
    return { authorization: `Bearer ${this.token.get()}` };
  }

  secrets() {
    return [this.secretKey, this.accessKey, this.token.get()];
  }

  catalogue() {
    return CATALOGUE;
  }

  requestProblem(_e: CatalogueEntry<KlingModel>, r: RequestShape) {
    if (r.promptLength > 2500) return { message: `Kling takes prompts of up to 2500 characters; this one has ${r.promptLength}.`, param: 'prompt' };
    // image_tail is a field of image2video, which needs `image`: Kling has no last frame alone.
    if (r.hasLastFrame && !r.hasImage) return { message: "Kling takes a last frame ('image_tail') only with a first frame: send 'input_reference' too.", param: 'last_frame' };
    return null;
  }

  classify(a: ProviderAnswer): ProviderFault | null {
    const code = pick(a.body, 'code');
    const message = messageOf(a);
    if (a.status >= 200 && a.status < 300 && (code === 0 || code === undefined)) return null;
    if (typeof code === 'number' && code !== 0) {
      if (code >= 1000 && code <= 1004) return { kind: 'auth', message };
      if (code >= 1100 && code <= 1102) return { kind: 'billing', message };
      if (code === 1302 || code === 1303) return { kind: 'rate_limited', message };
      if (code >= 1300 && code <= 1399) return { kind: code === 1301 || CONTENT_WORDS.test(message) ? 'content_policy' : 'auth', message };
      if (code >= 1200 && code <= 1299) return { kind: mentionsMissingModel(message) ? 'model_not_found' : 'bad_request', message };
      if (code >= 5000) return { kind: 'server', message };
    }
    return { kind: faultFromStatus(a.status, message) ?? 'server', message };
  }

  async create(c: AdapterCall<KlingModel>): Promise<string> {
    const { job, entry } = c;
    const size = sizeParam(SIZES, job.width, job.height);
    const image = await c.image();
    const last = image ? await c.lastFrame() : null;
    const kind = image ? 'image2video' : 'text2video';
    const body: Record<string, unknown> = {
      model_name: entry.provider.name, prompt: job.prompt, mode: size.mode, duration: String(job.seconds), external_task_id: job.videoId,
      ...(image ? { image: image.base64 } : { aspect_ratio: size.aspect_ratio }),
      ...(last ? { image_tail: last.base64 } : {}),
      ...(job.negativePrompt ? { negative_prompt: job.negativePrompt } : {}),
      ...(entry.provider.sound ? { sound: 'on' } : {}),
    };
    const res = await c.http.request({ method: 'POST', path: `/v1/videos/${kind}`, body, kind: 'create', signal: c.signal });
    const id = requireJobId(res.data, 'data.task_id', this.label, 'task id');
    // Polls go to the endpoint the task was made on, so the kind travels with the id.
    return `${kind}:${id}`;
  }

  async check(providerJobId: string, c: AdapterCall<KlingModel>): Promise<CheckResult> {
    const [kind, id] = splitId(providerJobId);
    const { data } = await c.http.request({ method: 'GET', path: `/v1/videos/${kind}/${encodeURIComponent(id)}`, kind: 'read', signal: c.signal });
    const status = str(pick(data, 'data.task_status'));
    switch (status) {
      case 'submitted':
        return { state: 'running', progress: 0 };
      case 'processing':
        return { state: 'running' };
      case 'succeed': {
        const url = str(pick(data, 'data.task_result.videos.0.url'));
        if (!url) return { state: 'failed', error: new EngineError('provider_bad_output', 'Kling says the task succeeded but gives no video.') };
        return { state: 'succeeded', url };
      }
      case 'failed':
        return failed(this.label, str(pick(data, 'data.task_status_msg')) ?? 'no reason given');
      default:
        throw unknownStatus(this.label, 'task status', status);
    }
  }
}

function splitId(providerJobId: string): [string, string] {
  const i = providerJobId.indexOf(':');
  const kind = providerJobId.slice(0, i);
  if (i < 0 || (kind !== 'text2video' && kind !== 'image2video')) return ['text2video', providerJobId];
  return [kind, providerJobId.slice(i + 1)];
}
