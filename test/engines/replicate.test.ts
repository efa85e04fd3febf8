// Replicate adapter against its fake: the shared cloud suite, plus Replicate's wire: the model's
// own input schema under `input`, the output as a URL string, E005 as a content-policy refusal.
import { describe, expect, it } from 'vitest';
import { ReplicateAdapter } from '../../src/engines/replicate/replicate.adapter.js';
import { FAKE_KEY, runCloudSuite } from '../fakes/shared/cloud-suite.js';
import { startReplicateFake } from '../fakes/replicate/replicate.fake.js';

runCloudSuite({
  name: 'replicate',
  start: () => startReplicateFake({ token: FAKE_KEY }),
  adapter: (k) => new ReplicateAdapter(k),
  model: 'replicate/google/veo-3.1-fast',
  refusalText: /E005/,
  cancel: true,
  wire: (h) => describe('replicate wire format', () => {
    it("sent the Veo models' input fields under `input`, with a seed", async () => {
      const { bodies } = await h.run('replicate/google/veo-3.1-fast');
      expect(bodies).toHaveLength(1);
      expect(bodies[0]!.input).toMatchObject({ prompt: expect.any(String), duration: expect.any(Number), aspect_ratio: expect.stringMatching(/^(16:9|9:16)$/), resolution: expect.stringMatching(/^(720|1080)p$/), seed: expect.any(Number), generate_audio: true });
    });
  }),
});
