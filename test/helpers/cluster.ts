// A distributed Méliès made of real OS processes, as an operator runs it: `melies migrate`, then
// `melies serve --workers 0` and `melies worker` processes sharing the machine's PostgreSQL (a
// throwaway schema), Redis (a random key prefix, or a redis-server of the test's own) and an S3
// server (s3rver, started here). Tests read what the processes left through Kysely and S3.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { deletePrefix } from '../../src/coordination/redis/test-redis.js';
import { openPostgres, type Database } from '../../src/db/database.js';
import { dropSchema } from '../../src/db/migrator.js';
import { postgresUrl } from '../../src/db/test-databases.js';
import { Caller, keyFor, sessionFrom } from './accounts.js';
import { runMelies, serveProcess, stopProcess, type MeliesProcess } from './process.js';
import { startFaultProxy, startS3Server, type FaultProxy, type S3TestServer } from './s3-server.js';
import { sql } from 'kysely';

export interface ClusterOptions {
  /** Environment for every process (engine keys, timings). */
  env?: Record<string, string>;
  /** A Redis of the test's own (e.g. one it restarts); default: the machine's, under a random prefix. */
  redisUrl?: string;
  /** Put a fault-injecting proxy between the processes and S3 (`cluster.s3Faults`). */
  s3Faults?: boolean;
}

export type Proc = MeliesProcess & { url?: string; name: string };

