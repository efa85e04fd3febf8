// Decodes a PNG straight to a smaller size, one row at a time: rows are inflated in small chunks,
// unfiltered against the previous row and averaged into the output (a box filter), so memory is
// two source rows plus the result however large the image. A 216 KB PNG of 8192x8192 would
// otherwise be a 256 MiB bitmap before it could be scaled (issue 12). Interlaced PNGs (Adam7) are
// not read here: the caller decodes those whole.
import { createInflate } from 'node:zlib';

export interface ScaledImage {
  width: number;
  height: number;
  /** Unpremultiplied RGBA, width × height × 4 bytes. */
  data: Uint8ClampedArray;
}

interface Header {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlaced: boolean;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export class PngError extends Error {}

/** Width, height and interlacing from the IHDR chunk, or null when `png` is not a PNG this reads. */
export function pngHeader(png: Buffer): Header | null {
  if (png.length < 33 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('latin1', 12, 16) !== 'IHDR') return null;
  const h = { width: png.readUInt32BE(16), height: png.readUInt32BE(20), depth: png[24]!, colorType: png[25]!, interlaced: png[28] === 1 };
  const okDepth = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] }[h.colorType];
  if (!okDepth?.includes(h.depth) || h.width === 0 || h.height === 0) return null;
  return h;
}

/**
 * Decodes `png` to `outW` × `outH` (each at most the image's own size). Throws PngError on a
 * truncated or corrupt file.
 */
export async function decodePngScaled(png: Buffer, outW: number, outH: number): Promise<ScaledImage> {
  const h = pngHeader(png);
  if (!h) throw new PngError('not a PNG this decoder reads');
  if (h.interlaced) throw new PngError('interlaced PNG');
  const { width: W, height: H, depth, colorType } = h;
  outW = Math.max(1, Math.min(W, Math.round(outW)));
  outH = Math.max(1, Math.min(H, Math.round(outH)));
  const channels = CHANNELS[colorType]!;
  const rowBytes = Math.ceil((W * channels * depth) / 8);
  const bpp = Math.max(1, (channels * depth) >> 3);

  // Chunks: the palette and transparency are needed to read pixels; IDAT parts are the image.
  let palette: Buffer | null = null;
  let trns: Buffer | null = null;
  const idat: Buffer[] = [];
  for (let i = 8; i + 8 <= png.length;) {
    const len = png.readUInt32BE(i);
    const type = png.toString('latin1', i + 4, i + 8);
    const data = png.subarray(i + 8, Math.min(png.length, i + 8 + len));
    if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    i += 12 + len;
  }
  if (colorType === 3 && !palette) throw new PngError('palette image without a palette');
  if (idat.length === 0) throw new PngError('no image data');

  const toRgba = rowConverter(W, depth, colorType, palette, trns);
  const xmap = new Uint32Array(W);
  const colCount = new Uint32Array(outW);
  for (let x = 0; x < W; x++) { xmap[x] = Math.floor((x * outW) / W); colCount[xmap[x]!]!++; }
  const acc = new Float64Array(outW * 4);
  const out = new Uint8ClampedArray(outW * outH * 4);
  const rgba = new Uint8Array(W * 4);
  let prev = new Uint8Array(rowBytes);
  let cur = new Uint8Array(rowBytes);
  let filled = -1; // -1: the next byte is a row's filter type
  let filter = 0;
  let y = 0;
  let oy = 0;
  let rowsInGroup = 0;

  const flush = () => {
    const o = oy * outW * 4;
    for (let ox = 0; ox < outW; ox++) {
      const k = ox * 4;
      const a = acc[k + 3]!;
      const n = colCount[ox]! * rowsInGroup;
      if (a > 0) {
        out[o + k] = acc[k]! / a;
        out[o + k + 1] = acc[k + 1]! / a;
        out[o + k + 2] = acc[k + 2]! / a;
        out[o + k + 3] = a / n;
      }
    }
    acc.fill(0);
    rowsInGroup = 0;
  };

  const finishRow = () => {
    unfilter(filter, cur, prev, bpp);
    toRgba(cur, rgba);
    const target = Math.floor((y * outH) / H);
    if (target !== oy) { flush(); oy = target; }
    // Colour weighted by alpha, so transparent pixels do not darken their neighbours.
    for (let x = 0, i = 0; x < W; x++, i += 4) {
      const a = rgba[i + 3]!;
      if (a === 0) continue;
      const k = xmap[x]! * 4;
      acc[k] = acc[k]! + rgba[i]! * a;
      acc[k + 1] = acc[k + 1]! + rgba[i + 1]! * a;
      acc[k + 2] = acc[k + 2]! + rgba[i + 2]! * a;
      acc[k + 3] = acc[k + 3]! + a;
    }
    rowsInGroup++;
    [prev, cur] = [cur, prev];
    y++;
  };

  const inflate = createInflate({ chunkSize: 1024 * 1024 });
  const feeding = (async () => {
    for (const part of idat) if (!inflate.write(part)) await new Promise((r) => inflate.once('drain', r));
    inflate.end();
  })();
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      let i = 0;
      while (i < chunk.length && y < H) {
        if (filled < 0) {
          filter = chunk[i++]!;
          if (filter > 4) throw new PngError(`bad filter type ${filter} on row ${y}`);
          filled = 0;
          continue;
        }
        const n = Math.min(rowBytes - filled, chunk.length - i);
        cur.set(chunk.subarray(i, i + n), filled);
        filled += n;
        i += n;
        if (filled === rowBytes) { finishRow(); filled = -1; }
      }
      if (y >= H) break;
    }
  } catch (err) {
    if (err instanceof PngError) throw err;
    throw new PngError(`corrupt image data (${(err as Error).message})`);
  } finally {
    inflate.destroy();
    await feeding.catch(() => {});
  }
  if (y < H) throw new PngError(`truncated: ${y} of ${H} rows`);
  flush();
  return { width: outW, height: outH, data: out };
}

