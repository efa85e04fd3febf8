// Test helper: measurements on rendered RGBA frames, so tests check what a viewer would notice
// (darker, red blob, particles falling, content shifting, growing) rather than trusting the code.

export interface Frame {
  data: Buffer | Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

export function meanLuminance(f: Frame): number {
  let sum = 0;
  for (let i = 0; i < f.data.length; i += 4) sum += 0.299 * f.data[i]! + 0.587 * f.data[i + 1]! + 0.114 * f.data[i + 2]!;
  return sum / (f.data.length / 4) / 255;
}

/** Boolean mask of pixels matching `test(r, g, b)`. */
export function mask(f: Frame, test: (r: number, g: number, b: number) => boolean): Uint8Array {
  const m = new Uint8Array(f.width * f.height);
  for (let p = 0, i = 0; p < m.length; p++, i += 4) m[p] = test(f.data[i]!, f.data[i + 1]!, f.data[i + 2]!) ? 1 : 0;
  return m;
}

/** Sizes of the 4-connected blobs of a mask, largest first. */
export function blobs(m: Uint8Array, width: number): number[] {
  const seen = new Uint8Array(m.length);
  const sizes: number[] = [];
  const stack: number[] = [];
  for (let start = 0; start < m.length; start++) {
    if (!m[start] || seen[start]) continue;
    let size = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      size++;
      const x = p % width;
      for (const q of [p - width, p + width, x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1]) {
        if (q >= 0 && q < m.length && m[q] && !seen[q]) { seen[q] = 1; stack.push(q); }
      }
    }
    sizes.push(size);
  }
  return sizes.sort((a, b) => b - a);
}

/** Grey levels 0..1, downsampled by `step` (cheap and robust for motion estimates). */
export function grey(f: Frame, step = 2): { g: Float32Array; w: number; h: number } {
  const w = Math.floor(f.width / step), h = Math.floor(f.height / step);
  const g = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = ((y * step) * f.width + x * step) * 4;
    g[y * w + x] = (0.299 * f.data[i]! + 0.587 * f.data[i + 1]! + 0.114 * f.data[i + 2]!) / 255;
  }
  return { g, w, h };
}

function ncc(a: Float32Array, b: Float32Array, pairs: Array<[number, number]>): number {
  let ma = 0, mb = 0;
  for (const [i, j] of pairs) { ma += a[i]!; mb += b[j]!; }
  ma /= pairs.length; mb /= pairs.length;
  let num = 0, da = 0, db = 0;
  for (const [i, j] of pairs) { const x = a[i]! - ma, y = b[j]! - mb; num += x * y; da += x * x; db += y * y; }
  return num / Math.sqrt(da * db + 1e-12);
}

/**
 * The shift (in pixels of the downsampled grid, dx along x or dy along y) that best maps frame
 * `a` onto frame `b`, by normalised cross-correlation over the overlap. Positive dx: content moved right.
 */
export function bestShift(a: { g: Float32Array; w: number; h: number }, b: { g: Float32Array; w: number; h: number }, axis: 'x' | 'y', max: number, region?: { y0: number; y1: number }): { shift: number; score: number } {
  let best = { shift: 0, score: -Infinity };
  const y0 = region?.y0 ?? 0, y1 = region?.y1 ?? a.h;
  for (let s = -max; s <= max; s++) {
    const pairs: Array<[number, number]> = [];
    for (let y = y0; y < y1; y += 1) for (let x = 0; x < a.w; x += 2) {
      const tx = axis === 'x' ? x + s : x, ty = axis === 'y' ? y + s : y;
      if (tx < 0 || tx >= a.w || ty < y0 || ty >= y1) continue;
      pairs.push([y * a.w + x, ty * a.w + tx]);
    }
    const score = ncc(a.g, b.g, pairs);
    if (score > best.score) best = { shift: s, score };
  }
  return best;
}

/** The zoom factor (≥ 1 means content grew) that best maps the centre of `a` onto `b`. */
export function bestScale(a: { g: Float32Array; w: number; h: number }, b: { g: Float32Array; w: number; h: number }, scales: number[], center: { x: number; y: number }): number {
  let best = { s: 1, score: -Infinity };
  for (const s of scales) {
    const pairs: Array<[number, number]> = [];
    for (let y = 0; y < b.h; y += 2) for (let x = 0; x < b.w; x += 2) {
      // Pixel (x, y) of b shows what was at centre + (x - centre) / s in a.
      const ax = Math.round(center.x + (x - center.x) / s), ay = Math.round(center.y + (y - center.y) / s);
      if (ax < 0 || ax >= a.w || ay < 0 || ay >= a.h) continue;
      pairs.push([ay * a.w + ax, y * b.w + x]);
    }
    const score = ncc(a.g, b.g, pairs);
    if (score > best.score) best = { s, score };
  }
  return best.s;
}

export function meanAbsDiff(a: Frame, b: Frame): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) sum += Math.abs(a.data[i]! - b.data[i]!) + Math.abs(a.data[i + 1]! - b.data[i + 1]!) + Math.abs(a.data[i + 2]! - b.data[i + 2]!);
  return sum / (a.data.length / 4) / 765;
}
