// Real, valid images of any size that cost almost nothing to make: a PNG of 8192x8192 one-bit rows
// deflates to a few KB (and decodes to 256 MiB, which is the point), optionally padded with an
// ancillary chunk to reach a given file size.
import { deflateSync } from 'node:zlib';
import { createCanvas } from '@napi-rs/canvas';

/** PNG's CRC-32 (ISO 3309), over a chunk's type and data. */
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** One PNG chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A black-and-white PNG of `width` × `height` (white top half, black bottom half). With `bytes`, an
 * ancillary chunk (decoders skip it) pads the file to exactly that size.
 */
export function sizedPng(width: number, height: number, opts: { bytes?: number } = {}): Buffer {
  const rowBytes = Math.ceil(width / 8);
  const white = Buffer.concat([Buffer.from([0]), Buffer.alloc(rowBytes, 0xff)]);
  const black = Buffer.concat([Buffer.from([0]), Buffer.alloc(rowBytes, 0)]);
  const raw = Buffer.concat(Array.from({ length: height }, (_, y) => (y < height / 2 ? white : black)));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth 1, greyscale
  const head = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw))]);
  const end = pngChunk('IEND', Buffer.alloc(0));
  if (opts.bytes === undefined) return Buffer.concat([head, end]);
  const pad = opts.bytes - head.length - end.length - 12;
  if (pad < 0) throw new Error(`a ${width}x${height} PNG is already ${head.length + end.length} bytes`);
  return Buffer.concat([head, pngChunk('paDd', Buffer.alloc(pad)), end]);
}

/** A WebP (lossless) of the given size, from the canvas. */
export async function webpOf(width: number, height: number): Promise<Buffer> {
  const c = createCanvas(width, height);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#3060c0';
  ctx.fillRect(0, 0, width, height);
  return Buffer.from(await c.encode('webp', 100));
}