export class Cluster {
  readonly schema = `c_${randomBytes(6).toString('hex')}`;
  readonly redisPrefix = `mtest-${randomBytes(6).toString('hex')}`;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'melies-cluster-'));
  readonly servers: Proc[] = [];
  readonly workers = new Map<string, Proc>();
  private readonly all: Proc[] = [];
  private database: Promise<Database> | null = null;

  /** Every process's PostgreSQL connections carry this name, so a test can cut them. */
  readonly applicationName = `melies_${this.schema}`;

  private constructor(readonly s3: S3TestServer, readonly s3Faults: FaultProxy | null, readonly redisUrl: string, private readonly extraEnv: Record<string, string>) {}

  static async start(opts: ClusterOptions = {}): Promise<Cluster> {
    const s3 = await startS3Server();
    const proxy = opts.s3Faults ? await startFaultProxy(s3.endpoint) : null;
    const c = new Cluster(s3, proxy, opts.redisUrl ?? 'redis://127.0.0.1:6379', opts.env ?? {});
    const migrate = runMelies(['migrate'], c.env('migrate'));
    const { code } = await migrate.exited;
    if (code !== 0) throw new Error(`melies migrate failed:\n${migrate.output()}`);
    return c;
  }

  /** What every process of this deployment is given, plus its own data directory. */
  env(name: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      DATABASE_URL: `${postgresUrl}?schema=${this.schema}&application_name=${this.applicationName}`,
      REDIS_URL: this.redisUrl,
      MELIES_REDIS_PREFIX: this.redisPrefix,
      S3_ENDPOINT: this.s3Faults?.endpoint ?? this.s3.endpoint,
      S3_BUCKET: this.s3.bucket,
      S3_REGION: this.s3.region,
      S3_ACCESS_KEY_ID: this.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: this.s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
      MELIES_DATA_DIR: join(this.dataDir, name),
      MELIES_AUTH: 'multi',
      // Five processes beside the rest of the suite's: PostgreSQL allows 100 connections in all.
      MELIES_DATABASE_POOL_SIZE: '4',
      MELIES_SKETCH_X264_PRESET: 'ultrafast',
      ...this.extraEnv,
      ...extra,
    };
  }

  /** `melies serve --workers 0`: an API server that runs no jobs. */
  async startServer(name = `serve-${this.servers.length + 1}`, extra: Record<string, string> = {}): Promise<Proc & { url: string }> {
    const p = await serveProcess(join(this.dataDir, name), this.env(name, extra), { outlivesTest: true, args: ['--workers', '0'] });
    const proc = Object.assign(p, { name });
    this.servers.push(proc);
    this.all.push(proc);
    return proc;
  }

  /** `melies worker`, resolved once it says it runs jobs. */
  async startWorker(name: string, args: string[] = [], extra: Record<string, string> = {}): Promise<Proc> {
    const p = runMelies(['worker', ...args], this.env(name, extra), undefined, { outlivesTest: true });
    const proc = Object.assign(p, { name });
    this.all.push(proc);
    await new Promise<void>((resolve, reject) => {
      const check = () => { if (/worker running jobs/.test(p.output())) resolve(); };
      p.child.stdout!.on('data', check);
      check();
      p.exited.then(() => reject(new Error(`worker ${name} exited:\n${p.output()}`)));
    });
    this.workers.set(name, proc);
    return proc;
  }

  /** The deployment's database, as the processes see it. */
  db(): Promise<Database> {
    this.database ??= openPostgres(postgresUrl, { searchPath: this.schema, max: 2 });
    return this.database;
  }

  /**
   * The admin, from the one-time setup link `server` printed, with a plan `unlimited` that caps
   * nothing (so a test's hundreds of videos meet no quota).
   */
  async admin(server: Proc & { url: string }): Promise<Caller> {
    const token = /\/setup#token=([A-Za-z0-9_-]+)/.exec(server.output())?.[1];
    if (!token) throw new Error(`no setup link in ${server.name}'s output`);
    const admin = sessionFrom(server.url, await new Caller(server.url).post('/api/auth/setup', { token, email: 'admin@example.org', password: 'correct horse battery' }));
    const plan = await admin.put('/api/admin/plans/unlimited', { label: 'Unlimited', seconds_per_day: null, seconds_per_month: null, max_concurrent: null, max_seconds: null, max_pixels: null, allowed_models: null, priority: 0, usd_budget_month: null });
    if (plan.status !== 200) throw new Error(`plan: ${JSON.stringify(plan.json)}`);
    return admin;
  }

  /** A person on the unlimited plan, registered at `url` (any server: accounts are shared), holding an API key. */
  async member(admin: Caller, url: string, email: string): Promise<Caller> {
    const invite = await admin.post('/api/admin/invites', { plan: 'unlimited' });
    return keyFor(sessionFrom(url, await new Caller(url).post('/api/auth/register', { email, password: 'a long enough password', invite_code: invite.json.code })));
  }

  /** How many of the deployment's videos (or of `ids`) have finished, completed or failed. */
  async finished(ids?: string[]): Promise<number> {
    let q = (await this.db()).selectFrom('videos').select((e) => e.fn.countAll().as('c')).where('status', 'in', ['completed', 'failed']);
    if (ids) q = q.where('id', 'in', ids);
    return Number((await q.executeTakeFirstOrThrow()).c);
  }

  /** What every process printed, for a failed test's report. */
  logs(): string {
    return this.all.map((p) => `--- ${p.name} (exit ${p.child.exitCode ?? p.child.signalCode ?? 'running'})\n${p.output().slice(-6000)}`).join('\n');
  }

  /** Cuts every PostgreSQL connection the processes hold (a database restart or network cut, as they see it). */
  async dropDatabaseConnections(): Promise<number> {
    const db = await this.db();
    const r = await sql<{ n: number }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = ${this.applicationName}`.execute(db);
    return r.rows[0]!.n;
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((p) => stopProcess(p)));
    if (this.database) await (await this.database).destroy();
    const admin = await openPostgres(postgresUrl, { max: 1 });
    try { await dropSchema(admin, this.schema); } finally { await admin.destroy(); }
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on('error', () => {});
    try {
      await redis.connect();
      await deletePrefix(redis, this.redisPrefix);
    } catch { /* a test's own Redis may be gone already */ } finally { redis.disconnect(); }
    await this.s3Faults?.stop();
    await this.s3.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
