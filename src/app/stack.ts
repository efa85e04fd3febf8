// The composition root: the only place that picks implementations. Embedded mode today: SQLite
// (or PostgreSQL when DATABASE_URL says so), local disk, the in-process durable queue, the
// built-in engine. Distributed implementations (BullMQ, S3) plug in here and nowhere else.
import { join } from 'node:path';
import { sql } from 'kysely';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config.js';
import { serverSecrets } from '../config/secrets.js';
import { Redactor } from '../domain/redaction.js';
import { openDatabase } from './database.js';
import { checkRedis, openBullmqQueue, openSharedState } from './distributed.js';
import { MemoryCoordination } from '../coordination/memory/memory.coordination.js';
import type { Coordination } from '../coordination/coordination.js';
import { Metrics } from '../api/metrics.js';
import { isDistributed, prepareDatabase, sharedSigningIdentity } from './deployment.js';
import { VideoRepo } from '../db/video.repo.js';
import { MemoryEventBus } from '../events/event-bus.js';
import { makeGenerateVideoJob } from '../jobs/generate-video.job.js';
import { sweepWorkRoot } from '../jobs/work-dir.js';
import { freeBytes } from '../storage/local/free-space.js';
import { mkdir } from 'node:fs/promises';
import type { MediaBinaries } from '../media/binaries.js';
import { createEngines, mediaBinaries } from './engines.js';
import { cloudWorkerSlots, dailyCapMicros } from './cloud.js';
import { SpendRepo } from '../db/spend.repo.js';
import { isCloudEngine } from '../engines/cloud/cloud-engine.js';
import { shapeOf } from '../engines/request-shape.js';
import { SpendCaps } from '../services/spend-caps.js';
import { workerSlotsFor } from './comfyui.js';
import { EngineStatusService } from '../services/engine-status.service.js';
import { decodeDataUrl, safeFetch } from '../net/safe-fetch.js';
import { EmbeddedQueue } from '../queue/embedded/embedded.queue.js';
import type { JobQueue } from '../queue/job-queue.js';
import { VideoService } from '../services/video.service.js';
import { QueueControlService } from '../services/queue-control.service.js';
import { ApiKeyRepo } from '../db/api-key.repo.js';
import { AuditRepo } from '../db/audit.repo.js';
import { InviteRepo } from '../db/invite.repo.js';
import { PauseRepo } from '../db/pause.repo.js';
import { PlanRepo } from '../db/plan.repo.js';
import { SessionRepo } from '../db/session.repo.js';
import { UserRepo } from '../db/user.repo.js';
import { AdminService } from '../services/accounts/admin.service.js';
import { AuditLog } from '../services/accounts/audit-log.js';
import { AuthService } from '../services/accounts/auth.service.js';
import { FailureThrottle } from '../services/accounts/failure-throttle.js';
import { AccountAuthenticator, LocalAuthenticator, type Authenticator } from '../services/accounts/authenticator.js';
import { PrincipalCache } from '../services/accounts/principal-cache.js';
import type { QuotaRepos } from '../services/accounts/quota.js';
import { LocalBlobStore } from '../storage/local/local.blob-store.js';
import { ConfigError } from '../config/config.js';
import { loadSigningIdentity, SigningSetupError } from '../provenance/instance-keys.js';
import { C2paSigner } from '../provenance/c2pa.signer.js';
import { C2paVerifier } from '../provenance/c2pa.verifier.js';
import type { Author } from '../provenance/provenance.js';
import { ProvenanceService } from '../services/provenance.service.js';
import type { BlobStore } from '../storage/blob-store.js';
import { wireWebhooks, type WebhookWiring } from './webhooks.js';
import { wireSharing, type Sharing } from './sharing.js';
import type { WebhookService } from '../services/webhook.service.js';
import { BatchRepo } from '../db/batch.repo.js';
import { BatchService } from '../services/batch.service.js';
import { FileRepo } from '../db/file.repo.js';
import { FileService, type FileQuotaRepos } from '../services/file.service.js';
import { CharacterRepo } from '../db/character.repo.js';
import { CharacterService } from '../services/character.service.js';
import { inspectClip } from '../media/inspect-clip.js';
import { stillFromClip, stillFromImage } from '../media/still.js';

