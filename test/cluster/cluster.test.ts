// Méliès on many machines, as an operator runs it: `melies migrate`, two `melies serve --workers 0`
// and three `melies worker` processes on the machine's PostgreSQL and Redis and an S3 server.
// Five people send 100 videos through the official openai SDK, alternating API servers, to a cloud
// engine (a fake OpenAI-compatible provider taking 500 ms) and the built-in one. Meanwhile one
// worker is SIGKILLed mid-job and started again, another SIGTERMed, videos are cancelled and an
// engine paused from the other API server. Then every video is done as asked, made once, stored in
// S3 whole and playable; server A's SSE saw jobs other processes ran; the person with one video
// was not stuck behind the others' backlog.
import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startOpenAiFake } from '../fakes/openai/openai.fake.js';
import type { Caller } from '../helpers/accounts.js';
import { Cluster, type Proc } from '../helpers/cluster.js';
import { until } from '../helpers/server.js';
import { probeBytes } from '../helpers/media.js';
import { redisAvailable } from '../../src/coordination/redis/test-redis.js';
import { testDatabases } from '../../src/db/test-databases.js';

const KEY = 'sk-cluster-provider-key';

/** Reads a video's SSE stream on one server until it ends; resolves with the event names seen. */
async function watch(url: string, key: string, id: string): Promise<string[]> {
  const res = await fetch(`${url}/v1/videos/${id}/events`, { headers: { authorization: `Bearer ${key}` } });
  if (res.status !== 200) throw new Error(`SSE ${res.status}`);
  const names: string[] = [];
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    for (const m of text.matchAll(/^event: (\S+)$/gm)) if (!names.includes(m[1]!)) names.push(m[1]!);
    if (/event: video\.(completed|failed)/.test(text)) break;
  }
  return names;
}

// Needs PostgreSQL and Redis: skipped without them, except under CI=true where that fails.
const services = (await testDatabases()).some((d) => d.name === 'postgres') && (await redisAvailable());

