// The one place configuration is read: environment and the optional JSON file named by MELIES_CONFIG
// are parsed once into a frozen Config. Nothing else reads process.env; tests build Config with makeConfig().
import { resolve } from 'node:path';
import { z } from 'zod';
import { CloudConfigSchema } from './cloud.config.js';
import { ComfyuiConfigSchema } from './comfyui.config.js';
import { readConfigFile } from './config-file.js';
import { ConfigError, configError, type SettingSources } from './config-errors.js';
import { num, toBool, toList } from './parse.js';
import { deepFreeze, deepMerge, leafPaths, setPath } from './tree.js';

export { ConfigError } from './config-errors.js';

/** Where each provider's credential lands (`providerKeys.<name>`); Kling needs two. */
const PROVIDER_KEY_NAMES = ['openai', 'veo', 'runway', 'luma', 'kling_access', 'kling_secret', 'minimax', 'replicate', 'fal'] as const;
type ProviderKeyName = (typeof PROVIDER_KEY_NAMES)[number];

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const ConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: num(z.number().int().min(0).max(65535)).default(8080),
  dataDir: z.string().min(1).default('./data'),
  /** postgres://… selects PostgreSQL; unset means a SQLite file in dataDir. */
  databaseUrl: z.string().regex(/^(postgres(ql)?|sqlite):/, 'must start with postgres:// or sqlite:').nullable().default(null),
  /**
   * PostgreSQL connections this process may open. Size the server's max_connections for
   * (servers + workers) × this, plus tools.
   */
  databasePoolSize: num(z.number().int().min(2).max(200)).default(10),
  /**
   * redis://… turns on distributed mode: the BullMQ queue, events and shared limits in Redis, so
   * several `serve` and `worker` processes share the work. Needs PostgreSQL (DATABASE_URL).
   */
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').nullable().default(null),
  /** Every Redis key and channel starts with this, so deployments (or test runs) can share one Redis. */
  redisPrefix: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, _ . -').default('melies'),
  /** S3-compatible storage for videos, thumbnails and references; all null: local disk under dataDir. */
  s3: z.strictObject({
    endpoint: z.string().regex(/^https?:\/\//, 'must be an http(s):// address').nullable().default(null),
    region: z.string().min(1).default('us-east-1'),
    bucket: z.string().min(3).nullable().default(null),
    accessKeyId: z.string().min(1).nullable().default(null),
    secretAccessKey: z.string().min(1).nullable().default(null),
    /** Bucket in the path (http://host/bucket/key), as MinIO, Garage and most self-hosted servers want. */
    forcePathStyle: z.preprocess(toBool, z.boolean()).default(false),
    /** Keys are written under this prefix, e.g. `melies/`, to share a bucket. */
    prefix: z.string().regex(/^([a-z0-9_-][a-z0-9_.-]*\/)*$/i, 'must be empty or end with / (letters, digits, _ . -)').default(''),
    /** /content answers with a redirect to a short-lived presigned URL instead of relaying the bytes. */
    presign: z.preprocess(toBool, z.boolean()).default(false),
  }).prefault({}),
  logLevel: LogLevel.default('info'),
  /**
   * Host names (besides loopback ones) this server answers to, e.g. the name a reverse proxy
   * forwards. Any other Host header is refused, so a web page cannot reach the local API through
   * DNS rebinding.
   */
  allowedHosts: z.preprocess(toList, z.array(z.string().min(1))).default([]),
  /** The built studio to serve at /; null means the one built into this package (web/dist). */
  studioDir: z.string().min(1).nullable().default(null),
  ffmpegPath: z.string().nullable().default(null),
  ffprobePath: z.string().nullable().default(null),
  /** The PATH where system ffmpeg/ffprobe are looked for (from the environment). */
  searchPath: z.string().default(''),
  jobs: z.strictObject({
    /** Jobs one process runs at once. The built-in engine is CPU-bound, so 1 suits small machines. */
    concurrency: num(z.number().int().min(1).max(64)).default(1),
    maxAttempts: num(z.number().int().min(1).max(20)).default(3),
    /** A job whose worker stops renewing its lease for this long is given to another worker. */
    leaseSeconds: num(z.number().min(1).max(3600)).default(30),
    pollIntervalMs: num(z.number().int().min(10).max(60000)).default(500),
    retryBaseMs: num(z.number().int().min(0)).default(2000),
    /** On SIGTERM, running jobs get this long to finish before they are released for a restart. */
    shutdownGraceSeconds: num(z.number().min(0).max(3600)).default(20),
  }).prefault({}),
  /**
   * The address people use to reach this server (e.g. https://melies.example.org), for links the
   * server prints or sends: invite links, the setup link. Null: the address it listens on.
   */
  publicUrl: z.string().regex(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, 'must be an http(s):// address with no query').nullable().default(null),
  http: z.strictObject({
    /**
     * How long a client has to send a whole request, headers and body. A 20 MiB upload at
     * 2 Mbit/s takes 80 s; a client that stops sending (a body shorter than its Content-Length)
     * is cut off after this instead of holding a connection for minutes.
     */
    requestTimeoutSeconds: num(z.number().min(1).max(3600)).default(120),
    /** How long a client has to send its request headers. */
    headersTimeoutSeconds: num(z.number().min(1).max(600)).default(20),
    /**
     * Behind nginx, its internal location for the blob folder (e.g. /protected/): /content then
     * answers with X-Accel-Redirect and nginx sends the bytes. Local storage only; null: Node sends them.
     */
    accelRedirect: z.string().regex(/^\/[A-Za-z0-9_.\/-]*$/, 'must be an internal path such as /protected/').nullable().default(null),
  }).prefault({}),
  uploads: z.strictObject({
    maxBytes: num(z.number().int().min(1024)).default(20 * 1024 * 1024),
    /**
     * Largest reference image, in decoded pixels (width × height). A small file can decode to a
     * huge bitmap (a 216 KB PNG of 8192×8192 is 256 MiB of RGBA): bigger ones are refused at create.
     */
    maxPixels: num(z.number().int().min(64 * 64)).default(4096 * 4096),
    /**
     * Largest upload to /v1/files (an MP4 to extend or edit; images there are held to maxBytes).
     * Streamed to disk, never held in memory. OpenAI's own cap is 512 MB.
     */
    fileMaxBytes: num(z.number().int().min(1024)).default(512 * 1024 * 1024),
  }).prefault({}),
  storage: z.strictObject({
    /**
     * Below this much free space where videos are written, new videos are refused with
     * "storage is full" (507) and /readyz reports it, instead of failing half-way through a job.
     */
    minFreeMb: num(z.number().min(0)).default(512),
  }).prefault({}),
  webhooks: z.strictObject({
    /** One delivery's whole exchange, connect to last byte (Standard Webhooks suggests 15–30 s). */
    timeoutSeconds: num(z.number().min(0.05).max(120)).default(15),
    /** Deliveries one process sends at once (at most two to any one endpoint). */
    concurrency: num(z.number().int().min(1).max(256)).default(8),
    /** A failing delivery is retried (backoff from retryBaseMs, doubling, up to 6 h) for this long; then its endpoint is disabled. */
    retryHours: num(z.number().min(0.0001).max(24 * 30)).default(72),
    retryBaseMs: num(z.number().int().min(1)).default(5000),
    /** How often worker processes look for due deliveries (the emitting process looks at once). */
    pollIntervalMs: num(z.number().int().min(10).max(60000)).default(1000),
  }).prefault({}),
  fetch: z.strictObject({
    /** Lets input_reference URLs reach loopback/private addresses. Off: that is an SSRF hole. */
    allowPrivateNetworks: z.preprocess(toBool, z.boolean()).default(false),
    timeoutMs: num(z.number().int().min(100)).default(15000),
  }).prefault({}),
  auth: z.strictObject({
    /** local: one implicit user, no login (loopback only). multi: accounts, keys, plans; forced off loopback. */
    mode: z.enum(['local', 'multi']).default('local'),
    registration: z.enum(['open', 'invite', 'closed']).default('invite'),
    /** The plan of people who register without an invite (open registration). */
    defaultPlan: z.string().min(1).default('free'),
    sessionDays: num(z.number().int().min(1).max(365)).default(30),
    /** Requests per minute per API key or account (local mode is never limited). */
    requestsPerMinute: num(z.number().int().min(1).max(1_000_000)).default(600),
    /**
     * Failed sign-ins allowed per account in 15 minutes before it is throttled (429 with
     * Retry-After); one address gets three times as many across accounts, and as many unknown or
     * revoked API keys.
     */
    failedLoginsPer15Min: num(z.number().int().min(1).max(100_000)).default(10),
  }).prefault({}),
  /**
   * Provider credentials (RUNWAY_API_KEY, …), read from the environment or the config file only.
   * They stay on the server: never in a response, a log line, a job payload or the studio bundle.
   */
  providerKeys: z.strictObject(Object.fromEntries(PROVIDER_KEY_NAMES.map((k) => [k, z.string().min(1).optional()])) as Record<ProviderKeyName, z.ZodOptional<z.ZodString>>).prefault({}),
  /** Trust X-Forwarded-* from a reverse proxy (for https detection and client addresses). */
  trustProxy: z.preprocess(toBool, z.boolean()).default(false),
  comfyui: ComfyuiConfigSchema,
  cloud: CloudConfigSchema,
  /** Publishing (issue 14): the operator, not a vendor, decides what becomes public and how. */
  sharing: z.strictObject({
    /** open: public at once; review: a moderator approves first; off: nothing is published. The Admin page can change it. */
    publishPolicy: z.enum(['open', 'review', 'off']).default('open'),
    /** The feed, public pages and public files without signing in; off: members only. */
    publicFeed: z.preprocess(toBool, z.boolean()).default(false),
    /** An HTTP endpoint asked about every publication (prompt + thumbnail); null: none. */
    moderationHookUrl: z.string().url().nullable().default(null),
    moderationHookTimeoutMs: num(z.number().int().min(100).max(120_000)).default(5000),
    /** When the hook cannot answer: 'open' publishes anyway (by the policy), 'closed' holds it for review. */
    moderationHookFailure: z.enum(['open', 'closed']).default('closed'),
    /** Publishes, reports and remix-checks per user per minute. */
    actionsPerMinute: num(z.number().int().min(1).max(100_000)).default(30),
  }).prefault({}),
  /** Signed provenance (provenance/): whose key signs every video, whom verification trusts. */
  provenance: z.strictObject({
    /** The operator's PEM certificate chain, signer first (ES256, P-256); null: the instance's own, made at first start. */
    signingCert: z.string().min(1).nullable().default(null),
    /** Its private key (PEM); set with signingCert or not at all. */
    signingKey: z.string().min(1).nullable().default(null),
    /** Extra CA certificates (PEM) whose signatures verification calls trusted. */
    trustAnchors: z.string().min(1).nullable().default(null),
    /** Largest file POST /api/verify reads. */
    // The C2PA reader holds the whole file (several times over) in WASM memory and anyone may call
    // /api/verify: the cap bounds that, with two at once. 128 MB is above a 20 s 1080p video.
    verifyMaxBytes: num(z.number().int().min(1024)).default(128 * 1024 * 1024),
  }).prefault({}),
  sketch: z.strictObject({
    /** x264 preset for the built-in engine: faster presets trade file size for speed. */
    x264Preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium']).default('veryfast'),
  }).prefault({}),
});

