// Converting rendered RGBA frames to I420 (yuv420p) before they reach ffmpeg: SIMD when the
// runtime has WebAssembly SIMD (Node 20 does), the reference converter otherwise.
import { i420Bytes, rgbaToI420Reference } from './i420-reference.js';
import { simdI420Converter, type I420Converter } from './i420-simd.js';

export { i420Bytes };

export function createI420Converter(width: number, height: number, opts: { simd?: boolean } = {}): I420Converter & { simd: boolean } {
  const simd = opts.simd === false ? null : simdI420Converter(width, height, (rgba, out, fromX) => rgbaToI420Reference(rgba, out, width, height, fromX));
  if (simd) return { ...simd, simd: true };
  const input = new Uint8Array(width * height * 4);
  return {
    input,
    convertInput: (out) => rgbaToI420Reference(input, out, width, height),
    convert: (rgba, out) => rgbaToI420Reference(rgba, out, width, height),
    simd: false,
  };
}
