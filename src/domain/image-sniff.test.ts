import { createCanvas } from '@napi-rs/canvas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffImage } from './image-sniff.js';

const canvas = createCanvas(123, 45);
canvas.getContext('2d').fillRect(0, 0, 10, 10);
const encoded = Promise.all((['png', 'jpeg', 'webp'] as const).map(async (f) => [f, Buffer.from(await canvas.encode(f as 'png'))] as const));

/** Headers of each format with the size fields (and what follows) left to the fuzzer. */
const headers = [
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  Buffer.from('ffd8ffe0', 'hex'),
  Buffer.from('ffd8ffc0', 'hex'),
  Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1')]),
  Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8L', 'latin1')]),
  Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8X', 'latin1')]),
];

describe('sniffImage', () => {
  it('recognises PNG, JPEG and WebP with their dimensions', async () => {
    for (const [f, data] of await encoded) {
      expect(sniffImage(data), f).toEqual({ format: f, contentType: `image/${f}`, width: 123, height: 45 });
    }
  });

  it('refuses anything else, including truncated headers and zero sizes', async () => {
    expect(sniffImage(Buffer.from('# README'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
    const png = (await encoded)[0]![1];
    expect(sniffImage(png.subarray(0, 10))).toBeNull();
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0x00]))).toBeNull();
    const zero = Buffer.from(png);
    zero.writeUInt32BE(0, 16);
    expect(sniffImage(zero)).toBeNull();
  });

  it('reads JPEG dimensions after fill bytes and a large metadata segment', () => {
    const app1 = Buffer.alloc(4 + 60_000);
    app1.writeUInt16BE(0xffe1, 0);
    app1.writeUInt16BE(60_002 - 2 + 2, 2);
    const sof = Buffer.from('ffffffc0001108021004000301220002110103110100', 'hex'); // two fill bytes, then 0x0210 x 0x0400
    const jpeg = Buffer.concat([Buffer.from('ffd8', 'hex'), app1, sof]);
    expect(sniffImage(jpeg)).toMatchObject({ format: 'jpeg', width: 1024, height: 528 });
  });

  it('never throws on arbitrary bytes, nor on arbitrary bytes after a real header', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
      sniffImage(bytes);
    }), { numRuns: 3000 });
    fc.assert(fc.property(fc.constantFrom(...headers), fc.uint8Array({ maxLength: 64 }), (head, tail) => {
      const r = sniffImage(Buffer.concat([head, tail]));
      if (r) {
        expect(r.width).toBeGreaterThan(0);
        expect(r.height).toBeGreaterThan(0);
      }
    }), { numRuns: 3000 });
  });

  it('never reads past the header it needs: a truncated image gives nothing or the same answer, and more bytes never change an answer', async () => {
    for (const [, data] of await encoded) {
      const full = sniffImage(data);
      for (let n = 0; n <= Math.min(data.length, 400); n++) {
        const r = sniffImage(data.subarray(0, n));
        if (r) expect(r).toEqual(full);
      }
    }
    fc.assert(fc.property(fc.constantFrom(...headers), fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), (head, tail, more) => {
      const data = Buffer.concat([head, tail]);
      const r = sniffImage(data);
      if (r) expect(sniffImage(Buffer.concat([data, more]))).toEqual(r);
    }), { numRuns: 3000 });
  });

  it('takes a plain Uint8Array as well as a Buffer', async () => {
    const png = (await encoded)[0]![1];
    expect(sniffImage(new Uint8Array(png))).toMatchObject({ width: 123, height: 45 });
  });
});
