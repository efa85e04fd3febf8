// Kling adapter against its fake (which verifies the HS256 JWT for real): the shared cloud suite,
// plus Kling's wire: string durations, std/pro mode from the size, raw Base64 images, our video id
// as external_task_id, and the task kind carried in the provider job id.
import { describe, expect, it } from 'vitest';
import { KlingAdapter } from '../../src/engines/kling/kling.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startKlingFake } from '../fakes/kling/kling.fake.js';

const ACCESS = 'ak-fake-kling-0a1b2c3d';
let bodies: unknown[] = [];
runCloudSuite({
  name: 'kling',
  start: async () => { const f = await startKlingFake({ accessKey: ACCESS, secretKey: FAKE_KEY }); bodies = f.bodies; return f; },
  adapter: (k) => new KlingAdapter(ACCESS, k),
  model: 'kling/kling-v2-5-turbo',
  refusalText: /content security policy/,
});

describe('kling wire format', () => {
  it('sent string durations, the mode for the size, and our video id as external_task_id', () => {
    const all = bodies as Array<Record<string, unknown>>;
    const std = all.find((b) => b.model_name === 'kling-v2-5-turbo' && b.mode === 'std')!;
    expect(std).toMatchObject({ duration: expect.stringMatching(/^(5|10)$/), aspect_ratio: expect.stringMatching(/^(16:9|9:16|1:1)$/), external_task_id: expect.stringMatching(/^video_/) });
    const withSound = all.find((b) => b.model_name === 'kling-v2-6')!;
    expect(withSound).toMatchObject({ mode: 'pro', sound: 'on' });
  });

  it('a wrong secret key is refused by the fake (the JWT is really checked)', async () => {
    const f = await startKlingFake({ accessKey: ACCESS, secretKey: FAKE_KEY });
    try {
      const token = new KlingAdapter(ACCESS, 'not-the-secret').authHeaders().authorization;
      const res = await fetch(`${f.baseUrl}/v1/videos/text2video/1`, { headers: { authorization: token } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: number }).code).toBe(1004);
    } finally {
      await f.stop();
    }
  });
});