export interface Stack {
  config: Config;
  log: Logger;
  videos: VideoService;
  authenticator: Authenticator;
  /** Null in local mode. */
  auth: AuthService | null;
  admin: AdminService;
  queue: JobQueue;
  /** Each owner's control of their queue: pause, resume, move to top, priority (issue 15 §7). */
  queueControl: QueueControlService;
  media: MediaBinaries;
  /** Webhook endpoints and emission (issue 14 §5): `webhooks.emit(ownerId, type, data)`. */
  webhooks: WebhookService;
  /** Signed provenance: sidecars, verification, re-signing on a licence change. */
  provenance: ProvenanceService;
  /** The engines' health for operators (GET /api/engines). */
  engineStatus: EngineStatusService;
  ready(): Promise<void>;
  /** This process's Prometheus series (GET /metrics on the API, the ops port of a worker). */
  metrics: Metrics;
  /** Publishing, the feed, moderation (issue 14). */
  sharing: Sharing;
  /** Batches (issue 15 §6): many videos from one prompt list. */
  batches: BatchService;
  /** Uploaded files (/v1/files), usable as input_reference {file_id}. */
  files: FileService;
  /** Characters (issue 15 §3): /v1/videos/characters, their sharing, consent and revocation. */
  characters: CharacterService;
  /** Limits and slots shared by this deployment's processes (rate limits per key). */
  coordination: Coordination;
  /** The ids of the engines this process has (sketch, comfyui, runway, …): what a worker may serve. */
  engineIds(): string[];
  /** Re-enqueues unfinished videos, then starts this process's workers (for `engines` only, if given). */
  startWorkers(opts?: { concurrency?: number; engines?: string[] }): Promise<void>;
  /** Stops workers (running jobs get `graceMs` to finish, then are released) and closes the database. */
  close(opts?: { graceMs?: number }): Promise<void>;
}

/**
 * Local disk under the data directory, or S3 when S3_BUCKET is set (the SDK is loaded only then).
 * Checksums only when the server requires them: S3 look-alikes (s3rver, older MinIO, Swift) refuse
 * the SDK's default aws-chunked uploads, and AWS itself does not need them.
 */
async function openBlobStore(config: Config, blobRoot: string): Promise<BlobStore> {
  const s3 = config.s3;
  if (!s3.bucket) return new LocalBlobStore(blobRoot);
  const { S3BlobStore } = await import('../storage/s3/s3.blob-store.js');
  const store = new S3BlobStore({
    // All four are set whenever the bucket is (config refuses half a configuration).
    bucket: s3.bucket, region: s3.region, endpoint: s3.endpoint!, forcePathStyle: s3.forcePathStyle, prefix: s3.prefix,
    credentials: { accessKeyId: s3.accessKeyId!, secretAccessKey: s3.secretAccessKey! },
    checksums: 'when-required',
  });
  // Unreachable or missing bucket: stop at start with the endpoint and bucket named, not at the first video.
  await store.check();
  return store;
}

/** How often deletions left unfinished (a store that refused) are tried again. */
const DELETE_SWEEP_MS = 60_000;

export interface StackOptions {
  /** Command-line tools pass 'quiet': only warnings, so their own output stays readable. */
  logs?: 'normal' | 'quiet';
  /** Overrides config.auth.mode (the server forces 'multi' off loopback). */
  authMode?: 'local' | 'multi';
  /** What this process is, for messages and the deployment record: 'serve', 'worker', a CLI command. */
  role?: string;
}

/**
 * `melies migrate`: brings the schema up to date under PostgreSQL's advisory lock and records where
 * this deployment keeps files, then exits. The one step that changes the schema in distributed mode.
 */
export async function migrateDeployment(config: Config): Promise<void> {
  const { db, schema } = await openDatabase(config);
  try {
    await mkdir(config.dataDir, { recursive: true });
    await prepareDatabase(db, config, { schema, authority: true, role: 'migrate' });
  } finally {
    await db.destroy();
  }
}

