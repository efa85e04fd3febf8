// Veo adapter against its fake: the shared cloud suite, plus the Gemini API's wire: the key only in
// x-goog-api-key (never the URL), no seed, the authenticated file link that redirects to storage.
import { describe, expect, it } from 'vitest';
import { VeoAdapter } from '../../src/engines/veo/veo.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startVeoFake } from '../fakes/veo/veo.fake.js';
import { solidPng, tempFile } from '../helpers/media.js';

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
      expect(b.instances[0].referenceImages).toBeUndefined();
    });

    it("sends characters' looks as Veo 3.1 reference images (asset), beside no first frame", async () => {
      const look = await solidPng('#ff0000', 32, 32);
      const { bodies } = await h.run('veo-3.1-fast-generate-preview', { characterImages: [tempFile(look, 'character-0.png'), tempFile(look, 'character-1.png')], seconds: 8 });
      const refs = bodies[0]!.instances[0].referenceImages;
      expect(refs).toEqual([
        { image: { bytesBase64Encoded: look.toString('base64'), mimeType: 'image/png' }, referenceType: 'asset' },
        { image: { bytesBase64Encoded: look.toString('base64'), mimeType: 'image/png' }, referenceType: 'asset' },
      ]);
      expect(bodies[0]!.instances[0].image).toBeUndefined();
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

  it('takes characters only on Veo 3.1, and only at 8 seconds', () => {
    const a = new VeoAdapter('k');
    const byId = new Map(a.catalogue().map((e) => [e.card.id, e]));
    expect([...byId.values()].filter((e) => e.card.characters).map((e) => e.card.id)).toEqual(['veo-3.1-generate-preview', 'veo-3.1-fast-generate-preview']);
    const shape = { width: 1280, height: 720, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5, characters: 1 };
    expect(a.requestProblem(byId.get('veo-3.1-generate-preview')!, { ...shape, seconds: 4 })?.message).toMatch(/only at 8 seconds/);
    expect(a.requestProblem(byId.get('veo-3.1-generate-preview')!, { ...shape, seconds: 8 })).toBeNull();
  });
});
