// A distributed Méliès through the faults its services will have: Redis restarted mid-run (a Redis
// of the test's own, AOF on), every PostgreSQL connection cut, S3 answering 500s and answering
// slowly. The processes reconnect by themselves; every video still completes, made once at the
// provider, stored whole; no row points at a missing or partial object; clients get answers.
import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startOpenAiFake } from '../fakes/openai/openai.fake.js';
import { Cluster, type Proc } from '../helpers/cluster.js';
import { sleep, until } from '../helpers/server.js';
import { ownRedisServer, redisAvailable, type OwnRedis } from '../../src/coordination/redis/test-redis.js';
import { testDatabases } from '../../src/db/test-databases.js';

const KEY = 'sk-cluster-faults-key';

// Needs PostgreSQL and Redis: skipped without them, except under CI=true where that fails.
const services = (await testDatabases()).some((d) => d.name === 'postgres') && (await redisAvailable());

describe.skipIf(!services)('a distributed Méliès through Redis, PostgreSQL and S3 faults', () => {
  let fake: Awaited<ReturnType<typeof startOpenAiFake>>;
  let redis: OwnRedis;
  let cluster: Cluster;
  let server: Proc & { url: string };

  beforeAll(async () => {
    fake = await startOpenAiFake({ apiKey: KEY, renderMs: 400 });
    redis = await ownRedisServer({ persistent: true });
    cluster = await Cluster.start({
      redisUrl: redis.url,
      s3Faults: true,
      env: {
        OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseUrl, MELIES_CLOUD_POLL_MS: '100', MELIES_FETCH_ALLOW_PRIVATE: 'true',
        MELIES_JOB_LEASE_SECONDS: '3', MELIES_JOB_MAX_ATTEMPTS: '5', MELIES_JOB_RETRY_BASE_MS: '200', MELIES_SHUTDOWN_GRACE_SECONDS: '5', MELIES_LOG_LEVEL: 'warn',
      },
    });
    server = await cluster.startServer('serve');
    await cluster.startWorker('w1', ['--engines', 'openai', '--concurrency', '2']);
    await cluster.startWorker('w2', ['--engines', 'openai', '--concurrency', '2']);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await redis?.dispose();
    await fake?.stop();
  }, 60_000);

  it('loses nothing and makes nothing twice while Redis restarts, PostgreSQL drops connections and S3 fails', async () => {
    onTestFailed(() => { console.error(cluster.logs()); });
    const admin = await cluster.admin(server);
    const member = await cluster.member(admin, server.url, 'm@example.org');
    const client = new OpenAI({ apiKey: member.auth.key!, baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 30_000 });

    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await client.videos.create({ model: 'sora-2' as never, prompt: `fault ${i}`, seconds: '4' as never, size: '1280x720' as never })).id);
    const db = await cluster.db();
    const done = () => cluster.finished().catch(() => -1); // while connections are being cut

    // Redis goes away for two seconds, and comes back with its data (AOF).
    await until('5 done', async () => (await done()) >= 5);
    await redis.stop();
    // Readiness says why, so a load balancer can route around a server that lost Redis.
    const readyz = async () => { const r = await fetch(`${server.url}/readyz`); return { status: r.status, body: (await r.json()) as { reason?: string } }; };
    const down = await until('/readyz to report Redis', async () => { const r = await readyz(); return r.status === 503 && r; }, 30_000);
    expect(down.body.reason).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\/? is unreachable/);
    await sleep(1000);
    await redis.start();
    await until('/readyz to recover', async () => (await readyz()).status === 200, 30_000);
    // Meanwhile and after, the API answers: reads from the database, creates into it.
    ids.push((await client.videos.create({ model: 'sora-2' as never, prompt: 'fault after redis', seconds: '4' as never, size: '1280x720' as never })).id);

    // Every PostgreSQL connection of every process is cut.
    await until('12 done', async () => (await done()) >= 12);
    expect(await cluster.dropDatabaseConnections()).toBeGreaterThan(0);
    // A request right after gets an answer (the pool reconnects), not a hang.
    const after = await fetch(`${server.url}/v1/videos/${ids[0]}`, { headers: { authorization: `Bearer ${member.auth.key}` }, signal: AbortSignal.timeout(20_000) });
    expect([200, 500, 503]).toContain(after.status);
    if (after.status !== 200) expect(((await after.json()) as { error: { message: string } }).error.message).toBeTruthy();

    // S3 refuses uploads for a while (more 500s than the SDK retries), then answers slowly.
    await until('18 done', async () => (await done()) >= 18);
    const puts = (r: { method: string }) => r.method === 'PUT' || r.method === 'POST';
    cluster.s3Faults!.failNext(8, { match: puts });
    cluster.s3Faults!.delayNext(4, 1500, { match: puts });

    await until('every video finished', async () => (await done()) >= ids.length, 300_000);
    const rows = await db.selectFrom('videos').selectAll().execute();
    for (const r of rows) expect({ id: r.id, status: r.status, error: r.error_message }).toEqual({ id: r.id, status: 'completed', error: null });
    expect(cluster.s3Faults!.requests.filter((r) => r.fault === 'status').length).toBe(8); // the faults really happened

    // Made once at the provider, whatever happened around them.
    for (const r of rows) expect({ prompt: r.prompt, creates: fake.tasks.all().filter((t) => t.params.prompt === r.prompt).length }).toEqual({ prompt: r.prompt, creates: 1 });
    // Every row points at a whole object; the API serves it.
    for (const r of rows) {
      const bytes = await cluster.s3.readObject(r.video_key!);
      expect(bytes, r.id).not.toBeNull();
      expect(createHash('sha256').update(bytes!).digest('hex')).toBe(r.video_sha256);
    }
    const content = await fetch(`${server.url}/v1/videos/${ids.at(-1)}/content`, { headers: { authorization: `Bearer ${member.auth.key}` } });
    expect(content.status).toBe(200);
  }, 600_000);
});
