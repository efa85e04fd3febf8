// The row-by-row PNG decoder against Skia's (what the renderer used before): the same pixels at
// full size for every PNG pixel format and filter, box-averaged pixels when scaled down, and a
// clean error for a truncated or corrupt file.
import { deflateSync } from 'node:zlib';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { rngFrom } from '../prng.js';
import { decodePngScaled, PngError } from './png-scaled.js';
import { pngChunk as chunk } from '../../../../test/helpers/images.js';


/** A PNG from raw (unfiltered) rows, each row filtered with filters[y % filters.length]. */
function encodePng(o: { width: number; height: number; depth: number; colorType: number; rows: Buffer[]; palette?: Buffer; trns?: Buffer; filters?: number[] }): Buffer {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[o.colorType]!;
  const bpp = Math.max(1, (channels * o.depth) >> 3);
  const filters = o.filters ?? [0];
  const parts: Buffer[] = [];
  let prev: Buffer = Buffer.alloc(o.rows[0]!.length);
  o.rows.forEach((row, y) => {
    const f = filters[y % filters.length]!;
    const out = Buffer.alloc(row.length);
    for (let i = 0; i < row.length; i++) {
      const a = i >= bpp ? row[i - bpp]! : 0, b = prev[i]!, c = i >= bpp ? prev[i - bpp]! : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f]!;
      out[i] = (row[i]! - pred) & 0xff;
    }
    parts.push(Buffer.from([f]), out);
    prev = row;
  });
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(o.width, 0);
  ihdr.writeUInt32BE(o.height, 4);
  ihdr[8] = o.depth;
  ihdr[9] = o.colorType;
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr),
    ...(o.palette ? [chunk('PLTE', o.palette)] : []), ...(o.trns ? [chunk('tRNS', o.trns)] : []),
    chunk('IDAT', deflateSync(Buffer.concat(parts))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function skiaPixels(png: Buffer): Promise<Uint8ClampedArray> {
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  c.getContext('2d').drawImage(img, 0, 0);
  return c.getContext('2d').getImageData(0, 0, img.width, img.height).data;
}

const W = 37, H = 23; // odd sizes: partial bytes at the end of packed rows
const rng = rngFrom('png-scaled');
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rng() * 256)));
const ALL_FILTERS = [0, 1, 2, 3, 4];

