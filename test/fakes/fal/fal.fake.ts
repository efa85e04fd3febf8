// A fake of fal's queue API. Sources: fal-ai/fal-js@381105e (libs/client/src/request.ts:
// `Authorization: Key …`; queue.ts: POST https://queue.fal.run/{endpoint} → {request_id, status,
// response_url, status_url, cancel_url, queue_position}, GET /{owner}/{app}/requests/{id}/status →
// IN_QUEUE | IN_PROGRESS | COMPLETED, GET …/requests/{id} → the output, PUT …/cancel; utils.ts:
// status paths use owner/app only; response.ts: errors {detail: string | [{loc, msg, type}]}, 422
// for validation) and the models' llms.txt schemas (fal-ai/veo3/fast, kling-video v2.5-turbo pro).
// A refusal is the result's own 422 with detail type content_policy_violation.
import { FakeServer, type FakeAnswer, type FakeRequest } from '../shared/fake-server.js';
import { resultRoute, resultUrl } from '../shared/result-files.js';
import { TaskBook } from '../shared/task-book.js';

interface Params { endpoint: string; input: Record<string, any> }

const ENDPOINTS = ['fal-ai/veo3/fast', 'fal-ai/kling-video/v2.5-turbo/pro/text-to-video'];
const VEO: Record<string, [number, number]> = { '16:9/720p': [1280, 720], '9:16/720p': [720, 1280], '16:9/1080p': [1920, 1080], '9:16/1080p': [1080, 1920] };
const KLING: Record<string, [number, number]> = { '16:9': [1920, 1080], '9:16': [1080, 1920], '1:1': [1080, 1080] };

export async function startFalFake(opts: { key: string; renderMs?: number }) {
  const tasks = new TaskBook<Params>(opts.renderMs ?? 300, () => crypto.randomUUID());
  const bodies: unknown[] = [];
  const detail = (status: number, d: unknown): FakeAnswer => ({ status, json: { detail: d } });
  const appOf = (endpoint: string) => endpoint.split('/').slice(0, 2).join('/');
  const urls = (origin: string, endpoint: string, id: string) => {
    const base = `${origin}/${appOf(endpoint)}/requests/${id}`;
    return { response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
  };
  const submit = (req: FakeRequest, p: Record<string, string>): FakeAnswer => {
    bodies.push(req.body);
    if (req.fault?.kind === 'auth') return detail(401, 'Invalid Key Authorization header format or Key ID not found');
    if (req.fault?.kind === 'billing') return detail(403, 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.');
    const endpoint = p.endpoint!;
    if (req.fault?.kind === 'model_not_found' || !ENDPOINTS.includes(endpoint)) return detail(404, `Application '${endpoint}' not found`);
    const input = (req.body ?? {}) as Record<string, any>;
    const valid = endpoint.startsWith('fal-ai/veo3')
      ? ['4s', '6s', '8s'].includes(input.duration) && VEO[`${input.aspect_ratio}/${input.resolution}`]
      : ['5', '10'].includes(input.duration) && KLING[input.aspect_ratio];
    if (typeof input.prompt !== 'string' || !valid) return detail(422, [{ loc: ['body', 'duration'], msg: 'value is not a valid enumeration member', type: 'type_error.enum' }]);
    const t = tasks.create({ endpoint, input }, req.fault?.kind === 'content_policy' ? 'content_policy' : 'ok');
    return { json: { status: 'IN_QUEUE', request_id: t.id, queue_position: 0, ...urls(req.origin, endpoint, t.id) } };
  };
  const byApp = (p: Record<string, string>) => {
    const t = tasks.get(p.id!);
    return t && appOf(t.params.endpoint) === `${p.owner}/${p.app}` ? t : undefined;
  };
  const server = await FakeServer.start({
    name: 'fal',
    authorize: (req) => (req.headers.authorization === `Key ${opts.key}` ? null : detail(401, 'Invalid Key Authorization header format or Key ID not found')),
    error: (status, message) => detail(status, message),
    routes: [
      {
        name: 'poll', method: 'GET', path: /^\/(?<owner>[^/]+)\/(?<app>[^/]+)\/requests\/(?<id>[^/]+)\/status$/,
        handle(req, p) {
          const t = byApp(p);
          if (!t) return detail(404, 'Request not found');
          t.polls++;
          const phase = t.cancelled ? 'done' : tasks.phase(t);
          const u = urls(req.origin, t.params.endpoint, t.id);
          if (phase === 'queued') return { status: 202, json: { status: 'IN_QUEUE', request_id: t.id, queue_position: 0, ...u } };
          if (phase === 'running') return { status: 202, json: { status: 'IN_PROGRESS', request_id: t.id, logs: null, ...u } };
          return { json: { status: 'COMPLETED', request_id: t.id, logs: null, metrics: { inference_time: 1.5 }, ...u } };
        },
      },
      {
        name: 'result', method: 'GET', path: /^\/(?<owner>[^/]+)\/(?<app>[^/]+)\/requests\/(?<id>[^/]+)$/,
        handle(req, p) {
          const t = byApp(p);
          if (!t) return detail(404, 'Request not found');
          if (tasks.phase(t) !== 'done') return detail(400, 'Request is still in progress');
          if (t.fate === 'content_policy') {
            return detail(422, [{ loc: ['body', 'prompt'], msg: 'The content could not be processed because it contained material flagged by a content checker.', type: 'content_policy_violation', url: 'https://docs.fal.ai/errors#content_policy_violation' }]);
          }
          return { json: { video: { url: resultUrl(req.origin, 'fal-media', t), content_type: 'video/mp4', file_name: 'output.mp4', file_size: 0 } } };
        },
      },
      {
        name: 'cancel', method: 'PUT', path: /^\/(?<owner>[^/]+)\/(?<app>[^/]+)\/requests\/(?<id>[^/]+)\/cancel$/,
        handle(_req, p) {
          const t = byApp(p);
          if (!t) return detail(404, 'Request not found');
          t.cancelled = true;
          return { status: 202, json: { status: 'CANCELLATION_REQUESTED' } };
        },
      },
      resultRoute('fal-media', tasks, (t) => {
        const i = t.params.input;
        const [width, height] = t.params.endpoint.startsWith('fal-ai/veo3') ? VEO[`${i.aspect_ratio}/${i.resolution}`]! : KLING[i.aspect_ratio]!;
        return { width, height, seconds: Number.parseInt(String(i.duration), 10), audio: i.generate_audio === true };
      }),
      // Submit takes the whole endpoint path, so it is matched last.
      { name: 'create', method: 'POST', path: /^\/(?<endpoint>.+)$/, handle: submit },
    ],
  });
  return { server, tasks, bodies, baseUrl: server.url, stop: () => server.stop() };
}
