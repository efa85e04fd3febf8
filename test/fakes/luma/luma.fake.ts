// A fake of Luma's Dream Machine API. Sources: lumalabs/lumaai-node@be2c3c4
// (src/client.ts: Bearer key, base …/dream-machine/v1; src/resources/generations/generations.ts:
// POST /generations/video {model, prompt, aspect_ratio, duration '5s'|'9s', resolution} → a
// Generation {id, state queued | dreaming | completed | failed, failure_reason, assets.video};
// GET/DELETE /generations/{id}; GET /generations?limit&offset → {generations, count, has_more,
// limit, offset}, newest first); docs.lumalabs.ai/docs/errors (FastAPI {detail}; moderation
// refusals arrive as failure_reason "Advanced prompt moderation failed" after the create).
// Extending: keyframes.frame0 {type: 'generation', id} (lumaai-node's Keyframes type; the
// `extend_video` example of lumalabs/lumaai-api openapi.yaml) names a completed generation to
// continue. Luma's docs do not say whether the result holds the source's frames, so the fake does
// either (`extendReturns`): the continuation alone, or the whole (source + new seconds).
import { FakeServer, bearer, type FakeAnswer } from '../shared/fake-server.js';
import { resultRoute, resultUrl } from '../shared/result-files.js';
import { TaskBook, type FakeTask } from '../shared/task-book.js';

interface Params { model: string; aspect_ratio: string; duration: string; resolution: string; prompt: string; keyframes?: { frame0: { type: 'generation'; id: string } } }

const HEIGHTS: Record<string, number> = { '540p': 540, '720p': 720, '1080p': 1080 };

export async function startLumaFake(opts: { apiKey: string; renderMs?: number; extendReturns?: 'continuation' | 'whole' }) {
  const fake = { extendReturns: opts.extendReturns ?? 'continuation' };
  const tasks = new TaskBook<Params>(opts.renderMs ?? 300, () => crypto.randomUUID());
  const bodies: unknown[] = [];
  const err = (status: number, detail: string): FakeAnswer => ({ status, json: { detail } });
  const generation = (origin: string, t: FakeTask<Params>) => {
    const base = { id: t.id, created_at: new Date(t.createdAt).toISOString(), model: t.params.model, generation_type: 'video', request: t.params };
    const phase = tasks.phase(t);
    if (phase === 'queued') return { ...base, state: 'queued', failure_reason: null, assets: null };
    if (phase === 'running') return { ...base, state: 'dreaming', failure_reason: null, assets: null };
    if (t.fate === 'content_policy') return { ...base, state: 'failed', failure_reason: 'Advanced prompt moderation failed', assets: null };
    return { ...base, state: 'completed', failure_reason: null, assets: { video: resultUrl(origin, 'luma-cdn', t), image: null } };
  };
  const server = await FakeServer.start({
    name: 'luma',
    authorize: (req) => (bearer(req) === opts.apiKey ? null : err(401, 'Invalid API key')),
    error: (status, message) => err(status, message),
    routes: [
      {
        name: 'create', method: 'POST', path: '/dream-machine/v1/generations/video',
        handle(req) {
          bodies.push(req.body);
          if (req.fault?.kind === 'auth') return err(401, 'Invalid API key');
          if (req.fault?.kind === 'billing') return err(400, 'Insufficient credits');
          const b = (req.body ?? {}) as Record<string, any>;
          if (req.fault?.kind === 'model_not_found' || !['ray-2', 'ray-flash-2'].includes(b.model)) return err(400, `Invalid model '${b.model}': model does not exist`);
          if (typeof b.prompt !== 'string' || b.prompt.length < 3) return err(400, 'Prompt is too short, minimum length is 3 characters');
          if (!['5s', '9s'].includes(b.duration)) return err(400, `Invalid duration ${b.duration}`);
          if (!HEIGHTS[b.resolution] || !['16:9', '9:16'].includes(b.aspect_ratio)) return err(400, 'Invalid resolution or aspect ratio');
          let keyframes: Params['keyframes'];
          if (b.keyframes !== undefined) {
            const f0 = b.keyframes?.frame0;
            if (!f0 || f0.type !== 'generation' || typeof f0.id !== 'string') return err(400, 'Invalid keyframes: frame0 must be {type: "generation", id} or {type: "image", url}');
            const source = tasks.get(f0.id);
            if (!source || source.cancelled) return err(400, `Generation ${f0.id} not found`);
            if (tasks.phase(source) !== 'done' || source.fate !== 'ok') return err(400, `Generation ${f0.id} is not completed`);
            keyframes = { frame0: { type: 'generation', id: f0.id } };
          }
          const t = tasks.create({ model: b.model, aspect_ratio: b.aspect_ratio, duration: b.duration, resolution: b.resolution, prompt: b.prompt, ...(keyframes ? { keyframes } : {}) }, req.fault?.kind === 'content_policy' ? 'content_policy' : 'ok');
          return { status: 201, json: generation(req.origin, t) };
        },
      },
      {
        name: 'list', method: 'GET', path: '/dream-machine/v1/generations',
        handle(req) {
          const limit = Math.min(100, Number(req.query.get('limit') ?? 10));
          const offset = Number(req.query.get('offset') ?? 0);
          const all = tasks.all().filter((t) => !t.cancelled).reverse();
          const page = all.slice(offset, offset + limit).map((t) => generation(req.origin, t));
          return { json: { generations: page, count: page.length, has_more: offset + limit < all.length, limit, offset } };
        },
      },
      {
        name: 'poll', method: 'GET', path: '/dream-machine/v1/generations/:id',
        handle(req, p) {
          const t = tasks.get(p.id!);
          if (!t || t.cancelled) return err(404, 'Generation not found');
          t.polls++;
          return { json: generation(req.origin, t) };
        },
      },
      {
        name: 'cancel', method: 'DELETE', path: '/dream-machine/v1/generations/:id',
        handle(_req, p) {
          const t = tasks.get(p.id!);
          if (!t) return err(404, 'Generation not found');
          t.cancelled = true;
          return { status: 204 };
        },
      },
      resultRoute('luma-cdn', tasks, (t) => {
        const h = HEIGHTS[t.params.resolution]!;
        const w = Math.round((h * 16) / 9);
        const seconds = lengthOf(t);
        return t.params.aspect_ratio === '16:9' ? { width: w, height: h, seconds } : { width: h, height: w, seconds };
      }),
    ],
  });
  // An extension's clip: the new seconds alone, or (extendReturns 'whole') after its source's.
  function lengthOf(t: FakeTask<Params>): number {
    const own = Number.parseInt(t.params.duration, 10);
    const from = t.params.keyframes ? tasks.get(t.params.keyframes.frame0.id) : undefined;
    return from && fake.extendReturns === 'whole' ? lengthOf(from) + own : own;
  }
  return { server, tasks, bodies, fake, baseUrl: `${server.url}/dream-machine/v1`, stop: () => server.stop() };
}
