// A fake of Runway's developer API, speaking its wire format. Sources: runwayml/sdk-node@ecb7e33
// (src/client.ts: Bearer key + X-Runway-Version; src/resources/{text-to-video,image-to-video,
// tasks}.ts: bodies, task statuses PENDING | THROTTLED | RUNNING | SUCCEEDED | FAILED | CANCELLED,
// output [url]); docs.dev.runwayml.com/errors/errors (400 {"error"}, 401, 404, 429, 502–504) and
// /errors/task-failures (SAFETY.* failure codes, refused after the create was accepted).
// Video to video (Aleph 2), from runwayml/sdk-node@007ef13 src/resources/video-to-video.ts
// (POST /v1/video_to_video {model: 'aleph2', videoUri, promptText?, seed?, keyframes?} → {id}) and
// src/resources/uploads.ts (POST /v1/uploads {filename, type: 'ephemeral'} → {runwayUri,
// uploadUrl, fields}; the file then goes to uploadUrl as a multipart form of `fields` + `file`,
// with no Runway credentials). The result keeps the input video's size and length.
// promptImage is an https/data URI string or [{uri, position: "first"|"last"}], with `last` only on
// veo3.1 and seedance (engines-wire.md §3 line 114, R image-to-video.ts); tasks record lastFrame.
import { randomUUID } from 'node:crypto';
import { probeBytes } from '../../helpers/media.js';
import { FakeServer, bearer, type FakeAnswer, type FakeRequest } from '../shared/fake-server.js';
import { resultRoute, resultUrl } from '../shared/result-files.js';
import { TaskBook } from '../shared/task-book.js';

interface Params { model: string; ratio: string; duration: number; image: boolean; lastFrame: boolean; failure?: string }

const MODELS: Record<string, { t2v: boolean; ratios: string[]; audio: boolean; last?: boolean }> = {
  'gen4.5': { t2v: true, ratios: ['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672'], audio: false },
  gen4_turbo: { t2v: false, ratios: ['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672'], audio: false },
  'veo3.1': { t2v: true, ratios: ['1280:720', '720:1280', '1080:1920', '1920:1080'], audio: true, last: true },
  'veo3.1_fast': { t2v: true, ratios: ['1280:720', '720:1280', '1080:1920', '1920:1080'], audio: true, last: true },
};

/** promptImage's problem, if any: a URI string, or a list of {uri, position} with each position at most once. */
function promptImageProblem(v: unknown, model: string): string | null {
  const isUri = (u: unknown) => typeof u === 'string' && /^(https:|data:image\/)/.test(u);
  if (typeof v === 'string') return isUri(v) ? null : 'promptImage: Invalid url';
  if (!Array.isArray(v) || v.length === 0 || v.length > 2) return 'promptImage: Expected string or array of 1–2 items';
  const seen = new Set<string>();
  for (const item of v as Array<Record<string, unknown>>) {
    if (!isUri(item?.uri)) return 'promptImage.uri: Invalid url';
    if (item.position !== 'first' && item.position !== 'last') return `promptImage.position: Invalid enum value. Expected 'first' | 'last', received '${String(item.position)}'`;
    if (seen.has(item.position)) return `promptImage: position '${item.position}' appears twice`;
    seen.add(item.position);
    if (item.position === 'last' && !MODELS[model]!.last) return `promptImage: position 'last' is not supported by model '${model}'`;
  }
  return null;
}

export interface RunwayFake {
  server: FakeServer; tasks: TaskBook<Params>; baseUrl: string; bodies: unknown[];
  /** Files uploaded for later calls, by runway:// URI. */
  uploads: Map<string, { filename: string; bytes: Buffer }>;
  stop(): Promise<void>;
}

