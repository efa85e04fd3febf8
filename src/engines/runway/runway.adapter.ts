// Runway's developer API (api.dev.runwayml.com). Wire format from runwayml/sdk-node@ecb7e33
// (src/resources/{text-to-video,image-to-video,tasks}.ts) and docs.dev.runwayml.com (errors,
// task-failures, inputs): a create returns {id}; GET /v1/tasks/{id} moves PENDING | THROTTLED |
// RUNNING (+progress 0–1) → SUCCEEDED (output: [url], expiring in 24–48 h) | FAILED (failure,
// failureCode; SAFETY.* is moderation) | CANCELLED. DELETE cancels. Runway documents 502/503/504 as
// shed load, safe to retry; nothing else on a create is.
// Edits go to Aleph 2 (runwayml/sdk-node@007ef13 src/resources/video-to-video.ts: POST
// /v1/video_to_video {model: 'aleph2', videoUri, promptText, seed}), with the source uploaded first
// (src/resources/uploads.ts: POST /v1/uploads {filename, type: 'ephemeral'} → {runwayUri,
// uploadUrl, fields}, then the file as a form POST to uploadUrl). Aleph 2 takes 2–30 s videos at
// up to 30 fps and keeps their size (ComfyUI's RunwayAleph2VideoToVideoNode docs); its price is
// 28 credits a second (inference.sh's listing of runway/aleph-2).
import { openAsBlob } from 'node:fs';
import type { ProviderAnswer, ProviderFault } from '../cloud/http-client.js';
import type { AdapterCall, CheckResult, CloudAdapter } from '../cloud/cloud-adapter.js';
import type { RequestShape } from '../request-shape.js';
import type { CatalogueEntry } from '../cloud/catalogue.js';
import { fileBytesInDataUri, type ImageInputLimits } from '../../domain/model-card.js';
import { KeyedAdapter } from '../cloud/keyed-adapter.js';
import { ProviderUnavailable } from '../cloud/errors.js';
import { EngineError } from '../../domain/errors.js';
import { BILLING_WORDS, classifyStatus, failed, pick, requireJobId, sizeParam, str, unknownStatus } from '../cloud/wire.js';

export const RUNWAY_BASE_URL = 'https://api.dev.runwayml.com';
export const RUNWAY_VERSION = '2024-11-06';

interface RunwayModel {
  name: string;
  /** Card size → Runway's `ratio`. */
  ratios: Record<string, string>;
  /** Ratios Runway takes only with an image (image_to_video). */
  imageOnlyRatios: string[];
  textToVideo: boolean;
  seed: boolean;
  veo: boolean;
  /** Re-makes a video (video_to_video) instead of making one from text or an image. */
  videoToVideo?: boolean;
}

const GEN4_RATIOS = { '1280x720': '1280:720', '720x1280': '720:1280', '1104x832': '1104:832', '832x1104': '832:1104', '960x960': '960:960', '1584x672': '1584:672' };
const VEO_RATIOS = { '1280x720': '1280:720', '720x1280': '720:1280', '1920x1080': '1920:1080', '1080x1920': '1080:1920' };
// Reference images, from docs.dev.runwayml.com/assets/inputs ("Size limits": an image may be 16 MB
// by URL, 5 MB as a data URI, 200 MB as an ephemeral upload; JPEG, PNG and WebP, no GIF, as
// runwayml/skills rw-api-reference repeats; width ÷ height between 0.5 and 2). This adapter sends
// the image inline, so the 5 MB data-URI cap is the one that applies, to the base64 text.
const IMAGE_INPUT: ImageInputLimits = {
  types: ['image/png', 'image/jpeg', 'image/webp'],
  maxBytes: fileBytesInDataUri(5_000_000), via: 'inline as a data URI, which Runway caps at 5 MB',
  minAspect: 0.5, maxAspect: 2,
};
const PRICE_SOURCE = 'Runway API credits at $0.01 (docs.dev.runwayml.com pricing, via a secondary listing)';
const CHECKED = '2026-11-20';

