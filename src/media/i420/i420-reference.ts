// RGBA → I420 (yuv420p, BT.601 limited range, the matrix ffmpeg assumes for yuv420p) in plain
// TypeScript: the reference the SIMD converter must match byte for byte, and the fallback where
// WebAssembly SIMD is missing. Chroma is taken from the average of each 2x2 block.

/** Bytes of an I420 frame: a full-size Y plane and quarter-size U and V planes. */
export function i420Bytes(width: number, height: number): number {
  return width * height + 2 * (width / 2) * (height / 2);
}

/** Converts columns fromX..width (all of them by default; fromX must be even). */
export function rgbaToI420Reference(rgba: Uint8Array | Uint8ClampedArray, out: Uint8Array, width: number, height: number, fromX = 0): void {
  if (width % 2 || height % 2 || fromX % 2) throw new Error(`I420 needs even dimensions, got ${width}x${height} from column ${fromX}`);
  const uBase = width * height;
  const vBase = uBase + (width / 2) * (height / 2);
  const at = (x: number, y: number) => (y * width + x) * 4;
  for (let y = 0; y < height; y += 2) {
    for (let x = fromX; x < width; x += 2) {
      let rs = 0, gs = 0, bs = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const i = at(x + dx, y + dy);
        const r = rgba[i]!, g = rgba[i + 1]!, b = rgba[i + 2]!;
        out[(y + dy) * width + x + dx] = (66 * r + 129 * g + 25 * b + 4224) >> 8;
        rs += r; gs += g; bs += b;
      }
      const r = (rs + 2) >> 2, g = (gs + 2) >> 2, b = (bs + 2) >> 2;
      const c = (y / 2) * (width / 2) + x / 2;
      out[uBase + c] = (-38 * r - 74 * g + 112 * b + 32896) >> 8;
      out[vBase + c] = (112 * r - 94 * g - 18 * b + 32896) >> 8;
    }
  }
}
