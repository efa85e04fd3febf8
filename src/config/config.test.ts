import { serverSecrets } from './secrets.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, ENV_MAP, loadConfig, makeConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'melies-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** Writes `content` as a config file and loads it (with `env` on top), as `melies serve` would. */
function fromFile(content: unknown, env: Record<string, string> = {}) {
  const file = join(dir, `melies-${files++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return loadConfig({ env: { MELIES_CONFIG: file, ...env }, cwd: dir });
}

/** A valid value for every documented environment name, as the environment spells it. */
const SAMPLE: Record<string, string> = {
  MELIES_HOST: '0.0.0.0', MELIES_PORT: '9001', MELIES_DATA_DIR: '/srv/melies', DATABASE_URL: 'postgres://db/melies',
  REDIS_URL: 'redis://cache:6379', MELIES_LOG_LEVEL: 'debug', MELIES_ALLOWED_HOSTS: 'a.example,b.example',
  MELIES_STUDIO_DIR: '/srv/studio', FFMPEG_PATH: '/opt/ffmpeg', FFPROBE_PATH: '/opt/ffprobe', PATH: '/opt/bin',
  MELIES_CONCURRENCY: '3', MELIES_JOB_MAX_ATTEMPTS: '5', MELIES_JOB_LEASE_SECONDS: '45', MELIES_JOB_POLL_MS: '250',
  MELIES_SHUTDOWN_GRACE_SECONDS: '7', MELIES_UPLOAD_MAX_BYTES: '1048576', MELIES_IMAGE_MAX_PIXELS: '1000000', MELIES_FILE_MAX_BYTES: '2097152',
  MELIES_PUBLIC_URL: 'https://melies.example.org', MELIES_REQUEST_TIMEOUT_SECONDS: '60', MELIES_HEADERS_TIMEOUT_SECONDS: '10', MELIES_ACCEL_REDIRECT: '/protected/',
  MELIES_MIN_FREE_MB: '100', MELIES_FAILED_LOGINS_PER_15_MIN: '4', MELIES_FETCH_ALLOW_PRIVATE: 'true',
  MELIES_WEBHOOK_TIMEOUT_SECONDS: '20', MELIES_WEBHOOK_CONCURRENCY: '4', MELIES_WEBHOOK_RETRY_HOURS: '24',
  MELIES_SKETCH_X264_PRESET: 'medium', MELIES_AUTH: 'multi', MELIES_REGISTRATION: 'open', MELIES_DEFAULT_PLAN: 'pro',
  MELIES_SESSION_DAYS: '7', MELIES_RATE_LIMIT_PER_MINUTE: '60', MELIES_TRUST_PROXY: 'yes',
  MELIES_SIGNING_CERT: '/srv/pki/chain.pem', MELIES_SIGNING_KEY: '/srv/pki/signer.key', MELIES_TRUST_ANCHORS: '/srv/pki/roots.pem', MELIES_VERIFY_MAX_BYTES: '1048576',
  OPENAI_API_KEY: 'sk-o', GEMINI_API_KEY: 'g-key', RUNWAY_API_KEY: 'r-key', LUMA_API_KEY: 'l-key', KLING_ACCESS_KEY: 'ka',
  KLING_SECRET_KEY: 'ks', MINIMAX_API_KEY: 'm-key', REPLICATE_API_TOKEN: 'r8_x', FAL_KEY: 'f-key',
  OPENAI_BASE_URL: 'http://10.0.0.5:8080/v1', MELIES_VEO_BASE_URL: 'https://veo.example', MELIES_RUNWAY_BASE_URL: 'https://runway.example',
  MELIES_LUMA_BASE_URL: 'https://luma.example', MELIES_KLING_BASE_URL: 'https://kling.example', MELIES_MINIMAX_BASE_URL: 'https://api.minimaxi.com',
  MELIES_REPLICATE_BASE_URL: 'https://replicate.example', MELIES_FAL_BASE_URL: 'https://fal.example', MELIES_CLOUD_POLL_MS: '900',
  COMFYUI_URLS: 'http://gpu-1:8188,http://gpu-2:8188', COMFYUI_TEMPLATES_DIR: '/srv/workflows',
  MELIES_REDIS_PREFIX: 'melies-eu', MELIES_DATABASE_POOL_SIZE: '20', S3_ENDPOINT: 'https://s3.example', S3_REGION: 'eu-west-3', S3_BUCKET: 'melies-videos', S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  S3_SECRET_ACCESS_KEY: 's3-secret', S3_FORCE_PATH_STYLE: 'true', S3_PREFIX: 'melies/', S3_PRESIGN: 'yes',
  MELIES_PUBLISH_POLICY: 'review', MELIES_PUBLIC_FEED: 'true', MELIES_MODERATION_HOOK_URL: 'https://mod.example/check',
  MELIES_MODERATION_HOOK_TIMEOUT_MS: '2500', MELIES_MODERATION_HOOK_FAILURE: 'open', MELIES_SHARING_ACTIONS_PER_MINUTE: '12',
};

/** The JSON a person would write: numbers and switches as JSON values, the rest as strings. */
const asJson = (v: string): unknown => (/^\d+$/.test(v) ? Number(v) : v === 'true' || v === 'yes' ? true : v);

describe('config', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({ env: {}, cwd: '/srv/app' });
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe('/srv/app/data');
    expect(c.databaseUrl).toBeNull();
    expect(Object.isFrozen(c) && Object.isFrozen(c.jobs)).toBe(true);
  });

  it('layers file < env < overrides', () => {
    const file = join(dir, 'melies.config.json');
    writeFileSync(file, JSON.stringify({ port: 9000, jobs: { concurrency: 3, maxAttempts: 5 } }));
    const c = loadConfig({
      env: { MELIES_CONFIG: 'melies.config.json', MELIES_PORT: '9100', MELIES_CONCURRENCY: '4' },
      overrides: { jobs: { concurrency: 2 } },
      cwd: dir,
    });
    expect(c.port).toBe(9100);
    expect(c.jobs.concurrency).toBe(2);
    expect(c.jobs.maxAttempts).toBe(5);
  });

  it('names every bad setting', () => {
    expect(() => makeConfig({ port: 70000, databaseUrl: 'mysql://x' })).toThrowError(ConfigError);
    const load = () => loadConfig({ env: { MELIES_PORT: 'abc', DATABASE_URL: 'mysql://x' } });
    expect(load).toThrow(/MELIES_PORT \(port\)/);
    expect(load).toThrow(/DATABASE_URL \(databaseUrl\)/);
  });

  it('reports an unreadable config file clearly', () => {
    expect(() => loadConfig({ env: { MELIES_CONFIG: '/nonexistent/melies.json' } })).toThrow(/cannot be read/);
  });

  it('parses booleans from the environment', () => {
    expect(loadConfig({ env: { MELIES_FETCH_ALLOW_PRIVATE: 'true' } }).fetch.allowPrivateNetworks).toBe(true);
    expect(loadConfig({ env: { MELIES_FETCH_ALLOW_PRIVATE: '0' } }).fetch.allowPrivateNetworks).toBe(false);
  });

  it('refuses a switch that is neither on nor off in every section, instead of reading it as true', () => {
    expect(() => makeConfig({ fetch: { allowPrivateNetworks: 'flase' } } as never)).toThrow(ConfigError);
    expect(() => makeConfig({ comfyui: { bundledTemplates: 'flase' } } as never)).toThrow(/comfyui\.bundledTemplates/);
    expect(makeConfig({ comfyui: { bundledTemplates: 'off', servers: 'http://a:8188, http://b:8188' } } as never).comfyui)
      .toMatchObject({ bundledTemplates: false, servers: [{ url: 'http://a:8188' }, { url: 'http://b:8188' }] });
  });
});

describe('distributed settings', () => {
  it('refuses Redis with SQLite, saying what to change', () => {
    expect(() => loadConfig({ env: { REDIS_URL: 'redis://127.0.0.1:6379' }, cwd: dir })).toThrow(/REDIS_URL: distributed mode needs PostgreSQL.*DATABASE_URL=postgres/);
    expect(() => loadConfig({ env: { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'sqlite:./x.db' }, cwd: dir })).toThrow(/needs PostgreSQL/);
    expect(loadConfig({ env: { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://db/melies' }, cwd: dir }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(() => loadConfig({ env: { REDIS_URL: '127.0.0.1:6379', DATABASE_URL: 'postgres://db/melies' }, cwd: dir })).toThrow(/REDIS_URL.*redis:\/\//);
  });

  it('refuses half an S3 configuration, naming what is missing', () => {
    expect(() => loadConfig({ env: { S3_BUCKET: 'videos', S3_ENDPOINT: 'http://127.0.0.1:9000' }, cwd: dir }))
      .toThrow(/S3 storage is half configured: set S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY too/);
    expect(loadConfig({ env: {}, cwd: dir }).s3.bucket).toBeNull();
    expect(() => loadConfig({ env: { S3_PREFIX: 'no-slash' }, cwd: dir })).toThrow(/S3_PREFIX.*end with \//);
  });

  it("refuses the operator's signing certificate without its key, and resolves their paths", () => {
    expect(() => loadConfig({ env: { MELIES_SIGNING_CERT: 'chain.pem' }, cwd: dir })).toThrow(/MELIES_SIGNING_KEY is missing/);
    const c = loadConfig({ env: { MELIES_SIGNING_CERT: 'chain.pem', MELIES_SIGNING_KEY: 'signer.key' }, cwd: dir });
    expect(c.provenance).toMatchObject({ signingCert: join(dir, 'chain.pem'), signingKey: join(dir, 'signer.key'), trustAnchors: null });
  });

  it('keeps the S3 secret out of logs and answers, like provider keys', () => {
    const config = loadConfig({ env: { S3_BUCKET: 'videos', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'very-secret-s3' }, cwd: dir });
    expect(serverSecrets(config)).toContain('very-secret-s3');
  });
});

describe('the MELIES_CONFIG file', () => {
  it('takes {"MELIES_PORT": 9001}, as README promises', () => {
    expect(fromFile({ MELIES_PORT: 9001 }).port).toBe(9001);
    expect(fromFile({ MELIES_PORT: '9001' }).port).toBe(9001);
  });

  it('takes every documented environment name, provider keys included, with the same result as the environment', () => {
    // A name added to ENV_MAP without a sample here fails this line, so the file cannot fall behind.
    expect(Object.keys(SAMPLE).sort()).toEqual(Object.keys(ENV_MAP).sort());
    const viaEnv = loadConfig({ env: SAMPLE, cwd: dir });
    const viaFile = fromFile(Object.fromEntries(Object.entries(SAMPLE).map(([k, v]) => [k, asJson(v)])));
    expect(viaFile).toEqual(viaEnv);
    // Every name landed somewhere: nothing equals the defaults it would have without the file.
    const defaults = loadConfig({ env: {}, cwd: dir }) as unknown as Record<string, unknown>;
    for (const [name, path] of Object.entries(ENV_MAP)) {
      const get = (c: unknown) => path.reduce((o: any, k) => o?.[k], c);
      expect(get(viaFile), name).not.toEqual(get(defaults));
    }
    expect(viaFile.providerKeys).toEqual({ openai: 'sk-o', veo: 'g-key', runway: 'r-key', luma: 'l-key', kling_access: 'ka', kling_secret: 'ks', minimax: 'm-key', replicate: 'r8_x', fal: 'f-key' });
  });

  it('takes the structured form the engine guides show (docs/engines/*.md), beside environment names', () => {
    for (const doc of ['cloud.md', 'comfyui.md']) {
      const text = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'engines', doc), 'utf8');
      const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
      const sections = blocks.filter((b) => 'cloud' in b || 'comfyui' in b);
      expect(sections.length, doc).toBeGreaterThan(0);
      for (const section of sections) expect(() => fromFile({ ...section, MELIES_PORT: 9001 }), doc).not.toThrow();
    }
    const c = fromFile({
      MELIES_PORT: 9002, RUNWAY_API_KEY: 'r-key',
      cloud: { runway: { dailyCapUsd: 25, prices: { 'runway/gen4.5': { usdPerSecond: 0.12, checkedAt: '2026-11-20' } } }, fallbacks: { 'runway/gen4_turbo': ['luma/ray-2'] } },
      comfyui: { servers: [{ url: 'http://gpu-1.lan:8188', label: 'RTX 4090' }, 'http://gpu-2.lan:8188/'], templates: [{ workflow: 'a.json', mapping: 'b.json' }] },
      jobs: { concurrency: 2 },
    });
    expect(c.port).toBe(9002);
    expect(c.providerKeys.runway).toBe('r-key');
    expect(c.cloud.runway).toMatchObject({ dailyCapUsd: 25, prices: { 'runway/gen4.5': { usdPerSecond: 0.12 } } });
    expect(c.comfyui.servers).toEqual([
      { url: 'http://gpu-1.lan:8188', label: 'RTX 4090', concurrency: 1, templates: null },
      { url: 'http://gpu-2.lan:8188', label: null, concurrency: 1, templates: null },
    ]);
    expect(c.jobs.concurrency).toBe(2);
  });

  it('keeps the layering: file < environment < flags, whichever spelling the file uses', () => {
    expect(fromFile({ MELIES_PORT: 9001, MELIES_CONCURRENCY: 2 }, { MELIES_PORT: '9100' })).toMatchObject({ port: 9100, jobs: { concurrency: 2 } });
    const file = join(dir, 'layers.json');
    writeFileSync(file, JSON.stringify({ MELIES_PORT: 9001, MELIES_DATA_DIR: '/from/file' }));
    const c = loadConfig({ env: { MELIES_CONFIG: file, MELIES_DATA_DIR: '/from/env' }, overrides: { port: 9200 } });
    expect(c).toMatchObject({ port: 9200, dataDir: '/from/env' });
  });

  it('reads JSON numbers, booleans and strings, and refuses values that would only look like numbers', () => {
    const c = fromFile({ MELIES_FETCH_ALLOW_PRIVATE: true, MELIES_TRUST_PROXY: 'on', MELIES_CONCURRENCY: '4', MELIES_UPLOAD_MAX_BYTES: 2048 });
    expect(c).toMatchObject({ fetch: { allowPrivateNetworks: true }, trustProxy: true, jobs: { concurrency: 4 }, uploads: { maxBytes: 2048 } });
    // z.coerce read these as port 1 and port 0 (a random port): refused instead.
    expect(() => fromFile({ MELIES_PORT: true })).toThrow(/MELIES_PORT \(port\): .*expected number, received boolean/);
    expect(() => fromFile({ MELIES_PORT: null })).toThrow(/MELIES_PORT \(port\)/);
    expect(() => fromFile({ port: '' })).toThrow(/port: /);
  });

  it('refuses an unknown key at start, naming it and the closest known name', () => {
    const err = (content: unknown) => { try { fromFile(content); } catch (e) { return e as Error; } throw new Error('no error'); };
    const top = err({ MELIES_PROT: 9001 });
    expect(top).toBeInstanceOf(ConfigError);
    expect(top.message).toContain('MELIES_PROT: unknown setting; did you mean MELIES_PORT?');
    expect(top.message).toContain(dir);
    expect(err({ melies_port: 1 }).message).toContain('melies_port: unknown setting; did you mean MELIES_PORT?');
    expect(err({ prot: 1 }).message).toContain('prot: unknown setting; did you mean port?');
    expect(err({ shiny: 1 }).message).toMatch(/ shiny: unknown setting \(in /);
  });

  it('refuses unknown keys at any depth, with their path: sections, providers, prices, servers, keys', () => {
    const message = (content: unknown) => { try { fromFile(content); return ''; } catch (e) { return (e as Error).message; } };
    const m = message({
      jobs: { concurency: 2 },
      cloud: { runway: { dailyCap: 25, prices: { 'runway/gen4.5': { usdPerSecond: 0.1, checked: '2026-11-20' } }, breaker: { cooldown: 5 } }, brekaer: {} },
      comfyui: { servers: ['http://a:1', { url: 'http://b:2', lable: 'x' }], templates: [{ workflow: 'w', mapping: 'm', extra: 1 }] },
      providerKeys: { runwya: 'x' },
    });
    for (const line of [
      'jobs.concurency: unknown setting; did you mean jobs.concurrency?',
      'cloud.runway.dailyCap: unknown setting; did you mean cloud.runway.dailyCapUsd?',
      'cloud.runway.prices["runway/gen4.5"].checked: unknown setting; did you mean cloud.runway.prices["runway/gen4.5"].checkedAt?',
      'cloud.runway.breaker.cooldown: unknown setting; did you mean cloud.runway.breaker.cooldownMs?',
      'cloud.brekaer: unknown setting; did you mean cloud.breaker?',
      'comfyui.servers[1].lable: unknown setting; did you mean comfyui.servers[1].label?',
      'comfyui.templates[0].extra: unknown setting',
      'providerKeys.runwya: unknown setting; did you mean providerKeys.runway?',
    ]) expect(m).toContain(line);
    expect(message({ jobs: { MELIES_CONCURRENCY: 2 } })).toContain('jobs.MELIES_CONCURRENCY: unknown setting; environment names go at the top level of the file');
  });

  it('refuses both spellings of one setting in one file, and a file that is not one JSON object', () => {
    expect(() => fromFile({ MELIES_PORT: 9001, port: 9002 })).toThrow(/MELIES_PORT and port are the same setting; keep one/);
    expect(() => fromFile({ RUNWAY_API_KEY: 'a', providerKeys: { runway: 'b' } })).toThrow(/RUNWAY_API_KEY and providerKeys\.runway/);
    expect(() => fromFile([{ MELIES_PORT: 9001 }])).toThrow(/must hold one JSON object/);
    expect(() => fromFile('{"MELIES_PORT": 9001,}')).toThrow(/not valid JSON/);
  });
});
