// A fake of Kling's API. Sources: the Kling developer docs (app.klingai.com/global/dev/document-api:
// apiReference/commonInfo — JWT HS256 {iss, exp, nbf} as Bearer, error codes; model/textToVideo and
// imageToVideo — bodies and task objects), via the copies cited in engines-wire.md §5. Every answer
// is wrapped {code, message, request_id, data}; statuses submitted | processing | succeed | failed.
// The JWT is verified for real (signature and time claims) with node:crypto. image2video takes
// `image` (URL or raw base64) and `image_tail?` in the same forms (engines-wire.md §5 line 132);
// text2video has no image_tail. Tasks record whether a tail was sent.
import { createHmac, randomUUID } from 'node:crypto';
import { FakeServer, bearer, type FakeAnswer, type FakeRequest } from '../shared/fake-server.js';
import { resultRoute, resultUrl } from '../shared/result-files.js';
import { TaskBook, type FakeTask } from '../shared/task-book.js';

interface Params { kind: string; model: string; mode: string; aspect: string; duration: number; sound: boolean; imageTail: boolean; external?: string }

const MODELS = ['kling-v2-5-turbo', 'kling-v2-6'];

export function verifyKlingJwt(token: string, accessKey: string, secretKey: string, nowS = Math.floor(Date.now() / 1000)): string | null {
  const [h, p, sig] = token.split('.');
  if (!h || !p || !sig) return 'malformed token';
  const expect = createHmac('sha256', secretKey).update(`${h}.${p}`).digest('base64url');
  if (expect !== sig) return 'signature does not match';
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  if (header.alg !== 'HS256') return 'alg must be HS256';
  if (claims.iss !== accessKey) return 'unknown access key';
  if (typeof claims.exp !== 'number' || claims.exp < nowS) return 'token expired';
  if (typeof claims.nbf !== 'number' || claims.nbf > nowS) return 'token not yet valid';
  return null;
}

export async function startKlingFake(opts: { accessKey: string; secretKey: string; renderMs?: number }) {
  const tasks = new TaskBook<Params>(opts.renderMs ?? 300, () => String(800_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e15))));
  const bodies: unknown[] = [];
  const wrap = (code: number, message: string, data: unknown, status = 200): FakeAnswer => ({ status, json: { code, message, request_id: randomUUID(), data } });
  const task = (origin: string, t: FakeTask<Params>) => {
    const base = { task_id: t.id, created_at: t.createdAt, updated_at: Date.now(), task_info: { external_task_id: t.params.external ?? '' } };
    const phase = tasks.phase(t);
    if (phase === 'queued') return { ...base, task_status: 'submitted' };
    if (phase === 'running') return { ...base, task_status: 'processing' };
    if (t.fate === 'content_policy') return { ...base, task_status: 'failed', task_status_msg: 'Failure to pass the risk control system' };
    return { ...base, task_status: 'succeed', task_status_msg: '', task_result: { videos: [{ id: `${t.id}-0`, url: resultUrl(origin, 'kling-cdn', t), duration: String(t.params.duration) }] } };
  };
  const create = (kind: 'text2video' | 'image2video') => (req: FakeRequest): FakeAnswer => {
    bodies.push(req.body);
    if (req.fault?.kind === 'auth') return wrap(1002, 'Authorization is invalid', null, 401);
    if (req.fault?.kind === 'billing') return wrap(1102, 'Account balance not enough', null, 429);
    // Kling reviews prompts synchronously too: the create itself is refused.
    if (req.fault?.kind === 'content_policy') return wrap(1301, 'Trigger the content security policy of the platform', null, 400);
    const b = (req.body ?? {}) as Record<string, any>;
    if (req.fault?.kind === 'model_not_found' || !MODELS.includes(b.model_name)) return wrap(1201, `model_name is invalid: ${b.model_name} is not supported`, null, 400);
    if (!['5', '10'].includes(b.duration)) return wrap(1201, 'duration must be "5" or "10"', null, 400);
    if (!['std', 'pro'].includes(b.mode)) return wrap(1201, 'mode must be std or pro', null, 400);
    if (kind === 'image2video' && typeof b.image !== 'string') return wrap(1201, 'image is required', null, 400);
    if (kind === 'image2video' && b.image.startsWith('data:')) return wrap(1201, 'image must be a URL or raw Base64, without a data: prefix', null, 400);
    if (kind === 'text2video' && !['16:9', '9:16', '1:1'].includes(b.aspect_ratio)) return wrap(1201, 'aspect_ratio is invalid', null, 400);
    if (kind === 'text2video' && b.image_tail !== undefined) return wrap(1201, 'image_tail is not a text2video parameter', null, 400);
    if (b.image_tail !== undefined && (typeof b.image_tail !== 'string' || b.image_tail.startsWith('data:'))) return wrap(1201, 'image_tail must be a URL or raw Base64, without a data: prefix', null, 400);
    const t = tasks.create({ kind, model: b.model_name, mode: b.mode, aspect: b.aspect_ratio ?? '16:9', duration: Number(b.duration), sound: b.sound === 'on', imageTail: b.image_tail !== undefined, external: b.external_task_id });
    return wrap(0, 'SUCCEED', task(req.origin, t));
  };
  const poll = (kind: string) => (req: FakeRequest, p: Record<string, string>): FakeAnswer => {
    const t = tasks.get(p.id!);
    if (!t || t.params.kind !== kind) return wrap(1203, 'task not found', null, 404);
    t.polls++;
    return wrap(0, 'SUCCEED', task(req.origin, t));
  };
  const server = await FakeServer.start({
    name: 'kling',
    authorize: (req) => {
      const token = bearer(req);
      const problem = token ? verifyKlingJwt(token, opts.accessKey, opts.secretKey) : 'no token';
      return problem ? wrap(1004, `Authorization failed: ${problem}`, null, 401) : null;
    },
    error: (status, message, kind) => wrap(kind === 'rate_limit' ? 1302 : status >= 500 ? 5000 : status === 404 ? 1203 : 1200, message, null, status),
    routes: [
      { name: 'create', method: 'POST', path: '/v1/videos/text2video', handle: create('text2video') },
      { name: 'create', method: 'POST', path: '/v1/videos/image2video', handle: create('image2video') },
      { name: 'poll', method: 'GET', path: '/v1/videos/text2video/:id', handle: poll('text2video') },
      { name: 'poll', method: 'GET', path: '/v1/videos/image2video/:id', handle: poll('image2video') },
      resultRoute('kling-cdn', tasks, (t) => {
        // The short side is 720 (std) or 1080 (pro); the aspect ratio sets the long one.
        const short = t.params.mode === 'pro' ? 1080 : 720;
        const long = Math.round((short * 16) / 9);
        const [width, height] = t.params.aspect === '16:9' ? [long, short] : t.params.aspect === '9:16' ? [short, long] : [short, short];
        return { width, height, seconds: t.params.duration, audio: t.params.sound };
      }),
    ],
  });
  return { server, tasks, bodies, baseUrl: server.url, stop: () => server.stop() };
}
