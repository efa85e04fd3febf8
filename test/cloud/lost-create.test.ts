// A create whose answer never came back, on SQLite and on PostgreSQL, in a real Méliès process:
// the provider made (and will bill) the job, Méliès has no id for it. OpenAI's Videos API lists an
// account's videos, so Méliès finds that job and polls it: one create, ever, and the video is
// delivered. That holds whether the answer was dropped on the way (the same run looks at once) or
// the process was SIGKILLed while it waited (the next run looks once the dead run's claim to send
// has run out). Luma lists its generations with their requests, so it is asked the same way.
// Kling can only be asked by task id, which was lost: the video fails saying so, and is not sent
// a second time.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKlingFake } from '../fakes/kling/kling.fake.js';
import { startLumaFake } from '../fakes/luma/luma.fake.js';
import { startOpenAiFake } from '../fakes/openai/openai.fake.js';
import { probeBytes } from '../helpers/media.js';
import { processBackend, processBackends, withDb, type ProcessBackend } from '../helpers/process-backends.js';
import { serveProcess, stopProcess, type MeliesProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/server.js';

const OPENAI_KEY = 'sk-lost-create-key';
const ACCESS = 'ak-lost-create';
const SECRET = 'sk-lost-create-secret';
let openai: Awaited<ReturnType<typeof startOpenAiFake>>;
let kling: Awaited<ReturnType<typeof startKlingFake>>;
let luma: Awaited<ReturnType<typeof startLumaFake>>;
beforeAll(async () => {
  luma = await startLumaFake({ apiKey: 'luma-lost-create', renderMs: 300 });
  openai = await startOpenAiFake({ apiKey: OPENAI_KEY, renderMs: 300 });
  kling = await startKlingFake({ accessKey: ACCESS, secretKey: SECRET, renderMs: 300 });
});
afterAll(async () => { await openai?.stop(); await kling?.stop(); await luma?.stop(); });

const started: MeliesProcess[] = [];
const backends: ProcessBackend[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) await stopProcess(p);
  for (const b of backends.splice(0)) await b.dispose();
  openai.server.faults.clear();
  kling.server.faults.clear();
  luma.server.faults.clear();
});

