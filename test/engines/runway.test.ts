// Runway adapter against its fake: the shared cloud suite (contract + faults), plus what goes on
// Runway's wire: the version header, text vs image endpoint, ratio and a data-URI first frame.
import { describe, expect, it } from 'vitest';
import { RunwayAdapter } from '../../src/engines/runway/runway.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startRunwayFake, type RunwayFake } from '../fakes/runway/runway.fake.js';

let last: RunwayFake;
runCloudSuite({
  name: 'runway',
  start: async () => (last = await startRunwayFake({ apiKey: FAKE_KEY })),
  adapter: (k) => new RunwayAdapter(k),
  model: 'runway/gen4.5',
  refusalText: /SAFETY\.INPUT\.TEXT/,
  needsImage: (c) => c.id === 'runway/gen4_turbo',
  cancel: true,
});

describe('runway wire format', () => {
  it('sent the documented bodies: ratio as W:H, integer duration, promptImage as a first-frame data URI', () => {
    const bodies = last.bodies as Array<Record<string, any>>;
    const t2v = bodies.find((b) => b.model === 'gen4.5' && !b.promptImage)!;
    expect(t2v).toMatchObject({ ratio: expect.stringMatching(/^\d+:\d+$/), duration: expect.any(Number), seed: expect.any(Number), promptText: expect.any(String) });
    const i2v = bodies.find((b) => b.model === 'gen4_turbo')!;
    expect(i2v.promptImage[0]).toMatchObject({ position: 'first', uri: expect.stringMatching(/^data:image\/png;base64,/) });
    const veo = bodies.find((b) => b.model === 'veo3.1')!;
    expect(veo).toMatchObject({ audio: true });
    expect(veo.seed).toBeUndefined();
  });

  it('refuses what Runway would refuse before any call: gen4_turbo without an image', () => {
    const a = new RunwayAdapter('k');
    const e = a.catalogue().find((c) => c.card.id === 'runway/gen4_turbo')!;
    expect(a.requestProblem(e, { seconds: 5, width: 1280, height: 720, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 10 })?.param).toBe('input_reference');
    const g = a.catalogue().find((c) => c.card.id === 'runway/gen4.5')!;
    expect(a.requestProblem(g, { seconds: 5, width: 960, height: 960, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 10 })?.param).toBe('size');
    expect(a.requestProblem(g, { seconds: 5, width: 960, height: 960, fps: 24, hasImage: true, hasNegativePrompt: false, promptLength: 10 })).toBeNull();
  });
});
