// Veo adapter against its fake: the shared cloud suite, plus the Gemini API's wire: the key only in
// x-goog-api-key (never the URL), no seed, the authenticated file link that redirects to storage.
import { describe, expect, it } from 'vitest';
import { VeoAdapter } from '../../src/engines/veo/veo.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startVeoFake } from '../fakes/veo/veo.fake.js';
import type { FakeServer } from '../fakes/shared/fake-server.js';

let server: FakeServer;
let bodies: unknown[] = [];
runCloudSuite({
  name: 'veo',
  start: async () => { const f = await startVeoFake({ apiKey: FAKE_KEY }); server = f.server; bodies = f.bodies; return f; },
  adapter: (k) => new VeoAdapter(k),
  model: 'veo-3.1-fast-generate-preview',
  refusalText: /You have not been charged/,
});

describe('veo wire format', () => {
  it('sent instances/parameters without a seed, and downloaded through the keyed file link', () => {
    const b = (bodies as Array<Record<string, any>>)[0]!;
    expect(b.instances[0].prompt).toEqual(expect.any(String));
    expect(b.parameters).toMatchObject({ durationSeconds: expect.any(Number), aspectRatio: expect.stringMatching(/^(16:9|9:16)$/), resolution: expect.stringMatching(/^(720|1080)p$/) });
    expect(b.parameters.seed).toBeUndefined();
    expect(server.count('file')).toBeGreaterThan(0);
    expect(server.calls.every((c) => !c.path.includes(FAKE_KEY))).toBe(true);
  });

  it('refuses 1080p at less than 8 seconds before any call', () => {
    const a = new VeoAdapter('k');
    const e = a.catalogue()[0]!;
    expect(a.requestProblem(e, { seconds: 4, width: 1920, height: 1080, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5 })?.param).toBe('seconds');
    expect(a.requestProblem(e, { seconds: 8, width: 1920, height: 1080, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5 })).toBeNull();
  });
});
