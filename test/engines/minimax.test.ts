// MiniMax adapter against its fake: the shared cloud suite (errors arrive as HTTP 200 with
// base_resp codes), plus the three-step wire: create, query, files/retrieve for a fresh URL.
import { describe, expect, it } from 'vitest';
import { MinimaxAdapter } from '../../src/engines/minimax/minimax.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startMinimaxFake } from '../fakes/minimax/minimax.fake.js';

runCloudSuite({
  name: 'minimax',
  start: () => startMinimaxFake({ apiKey: FAKE_KEY }),
  adapter: (k) => new MinimaxAdapter(k),
  model: 'minimax/MiniMax-Hailuo-2.3',
  refusalText: /new_sensitive/,
  wire: (h) => describe('minimax wire format', () => {
    it('sent integer durations and MiniMax resolutions, and asked files/retrieve for the download URL', async () => {
      const { bodies, calls } = await h.run('minimax/MiniMax-Hailuo-2.3');
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ model: 'MiniMax-Hailuo-2.3', duration: expect.any(Number), resolution: expect.stringMatching(/^(768P|1080P)$/) });
      expect(calls.filter((c) => c.route === 'retrieve')).toHaveLength(1);
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
});
