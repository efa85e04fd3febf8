// The job runner on the real queue (SQLite and PostgreSQL), with engines that fail the ways tools
// and providers do: a result ffmpeg cannot read (retried, then given up), a refusal whose message
// names a server path, a crash quoting a server secret. The owner's message never carries a server
// path, ffmpeg's output or a secret; the operator's detail has the path and the tool's words; no
// secret reaches the row, the queue's table or a log line.
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/domain/errors.js';
import { newVideoId } from '../../src/domain/ids.js';
import { Redactor } from '../../src/domain/redaction.js';
import { isTerminal, type Video } from '../../src/domain/video.js';
import type { Database } from '../../src/db/database.js';
import { testDatabases } from '../../src/db/test-databases.js';
import { VideoRepo } from '../../src/db/video.repo.js';
import type { Engine, EngineContext } from '../../src/engines/engine.js';
import { SKETCH_CARD } from '../../src/engines/sketch/sketch.card.js';
import { makeGenerateVideoJob } from '../../src/jobs/generate-video.job.js';
import { EmbeddedQueue } from '../../src/queue/embedded/embedded.queue.js';
import { wireVideo } from '../../src/services/video.wire.js';
import { LocalBlobStore } from '../../src/storage/local/local.blob-store.js';
import { bins } from '../helpers/media.js';
import { leaked } from '../helpers/leaks.js';

const SECRET = 'sk-live-server-secret-5d7c1a9e3b';
const MEMBER = { scopes: ['videos:read', 'videos:write'] } as const;
const ADMIN = { scopes: ['videos:read', 'videos:write', 'admin'] } as const;

type Behaviour = 'not-a-video' | 'refusal-with-path' | 'crash-with-secret';

/** A local engine that fails as asked, inside the work folder the job gave it. */
class FailingEngine implements Engine {
  readonly id = 'local';
  models() {
    return (['not-a-video', 'refusal-with-path', 'crash-with-secret'] as const).map((b) => ({ ...SKETCH_CARD, id: `local/${b}`, engine: 'local' }));
  }
  async submit(job: { model: string }, ctx: EngineContext): Promise<{ kind: 'completed'; file: string }> {
    const file = join(ctx.workDir, 'out.mp4');
    const b = job.model.slice('local/'.length) as Behaviour;
    if (b === 'refusal-with-path') throw new EngineError('engine_error', `the renderer could not open ${file}: permission denied`);
    if (b === 'crash-with-secret') throw new Error(`upstream answered 'bad token ${SECRET}' (${Buffer.from(`u:${SECRET}`).toString('base64')}) for ${file}`);
    await writeFile(file, 'this is not a video at all');
    return { kind: 'completed', file };
  }
}

for (const target of await testDatabases()) {
  describe(`failed videos keep server paths, tool output and secrets from their owner (${target.name})`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let repo: VideoRepo;
    let root: string;
    let queue: EmbeddedQueue;
    const logs: string[] = [];
    const log = (level: string, msg: string, extra?: Record<string, unknown>) => { logs.push(JSON.stringify({ level, msg, ...extra })); };

    beforeAll(async () => {
      ({ db, close } = await target.open());
      repo = new VideoRepo(db);
      root = mkdtempSync(join(tmpdir(), 'melies-error-detail-'));
      queue = new EmbeddedQueue(db, { leaseMs: 10_000, pollIntervalMs: 20, maxAttempts: 2, retryBaseMs: 10, log });
      const redactor = new Redactor([SECRET]);
      queue.process({
        concurrency: 2,
        ...makeGenerateVideoJob({
          videos: repo, engineFor: () => new FailingEngine(), storage: new LocalBlobStore(join(root, 'blobs')), publish: () => {},
          media: bins, workRoot: join(root, 'work'), log, redact: (t) => redactor.redact(t),
        }),
      });
    });
    afterAll(async () => {
      await queue.close({ graceMs: 0 });
      await close();
      rmSync(root, { recursive: true, force: true });
    });

    async function failed(behaviour: Behaviour): Promise<Video> {
      const v: Video = {
        id: newVideoId(), model: `local/${behaviour}`, engine: 'local', status: 'queued', progress: 0, prompt: 'a kite over dunes', seconds: 1, width: 320, height: 180,
        fps: 12, seed: 1, inputReferenceKey: null, remixedFromVideoId: null, negativePrompt: null, favorite: false, ownerId: 'usr_local', error: null, providerJobId: null, plan: null, output: null,
        createdAt: Date.now(), startedAt: null, completedAt: null, expiresAt: null, updatedAt: Date.now(),
      };
      await repo.insert(v);
      await queue.enqueue(v.id);
      for (let i = 0; i < 600; i++) {
        const now = (await repo.get(v.id))!;
        if (isTerminal(now.status)) return now;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`video ${v.id} did not finish`);
    }

    const serverText = /\/tmp\/|melies-error-detail|\/work\/|ffprobe|ffmpeg|Invalid data|exited with/i;

    it("a result ffprobe cannot read: after the retries the owner reads a neutral message; the operator, ffprobe's words and the path", async () => {
      const v = await failed('not-a-video');
      expect(v.error!.code).toBe('generation_failed');
      expect(v.error!.message).not.toMatch(serverText);
      expect(v.error!.detail).toContain(join(root, 'work', v.id));
      expect(v.error!.detail).toMatch(/ffprobe exited with \d+: .*Invalid data found when processing input/s);
      expect(wireVideo(v, { viewer: MEMBER }).error).toEqual({ code: 'generation_failed', message: v.error!.message });
      expect(wireVideo(v, { viewer: ADMIN }).error).toEqual({ code: 'generation_failed', message: v.error!.message, detail: v.error!.detail });
    });

    it('a refusal whose message names a server path: the path goes to the detail, the owner reads a neutral sentence', async () => {
      const v = await failed('refusal-with-path');
      expect(v.error!.code).toBe('engine_error');
      expect(v.error!.message).not.toMatch(serverText);
      expect(v.error!.message).toMatch(/could not be made/);
      expect(v.error!.detail).toMatch(new RegExp(`the renderer could not open ${join(root, 'work', v.id)}/.+/out\\.mp4: permission denied`));
    });

    it("a crash quoting a server secret: not in the row, the queue's table or the logs, in any form", async () => {
      const v = await failed('crash-with-secret');
      expect(v.error!.message).not.toMatch(serverText);
      expect(v.error!.detail).toContain("upstream answered 'bad token [redacted]'");
      const row = await db.selectFrom('videos').select(['error_message', 'error_detail']).where('id', '=', v.id).executeTakeFirstOrThrow();
      const jobs = await db.selectFrom('queue_jobs').selectAll().execute(); // a given-up job's row is gone; any other's last_error is here
      expect(logs.join('\n')).toContain("upstream answered 'bad token [redacted]'"); // the queue logged the failure, redacted
      expect(leaked(JSON.stringify([row, jobs, logs]), [SECRET])).toEqual([]);
    });
  });
}
