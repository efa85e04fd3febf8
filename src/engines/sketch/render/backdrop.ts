// A reference image as the first shot's set: decoded once at the size the shot needs (never the
// photo's own size when that is larger), framed so no camera move shows its edges, and graded to
// the shot's light (dusk warm, night dark blue) and style. Frames then only draw one small bitmap.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createCanvas, loadImage, type Canvas } from '@napi-rs/canvas';
import { sniffImage } from '../../../domain/image-sniff.js';
import type { TimeOfDay } from '../plan/scene-plan.js';
import type { CameraState } from './camera.js';
import { css, type Rgb } from './color.js';
import type { Lighting } from './palette.js';
import type { ColorGrade } from './style.js';
import { decodePngScaled, pngHeader } from './png-scaled.js';

/** Parallax depth of the backdrop: behind the subjects (1), so it moves at 40 % of their speed. */
export const BACKDROP_DEPTH = 0.4;

export interface BackdropSource {
  width: number;
  height: number;
  format: 'png' | 'jpeg' | 'webp';
  bytes: Buffer;
}

/** Where the backdrop sits in world coordinates, and the pixel size worth decoding. */
export interface BackdropLayout {
  x: number;
  y: number;
  width: number;
  height: number;
  pixelWidth: number;
  pixelHeight: number;
}

/** Reads the file and its dimensions; throws (a 'backdrop' failure) when it is not an image. */
export async function openBackdrop(path: string): Promise<BackdropSource> {
  const bytes = await readFile(path);
  const info = sniffImage(bytes);
  if (!info) throw new Error('not a PNG, JPEG or WebP image');
  return { width: info.width, height: info.height, format: info.format, bytes };
}

/**
 * Covers the frame plus a margin as wide as the camera ever moves the backdrop layer (so no edge
 * shows), keeping the image's aspect; decoded at that size times the largest zoom the layer gets,
 * and never above the image's own size.
 */
export function layoutBackdrop(img: { width: number; height: number }, W: number, H: number, cams: readonly CameraState[]): BackdropLayout {
  let mx = 0, my = 0, scale = 1;
  for (const c of cams) {
    mx = Math.max(mx, Math.abs(c.x) * BACKDROP_DEPTH * H);
    my = Math.max(my, Math.abs(c.y) * BACKDROP_DEPTH * H);
    scale = Math.max(scale, 1 + (c.zoom - 1) * BACKDROP_DEPTH);
  }
  // A pixel more on each side hides anti-aliased edges.
  mx = Math.ceil(mx) + 1;
  my = Math.ceil(my) + 1;
  const s = Math.max((W + 2 * mx) / img.width, (H + 2 * my) / img.height);
  const width = img.width * s, height = img.height * s;
  return {
    x: (W - width) / 2, y: (H - height) / 2, width, height,
    pixelWidth: Math.max(1, Math.min(img.width, Math.ceil(width * scale))),
    pixelHeight: Math.max(1, Math.min(img.height, Math.ceil(height * scale))),
  };
}

/**
 * The image at `width` × `height`. PNGs are decoded straight to that size, a row at a time; JPEGs
 * by ffmpeg at the smallest power-of-two reduction still at least that size (libjpeg's DCT scaling,
 * `-lowres`), in its own short-lived process; anything else (WebP, an interlaced PNG, or either
 * path failing) is decoded whole (the API caps its pixels) and scaled once, and the full bitmap is
 * dropped before the first frame.
 */
export async function decodeBackdrop(src: BackdropSource, width: number, height: number, opts: { ffmpeg?: string } = {}): Promise<Canvas> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const put = (rgba: ArrayLike<number>) => {
    const data = ctx.createImageData(width, height);
    data.data.set(rgba);
    ctx.putImageData(data, 0, 0);
    return canvas;
  };
  const header = pngHeader(src.bytes);
  if (header && !header.interlaced) return put((await decodePngScaled(src.bytes, width, height)).data);
  if (src.format === 'jpeg' && opts.ffmpeg) {
    const rgba = await jpegScaled(opts.ffmpeg, src, width, height).catch(() => null);
    if (rgba) return put(rgba);
  }
  const image = await loadImage(src.bytes);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, width, height);
  return canvas;
}

/** RGBA bytes of a JPEG at `width` × `height`, decoded by ffmpeg at a reduced size; null if it fails. */
export function jpegScaled(ffmpeg: string, src: BackdropSource, width: number, height: number): Promise<Uint8Array | null> {
  let lowres = 0;
  while (lowres < 3 && Math.floor(src.width / 2 ** (lowres + 1)) >= width && Math.floor(src.height / 2 ** (lowres + 1)) >= height) lowres++;
  const args = ['-v', 'error', '-nostdin', ...(lowres ? ['-lowres', String(lowres)] : []), '-f', 'image2pipe', '-c:v', 'mjpeg', '-i', 'pipe:0',
    '-vf', `scale=${width}:${height}:flags=area`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'];
  return new Promise((resolve) => {
    const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stdin.on('error', () => {}); // ffmpeg may stop reading early; its exit code says how it went
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      const rgba = Buffer.concat(out);
      resolve(code === 0 && rgba.length === width * height * 4 ? rgba : null);
    });
    child.stdin.end(src.bytes);
  });
}

/** How much of the sky's hue bleeds into the photo: none by day, some at the ends of the day. */
const TINT: Record<TimeOfDay, number> = { dawn: 0.15, morning: 0, noon: 0, afternoon: 0, dusk: 0.18, night: 0.2 };

/**
 * Lights the backdrop (in place) like the shot's drawn surfaces: multiplied by the ambient light
 * (white at noon, so a noon photo is unchanged; dark blue at night), tinted toward the sky at
 * dawn, dusk and night, then put through the style's colour transform (noir, vintage, …).
 */
export function gradeBackdrop(out: Canvas, lighting: Lighting, timeOfDay: TimeOfDay, grade: ColorGrade, styled: boolean): Canvas {
  const ctx = out.getContext('2d');
  ctx.save();
  ctx.globalCompositeOperation = 'multiply';
  ctx.fillStyle = css(lighting.ambient);
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.globalCompositeOperation = 'source-over';
  const tint = TINT[timeOfDay];
  if (tint > 0) {
    ctx.fillStyle = css(lighting.tint, tint);
    ctx.fillRect(0, 0, out.width, out.height);
  }
  if (styled) {
    // Styles are per-pixel colour transforms; done once here, not per frame.
    const img = ctx.getImageData(0, 0, out.width, out.height);
    const d = img.data;
    const c: Rgb = [0, 0, 0];
    for (let i = 0; i < d.length; i += 4) {
      c[0] = d[i]!; c[1] = d[i + 1]!; c[2] = d[i + 2]!;
      const g = grade(c);
      d[i] = g[0]; d[i + 1] = g[1]; d[i + 2] = g[2];
    }
    ctx.putImageData(img, 0, 0);
  }
  ctx.restore();
  return out;
}
