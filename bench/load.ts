// Load: autocannon, 200 connections, against a real `melies serve` process (multi-user mode, so
// every request looks its API key up in the database). Printed against baselines measured in the
// same run: /healthz on the same server (HTTP + Fastify only) and the same route in local mode
// (no key lookup). Then a burst of creates past a small rate limit: every refusal must be a 429
// with Retry-After, never an error.
// Run: npm run bench:load  (MELIES_BENCH_SECONDS=10 by default)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { serveProcess, type MeliesProcess } from '../test/helpers/process.js';

const SECONDS = Number(process.env.MELIES_BENCH_SECONDS ?? 10);

type Server = MeliesProcess & { url: string; dir: string };

async function start(env: Record<string, string>): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'melies-load-'));
  const s = await serveProcess(dir, { MELIES_LOG_LEVEL: 'warn', MELIES_SKETCH_X264_PRESET: 'ultrafast', ...env });
  return { ...s, dir };
}

async function stop(s: Server) {
  s.child.kill('SIGTERM');
  await s.exited;
  rmSync(s.dir, { recursive: true, force: true });
}

async function json(url: string, init: RequestInit = {}): Promise<any> {
  const r = await fetch(url, init);
  return r.json();
}

/** Signs in as the first admin, makes a key and one finished video; returns the key and the id. */
async function prepare(s: Server, multi: boolean): Promise<{ headers: Record<string, string>; id: string }> {
  let headers: Record<string, string> = { authorization: 'Bearer local' };
  if (multi) {
    const token = /\/setup#token=([A-Za-z0-9_-]+)/.exec(s.output())![1];
    const setup = await fetch(`${s.url}/api/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, email: 'admin@example.org', password: 'correct horse battery' }) });
    const body = await setup.json() as any;
    const key = await json(`${s.url}/api/keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: setup.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': body.csrf_token }, body: JSON.stringify({ name: 'load' }) });
    headers = { authorization: `Bearer ${key.key}` };
  }
  const v = await json(`${s.url}/v1/videos`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'a harbour', seconds: '1', size: '320x180' }) });
  for (;;) {
    const cur = await json(`${s.url}/v1/videos/${v.id}`, { headers });
    if (cur.status === 'completed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { headers, id: v.id };
}

async function hammer(url: string, headers: Record<string, string>) {
  const r = await autocannon({ url, connections: 200, duration: SECONDS, headers });
  return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, errors: r.errors + r.timeouts + r.non2xx, total: r.requests.total };
}

async function main() {
  const multi = await start({ MELIES_AUTH: 'multi', MELIES_RATE_LIMIT_PER_MINUTE: '1000000' });
  const local = await start({});
  try {
    const m = await prepare(multi, true);
    const l = await prepare(local, false);
    const health = await hammer(`${multi.url}/healthz`, {});
    const localGet = await hammer(`${local.url}/v1/videos/${l.id}`, l.headers);
    const keyGet = await hammer(`${multi.url}/v1/videos/${m.id}`, m.headers);
    const row = (name: string, x: Awaited<ReturnType<typeof hammer>>) =>
      console.log(`${name.padEnd(40)} p50 ${String(x.p50).padStart(4)} ms  p99 ${String(x.p99).padStart(4)} ms  ${Math.round(x.rps).toString().padStart(6)} req/s  errors ${x.errors}/${x.total}`);
    console.log(`autocannon, 200 connections, ${SECONDS} s each`);
    row('GET /healthz (baseline)', health);
    row('GET /v1/videos/{id}, local mode', localGet);
    row('GET /v1/videos/{id}, API key (multi)', keyGet);
    console.log(`p99 ratio key / local: ${(keyGet.p99 / Math.max(1, localGet.p99)).toFixed(2)}x; key / healthz: ${(keyGet.p99 / Math.max(1, health.p99)).toFixed(2)}x`);
  } finally {
    await stop(multi);
    await stop(local);
  }

  // A burst of creates past a 60/minute limit: 429s with Retry-After, nothing else.
  const limited = await start({ MELIES_AUTH: 'multi', MELIES_RATE_LIMIT_PER_MINUTE: '60' });
  try {
    const { headers } = await prepare(limited, true);
    const replies = await Promise.all(Array.from({ length: 200 }, () => fetch(`${limited.url}/v1/videos`, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'burst', seconds: '1', size: '320x180' }),
    }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), code: ((await r.json()) as any).error?.code }))));
    const byOutcome = new Map<string, number>();
    for (const r of replies) {
      const k = r.status === 200 ? '200 created' : `${r.status} ${r.code}${r.retryAfter ? ` (Retry-After ${r.retryAfter})` : ''}`.replace(/Retry-After \d+\)/, 'Retry-After)');
      byOutcome.set(k, (byOutcome.get(k) ?? 0) + 1);
    }
    console.log(`create burst of 200 at a 60/min limit (plan: 3 at a time): ${[...byOutcome].map(([k, n]) => `${n} × ${k}`).join(', ')}`);
  } finally {
    await stop(limited);
  }
}

await main();