/**
 * The server's logger. Secrets never reach a log line, even if a config object or a header is
 * logged by mistake, or a provider's text slipped past the engines' own redaction: the last pass
 * is on each line as it is written (bench/log-redaction.ts measures what it costs).
 */
export function makeLogger(config: Config, redactor: Pick<Redactor, 'redact'>, opts: StackOptions = {}, destination?: DestinationStream): Logger {
  const quiet = opts.logs === 'quiet' && config.logLevel === 'info';
  const options = {
    level: quiet ? 'warn' : config.logLevel,
    redact: { paths: ['providerKeys', '*.providerKeys', 'config.providerKeys', 'req.headers.authorization', 'req.headers.cookie', '*.password', 'password'], censor: '[redacted]' },
    hooks: { streamWrite: (line: string) => redactor.redact(line) },
  };
  return destination ? pino(options, destination) : pino(options);
}

export async function createStack(config: Config, opts: StackOptions = {}): Promise<Stack> {
  // Every secret the server holds, in any encoding; everything stored or logged goes through it.
  const redactor = new Redactor(serverSecrets(config));
  const log = makeLogger(config, redactor, opts);
  const media = mediaBinaries(config);
  const distributed = isDistributed(config);
  if (distributed) await checkRedis(config, log);
  const { db, schema, changes } = await openDatabase(config);
  try {
    // One process alone migrates; in distributed mode only `melies migrate` does (app/deployment.ts).
    await prepareDatabase(db, config, { schema, authority: !distributed, role: opts.role ?? 'serve' });
  } catch (err) {
    await db.destroy();
    throw err;
  }

  const workRoot = join(config.dataDir, 'work');
  await mkdir(config.dataDir, { recursive: true }); // also with PostgreSQL, where nothing else makes it first
  const logFn = (level: 'info' | 'warn' | 'error', msg: string, extra: Record<string, unknown> = {}) => log[level](extra, msg);
  // Webhooks: every video reaching completed/failed (whatever path: job, cancel, an admin) emits
  // its event from the repository itself, right after the row changed (app/webhooks.ts).
  const hooks: WebhookWiring = wireWebhooks(config, db, { log: logFn });
  const videosRepo = hooks.videoRepo;
  const blobRoot = join(config.dataDir, 'blobs');
  // S3 or Redis unreachable stops the start: close what is open so far, then say why.
  const giveUp = async (err: unknown): Promise<never> => { await db.destroy(); throw err; };
  const storage = await openBlobStore(config, blobRoot).catch(giveUp);
  const spend = new SpendRepo(db);
  // Distributed mode shares live events and limits through Redis; one process keeps them in memory.
  const shared = distributed ? await openSharedState(config, logFn).catch(async (err) => { storage.destroy?.(); return giveUp(err); }) : { coordination: new MemoryCoordination(), events: new MemoryEventBus(), check: async () => {}, close: async () => {} };
  const engines = createEngines(config, media, { log: logFn, spentTodayMicros: (engine) => spend.spentOn(engine, Date.now()), coordination: shared.coordination });
  const cloud = engines.engines().filter(isCloudEngine);
  const spendCaps = new SpendCaps({ spend, capMicrosFor: (engine) => dailyCapMicros(config, engine), labelFor: (engine) => cloud.find((e) => e.id === engine)?.adapter.label ?? engine });
  // Remote backends are checked before the first request (their cards say what is available).
  await engines.start();
  for (const [from, to] of Object.entries(config.cloud.fallbacks)) {
    for (const model of [from, ...to]) if (!engines.card(model)) log.warn({ model, fallbackOf: from }, 'cloud.fallbacks names a model this server does not offer (is its key set?); it is skipped');
  }
  const events = shared.events;
  const queue = distributed ? await openBullmqQueue(config, db, logFn) : new EmbeddedQueue(db, {
    leaseMs: config.jobs.leaseSeconds * 1000,
    pollIntervalMs: config.jobs.pollIntervalMs,
    maxAttempts: config.jobs.maxAttempts,
    retryBaseMs: config.jobs.retryBaseMs,
    log: logFn,
  });
  const audit = new AuditLog(new AuditRepo(db));
  const plans = new PlanRepo(db);
  const users = new UserRepo(db);
  const sessions = new SessionRepo(db);
  const pauses = new PauseRepo(db);
  const transact = <T>(fn: (tx: QuotaRepos) => Promise<T>) =>
    db.transaction().execute((trx) => fn({ users: new UserRepo(trx), plans: new PlanRepo(trx), videos: new VideoRepo(trx) }));
  const fetchOpts = { allowPrivateNetworks: config.fetch.allowPrivateNetworks, timeoutMs: config.fetch.timeoutMs, maxBytes: config.uploads.maxBytes };
  // Below MELIES_MIN_FREE_MB where videos, scratch files and SQLite live, new videos are refused
  // (507) and /readyz says why, instead of jobs failing half-way with nowhere to write.
  const minFree = config.storage.minFreeMb * 1024 * 1024;
  const storageProblem = async (): Promise<string | null> => {
    // Each may be its own disk (a mount for the blobs, say): the fullest one decides.
    const local = config.s3.bucket ? [config.dataDir, workRoot] : [config.dataDir, blobRoot, workRoot];
    const free = Math.min(...await Promise.all(local.map((dir) => freeBytes(dir).catch(() => Infinity))));
    return free < minFree ? `storage is full: ${Math.floor(free / 1024 / 1024)} MB free where videos are written, below the ${config.storage.minFreeMb} MB the server keeps free (MELIES_MIN_FREE_MB)` : null;
  };
  // Sharing (issue 14): built before the videos service, which asks it who may remix what.
  const sharing = wireSharing(config, db, {
    videos: videosRepo, storage, audit, webhooks: hooks.service, coordination: shared.coordination,
    card: (model) => engines.card(model), warn: (msg, extra) => log.warn(extra, msg),
  });
  const { profiles, publishing, feed } = sharing;
  const files = new FileService({
    files: new FileRepo(db), storage, audit, storageProblem, log: (msg, extra) => log.warn(extra, msg),
    transact: <T>(fn: (tx: FileQuotaRepos) => Promise<T>) => db.transaction().execute((trx) => fn({ users: new UserRepo(trx), files: new FileRepo(trx) })),
    imageLimits: { maxPixels: config.uploads.maxPixels, maxBytes: config.uploads.maxBytes },
  });
  // Characters (issue 15 §3): revoking one fails its waiting videos here, as a cancel would.
  const characterRepo = new CharacterRepo(db);
  const characters = new CharacterService({
    characters: characterRepo, storage, audit, storageProblem,
    imageLimits: { maxPixels: config.uploads.maxPixels, maxBytes: config.uploads.maxBytes },
    looks: {
      fromClip: (input, output) => stillFromClip(media, input, output),
      fromImage: async (input, width, height, output) => { await stillFromImage(media.ffmpeg, input, width, height, output); },
    },
    people: {
      find: async (person) => (person.includes('@') ? (await users.getByEmail(person))?.user.id ?? null : (await profiles.byHandle(person.toLowerCase()).catch(() => null))?.userId ?? null),
      nameOf: async (userId) => {
        const p = await profiles.get(userId);
        return p ? (p.displayName ?? `@${p.handle}`) : 'Its creator';
      },
      handleOf: async (userId) => (await profiles.get(userId))?.handle ?? null,
    },
    failVideos: async (ids, error) => {
      let n = 0;
      for (const id of ids) {
        await queue.cancel(id);
        const failed = await videosRepo.fail(id, error);
        if (failed) { events.publish(failed); n++; }
      }
      return n;
    },
  });
  const videos = new VideoService({
    files,
    characters,
    sharing: publishing,
    storageProblem,
    log: (msg, extra) => log.warn(extra, msg),
    videos: videosRepo,
    queue,
    storage,
    models: engines,
    events,
    defaultModel: 'sketch',
    fetchImage: async (url) => (url.startsWith('data:') ? decodeDataUrl(url) : safeFetch(url, fetchOpts)),
    transact,
    pauseFor: (engine) => pauses.forEngine(engine),
    audit,
    spendCaps,
    imageLimits: { maxPixels: config.uploads.maxPixels, maxBytes: config.uploads.maxBytes },
    inspectClip: (path) => inspectClip(media, path),
  });
  // A batch's videos, their debits and the batch itself are written in one transaction.
  const batches = new BatchService({
    batches: new BatchRepo(db), videos: videosRepo, models: engines, defaultModel: 'sketch', queue, events, storage, audit,
    quota: { users, plans, videos: videosRepo },
    transact: (fn) => db.transaction().execute((trx) => fn({ users: new UserRepo(trx), plans: new PlanRepo(trx), videos: new VideoRepo(trx), batches: new BatchRepo(trx) })),
    pauseFor: (engine) => pauses.forEngine(engine),
    storageProblem,
    spendCaps,
  });
  const keys = new ApiKeyRepo(db);
  const admin = new AdminService({
    users, sessions, plans, pauses, videos: videosRepo, audit, invites: new InviteRepo(db), keys, files: new FileRepo(db),
    cancelVideosOf: (userId, reason) => videos.cancelAllOf(userId, reason),
  });
  const authMode = opts.authMode ?? config.auth.mode;
  const throttle = new FailureThrottle({ perAccount: config.auth.failedLoginsPer15Min, perAddress: 3 * config.auth.failedLoginsPer15Min, windowMs: 15 * 60_000 }, shared.coordination);
  const auth = authMode === 'multi'
    ? new AuthService({
      users, sessions, plans, videos: videosRepo, audit, keys, invites: new InviteRepo(db),
      registration: config.auth.registration, defaultPlan: config.auth.defaultPlan, sessionDays: config.auth.sessionDays, throttle,
      principals: changes ? new PrincipalCache(changes) : undefined,
    })
    : null;
  const authenticator: Authenticator = auth ? new AccountAuthenticator(auth, throttle) : new LocalAuthenticator();
  // Signed provenance (issue 14 §4): the instance's key (made at first start) or the operator's.
  const identity = await loadSigningIdentity({
    dataDir: config.dataDir, certPath: config.provenance.signingCert, keyPath: config.provenance.signingKey, trustAnchorsPath: config.provenance.trustAnchors,
    shared: distributed ? sharedSigningIdentity(db, opts.role ?? 'serve') : null,
  }).catch(async (err) => giveUp(err instanceof SigningSetupError ? new ConfigError(err.message) : err));
  // Who the manifest names as author: the public name they chose, if any (never one made from their
  // email just for signing: every downloaded file carries it).
  const authorOf = async (ownerId: string): Promise<Author> => {
    const p = await profiles.get(ownerId);
    return { id: ownerId, handle: p?.handle ?? null, displayName: p?.displayName ?? null };
  };
  const signer = new C2paSigner(identity);
  const provenance = new ProvenanceService({
    identity, signer, verifier: new C2paVerifier(identity), videos: videosRepo, storage, workRoot,
    cardFor: (model) => engines.card(model), authorOf,
    // The owner, and anyone who may see it published (members, or everyone with a public feed).
    visibleTo: async (who, id) => ((await feed.isVisible(who, id)) && (await videosRepo.get(id))) || videos.get(who, id),
    maxVerifyBytes: config.provenance.verifyMaxBytes,
    log: (msg, extra) => log.warn(extra, msg),
  });
  // The signed training licence follows the one the author publishes with (re-signed when it differs).
  sharing.listeners.licenceChosen = async (video, training) => { await provenance.resignTraining(video.id, training); };
  const watermarkFor = async (ownerId: string) => {
    const user = await users.get(ownerId);
    const plan = user ? await plans.get(user.planId) : null;
    return plan?.watermark ? { planId: plan.id, text: plan.watermark } : null;
  };
  const job = makeGenerateVideoJob({
    videos: videosRepo,
    engineFor: (model) => engines.engine(model),
    storage,
    publish: (video) => events.publish(video),
    media,
    workRoot,
    log: logFn,
    pauseFor: (engine) => pauses.forEngine(engine),
    routesFor: (video) => engines.routes(video.model, shapeOf(video)),
    reserveSpend: (video, route) => spendCaps.reserve(video.id, route.card, video.seconds),
    alternativesFor: (model) => engines.alternatives(model),
    redact: (text) => redactor.redact(text),
    provenance: { signer, cardFor: (model) => engines.card(model), authorOf },
    watermarkFor,
    charactersFor: (video) => characters.forJob(video),
  });

  // Workers' job series and the queue per lane; API servers add the HTTP ones (app/server.ts).
  const metrics = new Metrics({
    queueStates: async () => Object.entries(await queue.countsByLane()).flatMap(([lane, c]) => [
      { lane, state: 'queued', count: c.queued }, { lane, state: 'active', count: c.active },
    ]),
  });
  // Each run of a job is timed and its outcome read back from the row (the row owns the outcome):
  // completed, failed (with the engine's error code counted), or retry when the run threw.
  const observed: typeof job.handler = async (j) => {
    const started = performance.now();
    let threw = true;
    try {
      await job.handler(j);
      threw = false;
    } finally {
      const v = await videosRepo.get(j.videoId).catch(() => null);
      const outcome = threw ? 'retry' : v?.status === 'completed' ? 'completed' : v?.status === 'failed' ? 'failed' : 'unfinished';
      if (outcome === 'failed' && v?.error && v.error.code !== 'cancelled') metrics.engineError(v.engine, v.error.code);
      metrics.observeJob(v?.engine ?? 'unknown', (performance.now() - started) / 1000, outcome);
    }
  };

  let closed = false;
  let sweeper: NodeJS.Timeout | null = null;
  return {
    config,
    log,
    videos,
    batches,
    authenticator,
    auth,
    admin,
    provenance,
    queue,
    queueControl: new QueueControlService({ queue, videos: videosRepo, users, audit }),
    media,
    coordination: shared.coordination,
    sharing,
    files,
    characters,
    metrics,
    engineIds: () => engines.engines().map((e) => e.id),
    webhooks: hooks.service,
    engineStatus: new EngineStatusService({ statuses: () => engines.statuses(), queueCounts: () => queue.counts() }),
    ready: async () => {
      await sql`select 1`.execute(db);
      await shared.check();
      await storage.check?.();
      const full = await storageProblem();
      if (full) throw new Error(full);
    },
    async startWorkers(o = {}) {
      await sweepWorkRoot(workRoot);
      // Deletions whose files a store refused to remove are finished here, now and every minute.
      const sweep = () => Promise.all([videos.sweepDeleted().then(
        (r) => { if (r.removed || r.left) log.info(r, 'finished deleting videos'); },
        (err) => log.warn({ err }, 'could not finish deleting videos'),
      ), files.sweep().then(
        (r) => { if (r.removed || r.left) log.info(r, 'finished deleting files (deleted or expired)'); },
        (err) => log.warn({ err }, 'could not finish deleting files'),
      )]);
      await sweep();
      sweeper = setInterval(() => void sweep(), DELETE_SWEEP_MS);
      sweeper.unref();
      const recovered = await videos.recoverUnfinished();
      if (recovered) log.info({ recovered }, 'resuming unfinished videos');
      // Webhook deliveries run where jobs run, beside them, never inside one.
      await hooks.delivery.start();
      queue.process({ concurrency: o.concurrency ?? config.jobs.concurrency + workerSlotsFor(config) + cloudWorkerSlots(cloud), lanes: o.engines, onExhausted: job.onExhausted, handler: observed });
    },
    async close(o = {}) {
      if (closed) return;
      closed = true;
      if (sweeper) clearInterval(sweeper);
      await queue.close({ graceMs: o.graceMs ?? config.jobs.shutdownGraceSeconds * 1000 });
      await hooks.delivery.stop();
      await engines.stop();
      await shared.close();
      storage.destroy?.();
      await db.destroy();
    },
  };
}
