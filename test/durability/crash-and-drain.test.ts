// Durability with real processes, on SQLite and on PostgreSQL: SIGKILL mid-generation loses
// nothing (the job resumes after restart and the stored file matches the row's sha256); SIGTERM
// drains (running jobs finish or are released) and exits 0.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeBytes } from '../helpers/media.js';
import { processBackend, processBackends, withDb, type BackendName, type ProcessBackend } from '../helpers/process-backends.js';
import { serveProcess, stopProcess, type MeliesProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/server.js';

const fast = { MELIES_JOB_POLL_MS: '50', MELIES_SKETCH_X264_PRESET: 'ultrafast' };

async function create(url: string, body: Record<string, string>) {
  const res = await fetch(`${url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string };
}
const get = async (url: string, id: string) => (await (await fetch(`${url}/v1/videos/${id}`)).json()) as { status: string; progress: number };

/** The video's row and its queue job (undefined once finished), read from the database the process used. */
const row = (b: ProcessBackend, id: string) => withDb(b, async (db) => ({
  video: await db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  job: await db.selectFrom('queue_jobs').selectAll().where('video_id', '=', id).executeTakeFirst(),
}));

// Whatever a test started is stopped and removed, whether it passed or not: processes first
// (SIGKILL if still running), then their data directory and schema.
const started: MeliesProcess[] = [];
const backends: ProcessBackend[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) await stopProcess(p);
  for (const b of backends.splice(0)) await b.dispose();
});
function backendFor(name: BackendName, prefix: string): ProcessBackend {
  const b = processBackend(name, prefix);
  backends.push(b);
  return b;
}
async function serve(b: ProcessBackend, env: Record<string, string> = {}) {
  const p = await serveProcess(b.dataDir, { ...fast, ...b.env, ...env }, { onSpawn: (child) => started.push(child) });
  return p;
}

for (const backend of await processBackends()) {
  describe(`durability on ${backend}`, () => {
    it('resumes a job after SIGKILL mid-generation; the file matches the row', async () => {
      const b = backendFor(backend, 'melies-kill-');
      const first = await serve(b);
      const { id } = await create(first.url, { prompt: 'a long train across a plain', seconds: '10', size: '640x360' });
      await waitFor(() => get(first.url, id), (v) => v.status === 'in_progress' && v.progress >= 10, 60_000, 50);
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      const killed = await row(b, id);
      expect(killed.video.status).toBe('in_progress');
      expect(killed.job?.state).toBe('active');

      const second = await serve(b);
      const done = await waitFor(() => get(second.url, id), (v) => v.status === 'completed' || v.status === 'failed', 120_000, 200);
      expect(done.status).toBe('completed');
      // The row says completed a moment before the queue forgets the job (the handler writes the
      // outcome, then returns): once it has, nothing of the job is left.
      const { video } = await waitFor(() => row(b, id), (r) => r.job === undefined, 30_000, 50);
      const onDisk = readFileSync(join(b.dataDir, 'blobs', video.video_key!));
      expect(createHash('sha256').update(onDisk).digest('hex')).toBe(video.video_sha256);
      const served = Buffer.from(await (await fetch(`${second.url}/v1/videos/${id}/content`)).arrayBuffer());
      expect(served.equals(onDisk)).toBe(true);
      const p = await probeBytes(served);
      expect(p.video).toMatchObject({ codec: 'h264', width: 640, height: 360, frames: 240 });
      // Nothing half-written is left in the store's temp area or the work folder.
      expect(readdirSync(join(b.dataDir, 'blobs', '.tmp'))).toEqual([]);
      expect(existsSync(join(b.dataDir, 'work', id))).toBe(false);
    });

    it('drains on SIGTERM: a running job finishes, then the process exits 0', async () => {
      const b = backendFor(backend, 'melies-term-');
      const server = await serve(b);
      const { id } = await create(server.url, { prompt: 'a short clip', seconds: '3', size: '640x360' });
      await waitFor(() => get(server.url, id), (v) => v.status === 'in_progress', 30_000, 20);
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      const { video, job } = await row(b, id);
      expect(video.status).toBe('completed');
      expect(job).toBeUndefined();
    });

    it('releases a job that outlasts the grace period; it completes after restart', async () => {
      const b = backendFor(backend, 'melies-release-');
      const server = await serve(b, { MELIES_SHUTDOWN_GRACE_SECONDS: '0.2' });
      const { id } = await create(server.url, { prompt: 'a very long pan', seconds: '10', size: '640x360' });
      await waitFor(() => get(server.url, id), (v) => v.status === 'in_progress' && v.progress > 0, 30_000, 20);
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect((await row(b, id)).job).toMatchObject({ state: 'queued', attempts: 0, lease_owner: null });

      const again = await serve(b);
      const done = await waitFor(() => get(again.url, id), (v) => v.status === 'completed' || v.status === 'failed', 120_000, 200);
      expect(done.status).toBe('completed');
    });
  });
}
