import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVideoId } from '../domain/ids.js';
import type { Video } from '../domain/video.js';
import type { Database } from './database.js';
import { testDatabases } from './test-databases.js';
import { VideoRepo } from './video.repo.js';

function makeVideo(over: Partial<Video> = {}): Video {
  return {
    id: newVideoId(), model: 'sketch', engine: 'sketch', status: 'queued', progress: 0, prompt: 'a lighthouse',
    seconds: 4, width: 320, height: 180, fps: 24, seed: 4294967295, inputReferenceKey: null, remixedFromVideoId: null, negativePrompt: null, favorite: false, ownerId: 'usr_local',
    error: null, providerJobId: null, madeByModel: null, costUsdMicros: null, plan: null, output: null, createdAt: 1_700_000_000_000, startedAt: null, completedAt: null,
    expiresAt: null, updatedAt: 1_700_000_000_000, ...over,
  };
}

const output = { videoKey: 'v.mp4', thumbnailKey: 't.webp', spritesheetKey: 's.jpg', bytes: 123456, sha256: 'ab'.repeat(32) };

for (const target of await testDatabases()) {
  describe(`VideoRepo on ${target.name}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let repo: VideoRepo;
    beforeAll(async () => {
      ({ db, close } = await target.open());
      repo = new VideoRepo(db);
    });
    afterAll(async () => close());

    it('round-trips every field, including a seed above 2^31', async () => {
      const v = makeVideo({ remixedFromVideoId: newVideoId(), inputReferenceKey: 'inputs/x.png', plan: { shots: [{ setting: 'sea', subjects: ['lighthouse'] }] } });
      await repo.insert(v);
      expect(await repo.get(v.id)).toEqual(v);
      expect(await repo.get(newVideoId())).toBeNull();
    });

    it('round-trips an extension: its kind and its source (0018), and lists it among its source\'s children', async () => {
      const source = makeVideo();
      const v = makeVideo({ kind: 'extension', sourceVideoId: source.id, seconds: 8 });
      await repo.insert(source);
      await repo.insert(v);
      expect(await repo.get(v.id)).toEqual(v);
      expect((await repo.get(source.id))!.kind).toBeUndefined();
      expect((await repo.listRemixesOf(source.id)).map((c) => c.id)).toEqual([v.id]);
    });

    it('searches the library: filters, words in any case, wildcards taken literally, cursor pages', async () => {
      const tag = `t${Date.now().toString(36)}`; // this test's rows only, whatever else the table holds
      const rows = [
        makeVideo({ prompt: `${tag} A Red Balloon`, createdAt: 1, status: 'completed', favorite: true, negativePrompt: 'blur' }),
        makeVideo({ prompt: `${tag} 100% dusk_light`, createdAt: 2, status: 'failed', model: 'other' }),
        makeVideo({ prompt: `${tag} red birds`, createdAt: 3, status: 'in_progress' }),
      ];
      for (const r of rows) await repo.insert(r);
      const ids = async (o: Partial<Parameters<VideoRepo['search']>[0]>) => (await repo.search({ limit: 10, text: tag, ...o })).data.map((v) => v.prompt.slice(tag.length + 1));
      expect(await ids({})).toEqual(['red birds', '100% dusk_light', 'A Red Balloon']);
      expect(await ids({ text: `${tag} RED` })).toEqual(['red birds', 'A Red Balloon']);
      expect(await ids({ text: `${tag} %` })).toEqual(['100% dusk_light']);
      expect(await ids({ text: `${tag} k_l` })).toEqual(['100% dusk_light']);
      expect(await ids({ text: `${tag} 0_d` })).toEqual([]);
      expect(await ids({ status: 'active' })).toEqual(['red birds']);
      expect(await ids({ status: 'failed', model: 'other' })).toEqual(['100% dusk_light']);
      expect(await ids({ favorite: true })).toEqual(['A Red Balloon']);
      const page1 = await repo.search({ limit: 2, text: tag });
      expect(page1.hasMore).toBe(true);
      const page2 = await repo.search({ limit: 2, text: tag, after: page1.data[1]!.id });
      expect(page2.data.map((v) => v.id)).toEqual([rows[0]!.id]);
      expect(page2.hasMore).toBe(false);
      expect((await repo.get(rows[0]!.id))).toMatchObject({ favorite: true, negativePrompt: 'blur' });
      expect((await repo.setFavorite(rows[0]!.id, false))?.favorite).toBe(false);
      expect(await repo.setFavorite(newVideoId(), true)).toBeNull();
    });

    it('lists the remixes of a video, oldest first', async () => {
      const parent = makeVideo();
      const a = makeVideo({ remixedFromVideoId: parent.id, createdAt: 5 });
      const b = makeVideo({ remixedFromVideoId: parent.id, createdAt: 4 });
      for (const r of [parent, a, b]) await repo.insert(r);
      expect((await repo.listRemixesOf(parent.id)).map((v) => v.id)).toEqual([b.id, a.id]);
      expect(await repo.listRemixesOf(a.id)).toEqual([]);
    });

    it('moves through queued → in_progress → completed and stays terminal', async () => {
      const v = makeVideo();
      await repo.insert(v);
      const started = await repo.markStarted(v.id);
      expect(started?.status).toBe('in_progress');
      expect(started?.startedAt).toBeGreaterThan(0);
      expect(await repo.setProgress(v.id, 40)).toBe(true);
      expect(await repo.setProgress(v.id, 30)).toBe(false); // never backwards
      expect((await repo.get(v.id))?.progress).toBe(40);
      const done = await repo.complete(v.id, output, { expiresAt: null });
      expect(done).toMatchObject({ status: 'completed', progress: 100, output });
      expect(await repo.fail(v.id, { code: 'x', message: 'y' })).toBeNull();
      expect(await repo.markStarted(v.id)).toBeNull();
      expect((await repo.get(v.id))?.status).toBe('completed');
    });

    it('records a provider job id only once', async () => {
      const v = makeVideo();
      await repo.insert(v);
      expect(await repo.markSubmitted(v.id, 'prov-1')).toBe(true);
      expect(await repo.markSubmitted(v.id, 'prov-2')).toBe(false);
      expect((await repo.get(v.id))?.providerJobId).toBe('prov-1');
    });

    it('fails with a code and a message', async () => {
      const v = makeVideo();
      await repo.insert(v);
      const failed = await repo.fail(v.id, { code: 'engine_error', message: 'boom' });
      expect(failed).toMatchObject({ status: 'failed', error: { code: 'engine_error', message: 'boom' } });
      expect(await repo.complete(v.id, output, { expiresAt: null })).toBeNull();
    });

    it('pages with after/limit/order without gaps or repeats, ties broken by id', async () => {
      const base = 1_800_000_000_000;
      const made: Video[] = [];
      for (let i = 0; i < 7; i++) {
        const v = makeVideo({ createdAt: base + Math.floor(i / 2) }); // pairs share a timestamp
        made.push(v);
        await repo.insert(v);
      }
      const expected = [...made].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map((v) => v.id);
      const mine = new Set(expected);
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await repo.list({ after, limit: 3, order });
          expect(page.data.length).toBeLessThanOrEqual(3);
          seen.push(...page.data.map((v) => v.id));
          if (!page.hasMore) break;
          after = page.data[page.data.length - 1]!.id;
        }
        expect(new Set(seen).size).toBe(seen.length);
        const ours = seen.filter((id) => mine.has(id));
        expect(ours).toEqual(order === 'asc' ? expected : [...expected].reverse());
      }
      const desc = await repo.list({ limit: 2, order: 'desc' });
      expect(desc.data[0]!.createdAt).toBeGreaterThanOrEqual(desc.data[1]!.createdAt);
      expect(await repo.list({ after: 'video_' + '0'.repeat(32), limit: 5, order: 'desc' })).toEqual({ data: [], hasMore: false });
    });

    it('lets one run at a time claim sending a remote create, until it records the receipt or the claim lapses', async () => {
      const v = makeVideo();
      await repo.insert(v);
      const now = Date.now();
      expect(await repo.claimSubmit(v.id, 'run-a', now + 60_000)).toBeNull();
      expect(await repo.claimSubmit(v.id, 'run-a', now + 60_000)).toBeNull(); // its own claim, again
      const held = await repo.claimSubmit(v.id, 'run-b', now + 60_000);
      expect(held).toBeGreaterThan(50_000); // how long run-b should wait
      await repo.releaseSubmit(v.id, 'run-b'); // not its claim: nothing happens
      expect(await repo.claimSubmit(v.id, 'run-b', now + 60_000)).not.toBeNull();
      await repo.releaseSubmit(v.id, 'run-a');
      expect(await repo.claimSubmit(v.id, 'run-b', Date.now() - 1)).toBeNull(); // taken, and already lapsed
      expect(await repo.claimSubmit(v.id, 'run-c', Date.now() + 60_000)).toBeNull(); // a lapsed claim is anyone's
      expect(await repo.markSubmitted(v.id, 'prov-1')).toBe(true);
      expect(await repo.claimSubmit(v.id, 'run-d', Date.now() + 60_000)).toBe(0); // receipt recorded: poll, do not send
    });

    it('lists unfinished ids and deletes', async () => {
      const v = makeVideo();
      await repo.insert(v);
      expect(await repo.listUnfinished()).toContainEqual({ id: v.id, ownerId: v.ownerId, engine: v.engine });
      expect(await repo.delete(v.id)).toBe(true);
      expect(await repo.delete(v.id)).toBe(false);
      expect((await repo.listUnfinished()).map((u) => u.id)).not.toContain(v.id);
    });
  });
}
