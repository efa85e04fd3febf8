// MiniMax adapter against its fake: the shared cloud suite (errors arrive as HTTP 200 with
// base_resp codes), plus the three-step wire: create, query, files/retrieve for a fresh URL.
import { describe, expect, it } from 'vitest';
import { MinimaxAdapter } from '../../src/engines/minimax/minimax.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startMinimaxFake } from '../fakes/minimax/minimax.fake.js';
import { solidPng, tempFile } from '../helpers/media.js';

runCloudSuite({
  name: 'minimax',
  start: () => startMinimaxFake({ apiKey: FAKE_KEY }),
  adapter: (k) => new MinimaxAdapter(k),
  model: 'minimax/MiniMax-Hailuo-2.3',
  refusalText: /new_sensitive/,
  needsCharacter: (c) => c.id === 'minimax/S2V-01',
  wire: (h) => describe('minimax wire format', () => {
    it('sent integer durations and MiniMax resolutions, and asked files/retrieve for the download URL', async () => {
      const { bodies, calls } = await h.run('minimax/MiniMax-Hailuo-2.3');
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ model: 'MiniMax-Hailuo-2.3', duration: expect.any(Number), resolution: expect.stringMatching(/^(768P|1080P)$/) });
      expect(calls.filter((c) => c.route === 'retrieve')).toHaveLength(1);
      expect(bodies[0]!.subject_reference).toBeUndefined();
    });

    it("sends a character's look to S2V-01 as its one subject reference, at 6 s 720P, with no first frame", async () => {
      const look = await solidPng('#ff0000', 400, 400);
      const { bodies } = await h.run('minimax/S2V-01', { characterImages: [tempFile(look, 'character-0.png')] });
      expect(bodies[0]).toMatchObject({ model: 'S2V-01', duration: 6, resolution: '720P', subject_reference: [{ type: 'character', image: [`data:image/png;base64,${look.toString('base64')}`] }] });
      expect(bodies[0]!.first_frame_image).toBeUndefined();
      expect(h.fake().tasks.all().at(-1)!.params.subject).toBe(true);
    });
  }),
});

describe('minimax requests refused before any call', () => {
  it('refuses 10 s at 1080p before any call', () => {
    const a = new MinimaxAdapter('k');
    const e = a.catalogue()[0]!;
    expect(a.requestProblem(e, { seconds: 10, width: 1920, height: 1080, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5 })?.param).toBe('seconds');
    expect(a.requestProblem(e, { seconds: 10, width: 1366, height: 768, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5 })).toBeNull();
  });

  it('holds S2V-01 to exactly one character, before any call', () => {
    const a = new MinimaxAdapter('k');
    const s2v = a.catalogue().find((e) => e.card.id === 'minimax/S2V-01')!;
    const shape = { seconds: 6, width: 1280, height: 720, fps: 25, hasImage: false, hasNegativePrompt: false, promptLength: 5 };
    expect(a.requestProblem(s2v, shape)).toMatchObject({ param: 'characters' });
    expect(a.requestProblem(s2v, { ...shape, characters: 2 })?.message).toMatch(/exactly one character/);
    expect(a.requestProblem(s2v, { ...shape, characters: 1 })).toBeNull();
  });
});
