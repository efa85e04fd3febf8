import { describe, expect, it } from 'vitest';
import {
  acceptsLastFrame, aspectOf, aspectsFor, conform, defaultDraft, estimateCostUsd, estimateRenderSeconds, extensionSeconds, secondsOptions, sizesFor, variationSeeds,
} from './card-controls';
import type { ModelCard } from './types';

const base: ModelCard = {
  id: 'sketch', owned_by: 'sketch', label: 'Sketch', description: '', kind: 'procedural',
  seconds: { min: 1, max: 20, step: 1 }, default_seconds: 4,
  sizes: ['720x1280', '1280x720', '1920x1080', '1024x1024', '640x360'], default_size: '720x1280',
  size_range: { min_width: 128, max_width: 1920, min_height: 128, max_height: 1920, max_pixels: 1920 * 1080, multiple_of: 2 },
  fps: [12, 24, 30], default_fps: 24, inputs: ['text', 'image'], seed: true, remix: true, audio: false, negative_prompt: false,
  price_per_second_usd: null, available: true,
};
// A cloud card shaped like Runway's: fixed durations, two sizes, no seed, a price.
const cloud: ModelCard = {
  ...base, id: 'runway/gen4_turbo', kind: 'cloud', seconds: [5, 10], default_seconds: 5, sizes: ['1280x720', '720x1280'],
  default_size: '1280x720', size_range: null, fps: [24], default_fps: 24, inputs: ['text', 'image'], seed: false,
  negative_prompt: true, price_per_second_usd: 0.05,
};

describe('card-driven controls', () => {
  it('offers only the durations a card allows', () => {
    expect(secondsOptions(base)).toHaveLength(20);
    expect(secondsOptions(cloud)).toEqual([5, 10]);
  });

  it('offers extensions only on cards that extend, and only as long as the total stays within the limit', () => {
    const limits = { max_extensions: 6, max_total_seconds: 120 };
    expect(extensionSeconds({ ...base, extend: false }, 4)).toEqual([]);
    expect(extensionSeconds({ ...cloud, extend: true, extend_limits: limits }, 100)).toEqual([5, 10]);
    expect(extensionSeconds({ ...cloud, extend: true, extend_limits: limits }, 112)).toEqual([5]);
    expect(extensionSeconds({ ...cloud, extend: true, extend_limits: limits }, 118)).toEqual([]);
    expect(extensionSeconds({ ...base, extend: true, extend_limits: null }, 10)).toHaveLength(20);
  });

  it('groups sizes by aspect, adding standard sizes a range allows', () => {
    expect(aspectOf('854x480')).toBe('16:9');
    expect(aspectOf('333x500')).toBeNull();
    expect(sizesFor(base, '16:9')).toEqual(['640x360', '854x480', '1280x720', '1920x1080']);
    expect(sizesFor(base, '9:16')).toEqual(['360x640', '480x854', '720x1280', '1080x1920']);
    expect(sizesFor({ ...base, size_range: { ...base.size_range!, max_height: 1280 } }, '9:16')).toEqual(['360x640', '480x854', '720x1280']);
    expect(sizesFor(cloud, '1:1')).toEqual([]);
    expect(aspectsFor(cloud)).toEqual(['16:9', '9:16']);
  });

  it('conforms a draft when the model changes: nearest duration, same aspect, no seed where not taken', () => {
    const d = { ...defaultDraft(base), seconds: 8, size: '1920x1080', seed: '42', fps: 30, negativePrompt: 'blur' };
    const c = conform(d, cloud);
    expect(c).toMatchObject({ model: cloud.id, seconds: 10, size: '1280x720', fps: 24, seed: '' });
    expect(conform({ ...d, seconds: 6 }, cloud).seconds).toBe(5);
    // Going back keeps what the first card allows, and drops a negative prompt it does not take.
    const back = conform({ ...c, negativePrompt: 'blur', seed: '7' }, base);
    expect(back).toMatchObject({ seconds: 10, size: '1280x720', seed: '7', negativePrompt: '' });
    expect(conform({ ...d, size: '1024x1024' }, cloud).size).toBe('1280x720'); // no 1:1 there: the default
  });

  it('estimates cost only where the card has a price', () => {
    expect(estimateCostUsd(base, 8, 4)).toBeNull();
    expect(estimateCostUsd(cloud, 10, 2)).toBeCloseTo(1.0);
  });

  it('estimates render time from history, scaled by frames x pixels on local engines and by seconds in the cloud', () => {
    const h = [
      { seconds: 2, fps: 24, size: '640x360', startedAt: 100, completedAt: 102 },
      { seconds: 4, fps: 24, size: '640x360', startedAt: 200, completedAt: 204 },
      { seconds: 4, fps: 24, size: '640x360', startedAt: 300, completedAt: 340 }, // an outlier: the median ignores it
    ];
    expect(estimateRenderSeconds(base, [], { seconds: 4, fps: 24, size: '640x360' }, 1)).toBeNull();
    expect(estimateRenderSeconds(base, h, { seconds: 8, fps: 24, size: '640x360' }, 1)).toBe(8);
    expect(estimateRenderSeconds(base, h, { seconds: 8, fps: 24, size: '1280x720' }, 2)).toBe(64);
    expect(estimateRenderSeconds(cloud, [{ seconds: 5, fps: 24, size: '1280x720', startedAt: 0, completedAt: 50 }], { seconds: 10, fps: 24, size: '720x1280' }, 1)).toBe(100);
  });

  it('gives variations consecutive seeds, or leaves them to the server', () => {
    expect(variationSeeds('', 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(variationSeeds('10', 2)).toEqual([10, 11]);
    expect(variationSeeds('4294967295', 2)).toEqual([4294967295, 0]);
  });
});

describe('the Last frame drop zone', () => {
  it('shows only for models whose card takes a last frame', () => {
    expect(acceptsLastFrame({ ...base, last_frame: true })).toBe(true);
    expect(acceptsLastFrame({ ...base, last_frame: false })).toBe(false);
    // An older server's cards have no such field: no second drop zone.
    expect(acceptsLastFrame(base)).toBe(false);
  });
});
