// bench:cluster — Méliès as separate processes (`melies serve --workers 0` + `melies worker`) on the
// machine's PostgreSQL and Redis and an s3rver, with a cloud engine that does fixed work: a fake
// OpenAI-compatible provider taking 500 ms per video and returning a tiny clip, so what is measured
// is the queue, not the 2 cores' encoding. Three figures, each against a baseline of the same run:
//  1. throughput with 1, 2 and 4 workers (one job at a time each), as a share of linear scaling;
//  2. dispatch latency (video created → job started) with an idle worker, with nothing else queued
//     and then with 1,000 jobs waiting in another engine's lane (the admission table is full);
//  3. SSE fan-out: 1,000 open streams on one API server, the delay from a video's completion on a
//     worker to the event on every stream, and the server's memory per stream;
//  4. cancel of a running job: from the cancel request to the worker stopping the provider's job.
// Run: npm run bench:cluster   (needs PostgreSQL on :5432 and Redis on :6379, like the tests)
import { readFileSync } from 'node:fs';
import os from 'node:os';
import OpenAI from 'openai';
import { startOpenAiFake } from '../test/fakes/openai/openai.fake.js';
import { Cluster, type Proc } from '../test/helpers/cluster.js';
import { stopProcess } from '../test/helpers/process.js';
import { until } from '../test/helpers/server.js';
import { loadavg } from './common.js';

const KEY = 'sk-bench-cluster';