type Row = { status: string; provider_job_id: string | null; error_code: string | null; submit_claim: string | null };
const row = (b: ProcessBackend, id: string) => withDb(b, (db) => db.selectFrom('videos').select(['status', 'provider_job_id', 'error_code', 'submit_claim']).where('id', '=', id).executeTakeFirst() as Promise<Row | undefined>);
const get = async (url: string, id: string) => (await (await fetch(`${url}/v1/videos/${id}`)).json()) as { status: string; error: { code: string; message: string } | null };
const create = async (url: string, body: Record<string, unknown>) => {
  const res = await fetch(`${url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
};
const finished = (url: string, id: string) => waitFor(() => get(url, id), (v) => v.status === 'completed' || v.status === 'failed', 60_000, 100);
const env = (b: ProcessBackend) => ({
  ...b.env, OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: openai.baseUrl, KLING_ACCESS_KEY: ACCESS, KLING_SECRET_KEY: SECRET,
  MELIES_KLING_BASE_URL: kling.baseUrl, LUMA_API_KEY: 'luma-lost-create', MELIES_LUMA_BASE_URL: luma.baseUrl, MELIES_CLOUD_POLL_MS: '50', MELIES_FETCH_ALLOW_PRIVATE: 'true', MELIES_JOB_LEASE_SECONDS: '2',
});
/** What a dead run's claim to send looks like two minutes later: run out. */
const claimRunsOut = (b: ProcessBackend, id: string) => withDb(b, (db) => db.updateTable('videos').set({ submit_claimed_until: Date.now() - 1000 }).where('id', '=', id).execute());

for (const backend of await processBackends()) {
  describe(`a lost create answer on ${backend}`, () => {
    it('finds the job at OpenAI when the answer is dropped on the way, and polls it instead of sending again', async () => {
      const b = processBackend(backend, 'melies-lost-create-');
      backends.push(b);
      const server = await serveProcess(b.dataDir, env(b), { onSpawn: (p) => started.push(p) });
      const before = openai.tasks.all().length;
      openai.server.faults.once('create', { kind: 'lost_answer' });
      const id = await create(server.url, { model: 'sora-2', prompt: `a heron lands on a pier ${backend}`, seconds: '4', size: '1280x720' });
      expect(await finished(server.url, id)).toMatchObject({ status: 'completed', error: null });
      const made = openai.tasks.all().slice(before);
      expect(made).toHaveLength(1);
      expect((await row(b, id))!.provider_job_id).toBe(made[0]!.id);
      const p = await probeBytes(await (await fetch(`${server.url}/v1/videos/${id}/content`)).arrayBuffer());
      expect(p.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
      expect(p.durationSeconds).toBeCloseTo(4, 0);
    });

    it('finds it after a SIGKILL mid-create, once the dead run\'s claim runs out, without a second create', async () => {
      const b = processBackend(backend, 'melies-lost-create-kill-');
      backends.push(b);
      const first = await serveProcess(b.dataDir, env(b), { onSpawn: (p) => started.push(p) });
      const before = openai.tasks.all().length;
      openai.server.faults.once('create', { kind: 'lost_answer', afterMs: 60_000 });
      const prompt = `a kite over the dunes ${backend}`;
      const id = await create(first.url, { model: 'sora-2', prompt, seconds: '4', size: '1280x720' });
      // The provider has made the job; Méliès still waits for the answer, holding its claim.
      await waitFor(async () => openai.tasks.all().slice(before).length, (n) => n === 1, 30_000, 20);
      expect((await row(b, id))!.submit_claim).not.toBeNull();
      first.child.kill('SIGKILL');
      await first.exited;
      expect(await row(b, id)).toMatchObject({ provider_job_id: null });
      await claimRunsOut(b, id);

      const second = await serveProcess(b.dataDir, env(b), { onSpawn: (p) => started.push(p) });
      expect(await finished(second.url, id)).toMatchObject({ status: 'completed', error: null });
      const made = openai.tasks.all().filter((t) => t.params.prompt === prompt);
      expect(made).toHaveLength(1);
      expect((await row(b, id))!.provider_job_id).toBe(made[0]!.id);
    });

    it('finds a lost Luma generation the same way, by the request Luma keeps with it', async () => {
      const b = processBackend(backend, 'melies-lost-create-luma-');
      backends.push(b);
      const server = await serveProcess(b.dataDir, env(b), { onSpawn: (p) => started.push(p) });
      const prompt = `a paper lantern drifting at dusk ${backend}`;
      luma.server.faults.once('create', { kind: 'lost_answer' });
      const id = await create(server.url, { model: 'luma/ray-2', prompt, seconds: '5', size: '1280x720' });
      expect(await finished(server.url, id)).toMatchObject({ status: 'completed', error: null });
      const made = luma.tasks.all().filter((t) => t.params.prompt === prompt);
      expect(made).toHaveLength(1);
      expect((await row(b, id))!.provider_job_id).toBe(made[0]!.id);
    });

    it('fails a paid video it cannot look up (Kling) rather than send it twice', async () => {
      const b = processBackend(backend, 'melies-lost-create-kling-');
      backends.push(b);
      const first = await serveProcess(b.dataDir, env(b), { onSpawn: (p) => started.push(p) });
      const before = kling.tasks.all().length;
      kling.server.faults.once('create', { kind: 'lost_answer', afterMs: 60_000 });
      const id = await create(first.url, { model: 'kling/kling-v2-5-turbo', prompt: `a lantern on a river ${backend}`, seconds: '5', size: '1280x720' });
      await waitFor(async () => kling.tasks.all().slice(before).length, (n) => n === 1, 30_000, 20);
      await waitFor(() => row(b, id), (r) => Boolean(r?.submit_claim), 10_000, 20);
      first.child.kill('SIGKILL');
      await first.exited;
      await claimRunsOut(b, id);

      const second = await serveProcess(b.dataDir, env(b), { onSpawn: (p) => started.push(p) });
      const done = await finished(second.url, id);
      expect(done.status).toBe('failed');
      expect(done.error?.code).toBe('provider_submit_uncertain');
      expect(done.error?.message).toMatch(/did not send it again/);
      expect(kling.tasks.all().slice(before)).toHaveLength(1);
    });
  });
}
