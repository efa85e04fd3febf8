import { describe, expect, it } from 'vitest';
import type { ModelCard } from './model-card.js';
import { cardImageRefusal, describeBytes, serverRefusal, sizeForImage, type ReferenceFacts } from './reference-image.js';

const card = (over: Partial<ModelCard> = {}): ModelCard => ({
  id: 'x/model', engine: 'x', label: 'X', description: '', kind: 'cloud', seconds: [5], defaultSeconds: 5,
  sizes: ['1280x720', '720x1280'], defaultSize: '1280x720', fps: [24], defaultFps: 24, inputs: ['text', 'image'],
  seed: false, remix: false, audio: false, negativePrompt: false, available: true, ...over,
});
const png = (width: number, height: number, bytes = 1000): ReferenceFacts => ({ format: 'png', contentType: 'image/png', width, height, bytes });

describe('reference image rules', () => {
  it('writes sizes as providers do, never rounding a limit up or an image down to it', () => {
    expect(describeBytes(7_200_000)).toBe('7.2 MB');
    expect(describeBytes(3_749_982, 'down')).toBe('3.74 MB');
    expect(describeBytes(3_749_983)).toBe('3.75 MB');
    expect(describeBytes(5_000_001)).toBe('5.01 MB');
    expect(describeBytes(216_000)).toBe('216 KB');
  });

  it('caps decoded pixels, naming the cap and the image', () => {
    expect(serverRefusal(png(4096, 4096), 4096 * 4096)).toBeNull();
    const r = serverRefusal(png(8192, 8192), 4096 * 4096)!;
    expect(r).toMatchObject({ param: 'input_reference', code: 'image_too_large' });
    expect(r.message).toContain('8192x8192 (67.1 million pixels)');
    expect(r.message).toContain('16.8 million pixels (4096x4096)');
    expect(serverRefusal(png(8, 600), 4096 * 4096)?.code).toBe('invalid_image');
  });

  it('checks every limit a card states, and none it does not', () => {
    expect(cardImageRefusal(card(), png(100, 5000, 90_000_000), { width: 1280, height: 720 })).toBeNull();
    const strict = card({ imageInput: { types: ['image/jpeg'], maxBytes: 1000, minSide: 300, maxSide: 4000, maxPixels: 10_000_000, minAspect: 0.5, maxAspect: 2, matchVideoSize: true } });
    const at = (img: ReferenceFacts) => cardImageRefusal(strict, img, { width: 1280, height: 720 })?.code ?? null;
    const jpeg = (w: number, h: number, bytes = 1000): ReferenceFacts => ({ ...png(w, h, bytes), format: 'jpeg', contentType: 'image/jpeg' });
    expect(at(png(1280, 720))).toBe('unsupported_image_type');
    expect(at(jpeg(1280, 720, 1001))).toBe('image_too_large');
    expect(at(jpeg(299, 720))).toBe('image_too_small');
    expect(at(jpeg(4001, 3000))).toBe('image_too_large');
    expect(at(jpeg(3999, 3000))).toBe('image_too_large'); // 12 million pixels
    expect(at(jpeg(1500, 720))).toBe('unsupported_image_aspect');
    expect(at(jpeg(1000, 720))).toBe('image_size_mismatch');
    expect(at(jpeg(1280, 720))).toBeNull();
  });

  it('picks the card size that frames the image best', () => {
    const c = card({ sizes: ['720x1280', '1280x720', '1920x1080', '854x480', '1024x1024', '1792x1024'], defaultSize: '720x1280' });
    expect(sizeForImage(c, { width: 4000, height: 2250 })).toEqual({ width: 1280, height: 720 });
    expect(sizeForImage(c, { width: 3000, height: 1000 })).toEqual({ width: 1280, height: 720 });
    expect(sizeForImage(c, { width: 1750, height: 1000 })).toEqual({ width: 1792, height: 1024 });
    expect(sizeForImage(c, { width: 500, height: 520 })).toEqual({ width: 1024, height: 1024 });
    expect(sizeForImage(c, { width: 1080, height: 1920 })).toEqual({ width: 720, height: 1280 });
    // An image that is exactly a card size gets that size (what a model needing a match wants).
    expect(sizeForImage(c, { width: 1920, height: 1080 })).toEqual({ width: 1920, height: 1080 });
  });
});
