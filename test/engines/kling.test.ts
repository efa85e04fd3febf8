// Kling adapter against its fake (which verifies the HS256 JWT for real): the shared cloud suite,
// plus Kling's wire: string durations, std/pro mode from the size, raw Base64 images, our video id
// as external_task_id, and the task kind carried in the provider job id.
import { describe, expect, it } from 'vitest';
import { KlingAdapter } from '../../src/engines/kling/kling.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startKlingFake } from '../fakes/kling/kling.fake.js';

const ACCESS = 'ak-fake-kling-0a1b2c3d';
runCloudSuite({
  name: 'kling',
  start: () => startKlingFake({ accessKey: ACCESS, secretKey: FAKE_KEY }),
  adapter: (k) => new KlingAdapter(ACCESS, k),
  model: 'kling/kling-v2-5-turbo',
  refusalText: /content security policy/,
  wire: (h) => describe('kling wire format', () => {
    it('sent string durations, std mode at 720p, and our video id as external_task_id', async () => {
      const { bodies } = await h.run('kling/kling-v2-5-turbo', { width: 1280, height: 720, videoId: 'video_wirekling0000000000000000000' });
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ model_name: 'kling-v2-5-turbo', mode: 'std', duration: expect.stringMatching(/^(5|10)$/), aspect_ratio: '16:9', external_task_id: 'video_wirekling0000000000000000000' });
    });

    it('sent pro mode and sound for kling-v2-6', async () => {
      const { bodies } = await h.run('kling/kling-v2-6');
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ model_name: 'kling-v2-6', mode: 'pro', sound: 'on' });
    });
  }),
});

describe('kling authentication', () => {
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
