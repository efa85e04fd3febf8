// A create whose video is written is answered with the video, even when its queue position cannot
// be read at that moment (the queue busy dispatching it, Redis hiccuping): the position is a hint,
// and a 500 would make the client send the create again and get a second video.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../src/db/test-databases.js';
import { processBackend, type ProcessBackend } from '../helpers/process-backends.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

for (const target of await testDatabases()) {
  describe(`queue position as a hint (${target.name})`, () => {
    let backend: ProcessBackend;
    let server: TestServer;
    beforeAll(async () => {
      backend = processBackend(target.name, 'melies-qpos-');
      server = await startTestServer({ databaseUrl: backend.env.DATABASE_URL ?? null });
    });
    afterAll(async () => {
      await server?.stop();
      await backend?.dispose();
    });

    it('answers a create 200 with no position, exactly one video made, when the queue cannot count', async () => {
      server.stack.queue.position = async () => { throw new Error('the queue moved under our feet'); };
      const res = await fetch(`${server.url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'sketch', prompt: 'a kite', seconds: '1', size: '256x144' }) });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { id: string; status: string; queue_position?: unknown };
      expect(body.status).toMatch(/queued|in_progress/);
      expect(body.queue_position ?? null).toBeNull();
      const list = (await (await fetch(`${server.url}/v1/videos`)).json()) as { data: { id: string }[] };
      expect(list.data.map((v) => v.id)).toEqual([body.id]);
    });
  });
}
