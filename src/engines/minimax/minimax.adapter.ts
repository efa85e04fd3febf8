// MiniMax / Hailuo (api.minimax.io). Wire format from platform.minimax.io/docs/api-reference
// (video-generation-t2v, video-generation-query, video-generation-download, errorcode): three steps
// — POST /v1/video_generation → {task_id}; GET /v1/query/video_generation?task_id= → status
// Preparing | Queueing | Processing | Success (file_id) | Fail; GET /v1/files/retrieve?file_id= →
// file.download_url (valid about 9 h). Errors come with HTTP 200 in base_resp.status_code: 1002 rate
// limit, 1004/2049 bad key, 1008 balance, 1026/1027 sensitive input/output, 2013 bad parameters.
// S2V-01 keeps one subject's face through the clip: `subject_reference: [{type: 'character', image:
// [URL or data URL]}]`, one reference, JPG/JPEG/PNG under 20 MB, 6 s at 720P (the same docs'
// video-generation-s2v, as the mirrored request schema in public MiniMax wrappers has it; engines-wire.md
// line 142 lists the field). It is how Méliès characters (issue 15 §3) reach MiniMax.
import type { ProviderAnswer, ProviderFault } from '../cloud/http-client.js';
import type { AdapterCall, CheckResult, CloudAdapter } from '../cloud/cloud-adapter.js';
import type { RequestShape } from '../request-shape.js';
import type { CatalogueEntry } from '../cloud/catalogue.js';
import type { ImageInputLimits } from '../../domain/model-card.js';
import { KeyedAdapter } from '../cloud/keyed-adapter.js';
import { EngineError } from '../../domain/errors.js';
import { failed, faultFromStatus, mentionsMissingModel, messageOf, pick, requireJobId, sizeParam, str, unknownStatus } from '../cloud/wire.js';

export const MINIMAX_BASE_URL = 'https://api.minimax.io';

interface MinimaxModel {
  name: string;
  /** Takes one character's look as `subject_reference` (S2V-01), and needs it. */
  subject?: boolean;
}

/** Card size → MiniMax `resolution` (Hailuo text-to-video is 16:9; with an image it follows the image; S2V-01 is 720P). */
const SIZES: Record<string, string> = { '1366x768': '768P', '1920x1080': '1080P', '1280x720': '720P' };

// Reference images (`first_frame_image`, a URL or a data URL), from platform.minimax.io/docs/
// api-reference (video-generation-i2v and first-last-frame, as docs.kkiai.com and apilaplas.com copy
// them): JPG/JPEG/PNG/WebP, under 20 MB, short side over 300 px, aspect ratio between 2:5 and 5:2.
const IMAGE_INPUT: ImageInputLimits = {
  types: ['image/png', 'image/jpeg', 'image/webp'], maxBytes: 20_000_000, minSide: 301, minAspect: 0.4, maxAspect: 2.5,
};

const common = {
  engine: 'minimax', seconds: [6, 10], defaultSeconds: 6, sizes: ['1366x768', '1920x1080'], defaultSize: '1366x768', fps: [24], defaultFps: 24,
  inputs: ['text' as const, 'image' as const], imageInput: IMAGE_INPUT, seed: false, remix: false, audio: false,
  // `last_frame_image` (URL or data URL) beside `first_frame_image` on POST /v1/video_generation
  // (engines-wire.md §6, M video-generation-*); the same image limits as the first frame.
  lastFrame: true,
};
const CHECKED = '2026-11-20';

const CATALOGUE: CatalogueEntry<MinimaxModel>[] = [
  {
    card: { ...common, id: 'minimax/MiniMax-Hailuo-2.3', label: 'MiniMax Hailuo 2.3', description: "MiniMax's Hailuo 2.3: 6 or 10 seconds at 768p, or 6 seconds at 1080p, from text (16:9) or a first-frame image. Understands camera cues in the prompt such as [Push in]; no seed, no negative prompt, no audio." },
    price: { usdPerSecond: 0.082, source: 'MiniMax pay-as-you-go, 1080P 6 s at $0.49 (768P is cheaper), from the MiniMax price page as quoted by secondary listings', checkedAt: CHECKED },
    provider: { name: 'MiniMax-Hailuo-2.3' },
  },
  {
    card: { ...common, id: 'minimax/MiniMax-Hailuo-02', label: 'MiniMax Hailuo 02', description: "MiniMax's Hailuo 02: 6 or 10 seconds at 768p, or 6 seconds at 1080p, from text (16:9) or a first-frame image, with strong physics. No seed, no negative prompt, no audio." },
    price: { usdPerSecond: 0.082, source: 'MiniMax pay-as-you-go, 1080P 6 s at $0.49 (768P is cheaper), from secondary listings', checkedAt: CHECKED },
    provider: { name: 'MiniMax-Hailuo-02' },
  },
  {
    card: {
      engine: 'minimax', id: 'minimax/S2V-01', label: 'MiniMax S2V-01 (subject reference)',
      description: "MiniMax's S2V-01: a 6-second 720p clip that keeps one character's face from its reference (pass one character as characters: [{id}]). Text plus that character; no first frame, no seed, no audio.",
      seconds: [6], defaultSeconds: 6, sizes: ['1280x720'], defaultSize: '1280x720', fps: [25], defaultFps: 25,
      inputs: ['text'], seed: false, remix: false, audio: false, characters: true,
    },
    price: { usdPerSecond: 0.082, source: "not found on MiniMax's public pages from here: Hailuo's 1080P rate, the highest MiniMax video rate on record, so caps err on the safe side; set `prices` to your contract", checkedAt: CHECKED },
    provider: { name: 'S2V-01', subject: true },
  },
];

