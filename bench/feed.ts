// The public feed with 10,000 published videos (issue 14: the first page in < 100 ms server time),
// on SQLite and PostgreSQL. A `melies serve` from source with the feed open to everyone gets 10,000
// published rows (copies of its one real video, by 500 authors, with remix credits so "most
// remixed" has an order to keep); then wrk (a C client) asks for the first page, newest and most
// remixed, with 1 connection (latency ≈ server time) and 10 (throughput), against GET /healthz on
// the same server in the same run as the baseline.
// Run: npm run bench:feed   (MELIES_BENCH_SECONDS=5; needs wrk: apt-get install -y wrk)
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openPostgres, openSqlite, type Database } from '../src/db/database.js';
import { dropSchema } from '../src/db/migrator.js';
import { postgresUrl } from '../src/db/test-databases.js';
import { loadavg } from './common.js';
import { requireWrk, startMelies, stopChild, warmUp, wrk, type WrkResult } from './wrk.js';

const ROOT = join(import.meta.dirname, '..');
const SECONDS = Number(process.env.MELIES_BENCH_SECONDS ?? 5);
const PUBLISHED = 10_000;
const AUTHORS = 500;

async function seed(db: Database, videoId: string): Promise<void> {
  const source = await db.selectFrom('videos').selectAll().where('id', '=', videoId).executeTakeFirstOrThrow();
  const t0 = Date.now() - PUBLISHED * 1000;
  const ids = Array.from({ length: PUBLISHED }, () => `video_${randomBytes(16).toString('hex')}`);
  const owner = (i: number) => `usr_bench${String(i % AUTHORS).padStart(4, '0')}`;
  for (let a = 0; a < AUTHORS; a += 250) {
    await db.insertInto('profiles').values(Array.from({ length: 250 }, (_, k) => ({ user_id: owner(a + k), handle: `artist_${a + k}`, display_name: `Artist ${a + k}`, created_at: t0, updated_at: t0 }))).execute();
  }
  for (let start = 0; start < PUBLISHED; start += 250) {
    const batch = ids.slice(start, start + 250);
    await db.insertInto('videos').values(batch.map((id, k) => ({ ...source, id, owner_id: owner(start + k), created_at: t0 + (start + k) * 1000, updated_at: t0 + (start + k) * 1000 }))).execute();
    await db.insertInto('publications').values(batch.map((id, k) => ({
      video_id: id, owner_id: owner(start + k), title: `Published video ${start + k}`, description: '', remix: 'allow-with-credit', training: 'not-allowed',
      status: 'published', reason: null, published_at: t0 + (start + k) * 1000, remix_count: (start + k) % 37, created_at: t0, updated_at: t0,
    }))).execute();
    // Every third video remixes the one before it: credit lines to resolve on every page.
    const credits = batch.map((id, k) => ({ id, i: start + k })).filter(({ i }) => i % 3 === 1);
    if (credits.length) {
      await db.insertInto('video_credits').values(credits.map(({ id, i }) => ({ video_id: id, parent_video_id: ids[i - 1]!, parent_owner_id: owner(i - 1), parent_title: `Published video ${i - 1}`, created_at: t0 }))).execute();
    }
  }
  if ('analyze' in db) await sql`analyze`.execute(db);
}

const line = (what: string, r: WrkResult) => `  ${what.padEnd(34)} p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(6)} ms  ${Math.round(r.rps).toString().padStart(6)} req/s  (non-2xx ${r.errors})`;

async function run(backend: 'sqlite' | 'postgres'): Promise<void> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = { MELIES_PUBLIC_FEED: 'true', MELIES_SHARING_ACTIONS_PER_MINUTE: '100000', ...(backend === 'postgres' ? { DATABASE_URL: `${postgresUrl}?schema=${schema}` } : {}) };
  const server = await startMelies(ROOT, { env });
  const db = backend === 'postgres' ? await openPostgres(postgresUrl, { searchPath: schema, max: 2 }) : await openSqlite(join(server.dir, 'melies.db'));
  try {
    const t = Date.now();
    await seed(db, server.videoId);
    if (backend === 'postgres') await sql`analyze`.execute(db);
    console.log(`${backend}: ${PUBLISHED.toLocaleString('en')} published videos by ${AUTHORS} authors seeded in ${((Date.now() - t) / 1000).toFixed(1)} s; load ${loadavg()}`);
    const subjects = [['GET /healthz (baseline)', '/healthz'], ['GET /api/feed (newest, 24)', '/api/feed'], ['GET /api/feed?sort=remixed (24)', '/api/feed?sort=remixed']] as const;
    for (const [, path] of subjects) warmUp(`${server.url}${path}`, [], 2);
    for (const connections of [1, 10]) {
      console.log(` ${connections} connection${connections > 1 ? 's' : ''}, ${SECONDS} s each`);
      const results = subjects.map(([name, path]) => [name, wrk(`${server.url}${path}`, { seconds: SECONDS, connections, pid: server.child.pid! })] as const);
      for (const [name, r] of results) console.log(line(name, r));
      const base = results[0]![1];
      for (const [name, r] of results.slice(1)) console.log(`  ${name}: ${(r.rps / base.rps).toFixed(2)}x the baseline's rate, ${(r.cpu / 1000).toFixed(2)} ms server CPU per request`);
    }
  } finally {
    await stopChild(server.child);
    if (backend === 'postgres') await dropSchema(db, schema);
    await db.destroy();
  }
}

requireWrk();
console.log(`feed benchmark: wrk 1 thread; Node ${process.version}`);
for (const backend of ['sqlite', 'postgres'] as const) await run(backend);
