import { describe, expect, it } from 'vitest';
import { defaultDraft } from './card-controls';
import { fitToPlan, modelRefusal, planSummary, secondsRefusal, sizeRefusal } from './plan-limits';
import type { ModelCard } from './types';

const sketch: ModelCard = {
  id: 'sketch', owned_by: 'sketch', label: 'Sketch', description: '', kind: 'procedural',
  seconds: { min: 1, max: 20, step: 1 }, default_seconds: 4,
  sizes: ['720x1280', '1280x720', '1920x1080', '1024x1024', '640x360'], default_size: '1280x720',
  size_range: { min_width: 128, max_width: 1920, min_height: 128, max_height: 1920, max_pixels: 1920 * 1080, multiple_of: 2 },
  fps: [12, 24, 30], default_fps: 24, inputs: ['text', 'image'], seed: true, remix: true, audio: false, negative_prompt: false,
  price_per_second_usd: null, available: true,
};
const free = { label: 'Free', max_seconds: 10, max_pixels: 1280 * 720, allowed_models: null };

describe('plan limits in the composer', () => {
  it('names why a duration, size or model is refused, and nothing without a plan', () => {
    expect(secondsRefusal(free, 10)).toBeNull();
    expect(secondsRefusal(free, 12)).toBe("over your plan's 10 s");
    expect(sizeRefusal(free, '1280x720')).toBeNull();
    expect(sizeRefusal(free, '1920x1080')).toBe("over your plan's 921,600 pixels");
    expect(modelRefusal({ ...free, allowed_models: ['sketch'] }, 'runway/gen4_turbo')).toBe('not in your plan');
    expect(modelRefusal(free, 'runway/gen4_turbo')).toBeNull();
    expect(secondsRefusal(null, 600)).toBeNull();
    expect(sizeRefusal(null, '1920x1080')).toBeNull();
  });

  it('sums the limits up in one sentence', () => {
    expect(planSummary(free)).toBe('Your plan (Free) allows videos up to 10 s and frames up to 921,600 pixels. Choices beyond it are greyed out.');
    expect(planSummary({ label: 'Class', max_seconds: null, max_pixels: null, allowed_models: ['sketch'] })).toBe('Your plan (Class) allows these engines: sketch. Choices beyond it are greyed out.');
    expect(planSummary({ label: 'Pro', max_seconds: null, max_pixels: null, allowed_models: null })).toBeNull();
    expect(planSummary(null)).toBeNull();
  });

  it('moves a reused draft inside the plan, keeping its aspect', () => {
    const d = { ...defaultDraft(sketch), seconds: 20, size: '1920x1080' };
    expect(fitToPlan(d, sketch, free)).toMatchObject({ seconds: 10, size: '1280x720' });
    const ok = { ...d, seconds: 4, size: '640x360' };
    expect(fitToPlan(ok, sketch, free)).toBe(ok);
    expect(fitToPlan(d, sketch, null)).toBe(d);
  });
});
