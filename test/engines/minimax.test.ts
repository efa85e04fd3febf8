// MiniMax adapter against its fake: the shared cloud suite (errors arrive as HTTP 200 with
// base_resp codes), plus the three-step wire: create, query, files/retrieve for a fresh URL.
import { describe, expect, it } from 'vitest';
import { MinimaxAdapter } from '../../src/engines/minimax/minimax.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startMinimaxFake } from '../fakes/minimax/minimax.fake.js';
import type { FakeServer } from '../fakes/shared/fake-server.js';

let server: FakeServer;
let bodies: unknown[] = [];
runCloudSuite({
  name: 'minimax',
  start: async () => { const f = await startMinimaxFake({ apiKey: FAKE_KEY }); server = f.server; bodies = f.bodies; return f; },
  adapter: (k) => new MinimaxAdapter(k),
  model: 'minimax/MiniMax-Hailuo-2.3',
  refusalText: /new_sensitive/,
});

describe('minimax wire format', () => {
  it('sent integer durations and MiniMax resolutions, and asked files/retrieve for each download URL', () => {
    const b = (bodies as Array<Record<string, unknown>>).find((x) => x.model === 'MiniMax-Hailuo-2.3')!;
    expect(b).toMatchObject({ duration: expect.any(Number), resolution: expect.stringMatching(/^(768P|1080P)$/) });
    expect(server.count('retrieve')).toBeGreaterThan(0);
  });

  it('refuses 10 s at 1080p before any call', () => {
    const a = new MinimaxAdapter('k');
    const e = a.catalogue()[0]!;
    expect(a.requestProblem(e, { seconds: 10, width: 1920, height: 1080, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5 })?.param).toBe('seconds');
    expect(a.requestProblem(e, { seconds: 10, width: 1366, height: 768, fps: 24, hasImage: false, hasNegativePrompt: false, promptLength: 5 })).toBeNull();
  });
});
