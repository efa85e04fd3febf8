// Google Veo on the Gemini Developer API (generativelanguage.googleapis.com/v1beta). Wire format
// from googleapis/js-genai@6e9b35c (src/models.ts, src/operations.ts,
// src/converters/_models_converters.ts) and ai.google.dev/gemini-api/docs/video: POST
// /models/{model}:predictLongRunning {instances: [{prompt, image?}], parameters: {durationSeconds,
// aspectRatio, resolution, negativePrompt?}} returns an Operation {name}; GET /{name} until `done`
// (there is no status enum); the video is response.generateVideoResponse.generatedSamples[0]
// .video.uri, fetched with the API key, following redirects. A filtered request ends done with
// raiMediaFilteredCount > 0 and reasons. The Gemini API takes no seed (the SDK refuses it there).
// Errors are Google JSON: {error: {code, message, status}}. The key goes in x-goog-api-key, never
// the URL.
import type { ProviderAnswer, ProviderFault } from '../cloud/http-client.js';
import type { AdapterCall, CheckResult, CloudAdapter } from '../cloud/cloud-adapter.js';
import type { RequestShape } from '../request-shape.js';
import type { CatalogueEntry } from '../cloud/catalogue.js';
import { fileBytesInDataUri, type ImageInputLimits } from '../../domain/model-card.js';
import { KeyedAdapter } from '../cloud/keyed-adapter.js';
import { EngineError } from '../../domain/errors.js';
import { CONTENT_POLICY } from '../cloud/errors.js';
import { CONTENT_WORDS, classifyStatus, failed, mentionsMissingModel, pick, requireJobId, sizeParam, str } from '../cloud/wire.js';

export const VEO_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

interface VeoModel {
  /** 1080p only at 8 seconds (GD: 1080p, 4k, reference images and extension need 8 s). */
  hdNeedsEight: boolean;
  /** Takes `referenceImages` (Veo 3.1: up to 3 "asset" images of a subject, at 8 s): characters' looks. */
  referenceImages: boolean;
}

const SIZES: Record<string, { aspectRatio: string; resolution: string }> = {
  '1280x720': { aspectRatio: '16:9', resolution: '720p' },
  '720x1280': { aspectRatio: '9:16', resolution: '720p' },
  '1920x1080': { aspectRatio: '16:9', resolution: '1080p' },
  '1080x1920': { aspectRatio: '9:16', resolution: '1080p' },
};
const SD = ['1280x720', '720x1280'];
// Reference images (`image.bytesBase64Encoded` + `mimeType`), from the Veo API reference
// (cloud.google.com/vertex-ai/generative-ai/docs/model-reference/veo-video-generation: mimeType
// image/jpeg or image/png; "Maximum image size uploaded or sent in a request: 20 MB" in the Veo
// generate-videos page). The Gemini API caps a request with inline data at 20 MB, and the image
// travels there as base64, so the file itself may be about three quarters of that.
const IMAGE_INPUT: ImageInputLimits = {
  types: ['image/png', 'image/jpeg'], maxBytes: fileBytesInDataUri(20_000_000) - 100_000, via: 'inline as base64 in a request Google caps at 20 MB',
};
const PRICE = 'Gemini API Veo pricing as quoted by secondary sources (aifreeapi.com, verified against ai.google.dev 2026-03)';

function veo3(id: string, label: string, description: string, usdPerSecond: number, referenceImages = false): CatalogueEntry<VeoModel> {
  return {
    card: {
      id, engine: 'veo', label, description,
      seconds: [4, 6, 8], defaultSeconds: 8, sizes: Object.keys(SIZES), defaultSize: '1280x720', fps: [24], defaultFps: 24,
      inputs: ['text', 'image'], imageInput: IMAGE_INPUT, seed: false, remix: false, audio: true, negativePrompt: true, characters: referenceImages,
      // instances[0].lastFrame (engines-wire.md §2; G _models_converters.ts) is Veo 3.1's: first and last frames.
      ...(id.startsWith('veo-3.1') ? { lastFrame: true } : {}),
    },
    price: { usdPerSecond, source: PRICE, checkedAt: '2026-11-20' },
    provider: { hdNeedsEight: true, referenceImages },
  };
}

const CATALOGUE: CatalogueEntry<VeoModel>[] = [
  veo3('veo-3.1-generate-preview', 'Veo 3.1 (preview)', "Google's Veo 3.1: 4, 6 or 8 seconds at 720p (1080p at 8 s), 16:9 or 9:16, 24 fps, with generated audio, from text or a first-frame image. Takes a negative prompt; the Gemini API takes no seed. Characters go as reference images (8 s only).", 0.4, true),
  veo3('veo-3.1-fast-generate-preview', 'Veo 3.1 Fast (preview)', "The faster, cheaper Veo 3.1: 4, 6 or 8 seconds at 720p (1080p at 8 s), 16:9 or 9:16, with generated audio, from text or a first-frame image. Negative prompt yes, seed no. Characters go as reference images (8 s only).", 0.15, true),
  veo3('veo-3.0-generate-001', 'Veo 3', "Google's Veo 3: 4, 6 or 8 seconds at 720p (1080p at 8 s), 16:9 or 9:16, with generated audio, from text or a first-frame image. Negative prompt yes, seed no.", 0.4),
  veo3('veo-3.0-fast-generate-001', 'Veo 3 Fast', "The faster, cheaper Veo 3: 4, 6 or 8 seconds at 720p (1080p at 8 s), 16:9 or 9:16, with generated audio, from text or a first-frame image. Negative prompt yes, seed no.", 0.15),
  {
    card: {
      id: 'veo-2.0-generate-001', engine: 'veo', label: 'Veo 2',
      description: "Google's Veo 2: 5 to 8 seconds at 720p, 16:9 or 9:16, silent, from text or a first-frame image. Negative prompt yes, seed no.",
      seconds: { min: 5, max: 8, step: 1 }, defaultSeconds: 8, sizes: SD, defaultSize: '1280x720', fps: [24], defaultFps: 24,
      inputs: ['text', 'image'], imageInput: IMAGE_INPUT, seed: false, remix: false, audio: false, negativePrompt: true,
    },
    price: { usdPerSecond: 0.35, source: PRICE, checkedAt: '2026-11-20' },
    provider: { hdNeedsEight: false, referenceImages: false },
  },
];

