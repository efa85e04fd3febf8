// Two promises checked end to end on a real multi-user server process, on SQLite and on
// PostgreSQL: provider keys (a canary here) never appear in any response, header, log line (at
// trace level), database row or job payload, nor in the studio bundle; and every URL the server
// would fetch for a user is refused when it points inside (loopback, private, link-local/metadata,
// a name resolving to loopback).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAndMemberOfProcess, Caller, waitStatus } from '../helpers/accounts.js';
import { dumpDb, Transcript } from '../helpers/canary.js';
import { processBackend, processBackends, withDb, type ProcessBackend } from '../helpers/process-backends.js';
import { ROOT, serveProcess, stopProcess, type MeliesProcess } from '../helpers/process.js';

const CANARY = 'sk-canary-7f3a9c2e1b5d4f60a8e7c3b2';
const CANARY2 = 'AIza-canary-0d9e8f7a6b5c';

for (const backendName of await processBackends()) {
  describe(`on ${backendName}`, () => {
    let backend: ProcessBackend;
    let server: MeliesProcess & { url: string };
    let child: MeliesProcess | undefined;
    let admin: Caller;
    let member: Caller;
    const transcript = new Transcript();
    const record = (c: Caller, method: string, path: string, body?: unknown) => transcript.record(c, method, path, body);

    beforeAll(async () => {
      backend = processBackend(backendName, 'melies-canary-');
      server = await serveProcess(backend.dataDir, { ...backend.env, MELIES_AUTH: 'multi', MELIES_LOG_LEVEL: 'trace', RUNWAY_API_KEY: CANARY, GEMINI_API_KEY: CANARY2, MELIES_SKETCH_X264_PRESET: 'ultrafast' }, { onSpawn: (p) => { child = p; } });
      ({ admin, member } = await adminAndMemberOfProcess(server.url, server.output()));
    });
    afterAll(async () => {
      if (child) await stopProcess(child);
      await backend?.dispose();
    });

    describe('SSRF guard through the API', () => {
      const refused = [
        'http://127.0.0.1/a.png', 'http://127.0.0.1:8080/v1/models', 'http://10.0.0.7/a.png', 'http://192.168.1.1/a.png', 'http://172.16.5.4/a.png',
        'http://169.254.169.254/latest/meta-data/iam', 'http://[::1]/a.png', 'http://[fd00::1]/a.png', 'http://[::ffff:127.0.0.1]/a.png',
        'http://0.0.0.0/a.png', 'http://localhost/a.png', 'http://2130706433/a.png', 'file:///etc/passwd', 'gopher://example.org/', 'ftp://example.org/a.png',
      ];
      for (const url of refused) {
        it(`refuses ${url}`, async () => {
          const r = await record(member, 'POST', '/v1/videos', { prompt: 'from a picture', seconds: '1', size: '320x180', input_reference: { image_url: url } });
          expect(r.status).toBe(400);
          expect(r.json.error.param).toMatch(/^input_reference/);
          expect((await member.get('/v1/videos')).json.data.filter((v: any) => v.prompt === 'from a picture')).toEqual([]);
        });
      }
    });

    describe('provider key secrecy (canary)', () => {
      it('never shows the canary in responses, logs, the database or job payloads', async () => {
        const v = await record(member, 'POST', '/v1/videos', { prompt: 'a harbour', seconds: '1', size: '320x180', fps: 12 });
        await record(member, 'POST', '/v1/videos', { prompt: 'x', model: 'runway/gen4_turbo' });
        await record(member, 'POST', '/v1/videos', { prompt: 'x', model: 'veo-3.1-generate-preview' });
        await record(member, 'GET', '/v1/models');
        expect(v.status).toBe(200);
        // The video is made (so the job's own log lines and rows exist to be searched).
        const done = await waitStatus(member, v.json.id, (st) => st === 'completed' || st === 'failed');
        expect(done).toMatchObject({ status: 'completed', progress: 100, error: null });
        for (const path of ['/v1/videos', `/v1/videos/${v.json.id}`, `/v1/videos/${v.json.id}/content?variant=thumbnail`, `/v1/videos/${v.json.id}/events`, `/api/videos/${v.json.id}`, '/api/usage', '/api/session', '/v1/nothing']) {
          await record(member, 'GET', path);
        }
        for (const path of ['/api/admin/users', '/api/admin/plans', '/api/admin/audit?limit=500', '/api/admin/audit.jsonl', '/api/admin/pauses', '/api/admin/invites', '/api/auth/sessions', '/api/keys', '/api/session']) {
          await record(admin, 'GET', path);
        }
        await record(member, 'GET', '/v1/videos/video_00000000000000000000000000000000');
        await record(new Caller(server.url, { key: 'mls_wrong' }), 'GET', '/v1/videos');
        const everything = transcript.text();
        expect(everything.length).toBeGreaterThan(5000);
        expect(everything).not.toContain(CANARY);
        expect(everything).not.toContain(CANARY2);
        // Trace-level logs of the whole session.
        expect(server.output()).toContain('"msg":"generating"'); // the job's own log lines are in there
        expect(server.output()).not.toContain(CANARY);
        expect(server.output()).not.toContain(CANARY2);
        // Every row of every table, job payloads included.
        const { tables, dump } = await withDb(backend, (db) => dumpDb(db, backendName));
        expect(tables).toContain('queue_jobs');
        expect(dump).toContain('a harbour');
        expect(dump).not.toContain(CANARY);
        expect(dump).not.toContain(CANARY2);
      });
    });
  });
}

describe('studio bundle', () => {
  it('keeps the canary out of the studio bundle, even when set while building', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'melies-bundle-'));
    const before = { RUNWAY_API_KEY: process.env.RUNWAY_API_KEY };
    process.env.RUNWAY_API_KEY = CANARY;
    try {
      const { build } = await import('vite');
      await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
      const files = readdirSync(join(outDir, 'assets')).map((f) => readFileSync(join(outDir, 'assets', f), 'utf8'));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(f).not.toContain(CANARY);
    } finally {
      if (before.RUNWAY_API_KEY === undefined) delete process.env.RUNWAY_API_KEY;
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
