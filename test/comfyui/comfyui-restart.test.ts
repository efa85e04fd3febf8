// Méliès killed (SIGKILL, a real child process) while a fake GPU is working on its prompt: the
// restarted Méliès re-attaches to the stored prompt id and finishes the video without submitting
// again (the fake counts every POST /prompt), and ComfyUI's progress keeps arriving. On SQLite and
// on PostgreSQL (a throwaway schema); the stored state is read through Kysely on that database.
// The fake's sampler is held at chosen steps, so every moment the test looks at is certain.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, openSqlite, type Database } from '../../src/db/database.js';
import { postgresUrl } from '../../src/db/test-databases.js';
import { promptIdFor } from '../../src/engines/comfyui/job-id.js';
import type { FakeComfyUI } from '../fakes/comfyui/fake-comfyui.server.js';
import { accountBackends } from '../helpers/accounts.js';
import { runMelies, type MeliesProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/server.js';
import { probeBytes, removeTempDirs, startFake, tempDir } from './helpers.js';
import { dropSchema } from '../../src/db/migrator.js';

/**
 * `melies serve` as a child process, with its own temp folder (tsx keeps its compile cache there;
 * removed after this file) and a longer start-up wait than the shared helper's 30 s: a child
 * compiling and migrating on a loaded two-core machine took more.
 */
async function serveProcess(dataDir: string, env: Record<string, string>): Promise<MeliesProcess & { url: string }> {
  const p = runMelies(['serve', '--port', '0', '--data-dir', dataDir], { TMPDIR: childTmp, ...env });
  const seen = await waitFor(async () => /listening on (http:\/\/\S+)/.exec(p.output())?.[1] ?? (p.child.exitCode !== null ? 'exited' : ''), Boolean, 120_000, 50);
  if (seen === 'exited') throw new Error(`melies serve exited:\n${p.output()}`);
  return { ...p, url: seen };
}

let childTmp = '';
beforeAll(() => { childTmp = mkdtempSync(join(tmpdir(), 'comfy-kill-tmp-')); });
afterAll(() => rmSync(childTmp, { recursive: true, force: true }));

const get = async (url: string, id: string) => (await (await fetch(`${url}/v1/videos/${id}`)).json()) as { status: string; progress: number; error: unknown };

/** Where one Méliès process keeps its state, and a Kysely connection to read it. */
function store(backend: 'sqlite' | 'postgres', dataDir: string) {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const file = join(dataDir, 'melies.db');
  return {
    databaseUrl: backend === 'postgres' ? `${postgresUrl}?schema=${schema}` : `sqlite:${file}`,
    open: (): Promise<Database> => (backend === 'postgres' ? openPostgres(postgresUrl, { searchPath: schema, max: 1 }) : openSqlite(file)),
    async row(id: string) {
      const db = await this.open();
      try { return await db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirstOrThrow(); } finally { await db.destroy(); }
    },
    async drop() {
      if (backend !== 'postgres') return;
      const admin = await openPostgres(postgresUrl, { max: 1 });
      try { await dropSchema(admin, schema); } finally { await admin.destroy(); }
    },
  };
}

for (const backend of await accountBackends()) {
  describe(`Méliès restarts while ComfyUI works (${backend})`, () => {
    let fake: FakeComfyUI;
    beforeAll(async () => { fake = await startFake({ stepMs: 5, maxSteps: 30 }); });
    afterAll(async () => { await fake?.stop(); });
    afterEach(() => removeTempDirs());

    it('re-attaches to the running prompt after SIGKILL, with no second submit', { timeout: 180_000 }, async () => {
      const dataDir = tempDir('melies-comfy-kill-');
      const state = store(backend, dataDir);
      const configFile = join(dataDir, 'melies.config.json');
      writeFileSync(configFile, JSON.stringify({ comfyui: { servers: [{ url: fake.url, label: 'gpu-1' }], healthIntervalMs: 300, historyPollMs: 300 } }));
      const env = { MELIES_JOB_POLL_MS: '50', MELIES_CONFIG: configFile, MELIES_JOB_LEASE_SECONDS: '30', DATABASE_URL: state.databaseUrl };
      const connects = () => Object.values(fake.stats.socketConnects).reduce((n, k) => n + k, 0);
      const started: MeliesProcess[] = [];
      const serve = async () => { const p = await serveProcess(dataDir, env); started.push(p); return p; };
      try {
        // The GPU will stop after step 8 of 30: Méliès is killed in the middle of sampling.
        fake.faults.holdAtStep = 8;
        const first = await serve();
        const res = await fetch(`${first.url}/v1/videos`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'comfyui/wan2.2-ti2v-5b-t2v', prompt: 'a paper boat on a canal', seconds: '2', size: '256x256' }),
        });
        expect(res.status).toBe(200);
        const { id } = (await res.json()) as { id: string };
        const promptId = promptIdFor(id, 1);
        await waitFor(async () => fake.worker.running, (r) => r?.item[1] === promptId && r.step === 8, 30_000, 20);
        const before = await waitFor(() => get(first.url, id), (v) => v.status === 'in_progress' && v.progress >= 15, 30_000, 50);
        first.child.kill('SIGKILL');
        expect((await first.exited).signal).toBe('SIGKILL');
        expect(await state.row(id)).toMatchObject({ status: 'in_progress', provider_job_id: `1:${promptId}@${fake.url}` });
        expect(fake.stats.promptPosts).toBe(1);
        // The state is where DATABASE_URL put it: no SQLite file when on PostgreSQL.
        expect(existsSync(join(dataDir, 'melies.db'))).toBe(backend === 'sqlite');

        const socketsBefore = connects();
        const historyReads = () => fake.stats.requests.filter((r) => r === `GET /history/${promptId}`).length;
        const readsBefore = historyReads();
        const second = await serve();
        try {
          // The new process follows the prompt (it asked ComfyUI about it) on a new socket…
          await waitFor(async () => ({ h: historyReads(), c: connects() }), ({ h, c }) => h > readsBefore && c > socketsBefore, 30_000, 20);
          expect((await get(second.url, id)).status).toBe('in_progress');
          // …so the progress of steps 9 to 20 reaches it: above where it was, below the end.
          fake.faults.holdAtStep = 20;
          const seen: number[] = [];
          const moved = await waitFor(() => get(second.url, id), (v) => { seen.push(v.progress); return v.progress > before.progress; }, 30_000, 50);
          expect(moved.progress).toBeLessThan(90);
          fake.faults.holdAtStep = null;
          const done = await waitFor(() => get(second.url, id), (v) => { seen.push(v.progress); return v.status === 'completed' || v.status === 'failed'; }, 60_000, 50);
          expect(done.status).toBe('completed');
          expect(done.error).toBeNull();
          // The same prompt finished; nothing was submitted again.
          expect(fake.stats.promptPosts).toBe(1);
          expect(fake.stats.accepted).toEqual([promptId]);
          expect(fake.stats.executions.map((e) => [e.promptId, e.outcome])).toEqual([[promptId, 'success']]);
          // Progress went on from where it was, and only up.
          expect(seen.every((p, i) => p >= before.progress && (i === 0 || p >= seen[i - 1]!))).toBe(true);
          expect(await state.row(id)).toMatchObject({ status: 'completed', provider_job_id: `1:${promptId}@${fake.url}` });
          const p = await probeBytes(await (await fetch(`${second.url}/v1/videos/${id}/content`)).arrayBuffer());
          expect(p.video).toMatchObject({ codec: 'h264', width: 256, height: 256, fps: 24, frames: 48 });
        } finally {
          second.child.kill('SIGTERM');
          await second.exited;
        }
      } finally {
        fake.faults.holdAtStep = null;
        for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) { p.child.kill('SIGKILL'); await p.exited; }
        await state.drop();
      }
    });
  });
}