export class VeoAdapter extends KeyedAdapter<VeoModel> implements CloudAdapter<VeoModel> {
  readonly id = 'veo';
  readonly label = 'Google Veo';
  readonly keyName = 'GEMINI_API_KEY';
  readonly defaultBaseUrl = VEO_BASE_URL;

  constructor(apiKey: string) {
    super(apiKey, CATALOGUE);
  }

  override authHeaders() {
    return { 'x-goog-api-key': this.apiKey };
  }

  requestProblem(e: CatalogueEntry<VeoModel>, r: RequestShape) {
    if (r.characters && e.provider.referenceImages && r.seconds !== 8) {
      return { message: `${e.card.id} takes characters (as reference images) only at 8 seconds; use 8 seconds.`, param: 'seconds' };
    }
    if (e.provider.hdNeedsEight && r.seconds !== 8 && SIZES[`${r.width}x${r.height}`]?.resolution === '1080p') {
      return { message: `${e.card.id} makes 1080p only at 8 seconds; use 8 seconds or 1280x720/720x1280.`, param: 'seconds' };
    }
    // Veo interpolates between two frames: a last frame goes with a first (ai.google.dev/gemini-api/docs/video).
    if (r.hasLastFrame && !r.hasImage) return { message: `${e.card.id} takes a last frame only together with a first: send 'input_reference' too.`, param: 'last_frame' };
    return null;
  }

  override classify(a: ProviderAnswer): ProviderFault | null {
    return classifyStatus(a, (message) => {
      const status = str(pick(a.body, 'error.status'));
      if (status === 'RESOURCE_EXHAUSTED') return 'rate_limited';
      if (status === 'PERMISSION_DENIED' && /billing/i.test(message)) return 'billing';
      if (status === 'PERMISSION_DENIED' || status === 'UNAUTHENTICATED') return 'auth';
      if (status === 'NOT_FOUND' && mentionsMissingModel(message)) return 'model_not_found';
      // Google answers a bad key with 400 INVALID_ARGUMENT.
      if (/API key not valid|API_KEY_INVALID/i.test(message)) return 'auth';
      return null;
    });
  }

  async create(c: AdapterCall<VeoModel>): Promise<string> {
    const { job } = c;
    const image = await c.image();
    // Characters' looks as subject references (Veo 3.1 `referenceImages`, referenceType "asset").
    const references = c.entry.provider.referenceImages ? await c.characterImages() : [];
    const last = await c.lastFrame();
    const body = {
      instances: [{
        prompt: job.prompt, ...(image ? { image: { bytesBase64Encoded: image.base64, mimeType: image.mimeType } } : {}),
        ...(references.length ? { referenceImages: references.map((r) => ({ image: { bytesBase64Encoded: r.base64, mimeType: r.mimeType }, referenceType: 'asset' })) } : {}),
        ...(last ? { lastFrame: { bytesBase64Encoded: last.base64, mimeType: last.mimeType } } : {}),
      }],
      parameters: { sampleCount: 1, durationSeconds: job.seconds, ...sizeParam(SIZES, job.width, job.height), ...(job.negativePrompt ? { negativePrompt: job.negativePrompt } : {}) },
    };
    const res = await c.http.request({ method: 'POST', path: `/models/${encodeURIComponent(job.model)}:predictLongRunning`, body, kind: 'create', signal: c.signal });
    return requireJobId(res.data, 'name', this.label, 'operation name');
  }

  async check(name: string, c: AdapterCall<VeoModel>): Promise<CheckResult> {
    // The operation name is a path under the API version ("models/…/operations/…").
    const { data } = await c.http.request({ method: 'GET', path: `/${name.split('/').map(encodeURIComponent).join('/')}`, kind: 'read', signal: c.signal });
    if (pick(data, 'done') !== true) return { state: 'running' };
    const error = pick(data, 'error');
    if (error) {
      const message = str(pick(error, 'message')) ?? 'no reason given';
      // google.rpc code 3 is INVALID_ARGUMENT: the request, not the generation, was at fault.
      if (pick(error, 'code') === 3 && !CONTENT_WORDS.test(message)) {
        return { state: 'failed', error: new EngineError('provider_invalid_request', `${this.label} rejected the request. Try other settings or another model; the operator can see the provider's reason.`, { detail: `${this.label} reported: ${message.slice(0, 500)}` }) };
      }
      return failed(this.label, message);
    }
    const response = pick(data, 'response.generateVideoResponse');
    const uri = str(pick(response, 'generatedSamples.0.video.uri'));
    if (uri) return { state: 'succeeded', url: uri, authenticated: true };
    const filtered = pick(response, 'raiMediaFilteredCount');
    if (typeof filtered === 'number' && filtered > 0) {
      const reasons = pick(response, 'raiMediaFilteredReasons');
      const why = Array.isArray(reasons) && reasons.length ? reasons.map(String).join(' ') : 'the output was filtered';
      return { state: 'failed', error: new EngineError(CONTENT_POLICY, `Google's safety filters removed the video: ${why}`) };
    }
    return { state: 'failed', error: new EngineError('provider_bad_output', 'Veo finished the operation but returned no video.') };
  }
}