const CATALOGUE: CatalogueEntry<RunwayModel>[] = [
  {
    card: {
      id: 'runway/gen4.5', engine: 'runway', label: 'Runway Gen-4.5',
      description: "Runway's flagship model, text or image to video, 2 to 10 seconds at 720p. Without an image only 16:9 and 9:16 are offered; with one, four more ratios. Takes a seed; no audio.",
      seconds: { min: 2, max: 10, step: 1 }, defaultSeconds: 5, sizes: Object.keys(GEN4_RATIOS), defaultSize: '1280x720',
      fps: [24], defaultFps: 24, inputs: ['text', 'image'], imageInput: IMAGE_INPUT, seed: true, remix: false, audio: false,
    },
    price: { usdPerSecond: 0.12, source: `12 ${PRICE_SOURCE}`, checkedAt: CHECKED },
    provider: { name: 'gen4.5', ratios: GEN4_RATIOS, imageOnlyRatios: ['1104:832', '832:1104', '960:960', '1584:672'], textToVideo: true, seed: true, veo: false },
  },
  {
    card: {
      id: 'runway/gen4_turbo', engine: 'runway', label: 'Runway Gen-4 Turbo',
      description: 'Fast, inexpensive image-to-video: it needs an input image (the first frame) and animates it for 2 to 10 seconds at 720p in six aspect ratios. Takes a seed; no audio.',
      seconds: { min: 2, max: 10, step: 1 }, defaultSeconds: 5, sizes: Object.keys(GEN4_RATIOS), defaultSize: '1280x720',
      fps: [24], defaultFps: 24, inputs: ['text', 'image'], imageInput: IMAGE_INPUT, seed: true, remix: false, audio: false,
    },
    price: { usdPerSecond: 0.05, source: `5 ${PRICE_SOURCE}`, checkedAt: CHECKED },
    provider: { name: 'gen4_turbo', ratios: GEN4_RATIOS, imageOnlyRatios: Object.values(GEN4_RATIOS), textToVideo: false, seed: true, veo: false },
  },
  {
    card: {
      id: 'runway/veo3.1', engine: 'runway', label: 'Veo 3.1 (via Runway)',
      description: "Google's Veo 3.1 served by Runway: 4, 6 or 8 seconds at 720p or 1080p, 16:9 or 9:16, with generated audio, from text or a first-frame image; takes a negative prompt, not a seed.",
      seconds: [4, 6, 8], defaultSeconds: 8, sizes: Object.keys(VEO_RATIOS), defaultSize: '1280x720',
      fps: [24], defaultFps: 24, inputs: ['text', 'image'], imageInput: IMAGE_INPUT, seed: false, remix: false, audio: true, negativePrompt: true,
      // promptImage [{uri, position: 'last'}] is taken "only on veo3.1 and seedance" (engines-wire.md §3, R image-to-video.ts).
      lastFrame: true,
    },
    price: { usdPerSecond: 0.4, source: `40 ${PRICE_SOURCE}, with audio`, checkedAt: CHECKED },
    provider: { name: 'veo3.1', ratios: VEO_RATIOS, imageOnlyRatios: [], textToVideo: true, seed: false, veo: true },
  },
  {
    card: {
      id: 'runway/veo3.1_fast', engine: 'runway', label: 'Veo 3.1 Fast (via Runway)',
      description: "The faster, cheaper Veo 3.1 served by Runway: 4, 6 or 8 seconds at 720p or 1080p, 16:9 or 9:16, with generated audio; takes a negative prompt, not a seed.",
      seconds: [4, 6, 8], defaultSeconds: 8, sizes: Object.keys(VEO_RATIOS), defaultSize: '1280x720',
      fps: [24], defaultFps: 24, inputs: ['text', 'image'], imageInput: IMAGE_INPUT, seed: false, remix: false, audio: true, negativePrompt: true,
      // promptImage [{uri, position: 'last'}] is taken "only on veo3.1 and seedance" (engines-wire.md §3, R image-to-video.ts).
      lastFrame: true,
    },
    price: { usdPerSecond: 0.15, source: `15 ${PRICE_SOURCE}, with audio`, checkedAt: CHECKED },
    provider: { name: 'veo3.1_fast', ratios: VEO_RATIOS, imageOnlyRatios: [], textToVideo: true, seed: false, veo: true },
  },
  {
    card: {
      id: 'runway/aleph2', engine: 'runway', label: 'Runway Aleph 2 (video to video)',
      description: "Runway's video editor: it re-makes an existing video with the change you describe (relight, restyle, add or remove things), keeping its motion, timing and size. Edits only (POST /v1/videos/edits), of videos 2 to 30 seconds long at up to 30 fps; takes a seed.",
      seconds: { min: 2, max: 30, step: 1 }, defaultSeconds: 5, sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920'], defaultSize: '1280x720',
      sizeRange: { minWidth: 128, maxWidth: 1920, minHeight: 128, maxHeight: 1920, maxPixels: 1920 * 1080, multipleOf: 2 },
      fps: [12, 15, 24, 25, 30], defaultFps: 24, inputs: ['video'], seed: true, remix: false, audio: false, extend: false, edit: true,
    },
    price: { usdPerSecond: 0.28, source: `28 ${PRICE_SOURCE}, per second of the edited video`, checkedAt: CHECKED },
    provider: { name: 'aleph2', ratios: {}, imageOnlyRatios: [], textToVideo: false, seed: true, veo: false, videoToVideo: true },
  },
];

