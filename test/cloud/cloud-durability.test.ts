// A real Méliès process killed with SIGKILL after Kling accepted the job and before it finished,
// on SQLite and on PostgreSQL: the restarted process polls the stored task (the fake counts exactly
// one create, ever) and delivers the video. The JWT is signed again by the new process from the
// same keys.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKlingFake } from '../fakes/kling/kling.fake.js';
import { probeBytes } from '../helpers/media.js';
import { processBackend, processBackends, withDb, type ProcessBackend } from '../helpers/process-backends.js';
import { serveProcess, stopProcess, type MeliesProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/server.js';

const ACCESS = 'ak-durability-0c0ffee';
const SECRET = 'sk-durability-secret-9f8e7d';
let fake: Awaited<ReturnType<typeof startKlingFake>>;
beforeAll(async () => { fake = await startKlingFake({ accessKey: ACCESS, secretKey: SECRET, renderMs: 400 }); });
afterAll(async () => fake?.stop());

const started: MeliesProcess[] = [];
const backends: ProcessBackend[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) await stopProcess(p);
  for (const b of backends.splice(0)) await b.dispose();
  fake.tasks.release();
});

const row = (b: ProcessBackend, id: string) => withDb(b, (db) => db.selectFrom('videos').select(['status', 'provider_job_id', 'engine']).where('id', '=', id).executeTakeFirst());
const get = async (url: string, id: string) => (await (await fetch(`${url}/v1/videos/${id}`)).json()) as { status: string; error: unknown };

for (const backend of await processBackends()) {
  describe(`cloud durability on ${backend}`, () => {
    it('resumes polling after SIGKILL between submit and completion, never creating twice', async () => {
      const b = processBackend(backend, 'melies-cloud-kill-');
      backends.push(b);
      const env = { ...b.env, KLING_ACCESS_KEY: ACCESS, KLING_SECRET_KEY: SECRET, MELIES_KLING_BASE_URL: fake.baseUrl, MELIES_CLOUD_POLL_MS: '50' };
      const createdBefore = fake.server.count('create');
      fake.tasks.holdNew = true;
      const first = await serveProcess(b.dataDir, env, { onSpawn: (p) => started.push(p) });
      const res = await fetch(`${first.url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'kling/kling-v2-5-turbo', prompt: 'a night train through snow', seconds: '5', size: '1280x720' }) });
      expect(res.status).toBe(200);
      const { id } = (await res.json()) as { id: string };
      const stored = await waitFor(() => row(b, id), (r) => Boolean(r?.provider_job_id), 30_000, 50);
      const task = fake.tasks.get(stored!.provider_job_id!.split(':')[1]!)!;
      expect(task).toBeDefined();
      await waitFor(async () => task.polls, (n) => n >= 2, 30_000, 20); // it is polling a running task
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      const killed = (await row(b, id))!;
      expect(killed).toMatchObject({ status: 'in_progress', engine: 'kling', provider_job_id: `text2video:${task.id}` });
      expect(fake.server.count('create') - createdBefore).toBe(1);

      const polledBefore = task.polls;
      const second = await serveProcess(b.dataDir, env, { onSpawn: (p) => started.push(p) });
      fake.tasks.release();
      const done = await waitFor(() => get(second.url, id), (v) => v.status === 'completed' || v.status === 'failed', 60_000, 100);
      expect(done).toMatchObject({ status: 'completed', error: null });
      expect(fake.server.count('create') - createdBefore).toBe(1);
      expect(task.polls).toBeGreaterThan(polledBefore); // the new process polled the stored task
      expect((await row(b, id))!.provider_job_id).toBe(killed.provider_job_id);
      const p = await probeBytes(await (await fetch(`${second.url}/v1/videos/${id}/content`)).arrayBuffer());
      expect(p.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
      expect(p.durationSeconds).toBeCloseTo(5, 1);
    });
  });
}
