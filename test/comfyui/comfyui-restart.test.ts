// Méliès killed (SIGKILL, a real child process) while a fake GPU is working on its prompt: the
// restarted Méliès re-attaches to the stored prompt id and finishes the video without submitting
// again (the fake counts every POST /prompt), and ComfyUI's progress keeps arriving.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promptIdFor } from '../../src/engines/comfyui/job-id.js';
import type { FakeComfyUI } from '../fakes/comfyui/fake-comfyui.server.js';
import { probeBytes } from '../helpers/media.js';
import { serveProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/server.js';
import { startFake } from './helpers.js';

let fake: FakeComfyUI;
beforeAll(async () => { fake = await startFake({ stepMs: 80, maxSteps: 30 }); });
afterAll(async () => { await fake?.stop(); });

const get = async (url: string, id: string) => (await (await fetch(`${url}/v1/videos/${id}`)).json()) as { status: string; progress: number; error: unknown };

function row(dataDir: string, id: string): Record<string, any> {
  const db = new SQLite(join(dataDir, 'melies.db'), { readonly: true });
  try { return db.prepare('select * from videos where id = ?').get(id) as Record<string, any>; } finally { db.close(); }
}

describe('Méliès restarts while ComfyUI works', () => {
  it('re-attaches to the running prompt after SIGKILL, with no second submit', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'melies-comfy-kill-'));
    const configFile = join(dataDir, 'melies.config.json');
    writeFileSync(configFile, JSON.stringify({ comfyui: { servers: [{ url: fake.url, label: 'gpu-1' }], healthIntervalMs: 300, historyPollMs: 300 } }));
    const env = { MELIES_JOB_POLL_MS: '50', MELIES_CONFIG: configFile, MELIES_JOB_LEASE_SECONDS: '30' };
    const first = await serveProcess(dataDir, env);
    const res = await fetch(`${first.url}/v1/videos`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'comfyui/wan2.2-ti2v-5b-t2v', prompt: 'a paper boat on a canal', seconds: '2', size: '256x256' }),
    });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    const promptId = promptIdFor(id, 1);
    const before = await waitFor(() => get(first.url, id), (v) => v.status === 'in_progress' && v.progress >= 15, 30_000, 50);
    expect(fake.worker.running?.item[1]).toBe(promptId);
    // The GPU stalls while Méliès is down, so the restarted one can be seen following its progress.
    fake.faults.hold = true;
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(row(dataDir, id)).toMatchObject({ status: 'in_progress', provider_job_id: `1:${promptId}@${fake.url}` });
    expect(fake.stats.promptPosts).toBe(1);

    const second = await serveProcess(dataDir, env);
    try {
      await waitFor(() => get(second.url, id), (v) => v.status === 'in_progress', 30_000, 50);
      fake.faults.hold = false;
      const seen: number[] = [];
      const done = await waitFor(() => get(second.url, id), (v) => { seen.push(v.progress); return v.status === 'completed' || v.status === 'failed'; }, 60_000, 50);
      expect(done.status).toBe('completed');
      expect(done.error).toBeNull();
      // The same prompt finished; nothing was submitted again.
      expect(fake.stats.promptPosts).toBe(1);
      expect(fake.stats.accepted).toEqual([promptId]);
      expect(fake.stats.executions.map((e) => [e.promptId, e.outcome])).toEqual([[promptId, 'success']]);
      // Progress went on from where it was, and only up.
      expect(seen.every((p, i) => p >= before.progress && (i === 0 || p >= seen[i - 1]!))).toBe(true);
      expect(seen.some((p) => p > before.progress && p < 90)).toBe(true);
      const p = await probeBytes(await (await fetch(`${second.url}/v1/videos/${id}/content`)).arrayBuffer());
      expect(p.video).toMatchObject({ codec: 'h264', width: 256, height: 256, fps: 24, frames: 48 });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
