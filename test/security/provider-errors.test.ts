// What a failed video says, on a real multi-user `melies serve` (SQLite, then PostgreSQL) logging at
// trace level, driving a fake Runway:
// - Runway answers FAILED with the server's own key in its failure text (as written, in base64, in
//   a Basic header, URL-encoded): the member reads a neutral sentence on GET /v1/videos/{id}, the
//   SSE stream and /api/videos/{id}; the admin also gets the provider's words as `detail`, with the
//   key redacted; no form of the key is in any answer, either column of the row, any table, or
//   any line the server wrote.
// - Runway's result is not a video (ffprobe fails on it): the member sees no server path and no
//   ffprobe output; the admin's detail has both.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, openSqlite, type Database } from '../../src/db/database.js';
import { postgresUrl } from '../../src/db/test-databases.js';
import { startRunwayFake, type RunwayFake } from '../fakes/runway/runway.fake.js';
import { accountBackends, adminAndMemberOfProcess, type Caller } from '../helpers/accounts.js';
import { leaked } from '../helpers/leaks.js';
import { serveProcess, type MeliesProcess } from '../helpers/process.js';
import { dropSchema } from '../../src/db/migrator.js';

const NEUTRAL_FAILURE = 'Runway could not make this video (the provider reported a failure). Try again or pick another model. Runway refunds failed tasks.';

