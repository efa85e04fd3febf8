// Runway adapter against its fake: the shared cloud suite (contract + faults), plus what goes on
// Runway's wire: the version header, text vs image endpoint, ratio and a data-URI first frame.
import { describe, expect, it } from 'vitest';
import { RunwayAdapter } from '../../src/engines/runway/runway.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startRunwayFake } from '../fakes/runway/runway.fake.js';

runCloudSuite({
  name: 'runway',
  start: () => startRunwayFake({ apiKey: FAKE_KEY }),
  adapter: (k) => new RunwayAdapter(k),
  model: 'runway/gen4.5',
  refusalText: /SAFETY\.INPUT\.TEXT/,
  needsImage: (c) => c.id === 'runway/gen4_turbo',
  needsVideo: (c) => c.id === 'runway/aleph2',
  cancel: true,
  // Each check reads only the requests its own job sent.
  wire: (h) => describe('runway wire format', () => {
    it('text to video: ratio as W:H, integer duration, a seed, the version header, no image', async () => {
      const { bodies, calls } = await h.run('runway/gen4.5');
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ model: 'gen4.5', ratio: expect.stringMatching(/^\d+:\d+$/), duration: expect.any(Number), seed: expect.any(Number), promptText: expect.any(String) });
      expect(bodies[0]).not.toHaveProperty('promptImage');
      expect(calls[0]).toMatchObject({ route: 'create', path: '/v1/text_to_video' });
    });

    it('image to video: promptImage as a first-frame data URI', async () => {
      const { bodies, calls } = await h.run('runway/gen4_turbo');
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ model: 'gen4_turbo' });
      expect(bodies[0]!.promptImage[0]).toMatchObject({ position: 'first', uri: expect.stringMatching(/^data:image\/png;base64,/) });
      expect(calls[0]).toMatchObject({ route: 'create', path: '/v1/image_to_video' });
    });

    it('Veo through Runway: audio on, no seed', async () => {
      const { bodies } = await h.run('runway/veo3.1');
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ model: 'veo3.1', audio: true });
      expect(bodies[0]!.seed).toBeUndefined();
    });
  }),
});

describe('runway requests refused before any call', () => {
  it('refuses what Runway would refuse before any call: gen4_turbo without an image', () => {
    const a = new RunwayAdapter('k');
    const e = a.catalogue().find((c) => c.card.id === 'runway/gen4_turbo')!;
    expect(a.requestProblem(e, { seconds: 5, width: 1280, height: 720, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 10 })?.param).toBe('input_reference');
    const g = a.catalogue().find((c) => c.card.id === 'runway/gen4.5')!;
    expect(a.requestProblem(g, { seconds: 5, width: 960, height: 960, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 10 })?.param).toBe('size');
    expect(a.requestProblem(g, { seconds: 5, width: 960, height: 960, fps: 24, hasImage: true, hasNegativePrompt: false, promptLength: 10 })).toBeNull();
  });
});
