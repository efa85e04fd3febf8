// Starts a real Méliès server (SQLite, local disk, embedded queue, sketch engine) on a free port
// with a throwaway data directory, tuned for fast tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { makeConfig, type ConfigInput } from '../../src/config/config.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  stop(): Promise<void>;
}

/** `workers: false`: no job runs until the test calls `stack.startWorkers()` (a video stays queued meanwhile). */
export async function startTestServer(over: ConfigInput = {}, opts: { workers?: boolean } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'melies-test-'));
  const config = makeConfig({
    port: 0,
    dataDir,
    logLevel: 'silent',
    searchPath: process.env.PATH ?? '',
    ...over,
    jobs: { pollIntervalMs: 50, retryBaseMs: 50, shutdownGraceSeconds: 5, ...over.jobs },
    sketch: { x264Preset: 'ultrafast', ...over.sketch },
  });
  const server = await startServer(config, { workers: opts.workers }).catch((err) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  return {
    ...server,
    dataDir,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting; last value: ${String(JSON.stringify(v)).slice(0, 300)}`);
    await sleep(everyMs);
  }
}

/** Waits until `check` gives something truthy, and returns it; a timeout names `what`. */
export async function until<T>(what: string, check: () => Promise<T | false | null | undefined>, timeoutMs = 120_000, everyMs = 200): Promise<T> {
  try {
    return (await waitFor(check, Boolean, timeoutMs, everyMs)) as T;
  } catch {
    throw new Error(`timed out waiting for ${what}`);
  }
}