for (const backend of await accountBackends()) {
  describe(`provider and tool errors (${backend})`, () => {
    const key = `key_${randomBytes(16).toString('hex')}`;
    const schema = `t_${randomBytes(6).toString('hex')}`;
    let fake: RunwayFake;
    let dataDir: string;
    let server: MeliesProcess & { url: string };
    let admin: Caller;
    let member: Caller;
    let db: Database;

    beforeAll(async () => {
      fake = await startRunwayFake({ apiKey: key, renderMs: 200 });
      dataDir = mkdtempSync(join(tmpdir(), 'melies-provider-errors-'));
      server = await serveProcess(dataDir, {
        MELIES_AUTH: 'multi', MELIES_LOG_LEVEL: 'trace', MELIES_CLOUD_POLL_MS: '50', MELIES_JOB_POLL_MS: '50',
        RUNWAY_API_KEY: key, MELIES_RUNWAY_BASE_URL: fake.baseUrl,
        DATABASE_URL: backend === 'postgres' ? `${postgresUrl}?schema=${schema}` : `sqlite:${join(dataDir, 'melies.db')}`,
      });
      ({ admin, member } = await adminAndMemberOfProcess(server.url, server.output()));
      db = backend === 'postgres' ? await openPostgres(postgresUrl, { searchPath: schema, max: 1 }) : await openSqlite(join(dataDir, 'melies.db'));
    }, 60_000);

    afterAll(async () => {
      await db?.destroy();
      server?.child.kill('SIGTERM');
      await server?.exited;
      await fake?.stop();
      if (backend === 'postgres') {
        const pg = await openPostgres(postgresUrl, { max: 1 });
        await dropSchema(pg, schema);
        await pg.destroy();
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** Creates a Runway video as `who`, follows its SSE stream to the end, and returns both. */
    async function failedVideo(who: Caller): Promise<{ id: string; events: string; video: any }> {
      const created = await who.post('/v1/videos', { prompt: 'a lighthouse in fog', model: 'runway/gen4.5', seconds: '2' });
      expect(created.status, JSON.stringify(created.json)).toBe(200);
      const id = created.json.id as string;
      const headers: Record<string, string> = who.auth.key ? { authorization: `Bearer ${who.auth.key}` } : { cookie: who.auth.cookie! };
      const stream = await fetch(`${server.url}/v1/videos/${id}/events`, { headers, signal: AbortSignal.timeout(30_000) });
      const events = await stream.text(); // the server closes the stream once the video is terminal
      const video = (await who.get(`/v1/videos/${id}`)).json;
      expect(video.status, JSON.stringify(video)).toBe('failed');
      return { id, events, video };
    }

    async function row(id: string) {
      return db.selectFrom('videos').select(['error_code', 'error_message', 'error_detail']).where('id', '=', id).executeTakeFirstOrThrow();
    }

    async function everyTable(): Promise<string> {
      const tables = await db.introspection.getTables();
      const rows = await Promise.all(tables.map((t) => db.selectFrom(t.name as 'videos').selectAll().execute()));
      return rows.map((r) => JSON.stringify(r)).join('\n');
    }

    const lastEvent = (events: string) => JSON.parse(/event: video\.failed\ndata: (.+)\n/.exec(events)![1]!);

    it("a provider failure that quotes the server's key: a neutral message for the member, the redacted words for the admin, the key nowhere", async () => {
      const failure = `Upstream said: rejected credentials ${key} (Basic ${Buffer.from(`runway:${key}`).toString('base64')}; ` +
        `token ${Buffer.from(key).toString('base64')}; callback https://cb.example/?k=${encodeURIComponent(`${key}/x`)})`;

      fake.server.faults.once('create', { kind: 'task_failed', failure });
      const mine = await failedVideo(member);
      const api = (await member.get(`/api/videos/${mine.id}`)).json;
      for (const seen of [mine.video, lastEvent(mine.events), api]) {
        expect(seen.error).toEqual({ code: 'generation_failed', message: NEUTRAL_FAILURE });
      }

      fake.server.faults.once('create', { kind: 'task_failed', failure });
      const theirs = await failedVideo(admin);
      const adminApi = (await admin.get(`/api/videos/${theirs.id}`)).json;
      for (const seen of [theirs.video, lastEvent(theirs.events), adminApi]) {
        expect(seen.error.message).toBe(NEUTRAL_FAILURE);
        expect(seen.error.detail).toMatch(/^Runway reported: Upstream said: rejected credentials \[redacted\]/);
        expect(seen.error.detail).toContain('callback https://cb.example/?k=[redacted]');
      }

      const answers = JSON.stringify([mine, api, theirs, adminApi]);
      expect(leaked(answers, [key])).toEqual([]);
      for (const id of [mine.id, theirs.id]) {
        const r = await row(id);
        expect(r.error_code).toBe('generation_failed');
        expect(r.error_message).toBe(NEUTRAL_FAILURE);
        expect(r.error_detail).toContain('Upstream said: rejected credentials [redacted]');
        expect(leaked(`${r.error_message}\n${r.error_detail}`, [key])).toEqual([]);
      }
      const dump = await everyTable();
      expect(dump).toContain('a lighthouse in fog');
      expect(leaked(dump, [key])).toEqual([]);
      const out = server.output();
      expect(out).toContain('Upstream said: rejected credentials [redacted]'); // the log did carry the provider's words
      expect(leaked(out, [key])).toEqual([]);
    });

    it('a result ffprobe cannot read: no server path or ffprobe output for the member; both in the admin detail', async () => {
      fake.server.faults.once('download', { kind: 'http', status: 200, message: 'this is not a video' });
      const mine = await failedVideo(member);
      const api = (await member.get(`/api/videos/${mine.id}`)).json;
      for (const seen of [mine.video, lastEvent(mine.events), api]) {
        expect(seen.error.code).toBe('provider_bad_output');
        expect(seen.error.detail).toBeUndefined();
        expect(seen.error.message).not.toContain(dataDir);
        expect(seen.error.message).not.toMatch(/\/tmp\/|\/work\/|ffprobe|ffmpeg|Invalid data|exited with/i);
      }

      fake.server.faults.once('download', { kind: 'http', status: 200, message: 'this is not a video' });
      const theirs = await failedVideo(admin);
      expect(theirs.video.error.message).toBe(mine.video.error.message);
      expect(theirs.video.error.detail).toMatch(/ffprobe exited with \d+/);
      expect(theirs.video.error.detail).toContain(join(dataDir, 'work'));
      expect(theirs.video.error.detail).toContain('Invalid data found when processing input');
      expect((await row(mine.id)).error_detail).toContain(join(dataDir, 'work'));
      expect((await row(mine.id)).error_message).not.toContain(dataDir);
    });
  });
}
