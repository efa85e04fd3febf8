// Durability with real processes: SIGKILL mid-generation loses nothing (the job resumes after
// restart and the stored file matches the row's sha256); SIGTERM drains (running jobs finish or
// are released) and exits 0.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { probeBytes } from '../helpers/media.js';
import { serveProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/server.js';

const fast = { MELIES_JOB_POLL_MS: '50', MELIES_SKETCH_X264_PRESET: 'ultrafast' };

async function create(url: string, body: Record<string, string>) {
  const res = await fetch(`${url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string };
}
const get = async (url: string, id: string) => (await (await fetch(`${url}/v1/videos/${id}`)).json()) as { status: string; progress: number };

function row(dataDir: string, id: string) {
  const db = new SQLite(join(dataDir, 'melies.db'), { readonly: true });
  try {
    return {
      video: db.prepare('select * from videos where id = ?').get(id) as Record<string, any>,
      job: db.prepare('select * from queue_jobs where video_id = ?').get(id) as Record<string, any> | undefined,
    };
  } finally {
    db.close();
  }
}

describe('durability', () => {
  it('resumes a job after SIGKILL mid-generation; the file matches the row', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'melies-kill-'));
    const first = await serveProcess(dataDir, fast);
    const { id } = await create(first.url, { prompt: 'a long train across a plain', seconds: '20', size: '1280x720' });
    await waitFor(() => get(first.url, id), (v) => v.status === 'in_progress' && v.progress >= 10, 60_000, 50);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(row(dataDir, id).video.status).toBe('in_progress');
    expect(row(dataDir, id).job?.state).toBe('active');

    const second = await serveProcess(dataDir, fast);
    try {
      const done = await waitFor(() => get(second.url, id), (v) => v.status === 'completed' || v.status === 'failed', 120_000, 200);
      expect(done.status).toBe('completed');
      const { video, job } = row(dataDir, id);
      expect(job).toBeUndefined();
      const onDisk = readFileSync(join(dataDir, 'blobs', video.video_key));
      expect(createHash('sha256').update(onDisk).digest('hex')).toBe(video.video_sha256);
      const served = Buffer.from(await (await fetch(`${second.url}/v1/videos/${id}/content`)).arrayBuffer());
      expect(served.equals(onDisk)).toBe(true);
      const p = await probeBytes(served);
      expect(p.video).toMatchObject({ width: 1280, height: 720, frames: 480 });
      // Nothing half-written is left in the store's temp area or the work folder.
      expect(readdirSync(join(dataDir, 'blobs', '.tmp'))).toEqual([]);
      expect(existsSync(join(dataDir, 'work', id))).toBe(false);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('drains on SIGTERM: a running job finishes, then the process exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'melies-term-'));
    const server = await serveProcess(dataDir, fast);
    const { id } = await create(server.url, { prompt: 'a short clip', seconds: '3', size: '640x360' });
    await waitFor(() => get(server.url, id), (v) => v.status === 'in_progress', 30_000, 20);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(row(dataDir, id).video.status).toBe('completed');
  });

  it('releases a job that outlasts the grace period; it completes after restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'melies-release-'));
    const env = { ...fast, MELIES_SHUTDOWN_GRACE_SECONDS: '0.2' };
    const server = await serveProcess(dataDir, env);
    const { id } = await create(server.url, { prompt: 'a very long pan', seconds: '20', size: '1280x720' });
    await waitFor(() => get(server.url, id), (v) => v.status === 'in_progress' && v.progress > 0, 30_000, 20);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const released = row(dataDir, id);
    expect(released.job).toMatchObject({ state: 'queued', attempts: 0, lease_owner: null });

    const again = await serveProcess(dataDir, { ...fast });
    try {
      const done = await waitFor(() => get(again.url, id), (v) => v.status === 'completed' || v.status === 'failed', 120_000, 200);
      expect(done.status).toBe('completed');
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});
