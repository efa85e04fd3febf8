// The API's two hot paths side by side with what the same machine does without Méliès, in one run
// (issue 13): GET /v1/videos/{id} with an API key against a bare Fastify route answering the same
// JSON (bench/bare-server.ts), and GET /v1/videos/{id}/content with a 1 MiB Range against nginx
// serving the same file, and through nginx with Méliès in X-Accel-Redirect mode (Méliès
// authorises, nginx sends the bytes). Servers are `melies serve` from source in multi-user mode;
// the load comes from wrk (a C client); rounds alternate so the machine's load hits all alike.
// Run: npm run bench:api   (MELIES_BENCH_SECONDS=8, MELIES_BENCH_ROUNDS=3; needs `wrk` and, for the
// /content comparisons, nginx: apt-get install -y wrk nginx-light)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findNginx, startNginx, type Nginx } from '../test/helpers/nginx.js';
import { loadavg, median } from './common.js';
import { requireWrk, startMelies, stopChild, warmUp, wrk, type MeliesServer, type WrkResult } from './wrk.js';

const ROOT = join(import.meta.dirname, '..');
const SECONDS = Number(process.env.MELIES_BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.MELIES_BENCH_ROUNDS ?? 3);
const RANGE = 'range: bytes=1048576-2097151'; // 1 MiB from the second MiB on
const FILE_BYTES = 16 * 1024 * 1024;
const ACCEL_PREFIX = '/protected/';

/** The video file of the server's one video, as a path under its blob root. */
function videoFile(server: MeliesServer): string {
  const dir = join(server.dir, 'blobs', 'videos', server.videoId);
  const run = readdirSync(dir)[0]!;
  return join(dir, run, 'video.mp4');
}

async function startBare(body: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'bare-server.ts')], {
    cwd: ROOT, env: { ...process.env, MELIES_BARE_BODY: body }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bare server did not start')), 60_000);
    let out = '';
    child.stdout!.on('data', (c) => { out += c; const m = /listening on (http:\/\/\S+)/.exec(out); if (m) { clearTimeout(timer); resolve(m[1]!); } });
  });
  return { url, child };
}

interface Subject {
  name: string;
  url: string;
  headers: string[];
  pid: number | number[];
  connections: number;
}

/** Runs every subject of a pair ROUNDS times, alternating which goes first; medians. */
function pair(a: Subject, b: Subject): { a: WrkResult; b: WrkResult; errors: number } {
  for (const s of [a, b]) warmUp(s.url, s.headers);
  const got = new Map<Subject, WrkResult[]>([[a, []], [b, []]]);
  for (let i = 0; i < ROUNDS; i++) {
    for (const s of i % 2 ? [b, a] : [a, b]) got.get(s)!.push(wrk(s.url, { headers: s.headers, pid: s.pid, seconds: SECONDS, connections: s.connections }));
  }
  const med = (s: Subject): WrkResult => {
    const rs = got.get(s)!;
    return { rps: median(rs.map((r) => r.rps)), bytesPerSecond: median(rs.map((r) => r.bytesPerSecond)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), cpu: median(rs.map((r) => r.cpu)), errors: rs.reduce((n, r) => n + r.errors, 0) };
  };
  const ra = med(a);
  const rb = med(b);
  return { a: ra, b: rb, errors: ra.errors + rb.errors };
}

const gbps = (r: WrkResult) => `${(r.bytesPerSecond / 1e9).toFixed(2)} GB/s`;
const line = (label: string, r: WrkResult, extra = '') =>
  `  ${label.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s  ${extra}p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  server CPU ${r.cpu.toFixed(0)} µs/request`;