export type Config = Readonly<z.infer<typeof ConfigSchema>>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/**
 * Environment names (stable, documented in README) and where each lands in Config. The config
 * file takes the same names, beside the structured form (`{"MELIES_PORT": 9001}` or `{"port": 9001}`).
 */
export const ENV_MAP: Readonly<Record<string, readonly string[]>> = {
  MELIES_HOST: ['host'],
  MELIES_PORT: ['port'],
  MELIES_DATA_DIR: ['dataDir'],
  DATABASE_URL: ['databaseUrl'],
  MELIES_DATABASE_POOL_SIZE: ['databasePoolSize'],
  REDIS_URL: ['redisUrl'],
  MELIES_REDIS_PREFIX: ['redisPrefix'],
  S3_ENDPOINT: ['s3', 'endpoint'],
  S3_REGION: ['s3', 'region'],
  S3_BUCKET: ['s3', 'bucket'],
  S3_ACCESS_KEY_ID: ['s3', 'accessKeyId'],
  S3_SECRET_ACCESS_KEY: ['s3', 'secretAccessKey'],
  S3_FORCE_PATH_STYLE: ['s3', 'forcePathStyle'],
  S3_PREFIX: ['s3', 'prefix'],
  S3_PRESIGN: ['s3', 'presign'],
  MELIES_LOG_LEVEL: ['logLevel'],
  MELIES_ALLOWED_HOSTS: ['allowedHosts'],
  MELIES_STUDIO_DIR: ['studioDir'],
  FFMPEG_PATH: ['ffmpegPath'],
  FFPROBE_PATH: ['ffprobePath'],
  PATH: ['searchPath'],
  MELIES_CONCURRENCY: ['jobs', 'concurrency'],
  MELIES_JOB_MAX_ATTEMPTS: ['jobs', 'maxAttempts'],
  MELIES_JOB_LEASE_SECONDS: ['jobs', 'leaseSeconds'],
  MELIES_JOB_POLL_MS: ['jobs', 'pollIntervalMs'],
  MELIES_SHUTDOWN_GRACE_SECONDS: ['jobs', 'shutdownGraceSeconds'],
  MELIES_UPLOAD_MAX_BYTES: ['uploads', 'maxBytes'],
  MELIES_IMAGE_MAX_PIXELS: ['uploads', 'maxPixels'],
  MELIES_FILE_MAX_BYTES: ['uploads', 'fileMaxBytes'],
  MELIES_PUBLIC_URL: ['publicUrl'],
  MELIES_REQUEST_TIMEOUT_SECONDS: ['http', 'requestTimeoutSeconds'],
  MELIES_HEADERS_TIMEOUT_SECONDS: ['http', 'headersTimeoutSeconds'],
  MELIES_ACCEL_REDIRECT: ['http', 'accelRedirect'],
  MELIES_MIN_FREE_MB: ['storage', 'minFreeMb'],
  MELIES_FAILED_LOGINS_PER_15_MIN: ['auth', 'failedLoginsPer15Min'],
  MELIES_FETCH_ALLOW_PRIVATE: ['fetch', 'allowPrivateNetworks'],
  MELIES_WEBHOOK_TIMEOUT_SECONDS: ['webhooks', 'timeoutSeconds'],
  MELIES_WEBHOOK_CONCURRENCY: ['webhooks', 'concurrency'],
  MELIES_WEBHOOK_RETRY_HOURS: ['webhooks', 'retryHours'],
  MELIES_SKETCH_X264_PRESET: ['sketch', 'x264Preset'],
  MELIES_SIGNING_CERT: ['provenance', 'signingCert'],
  MELIES_SIGNING_KEY: ['provenance', 'signingKey'],
  MELIES_TRUST_ANCHORS: ['provenance', 'trustAnchors'],
  MELIES_VERIFY_MAX_BYTES: ['provenance', 'verifyMaxBytes'],
  MELIES_AUTH: ['auth', 'mode'],
  MELIES_REGISTRATION: ['auth', 'registration'],
  MELIES_DEFAULT_PLAN: ['auth', 'defaultPlan'],
  MELIES_SESSION_DAYS: ['auth', 'sessionDays'],
  MELIES_RATE_LIMIT_PER_MINUTE: ['auth', 'requestsPerMinute'],
  MELIES_TRUST_PROXY: ['trustProxy'],
  MELIES_PUBLISH_POLICY: ['sharing', 'publishPolicy'],
  MELIES_PUBLIC_FEED: ['sharing', 'publicFeed'],
  MELIES_MODERATION_HOOK_URL: ['sharing', 'moderationHookUrl'],
  MELIES_MODERATION_HOOK_TIMEOUT_MS: ['sharing', 'moderationHookTimeoutMs'],
  MELIES_MODERATION_HOOK_FAILURE: ['sharing', 'moderationHookFailure'],
  MELIES_SHARING_ACTIONS_PER_MINUTE: ['sharing', 'actionsPerMinute'],
  OPENAI_API_KEY: ['providerKeys', 'openai'],
  GEMINI_API_KEY: ['providerKeys', 'veo'],
  RUNWAY_API_KEY: ['providerKeys', 'runway'],
  LUMA_API_KEY: ['providerKeys', 'luma'],
  KLING_ACCESS_KEY: ['providerKeys', 'kling_access'],
  KLING_SECRET_KEY: ['providerKeys', 'kling_secret'],
  MINIMAX_API_KEY: ['providerKeys', 'minimax'],
  REPLICATE_API_TOKEN: ['providerKeys', 'replicate'],
  FAL_KEY: ['providerKeys', 'fal'],
  OPENAI_BASE_URL: ['cloud', 'openai', 'baseUrl'],
  MELIES_VEO_BASE_URL: ['cloud', 'veo', 'baseUrl'],
  MELIES_RUNWAY_BASE_URL: ['cloud', 'runway', 'baseUrl'],
  MELIES_LUMA_BASE_URL: ['cloud', 'luma', 'baseUrl'],
  MELIES_KLING_BASE_URL: ['cloud', 'kling', 'baseUrl'],
  MELIES_MINIMAX_BASE_URL: ['cloud', 'minimax', 'baseUrl'],
  MELIES_REPLICATE_BASE_URL: ['cloud', 'replicate', 'baseUrl'],
  MELIES_FAL_BASE_URL: ['cloud', 'fal', 'baseUrl'],
  MELIES_CLOUD_POLL_MS: ['cloud', 'pollIntervalMs'],
  COMFYUI_URLS: ['comfyui', 'servers'],
  COMFYUI_TEMPLATES_DIR: ['comfyui', 'templatesDir'],
};

