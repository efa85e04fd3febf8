// A fake of MiniMax's video API. Sources: platform.minimax.io/docs/api-reference
// (video-generation-t2v: POST /v1/video_generation {model, prompt, duration, resolution,
// first_frame_image} → {task_id, base_resp}; video-generation-query: GET
// /v1/query/video_generation?task_id= → status Preparing | Queueing | Processing | Success (file_id,
// video_width, video_height) | Fail; video-generation-download: GET /v1/files/retrieve?file_id= →
// {file: {download_url, …}}; errorcode: HTTP 200 with base_resp.status_code 1002 rate limit, 1004
// auth, 1008 balance, 1026 sensitive input, 2013 bad parameters). first_frame_image and
// last_frame_image are each a URL or a data URL, both optional (engines-wire.md §6 line 142); tasks
// record which were sent. S2V-01 (video-generation-s2v) needs subject_reference: one item
// {type: 'character', image: [one URL or data URL]}, 6 s at 720P; its clips are 25 fps.
import { FakeServer, bearer, type FakeAnswer } from '../shared/fake-server.js';
import { resultRoute, resultUrl } from '../shared/result-files.js';
import { TaskBook } from '../shared/task-book.js';

interface Params { model: string; duration: number; resolution: string; firstFrame: boolean; lastFrame: boolean; subject: boolean }

const DIMS: Record<string, [number, number]> = { '768P': [1366, 768], '1080P': [1920, 1080], '720P': [1280, 720] };
const MODELS = ['MiniMax-Hailuo-2.3', 'MiniMax-Hailuo-02', 'S2V-01'];

export async function startMinimaxFake(opts: { apiKey: string; renderMs?: number }) {
  let nextId = 106_916_112_212_032;
  const tasks = new TaskBook<Params>(opts.renderMs ?? 300, () => String(nextId++));
  const bodies: unknown[] = [];
  // MiniMax reports errors in base_resp with HTTP 200, whatever went wrong.
  const fail = (status_code: number, status_msg: string, http = 200): FakeAnswer => ({ status: http, json: { base_resp: { status_code, status_msg } } });
  const ok = (data: Record<string, unknown>): FakeAnswer => ({ json: { ...data, base_resp: { status_code: 0, status_msg: 'success' } } });
  const server = await FakeServer.start({
    name: 'minimax',
    authorize: (req) => (bearer(req) === opts.apiKey ? null : fail(1004, 'login fail: Please carry the API secret key in the Authorization field')),
    error: (status, message, kind) => (kind === 'rate_limit' ? fail(1002, 'rate limit exceeded') : fail(status >= 500 ? 1000 : 2013, message, status)),
    routes: [
      {
        name: 'create', method: 'POST', path: '/v1/video_generation',
        handle(req) {
          bodies.push(req.body);
          if (req.fault?.kind === 'auth') return fail(2049, 'invalid api key');
          if (req.fault?.kind === 'billing') return fail(1008, 'insufficient balance');
          if (req.fault?.kind === 'content_policy') return fail(1026, 'input new_sensitive, please modify your prompt');
          const b = (req.body ?? {}) as Record<string, any>;
          if (req.fault?.kind === 'model_not_found' || !MODELS.includes(b.model)) return fail(2013, `invalid params, model ${b.model} not supported`);
          if (![6, 10].includes(b.duration) || !DIMS[b.resolution]) return fail(2013, 'invalid params, duration or resolution');
          if (b.duration === 10 && b.resolution === '1080P') return fail(2013, 'invalid params, 1080P supports only 6s');
          const isImage = (v: unknown) => typeof v === 'string' && /^(https?:\/\/|data:image\/(png|jpeg|webp);base64,)/.test(v);
          const s2v = b.model === 'S2V-01';
          if (s2v !== (b.resolution === '720P')) return fail(2013, `invalid params, ${b.model} does not support resolution ${b.resolution}`);
          if (s2v && b.duration !== 6) return fail(2013, 'invalid params, S2V-01 supports only 6s');
          if (b.subject_reference !== undefined || s2v) {
            const ref = b.subject_reference;
            if (!s2v) return fail(2013, `invalid params, subject_reference is only supported by S2V-01, not ${b.model}`);
            if (!Array.isArray(ref) || ref.length !== 1 || ref[0]?.type !== 'character' || !Array.isArray(ref[0].image) || ref[0].image.length !== 1 || !/^(https?:\/\/|data:image\/(png|jpeg);base64,)/.test(ref[0].image[0])) {
              return fail(2013, 'invalid params, subject_reference must be one {type: "character", image: [one JPG or PNG as a URL or data URL]}');
            }
          }
          for (const field of ['first_frame_image', 'last_frame_image']) {
            if (b[field] !== undefined && !isImage(b[field])) return fail(2013, `invalid params, ${field} must be a URL or a data URL`);
          }
          const t = tasks.create({ model: b.model, duration: b.duration, resolution: b.resolution, firstFrame: b.first_frame_image !== undefined, lastFrame: b.last_frame_image !== undefined, subject: b.subject_reference !== undefined });
          return ok({ task_id: t.id });
        },
      },
      {
        name: 'poll', method: 'GET', path: '/v1/query/video_generation',
        handle(req) {
          const t = tasks.get(req.query.get('task_id') ?? '');
          if (!t) return fail(2013, 'invalid params, task not found');
          t.polls++;
          const phase = tasks.phase(t);
          if (phase === 'queued') return ok({ task_id: t.id, status: t.polls === 1 ? 'Preparing' : 'Queueing' });
          if (phase === 'running') return ok({ task_id: t.id, status: 'Processing' });
          const [w, h] = DIMS[t.params.resolution]!;
          return ok({ task_id: t.id, status: 'Success', file_id: `${t.id}7`, video_width: w, video_height: h });
        },
      },
      {
        name: 'retrieve', method: 'GET', path: '/v1/files/retrieve',
        handle(req) {
          const t = tasks.all().find((x) => `${x.id}7` === req.query.get('file_id'));
          if (!t) return fail(2013, 'invalid params, file not found');
          return ok({ file: { file_id: Number(`${t.id}7`), bytes: 0, created_at: Math.floor(t.createdAt / 1000), filename: 'output_aigc.mp4', purpose: 'video_generation', download_url: resultUrl(req.origin, 'minimax-cdn', t) } });
        },
      },
      resultRoute('minimax-cdn', tasks, (t) => {
        const [width, height] = DIMS[t.params.resolution]!;
        return { width, height, seconds: t.params.duration, ...(t.params.model === 'S2V-01' ? { fps: 25 } : {}) };
      }),
    ],
  });
  return { server, tasks, bodies, baseUrl: server.url, stop: () => server.stop() };
}
