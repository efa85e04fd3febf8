// The contract every EventBus passes (memory now, Redis later).
import { describe, expect, it } from 'vitest';
import { newVideoId } from '../domain/ids.js';
import type { Video } from '../domain/video.js';
import type { EventBus } from './event-bus.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function video(id: string, progress: number): Video {
  return {
    id, model: 'sketch', engine: 'sketch', status: 'in_progress', progress, prompt: 'p', seconds: 1, width: 2, height: 2, fps: 1, seed: 1,
    inputReferenceKey: null, remixedFromVideoId: null, negativePrompt: null, favorite: false, ownerId: 'usr_local', error: null, providerJobId: null, plan: null, output: null,
    createdAt: 1, startedAt: 1, completedAt: null, expiresAt: null, updatedAt: 1,
  };
}

export function runEventBusContract(name: string, makeBus: () => Promise<EventBus>): void {
  describe(`EventBus contract: ${name}`, () => {
    it('delivers a video\'s updates in order to its subscribers only, until they unsubscribe', async () => {
      const bus = await makeBus();
      const [a, b] = [newVideoId(), newVideoId()];
      const got: number[] = [];
      // A second subscriber that stays: once it has an update, the first would have had it too.
      const witness: number[] = [];
      const unsubscribe = bus.subscribe(a, (v) => got.push(v.progress));
      const stopWitness = bus.subscribe(a, (v) => witness.push(v.progress));
      bus.publish(video(b, 99));
      for (const p of [10, 20, 30]) bus.publish(video(a, p));
      await until(() => witness.length === 3);
      unsubscribe();
      bus.publish(video(a, 40));
      await until(() => witness.length === 4);
      expect(got).toEqual([10, 20, 30]);
      expect(witness).toEqual([10, 20, 30, 40]);
      stopWitness();
      await bus.close();
    });
  });
}