export class RunwayAdapter extends KeyedAdapter<RunwayModel> implements CloudAdapter<RunwayModel> {
  readonly id = 'runway';
  readonly label = 'Runway';
  readonly keyName = 'RUNWAY_API_KEY';
  readonly defaultBaseUrl = RUNWAY_BASE_URL;
  readonly minPollMs = 5000; // "should not expect updates more frequent than once every five seconds"
  readonly createRetryStatuses = [502, 503, 504];

  constructor(apiKey: string) {
    super(apiKey, CATALOGUE);
  }

  override authHeaders() {
    return { authorization: `Bearer ${this.apiKey}`, 'x-runway-version': RUNWAY_VERSION };
  }

  requestProblem(e: CatalogueEntry<RunwayModel>, r: RequestShape) {
    if (e.provider.videoToVideo) return r.promptLength > 1000 ? { message: `Runway takes prompts of up to 1000 characters; this one has ${r.promptLength}.`, param: 'prompt' } : null;
    const ratio = e.provider.ratios[`${r.width}x${r.height}`];
    if (!r.hasImage && !e.provider.textToVideo) return { message: `${e.card.id} animates an image: send an input_reference (the first frame).`, param: 'input_reference' };
    if (!r.hasImage && ratio && e.provider.imageOnlyRatios.includes(ratio)) {
      return { message: `${e.card.id} makes ${r.width}x${r.height} only from an input image; without one use 1280x720 or 720x1280.`, param: 'size' };
    }
    if (r.promptLength > 1000) return { message: `Runway takes prompts of up to 1000 characters; this one has ${r.promptLength}.`, param: 'prompt' };
    return null;
  }

  override classify(a: ProviderAnswer): ProviderFault | null {
    // Runway answers 400 for a missing balance too ("You do not have enough credits").
    return classifyStatus(a, (message) => (a.status === 400 && BILLING_WORDS.test(message) && /credit/i.test(message) ? 'billing' : null));
  }

  async create(c: AdapterCall<RunwayModel>): Promise<string> {
    const { job, entry } = c;
    const p = entry.provider;
    if (p.videoToVideo) return this.createEdit(c);
    const image = await c.image();
    const last = await c.lastFrame();
    const promptImage = [...(image ? [{ uri: image.dataUrl, position: 'first' }] : []), ...(last ? [{ uri: last.dataUrl, position: 'last' }] : [])];
    const body: Record<string, unknown> = {
      model: p.name, promptText: job.prompt, ratio: sizeParam(p.ratios, job.width, job.height), duration: job.seconds,
      ...(p.seed ? { seed: job.seed } : {}),
      ...(p.veo ? { audio: true, ...(job.negativePrompt ? { negativePrompt: job.negativePrompt } : {}) } : {}),
      ...(promptImage.length ? { promptImage } : {}),
    };
    const res = await c.http.request({ method: 'POST', path: promptImage.length ? '/v1/image_to_video' : '/v1/text_to_video', body, kind: 'create', signal: c.signal });
    return requireJobId(res.data, 'id', this.label, 'task id');
  }