/** CPU seconds a process and its finished children (ffmpeg, ffprobe) used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100; // utime stime cutime cstime, USER_HZ 100
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))]!;


async function main(): Promise<void> {
  const fake = await startOpenAiFake({ apiKey: KEY, renderMs: 500, clip: { width: 160, height: 90, seconds: 1 } });
  const cluster = await Cluster.start({
    env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseUrl, MELIES_CLOUD_POLL_MS: '50', MELIES_FETCH_ALLOW_PRIVATE: 'true', MELIES_LOG_LEVEL: 'error', MELIES_JOB_POLL_MS: '50', MELIES_RATE_LIMIT_PER_MINUTE: '1000000' },
  });
  try {
    const server = await cluster.startServer('serve');
    const admin = await cluster.admin(server);
    const member = await cluster.member(admin, server.url, 'b@example.org');
    const key = member.auth.key!;
    const client = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const db = await cluster.db();
    const create = async (prompt: string, model = 'sora-2') => (await client.videos.create({ model: model as never, prompt, seconds: '4' as never, size: '1280x720' as never })).id;
    const finished = (ids: string[]) => cluster.finished(ids);
    console.log(`bench:cluster — ${new Date().toISOString()}, load ${loadavg()}`);

    // 1. Throughput. (`-- sse` runs only part 3.)
    const only = process.argv.slice(2);
    const perWorker = 24;
    const rates: Record<number, number> = {};
    for (const n of only.length ? [] : [1, 2, 4]) {
      const workers: Proc[] = [];
      for (let i = 0; i < n; i++) workers.push(await cluster.startWorker(`t${n}-${i}`, ['--engines', 'openai', '--concurrency', '1']));
      const cpuAtStart = workers.reduce((sum, w) => sum + cpuSeconds(w.child.pid!), 0); // start-up (tsx compiling) excluded
      await create(`warm ${n}`).then((id) => until('the bench step', async () => (await finished([id])) === 1));
      const ids: string[] = [];
      const t0 = Date.now();
      for (let i = 0; i < perWorker * n; i++) ids.push(await create(`throughput ${n}-${i}`));
      await until('the bench step', async () => (await finished(ids)) === ids.length);
      rates[n] = ids.length / ((Date.now() - t0) / 1000);
      const cpu = workers.reduce((sum, w) => sum + cpuSeconds(w.child.pid!), 0) - cpuAtStart;
      for (const w of workers) await stopProcess(w);
      // What the workers burnt per video (finalizing with ffmpeg, uploads, the queue), and the rate
      // at which this machine's cores, not the queue, would be the limit.
      const perVideo = cpu / (ids.length + 1);
      console.log(`throughput, ${n} worker(s): ${rates[n]!.toFixed(2)} videos/s (${ids.length} videos), ${(rates[n]! / (n * rates[1]!) * 100).toFixed(0)}% of linear; workers' CPU ${perVideo.toFixed(2)} s per video, so ${os.cpus().length} cores cap them at ${(os.cpus().length / perVideo).toFixed(1)} videos/s`);
    }

    // 2. Dispatch latency: created → started, one video at a time, an idle worker waiting.
    const worker = await cluster.startWorker('latency', ['--engines', 'openai', '--concurrency', '1']);
    const latencies = async (label: string) => {
      const xs: number[] = [];
      for (let i = 0; i < 60; i++) {
        const id = await create(`latency ${label} ${i}`);
        await until('the bench step', async () => (await finished([id])) === 1);
        const r = await db.selectFrom('videos').select(['created_at', 'started_at']).where('id', '=', id).executeTakeFirstOrThrow();
        xs.push(Number(r.started_at) - Number(r.created_at));
      }
      return xs;
    };
    if (!only.length || only.includes('latency')) {
    const idle = await latencies('idle');
    // 1,000 built-in videos wait in the sketch lane, which no worker here serves.
    for (let i = 0; i < 1000; i++) await client.videos.create({ model: 'sketch' as never, prompt: `backlog ${i}`, seconds: '1' as never, size: '256x144' as never });
    const backlog = await latencies('backlog');
    console.log(`dispatch latency, nothing queued:  p50 ${pct(idle, 0.5)} ms, p99 ${pct(idle, 0.99)} ms`);
    console.log(`dispatch latency, 1,000 queued:    p50 ${pct(backlog, 0.5)} ms, p99 ${pct(backlog, 0.99)} ms (p99 ratio ${(pct(backlog, 0.99) / Math.max(1, pct(idle, 0.99))).toFixed(2)}x)`);
    }

    if (!only.length || only.includes('sse')) {
    // 3. SSE fan-out: 1,000 streams on one server watching 10 videos run by the worker.
    const rssOf = async () => {
      const r = await admin.get('/metrics');
      const m = /^melies_process_resident_memory_bytes(?:\{[^}]*\})? (\d+)/m.exec(String(r.json));
      if (!m) throw new Error(`no resident memory in /metrics (${r.status}): ${String(r.json).slice(0, 300)}`);
      return Number(m[1]);
    };
    const before = await rssOf();
    // The provider holds these ten until every stream is open and has had its first event, so each
    // completion reaches streams that were already listening.
    fake.tasks.holdNew = true;
    const watched: string[] = [];
    for (let i = 0; i < 10; i++) watched.push(await create(`fanout ${i}`));
    const controller = new AbortController();
    let open = 0;
    const streams = Array.from({ length: 1000 }, (_, i) => (async () => {
      const id = watched[i % watched.length]!;
      const res = await fetch(`${server.url}/v1/videos/${id}/events`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
      const decoder = new TextDecoder();
      let text = '';
      let counted = false;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        if (!counted && text.includes('event: ')) { counted = true; open++; }
        if (text.includes('event: video.completed')) return { id, at: Date.now() };
      }
      throw new Error(`stream for ${id} ended without completion`);
    })());
    await until('the bench step', async () => open === 1000);
    const during = await rssOf();
    fake.tasks.release();
    const seen = await Promise.all(streams);
    const completedAt = new Map((await db.selectFrom('videos').select(['id', 'completed_at']).where('id', 'in', watched).execute()).map((r) => [r.id, Number(r.completed_at)]));
    const eventDelays = seen.map((s) => s.at - completedAt.get(s.id)!);
    console.log(`SSE fan-out, 1,000 streams: event delay p50 ${pct(eventDelays, 0.5)} ms, p99 ${pct(eventDelays, 0.99)} ms; server memory ${((during - before) / 1000 / 1024).toFixed(1)} KiB per open stream`);
    controller.abort();
    }

    // 4. Cancel of a running job, from the API server to the worker running it: the time from the
    // cancel request to the worker telling the provider to stop (the fake's DELETE).
    if (!only.length || only.includes('cancel')) {
      fake.tasks.holdNew = true;
      const lags: number[] = [];
      for (let i = 0; i < 10; i++) {
        const id = await create(`cancel ${i}`);
        await until('the bench step', async () => (await db.selectFrom('videos').select('provider_job_id').where('id', '=', id).executeTakeFirstOrThrow()).provider_job_id !== null);
        const providerId = (await db.selectFrom('videos').select('provider_job_id').where('id', '=', id).executeTakeFirstOrThrow()).provider_job_id!;
        const asked = Date.now();
        await member.post(`/api/videos/${id}/cancel`, {});
        await until('the bench step', async () => fake.server.calls.some((c) => c.route === 'cancel' && c.path.endsWith(providerId)));
        lags.push(fake.server.calls.find((c) => c.route === 'cancel' && c.path.endsWith(providerId))!.at - asked);
      }
      fake.tasks.release();
      console.log(`cancel of a running job, API server → worker → provider: p50 ${pct(lags, 0.5)} ms, max ${Math.max(...lags)} ms (10 cancels)`);
    }
    await stopProcess(worker);
  } finally {
    await cluster.stop();
    await fake.stop();
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