function unfilter(type: number, cur: Uint8Array, prev: Uint8Array, bpp: number): void {
  const n = cur.length;
  switch (type) {
    case 1: for (let i = bpp; i < n; i++) cur[i] = (cur[i]! + cur[i - bpp]!) & 0xff; break;
    case 2: for (let i = 0; i < n; i++) cur[i] = (cur[i]! + prev[i]!) & 0xff; break;
    case 3:
      for (let i = 0; i < n; i++) cur[i] = (cur[i]! + (((i >= bpp ? cur[i - bpp]! : 0) + prev[i]!) >> 1)) & 0xff;
      break;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? cur[i - bpp]! : 0, b = prev[i]!, c = i >= bpp ? prev[i - bpp]! : 0;
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        cur[i] = (cur[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
      break;
    default: break;
  }
}

/** Turns one unfiltered row of any PNG pixel format into 8-bit RGBA. */
function rowConverter(W: number, depth: number, colorType: number, palette: Buffer | null, trns: Buffer | null): (row: Uint8Array, rgba: Uint8Array) => void {
  const wide = depth === 16;
  const step = wide ? 2 : 1;
  if (colorType === 6 || colorType === 2 || colorType === 4) {
    const ch = CHANNELS[colorType]!;
    const stride = ch * step; // bytes per pixel; a 16-bit sample's high byte comes first
    // A single transparent colour (tRNS) for RGB: compared at full depth.
    const key = colorType === 2 && trns && trns.length >= 6 ? [trns.readUInt16BE(0), trns.readUInt16BE(2), trns.readUInt16BE(4)] : null;
    const full = (row: Uint8Array, i: number) => (wide ? (row[i]! << 8) | row[i + 1]! : row[i]!);
    return (row, rgba) => {
      for (let x = 0, i = 0, o = 0; x < W; x++, i += stride, o += 4) {
        if (colorType === 4) {
          rgba[o] = rgba[o + 1] = rgba[o + 2] = row[i]!;
          rgba[o + 3] = row[i + step]!;
          continue;
        }
        rgba[o] = row[i]!;
        rgba[o + 1] = row[i + step]!;
        rgba[o + 2] = row[i + 2 * step]!;
        rgba[o + 3] = colorType === 6 ? row[i + 3 * step]! : 255;
        if (key && full(row, i) === key[0] && full(row, i + step) === key[1] && full(row, i + 2 * step) === key[2]) rgba[o + 3] = 0;
      }
    };
  }
  // Greyscale or palette: samples of 1, 2, 4, 8 or 16 bits, packed from the high bit.
  const max = (1 << Math.min(depth, 8)) - 1;
  const greyKey = colorType === 0 && trns && trns.length >= 2 ? trns.readUInt16BE(0) : null;
  return (row, rgba) => {
    for (let x = 0, o = 0; x < W; x++, o += 4) {
      let v: number;
      if (depth === 16) v = (row[2 * x]! << 8) | row[2 * x + 1]!;
      else if (depth === 8) v = row[x]!;
      else {
        const bit = x * depth;
        v = (row[bit >> 3]! >> (8 - depth - (bit & 7))) & max;
      }
      if (colorType === 3) {
        const p = v * 3;
        rgba[o] = palette![p] ?? 0; rgba[o + 1] = palette![p + 1] ?? 0; rgba[o + 2] = palette![p + 2] ?? 0;
        rgba[o + 3] = trns && v < trns.length ? trns[v]! : 255;
      } else {
        const g = depth === 16 ? v >> 8 : Math.round((v * 255) / max);
        rgba[o] = rgba[o + 1] = rgba[o + 2] = g;
        rgba[o + 3] = greyKey !== null && v === greyKey ? 0 : 255;
      }
    }
  };
}
