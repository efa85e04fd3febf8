// One Méliès process keeping its files in S3 (a real s3rver), on SQLite and PostgreSQL: a video
// made through the openai SDK lands in the bucket whole, /content streams it back with Range from
// S3, delete removes the objects, and /readyz says so, naming the bucket, when S3 goes away.
import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/config/config.js';
import { testDatabases } from '../../src/db/test-databases.js';
import { startServer } from '../../src/app/server.js';
import { probeBytes } from '../helpers/media.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/server.js';
import { processBackend, type ProcessBackend } from '../helpers/process-backends.js';

for (const target of await testDatabases()) {
  describe(`files in S3 (${target.name})`, () => {
    let s3: S3TestServer;
    let server: TestServer;
    let backend: ProcessBackend;
    let client: OpenAI;

    beforeAll(async () => {
      s3 = await startS3Server();
      backend = processBackend(target.name, 'melies-s3-');
      server = await startTestServer({
        databaseUrl: backend.env.DATABASE_URL ?? null,
        s3: { endpoint: s3.endpoint, bucket: s3.bucket, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true, prefix: 'melies/' },
      });
      client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local' });
    });
    afterAll(async () => {
      await server?.stop();
      await backend?.dispose();
      await s3?.stop();
    });

    it('stores the video, thumbnail and spritesheet in the bucket and streams them back with Range', async () => {
      const created = await client.videos.create({ model: 'sketch' as never, prompt: 'a red kite over green hills', seconds: '1' as never, size: '256x144' as never });
      const v = await waitFor(() => client.videos.retrieve(created.id), (x) => x.status === 'completed' || x.status === 'failed');
      expect(v.status).toBe('completed');
      const keys = await s3.listObjects('melies/');
      expect(keys.filter((k) => k.includes(created.id)).length).toBeGreaterThanOrEqual(3); // video, thumbnail, spritesheet
      const videoKey = keys.find((k) => k.includes(created.id) && k.endsWith('.mp4'))!;
      const stored = (await s3.readObject(videoKey))!;
      const whole = Buffer.from(await (await client.videos.downloadContent(created.id)).arrayBuffer());
      expect(createHash('sha256').update(whole).digest('hex')).toBe(createHash('sha256').update(stored).digest('hex'));
      expect((await probeBytes(whole)).video?.codec).toBe('h264');

      const ranged = await fetch(`${server.url}/v1/videos/${created.id}/content`, { headers: { range: 'bytes=100-199' } });
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get('content-range')).toBe(`bytes 100-199/${stored.length}`);
      expect(Buffer.from(await ranged.arrayBuffer())).toEqual(stored.subarray(100, 200));

      await client.videos.delete(created.id);
      expect((await s3.listObjects('melies/')).filter((k) => k.includes(created.id))).toEqual([]);
    });

    it('with S3_PRESIGN, answers /content with a redirect to a short-lived URL that S3 serves', async () => {
      const presigning = await startTestServer({
        databaseUrl: backend.env.DATABASE_URL ?? null,
        s3: { endpoint: s3.endpoint, bucket: s3.bucket, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true, prefix: 'presign/', presign: true },
      });
      try {
        const c = new OpenAI({ baseURL: `${presigning.url}/v1`, apiKey: 'local' });
        const made = await c.videos.create({ model: 'sketch' as never, prompt: 'a paper boat on a pond', seconds: '1' as never, size: '256x144' as never });
        const v = await waitFor(() => c.videos.retrieve(made.id), (x) => x.status === 'completed' || x.status === 'failed');
        expect(v.status).toBe('completed');
        const res = await fetch(`${presigning.url}/v1/videos/${v.id}/content`, { redirect: 'manual' });
        expect(res.status).toBe(302);
        const location = res.headers.get('location')!;
        expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/presign/`)).toBe(true);
        expect(location).toMatch(/X-Amz-Expires=300/);
        const bytes = Buffer.from(await (await fetch(location)).arrayBuffer());
        const key = (await s3.listObjects('presign/')).find((k) => k.includes(v.id) && k.endsWith('.mp4'))!;
        expect(bytes.equals((await s3.readObject(key))!)).toBe(true);
        // Someone else's video gets the usual 404, not a URL.
        expect((await fetch(`${presigning.url}/v1/videos/video_${'0'.repeat(32)}/content`, { redirect: 'manual' })).status).toBe(404);
      } finally {
        await presigning.stop();
      }
    });

    it('reports S3 unreachable at /readyz naming the bucket, and refuses to start without it', async () => {
      const other = await startS3Server();
      const down = { endpoint: other.endpoint, bucket: other.bucket, accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey, forcePathStyle: true };
      const second = await startTestServer({ databaseUrl: backend.env.DATABASE_URL ?? null, s3: down });
      try {
        expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
        await other.stop();
        const r = await fetch(`${second.url}/readyz`);
        expect(r.status).toBe(503);
        expect(((await r.json()) as { reason: string }).reason).toContain(`"${other.bucket}"`);
      } finally {
        await second.stop();
      }
      await expect(startServer(makeConfig({ port: 0, dataDir: server.dataDir, databaseUrl: backend.env.DATABASE_URL ?? null, s3: down })))
        .rejects.toThrow(new RegExp(`${other.bucket}.*unreachable|unreachable.*${other.bucket}`, 's'));
    });
  });
}
