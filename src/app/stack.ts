// The composition root: the only place that picks implementations. Embedded mode today: SQLite
// (or PostgreSQL when DATABASE_URL says so), local disk, the in-process durable queue, the
// built-in engine. Distributed implementations (BullMQ, S3) plug in here and nowhere else.
import { join } from 'node:path';
import { sql } from 'kysely';
import pino, { type Logger } from 'pino';
import type { Config } from '../config/config.js';
import { openPostgres, openSqlite, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrations.js';
import { VideoRepo } from '../db/video.repo.js';
import { MemoryEventBus } from '../events/event-bus.js';
import { makeGenerateVideoJob } from '../jobs/generate-video.job.js';
import { sweepWorkRoot } from '../jobs/work-dir.js';
import type { MediaBinaries } from '../media/binaries.js';
import { createEngines, mediaBinaries } from './engines.js';
import { decodeDataUrl, safeFetch } from '../net/safe-fetch.js';
import { EmbeddedQueue } from '../queue/embedded/embedded.queue.js';
import type { JobQueue } from '../queue/job-queue.js';
import { VideoService } from '../services/video.service.js';
import { LocalBlobStore } from '../storage/local/local.blob-store.js';

export interface Stack {
  config: Config;
  log: Logger;
  videos: VideoService;
  queue: JobQueue;
  media: MediaBinaries;
  ready(): Promise<void>;
  /** Re-enqueues unfinished videos, then starts this process's workers. */
  startWorkers(opts?: { concurrency?: number }): Promise<void>;
  /** Stops workers (running jobs get `graceMs` to finish, then are released) and closes the database. */
  close(opts?: { graceMs?: number }): Promise<void>;
}

async function openDatabase(config: Config): Promise<Database> {
  const url = config.databaseUrl;
  if (url?.startsWith('postgres')) return openPostgres(url);
  const file = url?.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\//, '') : join(config.dataDir, 'melies.db');
  return openSqlite(file);
}

export interface StackOptions {
  /** Command-line tools pass 'quiet': only warnings, so their own output stays readable. */
  logs?: 'normal' | 'quiet';
}

export async function createStack(config: Config, opts: StackOptions = {}): Promise<Stack> {
  const quiet = opts.logs === 'quiet' && config.logLevel === 'info';
  const log = pino({ level: quiet ? 'warn' : config.logLevel });
  const media = mediaBinaries(config);
  const db = await openDatabase(config);
  await migrateToLatest(db);

  const workRoot = join(config.dataDir, 'work');
  const logFn = (level: 'info' | 'warn' | 'error', msg: string, extra: Record<string, unknown> = {}) => log[level](extra, msg);
  const videosRepo = new VideoRepo(db);
  const storage = new LocalBlobStore(join(config.dataDir, 'blobs'));
  const engines = createEngines(config, media);
  const events = new MemoryEventBus();
  const queue = new EmbeddedQueue(db, {
    leaseMs: config.jobs.leaseSeconds * 1000,
    pollIntervalMs: config.jobs.pollIntervalMs,
    maxAttempts: config.jobs.maxAttempts,
    retryBaseMs: config.jobs.retryBaseMs,
    log: logFn,
  });
  const fetchOpts = { allowPrivateNetworks: config.fetch.allowPrivateNetworks, timeoutMs: config.fetch.timeoutMs, maxBytes: config.uploads.maxBytes };
  const videos = new VideoService({
    videos: videosRepo,
    queue,
    storage,
    models: engines,
    events,
    defaultModel: 'sketch',
    fetchImage: async (url) => (url.startsWith('data:') ? decodeDataUrl(url) : safeFetch(url, fetchOpts)),
  });
  const job = makeGenerateVideoJob({
    videos: videosRepo,
    engineFor: (model) => engines.engine(model),
    storage,
    publish: (video) => events.publish(video),
    media,
    workRoot,
    log: logFn,
  });

  let closed = false;
  return {
    config,
    log,
    videos,
    queue,
    media,
    ready: async () => { await sql`select 1`.execute(db); },
    async startWorkers(o = {}) {
      await sweepWorkRoot(workRoot);
      const recovered = await videos.recoverUnfinished();
      if (recovered) log.info({ recovered }, 'resuming unfinished videos');
      queue.process({ concurrency: o.concurrency ?? config.jobs.concurrency, ...job });
    },
    async close(o = {}) {
      if (closed) return;
      closed = true;
      await queue.close({ graceMs: o.graceMs ?? config.jobs.shutdownGraceSeconds * 1000 });
      await events.close();
      await db.destroy();
    },
  };
}