describe.skipIf(!services)('a distributed Méliès: 2 API servers, 3 workers, PostgreSQL, Redis, S3', () => {
  let fake: Awaited<ReturnType<typeof startOpenAiFake>>;
  let cluster: Cluster;
  let a: Proc & { url: string };
  let b: Proc & { url: string };

  beforeAll(async () => {
    fake = await startOpenAiFake({ apiKey: KEY, renderMs: 500 });
    cluster = await Cluster.start({
      env: {
        OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseUrl, MELIES_CLOUD_POLL_MS: '100', MELIES_FETCH_ALLOW_PRIVATE: 'true',
        MELIES_JOB_LEASE_SECONDS: '3', MELIES_SHUTDOWN_GRACE_SECONDS: '5', MELIES_LOG_LEVEL: 'warn',
      },
    });
    a = await cluster.startServer('serve-a');
    b = await cluster.startServer('serve-b');
    await cluster.startWorker('w1', ['--engines', 'openai', '--concurrency', '2']);
    await cluster.startWorker('w2', ['--engines', 'openai', '--concurrency', '2']);
    await cluster.startWorker('w3', ['--engines', 'sketch,openai', '--concurrency', '2', '--port', '0']);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await fake?.stop();
  }, 60_000);

  it('makes every video once, survives losing workers, and shares the queue fairly', async () => {
    onTestFailed(() => { console.error(cluster.logs()); });
    // The admin (setup link from server A), a plan without caps, five people with API keys,
    // registered on either server: accounts are shared.
    const adminA = await cluster.admin(a);
    const people: Array<{ key: string; clients: [OpenAI, OpenAI]; caller: Caller }> = [];
    for (let i = 0; i < 5; i++) {
      const caller = await cluster.member(adminA, i % 2 === 0 ? a.url : b.url, `p${i}@example.org`);
      const key = caller.auth.key!;
      people.push({ key, caller, clients: [new OpenAI({ apiKey: key, baseURL: `${a.url}/v1`, maxRetries: 0 }), new OpenAI({ apiKey: key, baseURL: `${b.url}/v1`, maxRetries: 0 })] });
    }

    // 96 cloud videos from four people, interleaved, alternating API servers; 3 built-in ones.
    type Made = { id: string; owner: number; prompt: string; via: 0 | 1 };
    const made: Made[] = [];
    let n = 0;
    const create = async (owner: number, body: Record<string, unknown>) => {
      const via = (n++ % 2) as 0 | 1;
      const v = await people[owner]!.clients[via].videos.create(body as never);
      made.push({ id: v.id, owner, prompt: String(body.prompt), via });
      return v.id;
    };
    for (let i = 0; i < 24; i++) {
      for (let owner = 0; owner < 4; owner++) await create(owner, { model: 'sora-2', prompt: `cluster ${owner}-${i}`, seconds: '4', size: '1280x720' });
    }
    for (let i = 0; i < 3; i++) await create(0, { model: 'sketch', prompt: `a lighthouse at dusk ${i}`, seconds: '1', size: '256x144' });
    // The fifth person's one video arrives behind all of that.
    const loneAt = Date.now();
    const lone = await create(4, { model: 'sora-2', prompt: 'cluster lone', seconds: '4', size: '1280x720' });

    // Server A follows videos that workers run and that were created through server B.
    // The last ones of the backlog: still queued now, so their streams see every step.
    const watched = made.filter((m) => m.via === 1 && m.owner !== 1 && m.prompt.startsWith('cluster')).slice(-8);
    const sse = Promise.all(watched.map((m) => watch(a.url, people[m.owner]!.key, m.id)));

    const db = await cluster.db();
    const done = () => cluster.finished();

    // Cancel from server B: three of person 1's waiting videos, and one that is rendering.
    // (A cancelled video ends `failed` with code `cancelled`, as OpenAI's statuses have no other word.)
    const cancelled = new Set<string>();
    const cancel = async (m: Made) => {
      const r = await people[m.owner]!.caller.withBase(b.url).post(`/api/videos/${m.id}/cancel`, {});
      expect(r.status).toBe(200);
      if (r.json.status === 'failed') cancelled.add(m.id); // else it finished first: it stays completed
    };
    const waiting = made.filter((m) => m.owner === 1).slice(-3);
    for (const m of waiting) await cancel(m);
    expect(cancelled.size).toBe(3);
    const running = await until('a rendering video', async () => (await db.selectFrom('videos').select(['id']).where('status', '=', 'in_progress').where('model', '=', 'sora-2').executeTakeFirst()));
    await cancel(made.find((m) => m.id === running.id)!);

    // SIGKILL a worker mid-job (the backlog keeps every worker busy) and start it again.
    await until('20 videos done', async () => (await done()) >= 20);
    const w1 = cluster.workers.get('w1')!;
    w1.child.kill('SIGKILL');
    await w1.exited;
    await cluster.startWorker('w1-again', ['--engines', 'openai', '--concurrency', '2']);

    // SIGTERM another: it finishes or hands back its jobs and exits cleanly.
    await until('40 videos done', async () => (await done()) >= 40);
    const w2 = cluster.workers.get('w2')!;
    w2.child.kill('SIGTERM');
    expect((await w2.exited).code).toBe(0);

    // Pause the built-in engine from server B: server A refuses new ones; resume from A.
    const adminB = adminA.withBase(b.url);
    expect((await adminB.post('/api/admin/pauses', { engine: 'sketch', message: 'maintenance' })).status).toBe(200);
    const refused = await people[3]!.caller.withBase(a.url).post('/v1/videos', { model: 'sketch', prompt: 'paused?', seconds: '1', size: '256x144' });
    expect(refused.status).toBe(503);
    expect(refused.json.error.message).toContain('maintenance');
    expect((await adminA.del('/api/admin/pauses/sketch')).status).toBe(200);

    // Everything ends as asked.
    await until('every video finished', async () => (await done()) >= made.length, 240_000);
    const rows = await db.selectFrom('videos').selectAll().execute();
    expect(rows).toHaveLength(made.length);
    for (const r of rows) {
      expect({ id: r.id, status: r.status, code: r.error_code }).toEqual({ id: r.id, ...(cancelled.has(r.id) ? { status: 'failed', code: 'cancelled' } : { status: 'completed', code: null }) });
    }

    // Made once: one provider create per cloud video ever, whatever the workers went through.
    for (const m of made.filter((x) => x.prompt.startsWith('cluster'))) {
      const creates = fake.tasks.all().filter((t) => t.params.prompt === m.prompt).length;
      expect({ prompt: m.prompt, creates }).toEqual({ prompt: m.prompt, creates: cancelled.has(m.id) ? creates : 1 });
      expect(creates).toBeLessThanOrEqual(1);
    }

    // Stored whole in S3 and playable.
    for (const r of rows.filter((x) => x.status === 'completed')) {
      const bytes = await cluster.s3.readObject(r.video_key!);
      expect(bytes, r.id).not.toBeNull();
      expect(createHash('sha256').update(bytes!).digest('hex')).toBe(r.video_sha256);
      const probe = await probeBytes(bytes!);
      expect(probe.video?.codec).toBe('h264');
      expect(probe.durationSeconds).toBeCloseTo(r.model === 'sketch' ? 1 : 4, 0);
    }

    // Server A's SSE streams saw completions of jobs that other processes ran.
    const seen = await sse;
    watched.forEach((m, i) => {
      // Each stream opened before its video finished (queued or already rendering, as the backlog
      // went), saw it change, and ended on its outcome.
      expect(['video.queued', 'video.in_progress']).toContain(seen[i]![0]);
      expect(seen[i]!.at(-1)).toBe(cancelled.has(m.id) ? 'video.failed' : 'video.completed');
    });

    // The lone video was not stuck behind the backlog: few videos finished between its creation
    // and its completion (the ones already rendering, plus one round across the five people).
    const loneRow = rows.find((r) => r.id === lone)!;
    const passedIt = rows.filter((r) => r.completed_at !== null && Number(r.completed_at) > loneAt && Number(r.completed_at) < Number(loneRow.completed_at)).length;
    expect(passedIt).toBeLessThanOrEqual(20);

    // The worker's ops port (loopback by default) shows what it ran, by engine and outcome, and
    // that it can read the queue (empty by now, so no lane series), for Prometheus.
    const ops = /health: (http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(cluster.workers.get('w3')!.output())?.[1];
    expect(ops).toBeTruthy();
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    const completed = /^melies_job_duration_seconds_count\{[^}]*engine="openai"[^}]*outcome="completed"[^}]*\} (\d+)/m.exec(metrics);
    expect(Number(completed?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^melies_queue_up(\{[^}]*\})? 1$/m);

    // A suspension made on server B holds on server A's very next request (credentials are read
    // from PostgreSQL on every request; no server keeps a copy).
    const lonePerson = people[4]!.caller;
    expect((await lonePerson.withBase(a.url).get('/v1/videos')).status).toBe(200);
    expect((await adminA.withBase(b.url).post(`/api/admin/users/${lonePerson.userId}/suspend`, {})).status).toBe(200);
    expect((await lonePerson.withBase(a.url).get('/v1/videos')).status).toBe(401);
  }, 600_000);
});
