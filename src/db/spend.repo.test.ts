// The spend ledger on SQLite and PostgreSQL: reservations never add up past a cap, even fifty at
// once; they are idempotent per video, move between engines, and are released or settled by the
// video's fate (VideoRepo.fail / complete / delete).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVideoId } from '../domain/ids.js';
import type { Video } from '../domain/video.js';
import type { Database } from './database.js';
import { SpendRepo, spendDay } from './spend.repo.js';
import { testDatabases } from './test-databases.js';
import { VideoRepo } from './video.repo.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');

for (const target of await testDatabases()) {
  describe(`spend ledger (${target.name})`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let spend: SpendRepo;
    beforeAll(async () => {
      ({ db, close } = await target.open());
      spend = new SpendRepo(db);
    });
    afterAll(async () => close());

    const reserve = (videoId: string, engine: string, usdMicros: number, capMicros: number | null, now = NOW, model = `${engine}/m`) =>
      spend.reserve({ videoId, engine, model, usdMicros, capMicros, now });

    it('fifty concurrent reservations against a cap for three admit exactly three', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => reserve(newVideoId(), 'capped', 1_000_000, 3_000_000)));
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      const refused = results.find((r) => !r.ok)!;
      expect(refused).toEqual({ ok: false, spentMicros: 3_000_000, capMicros: 3_000_000, day: '2026-11-20' });
      expect(await spend.spentOn('capped', NOW)).toBe(3_000_000);
    });

    it('is idempotent per video and counts a new day from zero', async () => {
      const id = newVideoId();
      expect((await reserve(id, 'daily', 2_000_000, 2_500_000)).ok).toBe(true);
      expect((await reserve(id, 'daily', 2_000_000, 2_500_000)).ok).toBe(true);
      expect(await spend.spentOn('daily', NOW)).toBe(2_000_000);
      expect((await reserve(newVideoId(), 'daily', 1_000_000, 2_500_000)).ok).toBe(false);
      const tomorrow = NOW + 86_400_000;
      expect(spendDay(tomorrow)).toBe('2026-11-21');
      expect((await reserve(newVideoId(), 'daily', 1_000_000, 2_500_000, tomorrow)).ok).toBe(true);
    });

    it('moves a reservation to a fallback engine, and leaves it where it was if the fallback is full', async () => {
      const id = newVideoId();
      await reserve(id, 'primary', 1_000_000, null);
      expect((await reserve(newVideoId(), 'full', 5_000_000, 5_000_000)).ok).toBe(true);
      expect((await reserve(id, 'full', 1_000_000, 5_000_000)).ok).toBe(false);
      expect(await spend.entry(id)).toMatchObject({ engine: 'primary', state: 'reserved' });
      expect(await spend.spentOn('primary', NOW)).toBe(1_000_000);
      expect((await reserve(id, 'fallback', 700_000, 1_000_000)).ok).toBe(true);
      expect(await spend.spentOn('primary', NOW)).toBe(0);
      expect(await spend.spentOn('fallback', NOW)).toBe(700_000);
      expect(await spend.entry(id)).toMatchObject({ engine: 'fallback', usdMicros: 700_000 });
    });

    it('follows the video: submitted then completed is charged; a provider failure releases; a cancel after submit keeps it', async () => {
      let t = NOW;
      const videos = new VideoRepo(db, () => t);
      const make = async (): Promise<Video> => {
        const v: Video = {
          id: newVideoId(), ownerId: 'usr_local', model: 'x/m', engine: 'x', status: 'queued', progress: 0, prompt: 'p', seconds: 4, width: 320, height: 180, fps: 24, seed: 1,
          inputReferenceKey: null, remixedFromVideoId: null, error: null, plan: null, providerJobId: null, madeByModel: null, costUsdMicros: null, output: null,
          negativePrompt: null, favorite: false, createdAt: t, startedAt: null, completedAt: null, expiresAt: null, updatedAt: t,
        };
        await videos.insert(v);
        await reserve(v.id, 'ledger', 1_000_000, null, t);
        await videos.markStarted(v.id);
        return v;
      };
      const done = await make();
      await videos.markSubmitted(done.id, 'p-1', { model: 'ledger/m', engine: 'ledger', costUsdMicros: 1_000_000 });
      expect(await spend.entry(done.id)).toMatchObject({ state: 'submitted' });
      await videos.complete(done.id, { videoKey: 'v', thumbnailKey: 't', spritesheetKey: 's', bytes: 1, sha256: 'x' }, { expiresAt: null });
      expect(await spend.entry(done.id)).toMatchObject({ state: 'charged' });
      expect(await videos.get(done.id)).toMatchObject({ madeByModel: 'ledger/m', engine: 'ledger', costUsdMicros: 1_000_000 });

      const refused = await make();
      await videos.markSubmitted(refused.id, 'p-2');
      await videos.fail(refused.id, { code: 'content_policy_violation', message: 'no' });
      expect(await spend.entry(refused.id)).toMatchObject({ state: 'released' });

      const cancelled = await make();
      await videos.markSubmitted(cancelled.id, 'p-3');
      await videos.fail(cancelled.id, { code: 'cancelled', message: 'by the user' });
      expect(await spend.entry(cancelled.id)).toMatchObject({ state: 'submitted' });

      const deleted = await make();
      await videos.delete(deleted.id);
      expect(await spend.entry(deleted.id)).toMatchObject({ state: 'released' });
      // Charged 1 (done) + kept 1 (cancelled after submit); the rest was given back.
      expect(await spend.spentOn('ledger', t)).toBe(2_000_000);
      t += 1;
    });

    it('markWaiting puts a started video back to queued only while nothing was submitted', async () => {
      const videos = new VideoRepo(db);
      const v = { id: newVideoId(), ownerId: 'usr_local', model: 'x/m', engine: 'x', status: 'queued' as const, progress: 0, prompt: 'p', seconds: 4, width: 320, height: 180, fps: 24, seed: 1,
        inputReferenceKey: null, remixedFromVideoId: null, error: null, plan: null, providerJobId: null, output: null, negativePrompt: null, favorite: false,
        createdAt: NOW, startedAt: null, completedAt: null, expiresAt: null, updatedAt: NOW };
      await videos.insert(v);
      await videos.markStarted(v.id);
      expect((await videos.markWaiting(v.id))?.status).toBe('queued');
      await videos.markStarted(v.id);
      await videos.markSubmitted(v.id, 'p');
      expect(await videos.markWaiting(v.id)).toBeNull();
      expect((await videos.get(v.id))!.status).toBe('in_progress');
    });
  });
}
