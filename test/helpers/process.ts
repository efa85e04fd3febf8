// Runs `melies` as a real child process (through tsx, no build needed), for tests that kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterThisTest } from './test-hooks.js';

export const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
// By path, not by name: `--import tsx` resolves from the child's cwd, which may be outside the repo.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface MeliesProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runMelies(args: string[], env: Record<string, string> = {}, cwd = ROOT, opts: { outlivesTest?: boolean } = {}): MeliesProcess {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd,
    env: { ...process.env, MELIES_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => { out += c; });
  child.stderr!.on('data', (c) => { out += c; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const p = { child, output: () => out, exited };
  // Started inside a test: stopped when the test ends, passed, failed or timed out, before the
  // test's own cleanup (hooks run last-registered first) removes the folders it writes to. A
  // server that later tests of the same file go on using (a restart mid-file) says `outlivesTest`
  // and is stopped by the file's afterAll instead.
  if (!opts.outlivesTest) {
    afterThisTest(() => stopProcess(p)); // false when started in a hook: its afterAll stops it
  }
  return p;
}

/**
 * Stops a child if it still runs (SIGTERM, then SIGKILL if it has not exited within `graceMs`)
 * and waits for it: for cleanup after a test, passed or failed.
 */
export async function stopProcess(p: MeliesProcess, graceMs = 15_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const t = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(t);
}

/**
 * Starts `melies serve --port 0` and resolves with its URL once it listens. `onSpawn` sees the
 * child before it listens, so a test can stop it even if it never starts; a child that does not
 * start within 30 s is killed.
 */
export async function serveProcess(
  dataDir: string,
  env: Record<string, string> = {},
  opts: { onSpawn?: (p: MeliesProcess) => void; outlivesTest?: boolean; /** More `serve` flags, e.g. ['--workers', '0']. */ args?: string[] } = {},
): Promise<MeliesProcess & { url: string }> {
  const p = runMelies(['serve', '--port', '0', '--data-dir', dataDir, ...(opts.args ?? [])], env, ROOT, { outlivesTest: opts.outlivesTest });
  opts.onSpawn?.(p);
  const url = await new Promise<string>((resolve, reject) => {
    // Rejected only once the child is gone, so the caller can remove its data dir safely.
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; p.child.kill('SIGKILL'); }, 30_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(p.output());
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    };
    p.child.stdout!.on('data', check);
    p.exited.then(() => { clearTimeout(timer); reject(new Error(`server ${timedOut ? 'did not start within 30 s' : 'exited'}:\n${p.output()}`)); });
  });
  return { ...p, url };
}
