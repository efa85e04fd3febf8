// A real Méliès process killed with SIGKILL after Kling accepted the job and before it finished:
// the restarted process polls the stored task (the fake counts exactly one create, ever) and
// delivers the video. The JWT is signed again by the new process from the same keys.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKlingFake } from '../fakes/kling/kling.fake.js';
import { probeBytes } from '../helpers/media.js';
import { serveProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/server.js';

const ACCESS = 'ak-durability-0c0ffee';
const SECRET = 'sk-durability-secret-9f8e7d';
let fake: Awaited<ReturnType<typeof startKlingFake>>;
beforeAll(async () => { fake = await startKlingFake({ accessKey: ACCESS, secretKey: SECRET, renderMs: 400 }); });
afterAll(async () => fake?.stop());

const row = (dataDir: string, id: string) => {
  const db = new SQLite(join(dataDir, 'melies.db'), { readonly: true });
  try { return db.prepare('select status, provider_job_id, engine from videos where id = ?').get(id) as { status: string; provider_job_id: string | null; engine: string }; } finally { db.close(); }
};
const get = async (url: string, id: string) => (await (await fetch(`${url}/v1/videos/${id}`)).json()) as { status: string; error: unknown };

describe('cloud durability', () => {
  it('resumes polling after SIGKILL between submit and completion, never creating twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'melies-cloud-kill-'));
    const env = { KLING_ACCESS_KEY: ACCESS, KLING_SECRET_KEY: SECRET, MELIES_KLING_BASE_URL: fake.baseUrl, MELIES_CLOUD_POLL_MS: '50' };
    fake.tasks.holdNew = true;
    const first = await serveProcess(dataDir, env);
    const res = await fetch(`${first.url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'kling/kling-v2-5-turbo', prompt: 'a night train through snow', seconds: '5', size: '1280x720' }) });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    await waitFor(async () => row(dataDir, id), (r) => Boolean(r?.provider_job_id), 30_000, 50);
    await waitFor(async () => fake.server.count('poll'), (n) => n >= 2, 30_000, 20); // it is polling a running task
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const killed = row(dataDir, id);
    expect(killed).toMatchObject({ status: 'in_progress', engine: 'kling', provider_job_id: expect.stringMatching(/^text2video:\d+$/) });
    expect(fake.server.count('create')).toBe(1);

    const polledBefore = fake.server.count('poll');
    const second = await serveProcess(dataDir, env);
    try {
      fake.tasks.release();
      const done = await waitFor(() => get(second.url, id), (v) => v.status === 'completed' || v.status === 'failed', 60_000, 100);
      expect(done).toMatchObject({ status: 'completed', error: null });
      expect(fake.server.count('create')).toBe(1);
      expect(fake.server.count('poll')).toBeGreaterThan(polledBefore);
      expect(row(dataDir, id).provider_job_id).toBe(killed.provider_job_id);
      const p = await probeBytes(await (await fetch(`${second.url}/v1/videos/${id}/content`)).arrayBuffer());
      expect(p.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
      expect(p.durationSeconds).toBeCloseTo(5, 1);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
