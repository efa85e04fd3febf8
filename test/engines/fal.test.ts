// fal adapter against its fake: the shared cloud suite, plus fal's queue wire: submit to the full
// endpoint, status/result/cancel under owner/app only, `Key` auth, a refusal as the result's 422.
import { describe, expect, it } from 'vitest';
import { FalAdapter, falApp } from '../../src/engines/fal/fal.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startFalFake } from '../fakes/fal/fal.fake.js';

runCloudSuite({
  name: 'fal',
  start: () => startFalFake({ key: FAKE_KEY }),
  adapter: (k) => new FalAdapter(k),
  model: 'fal/fal-ai/veo3/fast',
  refusalText: /flagged by a content checker/,
  cancel: true,
  wire: (h) => describe('fal wire format', () => {
    it('submits to the full endpoint, then uses owner/app for status and result', async () => {
      expect(falApp('fal-ai/kling-video/v2.5-turbo/pro/text-to-video')).toBe('fal-ai/kling-video');
      const { calls } = await h.run('fal/fal-ai/kling-video/v2.5-turbo/pro/text-to-video');
      expect(calls.filter((c) => c.route === 'create').map((c) => c.path)).toEqual(['/fal-ai/kling-video/v2.5-turbo/pro/text-to-video']);
      const polls = calls.filter((c) => c.route === 'poll').map((c) => c.path);
      expect(polls.length).toBeGreaterThan(0);
      expect(polls.filter((p) => !p.startsWith('/fal-ai/kling-video/requests/') || p.includes('v2.5-turbo'))).toEqual([]);
    });
  }),
});
