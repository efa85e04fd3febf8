// A reference image in the built-in engine, checked on pixels: it is a living backdrop (it moves
// over the shot, behind subjects that move more), lit for the time of day, under the drawn
// subjects, and decoded at about the output size however large the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveMediaBinaries } from '../../media/binaries.js';
import { parsePrompt } from './plan/parse-prompt.js';
import { rngFrom } from './prng.js';
import { jpegScaled, openBackdrop } from './render/backdrop.js';
import { FrameRenderer } from './render/frame-renderer.js';
import { bestShift, blobs, grey, mask, meanAbsDiff, meanLuminance, type Frame } from './test-pixels.js';

const W = 320, H = 180, FPS = 12;
const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });
const dir = mkdtempSync(join(tmpdir(), 'melies-backdrop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A photo-like texture: random-width vertical bands of grey, so horizontal motion is measurable. */
async function bands(name: string, w = 640, h = 360, level = (v: number) => 60 + v * 150): Promise<string> {
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  const rng = rngFrom(name);
  for (let x = 0; x < w;) {
    const bw = 4 + Math.floor(rng() * 14);
    const g = Math.round(level(rng()));
    ctx.fillStyle = `rgb(${g},${g},${g})`;
    ctx.fillRect(x, 0, bw, h);
    x += bw;
  }
  const file = join(dir, `${name}.png`);
  writeFileSync(file, await c.encode('png'));
  return file;
}

async function solid(name: string, color: string, w = 400, h = 300, format: 'png' | 'jpeg' = 'png'): Promise<string> {
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, w, h);
  const file = join(dir, `${name}.${format === 'png' ? 'png' : 'jpg'}`);
  writeFileSync(file, await c.encode(format as 'png'));
  return file;
}

async function renderer(prompt: string, backdropPath: string, seconds = 3, opts: { ffmpeg?: string } = {}) {
  const r = await FrameRenderer.create({ plan: parsePrompt(prompt, seconds), width: W, height: H, fps: FPS, seed: 4, backdropPath, ...opts });
  return { r, frame: (i: number): Frame => ({ data: r.render(i), width: W, height: H }) };
}

const channelMeans = (f: Frame) => {
  const m = [0, 0, 0];
  for (let i = 0; i < f.data.length; i += 4) for (let c = 0; c < 3; c++) m[c]! += f.data[i + c]!;
  return m.map((v) => v / (f.data.length / 4)) as [number, number, number];
};

describe('sketch engine with a reference image', () => {
  it('animates the reference when the prompt names no camera: a slow move, frame after frame', async () => {
    const { r, frame } = await renderer('an afternoon', await bands('drift'));
    const first = frame(0), last = frame(r.frameCount - 1);
    expect(meanAbsDiff(first, last)).toBeGreaterThan(0.02);
    // It keeps moving through the shot, not in one jump.
    const mid = Math.floor(r.frameCount / 2);
    expect(meanAbsDiff(frame(mid), frame(mid + 1))).toBeGreaterThan(0);
    expect(meanAbsDiff(frame(mid - 6), frame(mid + 6))).toBeGreaterThan(0.005);
  });

  it('follows the camera the prompt asks for: a static camera holds the reference still, a pan slides it', async () => {
    const image = await bands('asked');
    const still = await renderer('an afternoon, static camera', image);
    expect(meanAbsDiff(still.frame(0), still.frame(still.r.frameCount - 1))).toBe(0);
    const pan = await renderer('an afternoon, the camera pans left', image);
    const shift = bestShift(grey(pan.frame(8)), grey(pan.frame(28)), 'x', 12).shift;
    expect(shift).toBeGreaterThan(0); // panning left moves the picture right
  });

  it('puts the reference behind the subjects: a pan moves the subjects more than the backdrop (parallax)', async () => {
    const { frame } = await renderer('a red house at noon, the camera pans left', await bands('parallax', 640, 360, (v) => 150 + v * 60));
    const red = (f: Frame) => mask(f, (r, g, b) => r > 150 && g < 90 && b < 90);
    const centroidX = (m: Uint8Array) => {
      let sx = 0, n = 0;
      for (let p = 0; p < m.length; p++) if (m[p]) { sx += p % W; n++; }
      expect(n).toBeGreaterThan(50);
      return sx / n;
    };
    const a = frame(8), b = frame(28);
    const subject = centroidX(red(b)) - centroidX(red(a));
    // The top rows are backdrop only (the house stands on the ground); grey() halves coordinates.
    const backdrop = 2 * bestShift(grey(a), grey(b), 'x', 20, { y0: 0, y1: 20 }).shift;
    expect(backdrop).toBeGreaterThan(0);
    expect(subject).toBeGreaterThan(backdrop * 1.8);
  });

  it('grades the reference to the time of day: night darker and bluer than noon, dusk warmer', async () => {
    const image = await solid('grey', '#8c8c8c');
    const at = async (time: string) => (await renderer(`a field at ${time}, static camera`, image, 1)).frame(0);
    const noon = await at('noon'), night = await at('night'), dusk = await at('dusk');
    // Noon shows the photo as it is.
    const [nr, ng, nb] = channelMeans(noon);
    for (const v of [nr, ng, nb]) expect(Math.abs(v - 0x8c)).toBeLessThan(4);
    expect(meanLuminance(night)).toBeLessThan(meanLuminance(noon) * 0.6);
    const [r1, , b1] = channelMeans(night);
    expect(b1 / r1).toBeGreaterThan((nb / nr) * 1.3);
    const [r2, , b2] = channelMeans(dusk);
    expect(r2 / b2).toBeGreaterThan((nr / nb) * 1.1);
  });

  it('draws the subjects on top of the reference', async () => {
    const { frame } = await renderer('a red balloon at noon', await solid('green', '#00c000'), 2);
    const f = frame(6);
    const red = blobs(mask(f, (r, g, b) => r > 150 && g < 90 && b < 90), W);
    expect(red[0] ?? 0).toBeGreaterThan(W * H * 0.002);
    const [r, g, b] = [f.data[0]!, f.data[1]!, f.data[2]!];
    expect(g).toBeGreaterThan(150);
    expect(r + b).toBeLessThan(60);
  });

  it('reads JPEG references, decoded at a reduced size by ffmpeg or whole without it, to the same picture', async () => {
    const image = await solid('blue', '#2040e0', 2400, 1800, 'jpeg');
    const scaled = await renderer('an afternoon, static camera', image, 1, { ffmpeg: bins.ffmpeg });
    const whole = await renderer('an afternoon, static camera', image, 1);
    // ffmpeg decodes it at 1/4 (600x450, libjpeg's DCT scaling) and scales that: it really runs.
    const size = scaled.r.backdropSize!;
    expect(size.width).toBeLessThan(600);
    const rgba = await jpegScaled(bins.ffmpeg, await openBackdrop(image), size.width, size.height);
    expect(rgba?.length).toBe(size.width * size.height * 4);
    for (const { frame } of [scaled, whole]) {
      const [r, g, b] = channelMeans(frame(0));
      expect(b).toBeGreaterThan(150);
      expect(r + g).toBeLessThan(b);
    }
    expect(meanAbsDiff(scaled.frame(0), whole.frame(0))).toBeLessThan(0.02);
  });

  it('decodes a huge reference at about the output size, not at its own', async () => {
    // An 8192x8192 PNG of 1-bit white rows: a few KB on disk, 256 MiB as a whole bitmap.
    const crc = (buf: Buffer) => { let c = ~0; for (const x of buf) { c ^= x; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)); } return ~c >>> 0; };
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(8); head.writeUInt32BE(data.length, 0); head.write(type, 4, 'latin1');
      const tail = Buffer.alloc(4); tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), data])), 0);
      return Buffer.concat([head, data, tail]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(8192, 0); ihdr.writeUInt32BE(8192, 4); ihdr[8] = 1;
    const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(1024, 0xff)]);
    const file = join(dir, 'huge.png');
    writeFileSync(file, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(Array(8192).fill(row)))), chunk('IEND', Buffer.alloc(0))]));
    const { r, frame } = await renderer('an afternoon', file, 1);
    const size = r.backdropSize!;
    // Cover the frame plus the camera's travel, at the largest zoom: a little more than 320x320.
    expect(size.width).toBeLessThanOrEqual(2 * W);
    expect(size.height).toBeLessThanOrEqual(2 * W);
    expect(meanLuminance(frame(0))).toBeGreaterThan(0.9); // and it is the white image
  });
});
