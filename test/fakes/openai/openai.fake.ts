// A fake OpenAI-compatible Videos API (what Azure OpenAI, LocalAI and friends expose). Sources:
// openai/openai-openapi openapi.yaml (/videos*, VideoResource, Error) and openai/openai-node
// src/resources/videos.ts, summarised in openai-videos-api.md §1–5: POST /videos (JSON) → Video
// {status queued}; GET /videos/{id} → queued | in_progress (+progress) | completed | failed
// (+error {code, message}); GET /videos/{id}/content → MP4 with the key; DELETE /videos/{id};
// GET /videos (§2: `after`, `limit` ≤ 100, `order` asc|desc by created_at, desc by default) →
// {object: list, data, first_id, last_id, has_more}; GET /models lists plain ids. Errors use the {"error": {message, type, param, code}} envelope;
// a bad key's message echoes a masked key, as OpenAI's does.
import { randomBytes } from 'node:crypto';
import { FakeServer, bearer, type FakeAnswer } from '../shared/fake-server.js';
import { fakeMp4 } from '../shared/mp4.js';
import { TaskBook, type FakeTask } from '../shared/task-book.js';

interface Params { model: string; seconds: number; size: string; prompt: string }

const SIZES: Record<string, string[]> = { 'sora-2': ['720x1280', '1280x720'], 'sora-2-pro': ['720x1280', '1280x720', '1024x1792', '1792x1024'] };

/** `echoKey`: a bad-key answer repeats the key it was given in full, as some gateways do (for redaction tests). */
/** `clip`: the shape of every returned MP4 instead of the requested one (benchmarks keep it tiny, so encoding is not what they measure). */
export async function startOpenAiFake(opts: { apiKey: string; renderMs?: number; echoKey?: boolean; clip?: { width: number; height: number; seconds: number } }) {
  const tasks = new TaskBook<Params>(opts.renderMs ?? 300, () => `video_${randomBytes(16).toString('hex')}`);
  const bodies: unknown[] = [];
  const oerr = (status: number, message: string, code: string | null, type = 'invalid_request_error', param: string | null = null): FakeAnswer =>
    ({ status, json: { error: { message, type, param, code } } });
  const video = (t: FakeTask<Params>) => {
    const phase = tasks.phase(t);
    const status = phase === 'queued' ? 'queued' : phase === 'running' ? 'in_progress' : t.fate === 'content_policy' ? 'failed' : 'completed';
    return {
      id: t.id, object: 'video', model: t.params.model, status, progress: status === 'completed' ? 100 : Math.floor(tasks.progress(t) * 100),
      created_at: Math.floor(t.createdAt / 1000), completed_at: status === 'completed' ? Math.floor(Date.now() / 1000) : null, expires_at: null,
      prompt: t.params.prompt, size: t.params.size, seconds: String(t.params.seconds), remixed_from_video_id: null,
      error: status === 'failed' ? { code: 'moderation_blocked', message: 'Your request was blocked by our moderation system.' } : null,
    };
  };
  const masked = (k: string) => (opts.echoKey ? k : `${k.slice(0, 3)}${'*'.repeat(8)}${k.slice(-4)}`);
  const server = await FakeServer.start({
    name: 'openai',
    authorize: (req) => {
      const key = bearer(req);
      return key === opts.apiKey ? null : oerr(401, `Incorrect API key provided: ${masked(key ?? '')}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_api_key');
    },
    error: (status, message, kind) => (kind === 'rate_limit' ? oerr(429, 'Rate limit reached for requests', 'rate_limit_exceeded', 'requests') : oerr(status, message, null, status >= 500 ? 'server_error' : 'invalid_request_error')),
    routes: [
      { name: 'models', method: 'GET', path: '/v1/models', handle: () => ({ json: { object: 'list', data: ['sora-2', 'sora-2-pro', 'gpt-4o'].map((id) => ({ id, object: 'model', created: 1758000000, owned_by: 'system' })) } }) },
      {
        name: 'create', method: 'POST', path: '/v1/videos',
        handle(req) {
          bodies.push(req.body);
          if (req.fault?.kind === 'auth') return oerr(401, `Incorrect API key provided: ${masked(opts.apiKey)}.`, 'invalid_api_key');
          if (req.fault?.kind === 'billing') return oerr(429, 'You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota');
          const b = (req.body ?? {}) as Record<string, any>;
          if (req.fault?.kind === 'model_not_found' || !SIZES[b.model]) return oerr(404, `The model '${b.model}' does not exist or you do not have access to it.`, 'model_not_found');
          if (typeof b.seconds !== 'string' || !['4', '8', '12'].includes(b.seconds)) return oerr(400, `Invalid type for 'seconds': expected one of '4', '8', or '12'.`, 'invalid_value', 'invalid_request_error', 'seconds');
          if (!SIZES[b.model]!.includes(b.size)) return oerr(400, `Invalid value for 'size'.`, 'invalid_value', 'invalid_request_error', 'size');
          if ('seed' in b || 'fps' in b) return oerr(400, `Unrecognized request argument supplied: ${'seed' in b ? 'seed' : 'fps'}`, 'unknown_parameter');
          const t = tasks.create({ model: b.model, seconds: Number(b.seconds), size: b.size, prompt: String(b.prompt) }, req.fault?.kind === 'content_policy' ? 'content_policy' : 'ok');
          return { json: video(t) };
        },
      },
      {
        name: 'list', method: 'GET', path: '/v1/videos',
        handle(req) {
          const limit = Math.min(100, Math.max(0, Number(req.query.get('limit') ?? 20)));
          const all = tasks.all().filter((t) => !t.cancelled);
          if (req.query.get('order') !== 'asc') all.reverse();
          const after = req.query.get('after');
          const from = after ? all.findIndex((t) => t.id === after) + 1 : 0;
          const page = all.slice(from, from + limit).map(video);
          return { json: { object: 'list', data: page, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null, has_more: from + limit < all.length } };
        },
      },
      {
        name: 'poll', method: 'GET', path: '/v1/videos/:id',
        handle(_req, p) {
          const t = tasks.get(p.id!);
          if (!t || t.cancelled) return oerr(404, `Video with id '${p.id}' not found.`, null);
          t.polls++;
          return { json: video(t) };
        },
      },
      {
        name: 'download', method: 'GET', path: '/v1/videos/:id/content',
        async handle(req, p) {
          const t = tasks.get(p.id!);
          if (!t || t.cancelled) return oerr(404, `Video with id '${p.id}' not found.`, null);
          if (req.fault?.kind === 'expired_output') return oerr(404, 'The video content has expired.', 'content_expired');
          if (video(t).status !== 'completed') return oerr(400, 'Video is not ready yet.', 'video_not_ready');
          const [width, height] = t.params.size.split('x').map(Number) as [number, number];
          return { file: await fakeMp4(opts.clip ? { ...opts.clip, fps: 12 } : { width, height, seconds: t.params.seconds, fps: 30, audio: true }) };
        },
      },
      {
        name: 'cancel', method: 'DELETE', path: '/v1/videos/:id',
        handle(_req, p) {
          const t = tasks.get(p.id!);
          if (!t) return oerr(404, `Video with id '${p.id}' not found.`, null);
          t.cancelled = true;
          return { json: { id: t.id, object: 'video.deleted', deleted: true } };
        },
      },
    ],
  });
  return { server, tasks, bodies, baseUrl: `${server.url}/v1`, stop: () => server.stop() };
}
