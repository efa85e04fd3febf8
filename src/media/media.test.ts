import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sniffImage } from '../domain/image-sniff.js';
import { resolveMediaBinaries } from './binaries.js';
import { RawVideoEncoder } from './encoder.js';
import { finalizeMp4, fitInside, makeSpritesheet, makeThumbnail, SPRITESHEET } from './finalize.js';
import { probe } from './probe.js';

const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });

async function encodeTestClip(dir: string, frames: number, fps = 24): Promise<string> {
  const out = join(dir, 'raw.mp4');
  const enc = new RawVideoEncoder(bins.ffmpeg, { width: 320, height: 180, fps, output: out, preset: 'ultrafast' });
  for (let i = 0; i < frames; i++) {
    const frame = Buffer.alloc(enc.frameBytes);
    for (let p = 0; p < frame.length; p += 4) {
      frame[p] = (i * 10) & 255;
      frame[p + 1] = (p / 4) % 320;
      frame[p + 2] = 128;
      frame[p + 3] = 255;
    }
    await enc.writeFrame(frame);
  }
  await enc.finish();
  return out;
}

describe('media', () => {
  it('encodes raw frames to an H.264 MP4 of exactly the asked size, fps and duration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'melies-media-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = await encodeTestClip(dir, 48);
    const p = await probe(bins.ffprobe, file);
    expect(p.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 320, height: 180, fps: 24, frames: 48 });
    expect(p.durationSeconds).toBeCloseTo(2, 2);
  });

  it('finalizes with metadata tags, then cuts a WebP thumbnail and a 5x5 JPEG spritesheet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'melies-media-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const raw = await encodeTestClip(dir, 24);
    const final = join(dir, 'final.mp4');
    const tags = { title: 'a lighthouse at dusk', comment: JSON.stringify({ melies: { seed: 42 } }) };
    const p = await finalizeMp4(bins, raw, final, tags);
    expect(p.tags.title).toBe('a lighthouse at dusk');
    expect(JSON.parse(p.tags.comment!)).toEqual({ melies: { seed: 42 } });
    expect(p.video?.frames).toBe(24);
    // moov before mdat: playable while downloading.
    const head = readFileSync(final).subarray(0, 4096).toString('latin1');
    expect(head.indexOf('moov')).toBeGreaterThan(0);
    expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat') === -1 ? Infinity : head.indexOf('mdat'));

    await makeThumbnail(bins.ffmpeg, p, final, join(dir, 't.webp'));
    expect(sniffImage(readFileSync(join(dir, 't.webp')))).toMatchObject({ format: 'webp', width: 320, height: 180 });

    await makeSpritesheet(bins.ffmpeg, p, final, join(dir, 's.jpg'));
    const tile = fitInside(320, 180, SPRITESHEET.tileBox);
    expect(sniffImage(readFileSync(join(dir, 's.jpg')))).toMatchObject({ format: 'jpeg', width: tile.width * 5, height: tile.height * 5 });
  });

  it('explains an ffmpeg failure instead of hanging', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'melies-media-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const enc = new RawVideoEncoder(bins.ffmpeg, { width: 320, height: 180, fps: 24, output: join(dir, 'no/such/dir/x.mp4') });
    await expect((async () => {
      for (let i = 0; i < 10; i++) await enc.writeFrame(Buffer.alloc(enc.frameBytes));
      await enc.finish();
    })()).rejects.toThrow(/ffmpeg encoder failed/);
  });

  it('fits sizes inside a box with even sides', () => {
    expect(fitInside(1920, 1080, 640)).toEqual({ width: 640, height: 360 });
    expect(fitInside(1080, 1920, 640)).toEqual({ width: 360, height: 640 });
    expect(fitInside(320, 180, 640)).toEqual({ width: 320, height: 180 });
  });
});