  /** An edit: the source goes to Runway's ephemeral storage, then Aleph re-makes it. */
  private async createEdit(c: AdapterCall<RunwayModel>): Promise<string> {
    const { job, entry } = c;
    if (!job.inputVideoPath) throw new EngineError('invalid_request', `${entry.card.id} re-makes an existing video, and this job has none.`);
    const uri = await this.uploadSource(c, job.inputVideoPath);
    const body = { model: entry.provider.name, videoUri: uri, promptText: job.prompt, seed: job.seed };
    const res = await c.http.request({ method: 'POST', path: '/v1/video_to_video', body, kind: 'create', signal: c.signal });
    return requireJobId(res.data, 'id', this.label, 'task id');
  }

  /**
   * The runway:// URI of the source video. Nothing is paid for yet, so a failure here says the
   * provider never got the job (ProviderUnavailable): a retry may upload again at once.
   */
  private async uploadSource(c: AdapterCall<RunwayModel>, file: string): Promise<string> {
    try {
      const { data } = await c.http.request({ method: 'POST', path: '/v1/uploads', body: { filename: 'source.mp4', type: 'ephemeral' }, kind: 'read', signal: c.signal });
      const uri = str(pick(data, 'runwayUri'));
      const uploadUrl = str(pick(data, 'uploadUrl'));
      const fields = pick(data, 'fields');
      if (!uri || !uploadUrl || !fields || typeof fields !== 'object') throw new EngineError('provider_error', 'Runway did not say where to upload the video.', { detail: JSON.stringify(data).slice(0, 300) });
      await c.http.uploadForm(uploadUrl, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])), await openAsBlob(file, { type: 'video/mp4' }), 'source.mp4', c.signal);
      return uri;
    } catch (err) {
      if (c.signal.aborted || err instanceof ProviderUnavailable) throw err;
      const e = err as EngineError;
      // A refusal about the request itself (a bad key, no credits) is as final here as on a create.
      if (e instanceof EngineError && !e.retryable && e.code !== 'provider_error') throw err;
      throw new ProviderUnavailable('Runway could not take the video to edit yet.', 'unreachable', 5000, { cause: err, detail: e instanceof EngineError ? e.detail ?? e.message : String(err) });
    }
  }

  async check(id: string, c: AdapterCall<RunwayModel>): Promise<CheckResult> {
    const { data } = await c.http.request({ method: 'GET', path: `/v1/tasks/${encodeURIComponent(id)}`, kind: 'read', signal: c.signal });
    const status = str(pick(data, 'status'));
    switch (status) {
      case 'PENDING':
      case 'THROTTLED':
        return { state: 'running', progress: 0 };
      case 'RUNNING': {
        const p = pick(data, 'progress');
        return { state: 'running', progress: typeof p === 'number' ? p : undefined };
      }
      case 'SUCCEEDED': {
        const url = str(pick(data, 'output.0'));
        if (!url) return { state: 'failed', error: new EngineError('provider_bad_output', 'Runway says the task succeeded but lists no output.') };
        return { state: 'succeeded', url };
      }
      case 'FAILED': {
        const failure = str(pick(data, 'failure')) ?? 'no reason given';
        const code = str(pick(data, 'failureCode'));
        return failed(this.label, `${failure.replace(/\.+$/, '')}${code ? ` (${code})` : ''}`, { policy: code?.startsWith('SAFETY'), note: 'Runway refunds failed tasks.' });
      }
      case 'CANCELLED':
        return { state: 'failed', error: new EngineError('cancelled_at_provider', 'The task was cancelled or deleted at Runway.') };
      default:
        throw unknownStatus(this.label, 'task status', status);
    }
  }

  async cancel(id: string, c: AdapterCall<RunwayModel>): Promise<void> {
    await c.http.request({ method: 'DELETE', path: `/v1/tasks/${encodeURIComponent(id)}`, kind: 'cancel', signal: c.signal });
  }
}
