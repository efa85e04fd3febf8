// A fake of Replicate's HTTP API. Sources: replicate/replicate-javascript@2fd6f39 (index.d.ts:
// Prediction {id, model, version, input, status starting | processing | succeeded | failed |
// canceled | aborted, output, error, urls}; lib/predictions.js: POST
// /models/{owner}/{name}/predictions, GET /predictions/{id}, POST /predictions/{id}/cancel);
// replicate.com/docs/topics/predictions/rate-limits (429 {"detail": "Request was throttled…"});
// the google/veo-3*-fast model pages' input schemas; safety refusals fail with error code E005.
import { FakeServer, bearer, type FakeAnswer } from '../shared/fake-server.js';
import { resultRoute, resultUrl } from '../shared/result-files.js';
import { TaskBook, type FakeTask } from '../shared/task-book.js';

interface Params { model: string; input: Record<string, any> }

const MODELS = ['google/veo-3.1-fast', 'google/veo-3-fast'];
const DIMS: Record<string, [number, number]> = { '16:9/720p': [1280, 720], '9:16/720p': [720, 1280], '16:9/1080p': [1920, 1080], '9:16/1080p': [1080, 1920] };

export async function startReplicateFake(opts: { token: string; renderMs?: number }) {
  const tasks = new TaskBook<Params>(opts.renderMs ?? 300, () => Math.random().toString(36).slice(2, 12) + Math.random().toString(36).slice(2, 8));
  const bodies: unknown[] = [];
  const problem = (status: number, detail: string, title = 'Error'): FakeAnswer => ({ status, json: { title, detail, status }, headers: { 'content-type': 'application/problem+json' } });
  const prediction = (origin: string, t: FakeTask<Params>) => {
    const base = {
      id: t.id, model: t.params.model, version: 'hidden', input: t.params.input, logs: '', data_removed: false,
      created_at: new Date(t.createdAt).toISOString(), urls: { get: `${origin}/v1/predictions/${t.id}`, cancel: `${origin}/v1/predictions/${t.id}/cancel` },
    };
    if (t.cancelled) return { ...base, status: 'canceled', output: null, error: null };
    const phase = tasks.phase(t);
    if (phase === 'queued') return { ...base, status: 'starting', output: null, error: null };
    if (phase === 'running') return { ...base, status: 'processing', output: null, error: null };
    if (t.fate === 'content_policy') return { ...base, status: 'failed', output: null, error: 'The input or output was flagged as sensitive. Please try again with different inputs. (E005)' };
    return { ...base, status: 'succeeded', output: resultUrl(origin, 'replicate-delivery', t), error: null, metrics: { predict_time: 1.2, total_time: 1.4 } };
  };
  const server = await FakeServer.start({
    name: 'replicate',
    authorize: (req) => (bearer(req) === opts.token ? null : problem(401, 'You did not pass a valid authentication token', 'Unauthenticated')),
    error: (status, message, kind) => (kind === 'rate_limit' ? { status, json: { detail: 'Request was throttled. Your rate limit resets in ~1s.' } } : problem(status, message)),
    routes: [
      {
        name: 'create', method: 'POST', path: /^\/v1\/models\/(?<owner>[^/]+)\/(?<name>[^/]+)\/predictions$/,
        handle(req, p) {
          bodies.push(req.body);
          if (req.fault?.kind === 'auth') return problem(401, 'You did not pass a valid authentication token', 'Unauthenticated');
          if (req.fault?.kind === 'billing') return problem(402, 'You have insufficient credit to run this model. Go to https://replicate.com/account/billing to purchase credit.', 'Insufficient credit');
          const model = `${p.owner}/${p.name}`;
          if (req.fault?.kind === 'model_not_found' || !MODELS.includes(model)) return problem(404, 'The requested resource could not be found.', 'Not found');
          const input = (req.body as { input?: Record<string, any> } | undefined)?.input;
          if (!input || typeof input.prompt !== 'string') return problem(422, '- input: prompt is required', 'Input validation failed');
          if (![4, 6, 8].includes(input.duration) || !DIMS[`${input.aspect_ratio}/${input.resolution}`]) return problem(422, '- input.duration/aspect_ratio/resolution: value is not one of the allowed values', 'Input validation failed');
          const t = tasks.create({ model, input }, req.fault?.kind === 'content_policy' ? 'content_policy' : 'ok');
          return { status: 201, json: prediction(req.origin, t) };
        },
      },
      {
        name: 'poll', method: 'GET', path: '/v1/predictions/:id',
        handle(req, p) {
          const t = tasks.get(p.id!);
          if (!t) return problem(404, 'The requested resource could not be found.', 'Not found');
          t.polls++;
          return { json: prediction(req.origin, t) };
        },
      },
      {
        name: 'cancel', method: 'POST', path: '/v1/predictions/:id/cancel',
        handle(req, p) {
          const t = tasks.get(p.id!);
          if (!t) return problem(404, 'The requested resource could not be found.', 'Not found');
          t.cancelled = true;
          return { json: prediction(req.origin, t) };
        },
      },
      resultRoute('replicate-delivery', tasks, (t) => {
        const [width, height] = DIMS[`${t.params.input.aspect_ratio}/${t.params.input.resolution}`]!;
        return { width, height, seconds: t.params.input.duration, audio: t.params.input.generate_audio !== false };
      }),
    ],
  });
  return { server, tasks, bodies, baseUrl: `${server.url}/v1`, stop: () => server.stop() };
}
