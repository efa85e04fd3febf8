// A fake of Veo on the Gemini Developer API. Sources: googleapis/js-genai@6e9b35c (src/models.ts:
// POST {model}:predictLongRunning; src/converters/_models_converters.ts: instances/parameters
// fields, generateVideoResponse.generatedSamples[].video.uri, raiMediaFilteredCount/Reasons;
// src/operations.ts: GET {name} until `done`), ai.google.dev/gemini-api/docs/video (key in
// x-goog-api-key; the video URI is a files/…:download?alt=media link fetched with the key, which
// redirects to storage) and Google's JSON error shape {error: {code, message, status}}.
// instances[0].lastFrame {bytesBase64Encoded, mimeType} is Veo 3.1's, and only with `image`
// (engines-wire.md §2 line 85; ai.google.dev/gemini-api/docs/video); tasks record it.
import { FakeServer, type FakeAnswer } from '../shared/fake-server.js';
import { resultRoute, resultUrl } from '../shared/result-files.js';
import { TaskBook, type FakeTask } from '../shared/task-book.js';

interface Params { model: string; durationSeconds: number; aspectRatio: string; resolution: string; image: boolean; lastFrame: boolean }

const MODELS: Record<string, { audio: boolean; durations: number[] }> = {
  'veo-3.1-generate-preview': { audio: true, durations: [4, 6, 8] },
  'veo-3.1-fast-generate-preview': { audio: true, durations: [4, 6, 8] },
  'veo-3.0-generate-001': { audio: true, durations: [4, 6, 8] },
  'veo-3.0-fast-generate-001': { audio: true, durations: [4, 6, 8] },
  'veo-2.0-generate-001': { audio: false, durations: [5, 6, 7, 8] },
};
const DIMS: Record<string, [number, number]> = { '16:9/720p': [1280, 720], '9:16/720p': [720, 1280], '16:9/1080p': [1920, 1080], '9:16/1080p': [1080, 1920] };
const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

export async function startVeoFake(opts: { apiKey: string; renderMs?: number }) {
  const tasks = new TaskBook<Params>(opts.renderMs ?? 300, () => Math.random().toString(36).slice(2, 14));
  const bodies: unknown[] = [];
  const gerr = (code: number, message: string): FakeAnswer => ({ status: code, json: { error: { code, message, status: STATUS[code] ?? 'UNKNOWN' } } });
  const operation = (t: FakeTask<Params>) => {
    const name = `models/${t.params.model}/operations/${t.id}`;
    if (tasks.phase(t) !== 'done') return { name, metadata: { '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningMetadata' } };
    if (t.fate === 'content_policy') {
      return { name, done: true, response: { '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse', generateVideoResponse: { raiMediaFilteredCount: 1, raiMediaFilteredReasons: ["We encountered an issue with the audio for your prompt. You have not been charged. (Code 58061214)"] } } };
    }
    return { name, done: true, response: { generateVideoResponse: { generatedSamples: [{ video: { uri: `https://placeholder/v1beta/files/${t.id}:download?alt=media` } }] } } };
  };
  const server = await FakeServer.start({
    name: 'veo',
    authorize: (req) => (req.headers['x-goog-api-key'] === opts.apiKey ? null : gerr(400, 'API key not valid. Please pass a valid API key.')),
    error: (status, message) => gerr(status, message),
    routes: [
      {
        name: 'create', method: 'POST', path: /^\/v1beta\/models\/(?<model>[^/:]+):predictLongRunning$/,
        handle(req, p) {
          bodies.push(req.body);
          if (req.fault?.kind === 'auth') return gerr(400, 'API key not valid. Please pass a valid API key.');
          if (req.fault?.kind === 'billing') return gerr(403, 'This API method requires billing to be enabled. Please enable billing on project #123.');
          const m = MODELS[p.model!];
          if (req.fault?.kind === 'model_not_found' || !m) return gerr(404, `models/${p.model} is not found for API version v1beta, or is not supported for predictLongRunning.`);
          const b = (req.body ?? {}) as { instances?: Array<Record<string, any>>; parameters?: Record<string, any> };
          const inst = b.instances?.[0];
          const par = b.parameters ?? {};
          if (!inst || typeof inst.prompt !== 'string') return gerr(400, 'instances[0].prompt is required.');
          if ('seed' in par) return gerr(400, 'seed parameter is not supported in Gemini API.');
          if (!m.durations.includes(par.durationSeconds)) return gerr(400, `The duration ${par.durationSeconds} is not supported.`);
          if (!DIMS[`${par.aspectRatio}/${par.resolution}`]) return gerr(400, `Unsupported aspect ratio or resolution: ${par.aspectRatio} ${par.resolution}.`);
          if (inst.image && (typeof inst.image.bytesBase64Encoded !== 'string' || !inst.image.mimeType)) return gerr(400, 'image needs bytesBase64Encoded and mimeType.');
          if (inst.lastFrame) {
            if (!p.model!.startsWith('veo-3.1')) return gerr(400, `lastFrame is not supported by ${p.model}.`);
            if (!inst.image) return gerr(400, 'lastFrame needs image (the first frame).');
            if (typeof inst.lastFrame.bytesBase64Encoded !== 'string' || !inst.lastFrame.mimeType) return gerr(400, 'lastFrame needs bytesBase64Encoded and mimeType.');
          }
          const t = tasks.create({ model: p.model!, durationSeconds: par.durationSeconds, aspectRatio: par.aspectRatio, resolution: par.resolution, image: Boolean(inst.image), lastFrame: Boolean(inst.lastFrame) },
            req.fault?.kind === 'content_policy' ? 'content_policy' : 'ok');
          return { json: { name: `models/${p.model}/operations/${t.id}` } };
        },
      },
      {
        name: 'poll', method: 'GET', path: /^\/v1beta\/models\/(?<model>[^/]+)\/operations\/(?<id>[^/]+)$/,
        handle(req, p) {
          const t = tasks.get(p.id!);
          if (!t || t.params.model !== p.model) return gerr(404, 'Operation not found.');
          t.polls++;
          const op = operation(t);
          // The URI names this server, as the real one names generativelanguage.googleapis.com.
          return { json: JSON.parse(JSON.stringify(op).replace('https://placeholder', req.origin)) };
        },
      },
      {
        // Needs the key, then redirects to the stored bytes (as Google's file downloads do).
        name: 'file', method: 'GET', path: /^\/v1beta\/files\/(?<id>[^/:]+):download$/,
        handle(req, p) {
          const t = tasks.get(p.id!);
          if (!t || req.query.get('alt') !== 'media') return gerr(404, 'File not found.');
          return { status: 302, headers: { location: resultUrl(req.origin, 'veo-storage', t) } };
        },
      },
      resultRoute('veo-storage', tasks, (t) => {
        const [width, height] = DIMS[`${t.params.aspectRatio}/${t.params.resolution}`]!;
        return { width, height, seconds: t.params.durationSeconds, audio: MODELS[t.params.model]!.audio };
      }),
    ],
  });
  return { server, tasks, bodies, baseUrl: `${server.url}/v1beta`, stop: () => server.stop() };
}
