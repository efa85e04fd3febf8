// fal adapter against its fake: the shared cloud suite, plus fal's queue wire: submit to the full
// endpoint, status/result/cancel under owner/app only, `Key` auth, a refusal as the result's 422.
import { describe, expect, it } from 'vitest';
import { FalAdapter, falApp } from '../../src/engines/fal/fal.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startFalFake } from '../fakes/fal/fal.fake.js';
import type { FakeServer } from '../fakes/shared/fake-server.js';

let server: FakeServer;
runCloudSuite({
  name: 'fal',
  start: async () => { const f = await startFalFake({ key: FAKE_KEY }); server = f.server; return f; },
  adapter: (k) => new FalAdapter(k),
  model: 'fal/fal-ai/veo3/fast',
  refusalText: /flagged by a content checker/,
  cancel: true,
});

describe('fal wire format', () => {
  it('uses owner/app for status, result and cancel', () => {
    expect(falApp('fal-ai/kling-video/v2.5-turbo/pro/text-to-video')).toBe('fal-ai/kling-video');
    const paths = server.calls.filter((c) => c.route === 'poll').map((c) => c.path);
    expect(paths.some((p) => p.startsWith('/fal-ai/kling-video/requests/'))).toBe(true);
    expect(paths.some((p) => p.includes('v2.5-turbo'))).toBe(false);
  });
});
