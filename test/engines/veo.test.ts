// Veo adapter against its fake: the shared cloud suite, plus the Gemini API's wire: the key only in
// x-goog-api-key (never the URL), no seed, the authenticated file link that redirects to storage.
import { describe, expect, it } from 'vitest';
import { VeoAdapter } from '../../src/engines/veo/veo.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startVeoFake } from '../fakes/veo/veo.fake.js';

runCloudSuite({
  name: 'veo',
  start: () => startVeoFake({ apiKey: FAKE_KEY }),
  adapter: (k) => new VeoAdapter(k),
  model: 'veo-3.1-fast-generate-preview',
  refusalText: /You have not been charged/,
  wire: (h) => describe('veo wire format', () => {
    it('sent instances/parameters without a seed, and downloaded through the keyed file link', async () => {
      const { bodies, calls } = await h.run('veo-3.1-fast-generate-preview');
      expect(bodies).toHaveLength(1);
      const b = bodies[0]!;
      expect(b.instances[0].prompt).toEqual(expect.any(String));
      expect(b.parameters).toMatchObject({ durationSeconds: expect.any(Number), aspectRatio: expect.stringMatching(/^(16:9|9:16)$/), resolution: expect.stringMatching(/^(720|1080)p$/) });
      expect(b.parameters.seed).toBeUndefined();
      expect(calls.filter((c) => c.route === 'file')).toHaveLength(1);
      expect(calls.map((c) => `${c.path}${c.search}`).filter((u) => u.includes(FAKE_KEY))).toEqual([]);
    });
  }),
});

describe('veo requests refused before any call', () => {
  it('refuses 1080p at less than 8 seconds before any call', () => {
    const a = new VeoAdapter('k');
    const e = a.catalogue()[0]!;
    expect(a.requestProblem(e, { seconds: 4, width: 1920, height: 1080, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5 })?.param).toBe('seconds');
    expect(a.requestProblem(e, { seconds: 8, width: 1920, height: 1080, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5 })).toBeNull();
  });
});