/**
 * Settings that each parse but cannot work together, with what to change. (Contradictions between
 * processes, such as a worker on local disk while the servers use S3, are caught at start against
 * what the database records: see app/deployment.ts.)
 */
function modeContradiction(config: z.infer<typeof ConfigSchema>): string | null {
  const postgres = config.databaseUrl?.startsWith('postgres') ?? false;
  if (config.redisUrl && !postgres) {
    return 'REDIS_URL: distributed mode needs PostgreSQL, several processes cannot share a SQLite file. Set DATABASE_URL=postgres://…, or unset REDIS_URL to run one process';
  }
  // S3 needs all four (region and the rest have defaults); none of them means local disk.
  const s3 = { S3_ENDPOINT: config.s3.endpoint, S3_BUCKET: config.s3.bucket, S3_ACCESS_KEY_ID: config.s3.accessKeyId, S3_SECRET_ACCESS_KEY: config.s3.secretAccessKey };
  const missing = Object.entries(s3).filter(([, v]) => v === null).map(([name]) => name);
  if (missing.length > 0 && missing.length < 4) {
    return `S3 storage is half configured: set ${missing.join(', ')} too, or unset the S3_* settings to keep files on local disk`;
  }
  if (Boolean(config.provenance.signingCert) !== Boolean(config.provenance.signingKey)) {
    return `${config.provenance.signingCert ? 'MELIES_SIGNING_KEY' : 'MELIES_SIGNING_CERT'} is missing: the operator's signing certificate and its key go together. Set both, or neither to sign with the instance's own key`;
  }
  return null;
}

