// What the hardening of the HTTP edge costs (issue 12: access from the matched route, request-target
// rewriting, NUL checks on every URL and body, timeouts, the logger's redaction pass): the same
// requests against this checkout and against a baseline commit, both `melies serve` in multi-user
// mode (every request looks its API key up), run from source the same way, alternated round by
// round in one session. The load comes from wrk (a C client), so the client is not the bottleneck.
// Run: npx tsx bench/edge.ts   (MELIES_BENCH_BASE=<commit>, default the last commit before issue 12;
// MELIES_BENCH_SECONDS=10, MELIES_BENCH_ROUNDS=5; needs `wrk`: apt-get install -y wrk)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg, median } from './common.js';
import { requireWrk, startMelies, stopChild, warmUp, wrk, type MeliesServer as Server } from './wrk.js';

const ROOT = join(import.meta.dirname, '..');
const BASE = process.env.MELIES_BENCH_BASE ?? '89113f5';
const SECONDS = Number(process.env.MELIES_BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.MELIES_BENCH_ROUNDS ?? 5);

async function main() {
  requireWrk();
  const baseDir = mkdtempSync(join(tmpdir(), 'melies-edge-base-'));
  execFileSync('git', ['worktree', 'add', '--detach', join(baseDir, 'src-tree'), BASE], { cwd: ROOT, stdio: 'ignore' });
  const baseRoot = join(baseDir, 'src-tree');
  if (!existsSync(join(baseRoot, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(baseRoot, 'node_modules'));
  const servers: Record<'base' | 'this', Server | null> = { base: null, this: null };
  try {
    servers.base = await startMelies(baseRoot);
    servers.this = await startMelies(ROOT);
    const routes = [
      { name: 'GET /healthz', path: () => '/healthz', auth: false },
      { name: 'GET /v1/videos/{id} (API key)', path: (s: Server) => `/v1/videos/${s.videoId}`, auth: true },
      { name: 'GET /v1/videos?limit=20 (API key)', path: () => '/v1/videos?limit=20', auth: true },
    ];
    console.log(`wrk, 1 thread, 50 connections, ${SECONDS} s a run, ${ROUNDS} rounds alternated; base ${BASE}; load ${loadavg()}`);
    for (const r of routes) {
      const got: Record<'base' | 'this', ReturnType<typeof wrk>[]> = { base: [], this: [] };
      // Warm-up, not counted: both run from source, and tsx compiles modules on first use.
      for (const s of [servers.base!, servers.this!]) warmUp(`${s.url}${r.path(s)}`, r.auth ? s.headers : []);
      for (let i = 0; i < ROUNDS; i++) {
        for (const which of (i % 2 ? ['this', 'base'] : ['base', 'this']) as ('base' | 'this')[]) {
          const s = servers[which]!;
          got[which].push(wrk(`${s.url}${r.path(s)}`, { headers: r.auth ? s.headers : [], pid: s.child.pid!, seconds: SECONDS }));
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
      await stopChild(s.child);
      rmSync(s.dir, { recursive: true, force: true });
    }
    execFileSync('git', ['worktree', 'remove', '--force', baseRoot], { cwd: ROOT, stdio: 'ignore' });
    rmSync(baseDir, { recursive: true, force: true });
  }
}

await main();
