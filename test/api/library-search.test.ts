// GET /api/videos?q= finds prompts whatever their case and accents ("ble" finds "blé", "CRÈME"
// finds "crème"), on SQLite and on PostgreSQL, through the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBackends, setupAdmin, startAccountServer, type AccountServer, type Caller } from '../helpers/accounts.js';

const PROMPTS = ['Un champ de blé au soleil', 'CRÈME BRÛLÉE on a stone plate', 'Œuvre d’art in a museum', 'a blue boat at dawn'];

for (const db of await accountBackends()) {
  describe(`library search on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      server = await startAccountServer(db);
      admin = await setupAdmin(server);
      // The admin is on the pro plan; four videos at once is over its concurrency, which is not what this tests.
      expect((await admin.put('/api/admin/plans/pro', { max_concurrent: null })).status).toBe(200);
      for (const prompt of PROMPTS) {
        const r = await admin.post('/v1/videos', { prompt, seconds: '1', size: '320x180', fps: 12 });
        expect(r.status).toBe(200);
        ids[prompt] = r.json.id;
      }
    });
    afterAll(async () => server?.stop());

    const search = async (q: string) => {
      const r = await admin.get(`/api/videos?q=${encodeURIComponent(q)}`);
      expect(r.status).toBe(200);
      return (r.json.data as { prompt: string }[]).map((v) => v.prompt).sort();
    };

    it('ignores accents and case in both directions', async () => {
      expect(await search('ble')).toEqual(['Un champ de blé au soleil']);
      expect(await search('BLÉ')).toEqual(['Un champ de blé au soleil']);
      expect(await search('creme brulee')).toEqual(['CRÈME BRÛLÉE on a stone plate']);
      expect(await search('Crème')).toEqual(['CRÈME BRÛLÉE on a stone plate']);
      expect(await search('oeuvre')).toEqual(['Œuvre d’art in a museum']);
      expect(await search('bl')).toEqual(['Un champ de blé au soleil', 'a blue boat at dawn']);
      expect(await search('ble boat')).toEqual([]);
    });
  });
}
