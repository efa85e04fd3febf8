// Luma adapter against its fake: the shared cloud suite, plus Luma's wire: duration as "5s",
// aspect_ratio + resolution from the card size, no seed (Luma takes none).
import { describe, expect, it } from 'vitest';
import { LumaAdapter } from '../../src/engines/luma/luma.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startLumaFake } from '../fakes/luma/luma.fake.js';

runCloudSuite({
  name: 'luma',
  start: () => startLumaFake({ apiKey: FAKE_KEY }),
  adapter: (k) => new LumaAdapter(k),
  model: 'luma/ray-2',
  refusalText: /Advanced prompt moderation failed/,
  cancel: true,
  wire: (h) => describe('luma wire format', () => {
    it('sent duration as "5s"/"9s" with aspect_ratio and resolution, and no seed', async () => {
      const { bodies } = await h.run('luma/ray-2');
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ model: 'ray-2', duration: expect.stringMatching(/^(5|9)s$/), aspect_ratio: expect.stringMatching(/^(16:9|9:16)$/), resolution: expect.stringMatching(/^(540|720|1080)p$/) });
      expect(bodies[0]).not.toHaveProperty('seed');
    });
  }),
});