async function main() {
  requireWrk();
  const nginxBin = findNginx();
  const children: ChildProcess[] = [];
  const servers: MeliesServer[] = [];
  const proxies: Nginx[] = [];
  try {
    const melies = await startMelies(ROOT);
    servers.push(melies);
    const auth = melies.headers;
    const json = await (await fetch(`${melies.url}/v1/videos/${melies.videoId}`, { headers: { authorization: `Bearer ${melies.key}` } })).text();
    const bare = await startBare(json);
    children.push(bare.child);

    console.log(`wrk 1 thread, ${SECONDS} s a run, ${ROUNDS} rounds alternated after a 3 s warm-up; load ${loadavg()}`);
    const retrieve = pair(
      { name: 'melies', url: `${melies.url}/v1/videos/${melies.videoId}`, headers: auth, pid: melies.child.pid!, connections: 50 },
      { name: 'bare', url: `${bare.url}/v1/videos/${melies.videoId}`, headers: auth, pid: bare.child.pid!, connections: 50 },
    );
    console.log(`GET /v1/videos/{id}, 50 connections (non-2xx: ${retrieve.errors})`);
    console.log(line('Méliès (API key, multi-user)', retrieve.a));
    console.log(line('bare Fastify, same JSON', retrieve.b));
    console.log(`  ratio ${(retrieve.a.rps / retrieve.b.rps).toFixed(2)}x`);

    // The video is replaced by 16 MiB of random bytes, so a 1 MiB range is a real 1 MiB read
    // (a 1 s sketch video is a few kB). Méliès serves by the row's key; stat gives the new size.
    const file = videoFile(melies);
    writeFileSync(file, randomBytes(FILE_BYTES));
    const content = `/v1/videos/${melies.videoId}/content`;
    const direct: Subject = { name: 'melies content', url: `${melies.url}${content}`, headers: [...auth, RANGE], pid: melies.child.pid!, connections: 10 };
    if (!nginxBin) {
      const r = pair(direct, direct);
      console.log(`GET ${content} with a 1 MiB Range, 10 connections: nginx is not installed (apt-get install -y nginx-light), no comparison`);
      console.log(line('Méliès streams it', r.a, `${gbps(r.a)}  `));
      return;
    }
    const nginx = await startNginx({ blobRoot: join(melies.dir, 'blobs') });
    proxies.push(nginx);
    const files: Subject = { name: 'nginx', url: `${nginx.url}/files/${relative(join(melies.dir, 'blobs'), file)}`, headers: [RANGE], pid: nginx.pid, connections: 10 };
    const served = pair(direct, files);
    console.log(`GET /v1/videos/{id}/content with a 1 MiB Range, 10 connections (non-2xx: ${served.errors})`);
    console.log(line('Méliès streams it', served.a, `${gbps(served.a)}  `));
    console.log(line('nginx serves the same file (sendfile)', served.b, `${gbps(served.b)}  `));
    console.log(`  ratio ${(served.a.bytesPerSecond / served.b.bytesPerSecond).toFixed(2)}x`);

    // X-Accel-Redirect: a second server in that mode behind its own nginx, the same file.
    const accel = await startMelies(ROOT, { env: { MELIES_ACCEL_REDIRECT: ACCEL_PREFIX } });
    servers.push(accel);
    writeFileSync(videoFile(accel), randomBytes(FILE_BYTES));
    const front = await startNginx({ blobRoot: join(accel.dir, 'blobs'), upstream: accel.url, internalPrefix: ACCEL_PREFIX });
    proxies.push(front);
    const probe = await fetch(`${accel.url}${`/v1/videos/${accel.videoId}/content`}`, { headers: { authorization: `Bearer ${accel.key}` } });
    if (!probe.headers.get('x-accel-redirect')) throw new Error('the server answered /content without X-Accel-Redirect: MELIES_ACCEL_REDIRECT was not applied');
    const through: Subject = { name: 'accel', url: `${front.url}/v1/videos/${accel.videoId}/content`, headers: [...accel.headers, RANGE], pid: [front.pid, accel.child.pid!], connections: 10 };
    const viaAccel = pair(through, files);
    console.log(`The same through nginx, Méliès in X-Accel-Redirect mode (non-2xx: ${viaAccel.errors}); server CPU: nginx's and Méliès's`);
    console.log(line('nginx → Méliès authorises → nginx sends', viaAccel.a, `${gbps(viaAccel.a)}  `));
    console.log(line('nginx serves the file directly', viaAccel.b, `${gbps(viaAccel.b)}  `));
    console.log(`  ratio ${(viaAccel.a.bytesPerSecond / viaAccel.b.bytesPerSecond).toFixed(2)}x`);
    console.log(`load after: ${loadavg()}`);
  } finally {
    for (const p of proxies) await p.stop();
    for (const c of children) await stopChild(c);
    for (const s of servers) {
      await stopChild(s.child);
      rmSync(s.dir, { recursive: true, force: true });
    }
  }
}

await main();
