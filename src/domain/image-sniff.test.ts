import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { sniffImage } from './image-sniff.js';

describe('sniffImage', () => {
  const canvas = createCanvas(123, 45);
  canvas.getContext('2d').fillRect(0, 0, 10, 10);

  it('recognises PNG, JPEG and WebP with their dimensions', async () => {
    expect(sniffImage(await canvas.encode('png'))).toEqual({ format: 'png', contentType: 'image/png', width: 123, height: 45 });
    expect(sniffImage(await canvas.encode('jpeg'))).toEqual({ format: 'jpeg', contentType: 'image/jpeg', width: 123, height: 45 });
    expect(sniffImage(await canvas.encode('webp'))).toEqual({ format: 'webp', contentType: 'image/webp', width: 123, height: 45 });
  });

  it('refuses anything else, including truncated headers', async () => {
    expect(sniffImage(Buffer.from('# README'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
    expect(sniffImage((await canvas.encode('png')).subarray(0, 10))).toBeNull();
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0x00]))).toBeNull();
  });
});
