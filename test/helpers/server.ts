// Starts a real Méliès server (local disk, embedded queue, sketch engine) on a free port with a
// throwaway data directory, tuned for fast tests: on SQLite in that directory, or on PostgreSQL in
// a throwaway schema dropped at stop, so a suite can run on both databases (serverBackends()).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { makeConfig, type ConfigInput } from '../../src/config/config.js';
import { openPostgres } from '../../src/db/database.js';
import { dropSchema } from '../../src/db/migrator.js';
import { postgresUrl, testDatabases } from '../../src/db/test-databases.js';

export type ServerBackend = 'sqlite' | 'postgres';

export interface TestServer extends RunningServer {
  dataDir: string;
  db: ServerBackend;
  /** PostgreSQL's throwaway schema; undefined on SQLite. */
  schema?: string;
  stop(): Promise<void>;
}

/** The databases a server suite runs on: SQLite, and PostgreSQL (required when CI=true). */
export async function serverBackends(): Promise<ServerBackend[]> {
  return (await testDatabases()).map((t) => t.name);
}

/**
 * `workers: false`: no job runs until the test calls `stack.startWorkers()` (a video stays queued
 * meanwhile). `db: 'postgres'`: the server's database is a fresh schema of the test PostgreSQL.
 */
export async function startTestServer(over: ConfigInput = {}, opts: { workers?: boolean; db?: ServerBackend } = {}): Promise<TestServer> {
  const db = opts.db ?? 'sqlite';
  const schema = db === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'melies-test-'));
  const dropIt = async () => {
    if (!schema) return;
    const admin = await openPostgres(postgresUrl, { max: 1 });
    await dropSchema(admin, schema);
    await admin.destroy();
  };
  const config = makeConfig({
    port: 0,
    dataDir,
    logLevel: 'silent',
    searchPath: process.env.PATH ?? '',
    ...over,
    ...(schema ? { databaseUrl: `${postgresUrl}?schema=${schema}` } : {}),
    jobs: { pollIntervalMs: 50, retryBaseMs: 50, shutdownGraceSeconds: 5, ...over.jobs },
    sketch: { x264Preset: 'ultrafast', ...over.sketch },
  });
  const server = await startServer(config, { workers: opts.workers }).catch(async (err) => {
    rmSync(dataDir, { recursive: true, force: true });
    await dropIt();
    throw err;
  });
  return {
    ...server,
    dataDir,
    db,
    schema,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      await dropIt();
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
