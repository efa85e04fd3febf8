// What the HTTP benchmarks share (bench/edge.ts, bench/api.ts): a `melies serve` from source in
// multi-user mode with an admin, an API key and one finished video; wrk runs (a C client, so the
// client is not the bottleneck) with the server's own CPU time per request read from /proc.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MeliesServer {
  url: string;
  child: ChildProcess;
  dir: string;
  /** wrk `-H` lines that authenticate as the admin's API key. */
  headers: string[];
  key: string;
  videoId: string;
}

/** Throws with the install command when wrk is missing. */
export function requireWrk(): void {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('wrk is not installed: apt-get install -y wrk');
    // wrk --version exits 1 after printing its version: it is there.
  }
}

export async function until(ok: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1200; i++) { if (await ok()) return; await new Promise((r) => setTimeout(r, 100)); }
  throw new Error('timed out');
}

/**
 * Starts `melies serve` from the checkout at `root` on a free port (run by tsx, as `npm run dev`
 * would), creates the admin and a key, and makes one video of `video` (default 1 s at 320x180).
 */
export async function startMelies(root: string, opts: { env?: Record<string, string>; nodeArgs?: string[]; video?: { seconds: string; size: string } } = {}): Promise<MeliesServer> {
  const dir = mkdtempSync(join(tmpdir(), 'melies-http-bench-'));
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), 'serve', '--port', '0', '--data-dir', dir], {
    cwd: root,
    env: { ...process.env, MELIES_AUTH: 'multi', MELIES_LOG_LEVEL: 'warn', MELIES_RATE_LIMIT_PER_MINUTE: '1000000', MELIES_SKETCH_X264_PRESET: 'ultrafast', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
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
  const authorization = `Bearer ${key.key}`;
  const v = await (await fetch(`${url}/v1/videos`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'a harbour', ...(opts.video ?? { seconds: '1', size: '320x180' }) }) })).json() as { id: string };
  await until(async () => ((await (await fetch(`${url}/v1/videos/${v.id}`, { headers: { authorization } })).json()) as { status: string }).status === 'completed');
  return { url, child, dir, headers: [`authorization: ${authorization}`], key: key.key, videoId: v.id };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** CPU time a process has used so far, in µs (Linux /proc: utime + stime, ticks of 10 ms). */
export function cpuMicros(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
  return (Number(f[11]) + Number(f[12])) * 10_000;
}

export interface WrkResult {
  rps: number;
  /** Bytes a second, from wrk's Transfer/sec (headers included). */
  bytesPerSecond: number;
  p50: number;
  p99: number;
  /** The server's CPU µs per request (all its processes'); NaN without a pid. */
  cpu: number;
  errors: number;
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/**
 * One wrk run: requests per second, throughput, the 50th/99th latency percentiles (ms), and the
 * server's own CPU time per request (µs) when its pid is given, which the two cores' scheduling
 * disturbs far less than latency.
 */
export function wrk(url: string, opts: { headers?: string[]; pid?: number | number[]; seconds: number; connections?: number }): WrkResult {
  const args = ['-t1', `-c${opts.connections ?? 50}`, `-d${opts.seconds}s`, '--latency', ...(opts.headers ?? []).flatMap((h) => ['-H', h]), url];
  const pids = opts.pid === undefined ? [] : [opts.pid].flat();
  const used = () => pids.reduce((n, pid) => n + cpuMicros(pid), 0);
  const cpu0 = used();
  const text = execFileSync('wrk', args, { encoding: 'utf8' });
  const cpu = pids.length ? used() - cpu0 : NaN;
  const requests = Number(/(\d+) requests in/.exec(text)![1]);
  const ms = (label: string) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(text)!;
    return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  };
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB|TB)/.exec(text)!;
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? '0';
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)![1]),
    bytesPerSecond: Number(transfer[1]) * UNITS[transfer[2]!]!,
    p50: ms('50'), p99: ms('99'), cpu: cpu / requests, errors: Number(errors),
  };
}

/** Warm-up, not counted: servers run from source, and tsx compiles modules on first use. */
export function warmUp(url: string, headers: string[] = [], seconds = 3): void {
  execFileSync('wrk', ['-t1', '-c50', `-d${seconds}s`, ...headers.flatMap((h) => ['-H', h]), url], { stdio: 'ignore' });
}