export async function startRunwayFake(opts: { apiKey: string; renderMs?: number; rateLimit?: { max: number; windowMs: number }; models?: string[] }): Promise<RunwayFake> {
  const tasks = new TaskBook<Params>(opts.renderMs ?? 300, () => crypto.randomUUID());
  const bodies: unknown[] = [];
  const known = new Set(opts.models ?? [...Object.keys(MODELS), 'aleph2']);
  const err = (status: number, error: string): FakeAnswer => ({ status, json: { error } });
  const uploads = new Map<string, { filename: string; bytes: Buffer }>();
  const pending = new Map<string, { uri: string; filename: string }>(); // upload key → its URI, until the file arrives

  const create = (endpoint: 'text' | 'image') => (req: FakeRequest): FakeAnswer => {
    bodies.push(req.body);
    if (req.headers['x-runway-version'] !== '2024-11-06') return err(400, 'The X-Runway-Version header is missing or invalid. Supported: 2024-11-06.');
    if (req.fault?.kind === 'auth') return err(401, 'Invalid API key.');
    if (req.fault?.kind === 'billing') return err(400, 'You do not have enough credits to run this task.');
    const b = req.body as Record<string, any> | undefined;
    const model = b?.model;
    if (req.fault?.kind === 'model_not_found' || !known.has(model) || !MODELS[model]) {
      return err(400, `Validation of body failed: model: Invalid enum value. Expected ${[...known].map((m) => `'${m}'`).join(' | ')}, received '${model}'`);
    }
    const m = MODELS[model]!;
    if (endpoint === 'text' && !m.t2v) return err(400, `Validation of body failed: model '${model}' is not supported by text_to_video.`);
    if (endpoint === 'image' && !b!.promptImage) return err(400, 'Validation of body failed: promptImage: Required');
    const imageProblem = endpoint === 'image' ? promptImageProblem(b!.promptImage, model) : null;
    if (imageProblem) return err(400, `Validation of body failed: ${imageProblem}`);
    const lastFrame = Array.isArray(b!.promptImage) && b!.promptImage.some((i: { position?: string }) => i.position === 'last');
    if (!m.ratios.includes(b!.ratio)) return err(400, `Validation of body failed: ratio: Invalid enum value '${b!.ratio}'.`);
    if (typeof b!.promptText !== 'string' && endpoint === 'text') return err(400, 'Validation of body failed: promptText: Required');
    if (typeof b!.promptText === 'string' && b!.promptText.length > 1000) return err(400, 'Validation of body failed: promptText: String must contain at most 1000 character(s)');
    const duration = Number(b!.duration ?? 5);
    const failure = req.fault?.kind === 'task_failed' ? req.fault.failure : undefined;
    const t = tasks.create({ model, ratio: b!.ratio, duration, image: endpoint === 'image', lastFrame, failure }, req.fault?.kind === 'content_policy' ? 'content_policy' : failure !== undefined ? 'failed' : 'ok');
    return { json: { id: t.id } };
  };

  const videoToVideo = async (req: FakeRequest): Promise<FakeAnswer> => {
    bodies.push(req.body);
    if (req.headers['x-runway-version'] !== '2024-11-06') return err(400, 'The X-Runway-Version header is missing or invalid. Supported: 2024-11-06.');
    const b = (req.body ?? {}) as Record<string, any>;
    if (b.model !== 'aleph2' || !known.has('aleph2')) return err(400, `Validation of body failed: model: Invalid enum value. Expected 'aleph2' | 'seedance2' | 'seedance2_fast', received '${b.model}'`);
    if (typeof b.videoUri !== 'string') return err(400, 'Validation of body failed: videoUri: Required');
    if (b.promptText !== undefined && (typeof b.promptText !== 'string' || b.promptText.length > 1000)) return err(400, 'Validation of body failed: promptText: String must contain at most 1000 character(s)');
    const upload = uploads.get(b.videoUri);
    if (!upload) return err(400, `Validation of body failed: videoUri: could not fetch '${b.videoUri}'.`);
    const p = await probeBytes(upload.bytes);
    if (!p.video) return err(400, 'The input video could not be read.');
    const t = tasks.create({ model: 'aleph2', ratio: `${p.video.width}:${p.video.height}`, duration: Math.round(p.durationSeconds), image: false, lastFrame: false }, req.fault?.kind === 'content_policy' ? 'content_policy' : 'ok');
    return { json: { id: t.id } };
  };

  const server = await FakeServer.start({
    name: 'runway',
    authorize: (req) => (bearer(req) === opts.apiKey ? null : err(401, 'Invalid API key.')),
    error: (status, message) => err(status, message),
    rateLimit: opts.rateLimit ? { route: 'create', ...opts.rateLimit } : undefined,
    routes: [
      { name: 'create', method: 'POST', path: '/v1/text_to_video', handle: create('text') },
      { name: 'create', method: 'POST', path: '/v1/image_to_video', handle: create('image') },
      { name: 'create', method: 'POST', path: '/v1/video_to_video', handle: videoToVideo },
      {
        name: 'upload', method: 'POST', path: '/v1/uploads',
        handle(req) {
          const b = (req.body ?? {}) as Record<string, any>;
          if (typeof b.filename !== 'string' || b.type !== 'ephemeral') return err(400, "Validation of body failed: filename: Required; type: Expected 'ephemeral'");
          const id = randomUUID();
          const key = `uploads/${id}/${b.filename}`;
          pending.set(key, { uri: `runway://${id}`, filename: b.filename });
          return { json: { runwayUri: `runway://${id}`, uploadUrl: `${req.origin}/upload-bucket`, fields: { key, policy: 'eyJmYWtlIjp0cnVlfQ==' } } };
        },
      },
      {
        // The storage behind uploadUrl: no Runway key here, and one that arrives is refused.
        name: 'upload-file', method: 'POST', path: '/upload-bucket', public: true,
        async handle(req) {
          if (req.headers.authorization) return { status: 400, text: 'Unexpected Authorization header' };
          const form = await new Response(req.bytes, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
          const key = String(form.get('key'));
          const file = form.get('file');
          const slot = pending.get(key);
          if (!slot || !(file instanceof Blob) || form.get('policy') === null) return { status: 403, text: 'Invalid upload policy' };
          pending.delete(key);
          uploads.set(slot.uri, { filename: slot.filename, bytes: Buffer.from(await file.arrayBuffer()) });
          return { status: 204 };
        },
      },
      {
        name: 'poll', method: 'GET', path: '/v1/tasks/:id',
        handle(req, p) {
          const t = tasks.get(p.id!);
          if (!t) return err(404, 'Task not found.');
          t.polls++;
          const base = { id: t.id, createdAt: new Date(t.createdAt).toISOString() };
          if (t.cancelled) return { json: { ...base, status: 'CANCELLED' } };
          const phase = tasks.phase(t);
          if (phase === 'queued') return { json: { ...base, status: 'PENDING' } };
          if (phase === 'running') return { json: { ...base, status: 'RUNNING', progress: tasks.progress(t) } };
          if (t.fate === 'content_policy') return { json: { ...base, status: 'FAILED', failure: 'Your prompt was flagged by our content moderation system.', failureCode: 'SAFETY.INPUT.TEXT' } };
          if (t.fate === 'failed') return { json: { ...base, status: 'FAILED', failure: t.params.failure, failureCode: 'INTERNAL' } };
          return { json: { ...base, status: 'SUCCEEDED', output: [resultUrl(req.origin, 'runway-cdn', t)] } };
        },
      },
      {
        name: 'cancel', method: 'DELETE', path: '/v1/tasks/:id',
        handle(_req, p) {
          const t = tasks.get(p.id!);
          if (!t) return err(404, 'Task not found.');
          t.cancelled = true;
          return { status: 204 };
        },
      },
      resultRoute('runway-cdn', tasks, (t) => {
        const [w, h] = t.params.ratio.split(':').map(Number) as [number, number];
        return { width: w, height: h, seconds: t.params.duration, fps: 24, audio: MODELS[t.params.model]?.audio ?? false };
      }),
    ],
  });
  return { server, tasks, baseUrl: server.url, bodies, uploads, stop: () => server.stop() };
}