describe('decodePngScaled', () => {
  const cases: Array<[string, Parameters<typeof encodePng>[0]]> = [
    ['RGBA 8-bit', { width: W, height: H, depth: 8, colorType: 6, rows: Array.from({ length: H }, () => Buffer.from(bytes(W * 4).map((v, i) => (i % 4 === 3 ? (v > 128 ? 255 : 0) : v)))) }],
    ['RGB 8-bit', { width: W, height: H, depth: 8, colorType: 2, rows: Array.from({ length: H }, () => bytes(W * 3)) }],
    ['RGB 16-bit', { width: W, height: H, depth: 16, colorType: 2, rows: Array.from({ length: H }, () => bytes(W * 6)) }],
    ['grey 8-bit', { width: W, height: H, depth: 8, colorType: 0, rows: Array.from({ length: H }, () => bytes(W)) }],
    ['grey 1-bit', { width: W, height: H, depth: 1, colorType: 0, rows: Array.from({ length: H }, () => bytes(Math.ceil(W / 8))) }],
    ['grey 4-bit', { width: W, height: H, depth: 4, colorType: 0, rows: Array.from({ length: H }, () => bytes(Math.ceil(W / 2))) }],
    ['grey+alpha 8-bit', { width: W, height: H, depth: 8, colorType: 4, rows: Array.from({ length: H }, () => Buffer.from(bytes(W * 2).map((v, i) => (i % 2 ? (v > 128 ? 255 : 0) : v)))) }],
    ['palette 2-bit with transparency', { width: W, height: H, depth: 2, colorType: 3, palette: bytes(12), trns: Buffer.from([255, 0, 255, 255]), rows: Array.from({ length: H }, () => bytes(Math.ceil(W / 4))) }],
  ];

  it.each(cases)('decodes %s exactly like Skia at full size, through every filter', async (_name, spec) => {
    const png = encodePng({ ...spec, filters: ALL_FILTERS });
    const ours = await decodePngScaled(png, W, H);
    const skia = await skiaPixels(png);
    expect(ours).toMatchObject({ width: W, height: H });
    for (let i = 0; i < skia.length; i += 4) {
      // Fully transparent pixels have no colour to compare.
      if (skia[i + 3] === 0) { expect(ours.data[i + 3]).toBe(0); continue; }
      expect([...ours.data.subarray(i, i + 4)], `pixel ${i / 4}`).toEqual([...skia.subarray(i, i + 4)]);
    }
  });

  it('averages blocks when scaling down: a 2x2 checkerboard of 4-pixel squares becomes flat squares', async () => {
    const rows = Array.from({ length: 16 }, (_, y) => Buffer.concat(Array.from({ length: 16 }, (_, x) => ((x >> 2) + (y >> 2)) % 2 ? Buffer.from([255, 0, 0]) : Buffer.from([0, 0, 255]))));
    const img = await decodePngScaled(encodePng({ width: 16, height: 16, depth: 8, colorType: 2, rows, filters: ALL_FILTERS }), 4, 4);
    expect(img).toMatchObject({ width: 4, height: 4 });
    for (let p = 0; p < 16; p++) {
      const x = p % 4, y = Math.floor(p / 4);
      expect([...img.data.subarray(p * 4, p * 4 + 4)]).toEqual((x + y) % 2 ? [255, 0, 0, 255] : [0, 0, 255, 255]);
    }
    // And the average of a fine checkerboard is the mean colour.
    const fine = Array.from({ length: 16 }, (_, y) => Buffer.concat(Array.from({ length: 16 }, (_, x) => Buffer.from((x + y) % 2 ? [200] : [100]))));
    const grey = await decodePngScaled(encodePng({ width: 16, height: 16, depth: 8, colorType: 0, rows: fine }), 2, 2);
    expect([...grey.data.subarray(0, 4)]).toEqual([150, 150, 150, 255]);
  });

  it('never makes an image larger than it is', async () => {
    const rows = Array.from({ length: 4 }, () => bytes(12));
    expect(await decodePngScaled(encodePng({ width: 4, height: 4, depth: 8, colorType: 2, rows }), 400, 300)).toMatchObject({ width: 4, height: 4 });
  });

  it('decodes a huge image to a small one without the huge bitmap: 8192x8192 to 64x64', async () => {
    // 1-bit rows of zeros compress to a few KB; whole, this is 256 MiB of RGBA.
    const row = Buffer.alloc(1024);
    const raw = Buffer.concat(Array.from({ length: 8192 }, () => Buffer.concat([Buffer.from([0]), row])));
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(8192, 0);
    ihdr.writeUInt32BE(8192, 4);
    ihdr[8] = 1;
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
    const before = process.memoryUsage().arrayBuffers;
    const img = await decodePngScaled(png, 64, 64);
    expect(img).toMatchObject({ width: 64, height: 64 });
    expect([...img.data.subarray(0, 4)]).toEqual([0, 0, 0, 255]);
    // What it allocated is rows and the result, not 256 MiB (a deterministic bound, not a timing).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses a truncated or corrupt file with a PngError', async () => {
    const png = encodePng({ width: W, height: H, depth: 8, colorType: 2, rows: Array.from({ length: H }, () => bytes(W * 3)) });
    const idat = png.indexOf('IDAT');
    await expect(decodePngScaled(png.subarray(0, idat + 40), 10, 10)).rejects.toBeInstanceOf(PngError);
    const corrupt = Buffer.from(png);
    corrupt.fill(0xee, idat + 6, idat + 30);
    await expect(decodePngScaled(corrupt, 10, 10)).rejects.toBeInstanceOf(PngError);
    await expect(decodePngScaled(Buffer.from('not a png at all, not at all....'), 10, 10)).rejects.toBeInstanceOf(PngError);
  });
});