/** Parses already-merged input; throws ConfigError naming every bad or unknown setting. */
export function makeConfig(input: ConfigInput = {}, cwd = process.cwd(), sources: SettingSources = {}): Config {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) throw configError(ConfigSchema, parsed.error.issues, { ...sources, rootNames: Object.keys(ENV_MAP) });
  const config = parsed.data;
  const contradiction = modeContradiction(config);
  if (contradiction) throw new ConfigError(contradiction);
  config.dataDir = resolve(cwd, config.dataDir);
  if (config.studioDir) config.studioDir = resolve(cwd, config.studioDir);
  for (const k of ['signingCert', 'signingKey', 'trustAnchors'] as const) {
    const path = config.provenance[k];
    if (path) config.provenance[k] = resolve(cwd, path);
  }
  return deepFreeze(config);
}

/**
 * Layers, lowest first: defaults, the JSON file named by MELIES_CONFIG (environment names or the
 * structured form), environment, explicit overrides (CLI flags). Empty environment values count
 * as unset. An unknown key in the file stops the start, named, instead of being ignored.
 */
export function loadConfig(opts: { env?: NodeJS.ProcessEnv; overrides?: ConfigInput; cwd?: string } = {}): Config {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const names = new Map<string, string>();
  let merged: Record<string, unknown> = {};
  let file: string | undefined;
  if (env.MELIES_CONFIG) {
    file = resolve(cwd, env.MELIES_CONFIG);
    const fromFile = readConfigFile(file, ENV_MAP);
    merged = fromFile.input;
    for (const [path, name] of fromFile.names) names.set(path, name);
  }
  const fromEnv: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(ENV_MAP)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(fromEnv, path, value);
    names.set(path.join('.'), name);
  }
  merged = deepMerge(merged, fromEnv);
  if (opts.overrides) {
    merged = deepMerge(merged, opts.overrides as Record<string, unknown>);
    for (const path of leafPaths(opts.overrides as Record<string, unknown>)) names.delete(path);
  }
  return makeConfig(merged as ConfigInput, cwd, { file, names });
}
