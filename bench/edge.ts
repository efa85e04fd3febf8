// What the hardening of the HTTP edge costs (issue 12: access from the matched route, request-target
// rewriting, NUL checks on every URL and body, timeouts, the logger's redaction pass): the same
// requests against this checkout and against a baseline commit, both `melies serve` in multi-user
// mode (every request looks its API key up), run from source the same way, alternated round by
// round in one session. The load comes from wrk (a C client), so the client is not the bottleneck.
// Run: npx tsx bench/edge.ts   (MELIES_BENCH_BASE=<commit>, default the last commit before issue 12;
// MELIES_BENCH_SECONDS=10, MELIES_BENCH_ROUNDS=5; needs `wrk`: apt-get install -y wrk)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg, median } from './common.js';

const ROOT = join(import.meta.dirname, '..');
const BASE = process.env.MELIES_BENCH_BASE ?? '89113f5';
const SECONDS = Number(process.env.MELIES_BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.MELIES_BENCH_ROUNDS ?? 5);

interface Server { url: string; child: ChildProcess; dir: string; headers: string[]; videoId: string }

async function start(root: string): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'melies-edge-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), 'serve', '--port', '0', '--data-dir', dir], {
    cwd: root, env: { ...process.env, MELIES_AUTH: 'multi', MELIES_LOG_LEVEL: 'warn', MELIES_RATE_LIMIT_PER_MINUTE: '1000000', MELIES_SKETCH_X264_PRESET: 'ultrafast' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => { out += c; });
  child.stderr!.on('data', (c) => { out += c; });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start:\n${out}`)), 120_000);
    child.stdout!.on('data', () => { const m = /listening on (http:\/\/\S+)/.exec(out); if (m) { clearTimeout(timer); resolve(m[1]!); } });
  });
  await until(() => /#token=/.test(out));
  const token = /\/setup#token=([A-Za-z0-9_-]+)/.exec(out)![1];
  const setup = await fetch(`${url}/api/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, email: 'admin@example.org', password: 'correct horse battery' }) });
  const session = await setup.json() as { csrf_token: string };
  const key = await (await fetch(`${url}/api/keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: setup.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': session.csrf_token }, body: JSON.stringify({ name: 'bench' }) })).json() as { key: string };
  const auth = `authorization: Bearer ${key.key}`;
  const v = await (await fetch(`${url}/v1/videos`, { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'a harbour', seconds: '1', size: '320x180' }) })).json() as { id: string };
  await until(async () => ((await (await fetch(`${url}/v1/videos/${v.id}`, { headers: { authorization: `Bearer ${key.key}` } })).json()) as { status: string }).status === 'completed');
  return { url, child, dir, headers: [auth], videoId: v.id };
}

async function until(ok: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1200; i++) { if (await ok()) return; await new Promise((r) => setTimeout(r, 100)); }
  throw new Error('timed out');
}

/** CPU time a process has used so far, in µs (Linux /proc: utime + stime, ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
  return (Number(f[11]) + Number(f[12])) * 10_000;
}

/**
 * One wrk run: requests per second, the 50th/99th latency percentiles (ms), and the server's own
 * CPU time per request (µs), which the two cores' scheduling disturbs far less than latency.
 */
function wrk(url: string, headers: string[], pid: number): { rps: number; p50: number; p99: number; cpu: number; errors: number } {
  const args = ['-t1', '-c50', `-d${SECONDS}s`, '--latency', ...headers.flatMap((h) => ['-H', h]), url];
  const cpu0 = cpuMicros(pid);
  const text = execFileSync('wrk', args, { encoding: 'utf8' });
  const cpu = cpuMicros(pid) - cpu0;
  const requests = Number(/(\d+) requests in/.exec(text)![1]);
  const ms = (label: string) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(text)!;
    return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  };
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? '0';
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)![1]), p50: ms('50'), p99: ms('99'), cpu: cpu / requests, errors: Number(errors) };
}

async function main() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('wrk is not installed: apt-get install -y wrk');
    // wrk --version exits 1 after printing its version: it is there.
  }
  const baseDir = mkdtempSync(join(tmpdir(), 'melies-edge-base-'));
  execFileSync('git', ['worktree', 'add', '--detach', join(baseDir, 'src-tree'), BASE], { cwd: ROOT, stdio: 'ignore' });
  const baseRoot = join(baseDir, 'src-tree');
  if (!existsSync(join(baseRoot, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(baseRoot, 'node_modules'));
  const servers: Record<'base' | 'this', Server | null> = { base: null, this: null };
  try {
    servers.base = await start(baseRoot);
    servers.this = await start(ROOT);
    const routes = [
      { name: 'GET /healthz', path: () => '/healthz', auth: false },
      { name: 'GET /v1/videos/{id} (API key)', path: (s: Server) => `/v1/videos/${s.videoId}`, auth: true },
      { name: 'GET /v1/videos?limit=20 (API key)', path: () => '/v1/videos?limit=20', auth: true },
    ];
    console.log(`wrk, 1 thread, 50 connections, ${SECONDS} s a run, ${ROUNDS} rounds alternated; base ${BASE}; load ${loadavg()}`);
    for (const r of routes) {
      const got: Record<'base' | 'this', ReturnType<typeof wrk>[]> = { base: [], this: [] };
      // Warm-up, not counted: both run from source, and tsx compiles modules on first use.
      for (const s of [servers.base!, servers.this!]) execFileSync('wrk', ['-t1', '-c50', '-d3s', ...(r.auth ? s.headers.flatMap((h) => ['-H', h]) : []), `${s.url}${r.path(s)}`], { stdio: 'ignore' });
      for (let i = 0; i < ROUNDS; i++) {
        for (const which of (i % 2 ? ['this', 'base'] : ['base', 'this']) as ('base' | 'this')[]) {
          const s = servers[which]!;
          got[which].push(wrk(`${s.url}${r.path(s)}`, r.auth ? s.headers : [], s.child.pid!));
        }
      }
      const m = (which: 'base' | 'this', k: 'rps' | 'p50' | 'p99' | 'cpu') => median(got[which].map((x) => x[k]));
      const errors = [...got.base, ...got.this].reduce((n, x) => n + x.errors, 0);
      console.log(`${r.name.padEnd(34)} server CPU/request ${m('base', 'cpu').toFixed(0)} → ${m('this', 'cpu').toFixed(0)} µs (${(m('this', 'cpu') / m('base', 'cpu')).toFixed(2)}x)  req/s ${m('base', 'rps').toFixed(0)} → ${m('this', 'rps').toFixed(0)} (${(m('this', 'rps') / m('base', 'rps')).toFixed(2)}x)  p50 ${m('base', 'p50').toFixed(2)} → ${m('this', 'p50').toFixed(2)} ms  p99 ${m('base', 'p99').toFixed(2)} → ${m('this', 'p99').toFixed(2)} ms (${(m('this', 'p99') / m('base', 'p99')).toFixed(2)}x)  non-2xx ${errors}`);
    }
    console.log(`load after: ${loadavg()}`);
  } finally {
    for (const s of Object.values(servers)) {
      if (!s) continue;
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.once('exit', r));
      rmSync(s.dir, { recursive: true, force: true });
    }
    execFileSync('git', ['worktree', 'remove', '--force', baseRoot], { cwd: ROOT, stdio: 'ignore' });
    rmSync(baseDir, { recursive: true, force: true });
  }
}

await main();
