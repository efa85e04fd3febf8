// First and last frames for the built-in engine (issue 15 §5): the video opens on the scene drawn
// over the first image (the usual backdrop) and crossfades, over its whole length, into the last
// image, so its final frame is that image, as a provider's last frame is. Done on the encoded-side
// I420 frames, outside the render worker, so the renderer itself does not change.
import { createCanvas } from '@napi-rs/canvas';
import { createI420Converter, i420Bytes } from '../../../media/i420/i420.js';
import { decodeBackdrop, openBackdrop } from './backdrop.js';

/** The image cover-fitted (centred, cropped, never letterboxed) to `width` × `height`, as I420 bytes. */
export async function lastFrameI420(path: string, width: number, height: number, opts: { ffmpeg?: string } = {}): Promise<Uint8Array> {
  const src = await openBackdrop(path);
  const s = Math.max(width / src.width, height / src.height);
  const dw = Math.max(width, Math.ceil(src.width * s)), dh = Math.max(height, Math.ceil(src.height * s));
  const scaled = await decodeBackdrop(src, dw, dh, opts);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(scaled, Math.round((width - dw) / 2), Math.round((height - dh) / 2));
  const out = new Uint8Array(i420Bytes(width, height));
  createI420Converter(width, height).convert(ctx.getImageData(0, 0, width, height).data, out);
  return out;
}

/** How much of the last image frame `i` of `total` shows: 0 on the first, 1 on the last, eased (smoothstep). */
export function lastFrameWeight(i: number, total: number): number {
  if (total <= 1) return 1;
  const t = Math.max(0, Math.min(1, i / (total - 1)));
  return t * t * (3 - 2 * t);
}

/**
 * Passes the frames on, each blended in place toward `target` (I420 of the same size) by
 * lastFrameWeight. Blending Y, U and V linearly is blending the colours linearly (the transform is
 * affine), so midway frames are true crossfades.
 */
export async function* crossfadeTo(frames: AsyncIterable<Buffer>, target: Uint8Array, total: number): AsyncGenerator<Buffer> {
  let i = 0;
  for await (const frame of frames) {
    const w = lastFrameWeight(i++, total);
    if (w >= 1) frame.set(target.subarray(0, frame.length));
    else if (w > 0) {
      const a = Math.round(w * 256), b = 256 - a;
      for (let k = 0; k < frame.length; k++) frame[k] = (frame[k]! * b + target[k]! * a + 128) >> 8;
    }
    yield frame;
  }
}