export class MinimaxAdapter extends KeyedAdapter<MinimaxModel> implements CloudAdapter<MinimaxModel> {
  readonly id = 'minimax';
  readonly label = 'MiniMax';
  readonly keyName = 'MINIMAX_API_KEY';
  readonly defaultBaseUrl = MINIMAX_BASE_URL;

  constructor(apiKey: string) {
    super(apiKey, CATALOGUE);
  }

  requestProblem(e: CatalogueEntry<MinimaxModel>, r: RequestShape) {
    if (e.provider.subject && (r.characters ?? 0) !== 1) {
      return { message: `${e.card.id} makes a video of exactly one character (MiniMax takes one subject reference): pass it as characters: [{id}].`, param: 'characters' };
    }
    if (r.seconds === 10 && SIZES[`${r.width}x${r.height}`] === '1080P') return { message: `${e.card.id} makes 10-second videos only at 768p (1366x768); 1080p is 6 seconds.`, param: 'seconds' };
    if (r.promptLength > 2000) return { message: `MiniMax takes prompts of up to 2000 characters; this one has ${r.promptLength}.`, param: 'prompt' };
    return null;
  }

  override classify(a: ProviderAnswer): ProviderFault | null {
    const code = pick(a.body, 'base_resp.status_code');
    const message = str(pick(a.body, 'base_resp.status_msg')) ?? messageOf(a);
    if (a.status >= 200 && a.status < 300 && (code === 0 || code === undefined)) return null;
    switch (code) {
      case 1002: return { kind: 'rate_limited', message };
      case 1004: case 2049: return { kind: 'auth', message };
      case 1008: return { kind: 'billing', message };
      case 1026: case 1027: return { kind: 'content_policy', message };
      case 2013: return { kind: mentionsMissingModel(message) ? 'model_not_found' : 'bad_request', message };
      case 1000: case 1001: return { kind: 'server', message };
      default:
        if (typeof code === 'number') return { kind: 'bad_request', message: `${message} (code ${code})` };
        return { kind: faultFromStatus(a.status, message) ?? 'server', message };
    }
  }

  async create(c: AdapterCall<MinimaxModel>): Promise<string> {
    const { job, entry } = c;
    const image = await c.image();
    const last = await c.lastFrame();
    const [subject] = entry.provider.subject ? await c.characterImages() : [];
    if (entry.provider.subject && !subject) throw new EngineError('invalid_request', `${entry.card.id} needs one character's look, and the job has none.`);
    const body = {
      model: entry.provider.name, prompt: job.prompt, duration: job.seconds, resolution: sizeParam(SIZES, job.width, job.height),
      ...(image ? { first_frame_image: image.dataUrl } : {}),
      ...(last ? { last_frame_image: last.dataUrl } : {}),
      ...(subject ? { subject_reference: [{ type: 'character', image: [subject.dataUrl] }] } : {}),
    };
    const res = await c.http.request({ method: 'POST', path: '/v1/video_generation', body, kind: 'create', signal: c.signal });
    return requireJobId(res.data, 'task_id', this.label, 'task id');
  }

  async check(id: string, c: AdapterCall<MinimaxModel>): Promise<CheckResult> {
    const { data } = await c.http.request({ method: 'GET', path: '/v1/query/video_generation', query: { task_id: id }, kind: 'read', signal: c.signal });
    const status = str(pick(data, 'status'));
    switch (status) {
      case 'Preparing':
      case 'Queueing':
        return { state: 'running', progress: 0 };
      case 'Processing':
        return { state: 'running' };
      case 'Success': {
        const fileId = pick(data, 'file_id');
        if (typeof fileId !== 'string' && typeof fileId !== 'number') return { state: 'failed', error: new EngineError('provider_bad_output', 'MiniMax says the task succeeded but gives no file id.') };
        // Step three: the file's download URL, asked for fresh each time (it lasts about 9 h).
        const file = await c.http.request({ method: 'GET', path: '/v1/files/retrieve', query: { file_id: String(fileId) }, kind: 'read', signal: c.signal });
        const url = str(pick(file.data, 'file.download_url'));
        if (!url) return { state: 'failed', error: new EngineError('provider_bad_output', 'MiniMax gives no download URL for the finished video.') };
        return { state: 'succeeded', url };
      }
      case 'Fail': {
        // 1026/1027: the input or the output was judged sensitive.
        const code = pick(data, 'base_resp.status_code');
        return failed(this.label, str(pick(data, 'base_resp.status_msg')) ?? 'no reason given', { policy: code === 1026 || code === 1027 });
      }
      default:
        throw unknownStatus(this.label, 'task status', status);
    }
  }
}
