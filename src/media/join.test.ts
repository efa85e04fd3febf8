import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { resolveMediaBinaries } from './binaries.js';
import { RawVideoEncoder } from './encoder.js';
import { decodeFrameRgb, frameHashes } from './frames.js';
import { extractLastFrame, joinableByCopy, joinByCopy, joinClips } from './join.js';
import { probe } from './probe.js';
import { runTool } from './run.js';

const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });

/** A clip whose frame i is a flat grey of level start + i * 8 (each frame tells its number). */
async function greyClip(file: string, frames: number, start: number, opts: { width?: number; height?: number; fps?: number; preset?: string } = {}): Promise<string> {
  const { width = 64, height = 36, fps = 12 } = opts;
  const enc = new RawVideoEncoder(bins.ffmpeg, { width, height, fps, output: file, preset: opts.preset ?? 'ultrafast' });
  for (let i = 0; i < frames; i++) await enc.writeFrame(Buffer.alloc(enc.frameBytes, Math.min(255, start + i * 8)));
  await enc.finish();
  return file;
}

const level = async (file: string, i: number, size = { width: 64, height: 36 }) => {
  const px = await decodeFrameRgb(bins.ffmpeg, file, i, size);
  return px.reduce((s, x) => s + x, 0) / px.length;
};

describe('joining an extension', () => {
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'melies-join-'));
    onTestFinished(() => rmSync(d, { recursive: true, force: true }));
    return d;
  };

  it('takes the last frame, and re-encodes source + clip less the clip\'s repeated first frame at the source\'s size and fps', async () => {
    const d = dir();
    const source = await greyClip(join(d, 'a.mp4'), 12, 16);
    await extractLastFrame(bins.ffmpeg, source, join(d, 'last.png'));
    const last = await probe(bins.ffprobe, join(d, 'last.png'));
    expect(last.video).toMatchObject({ width: 64, height: 36 });
    // Another engine's clip: twice the size, 24 fps, starting on the source's last frame (level 104).
    const clip = await greyClip(join(d, 'b.mp4'), 24, 104, { width: 128, height: 72, fps: 24 });
    const out = join(d, 'out.mp4');
    await joinClips(bins, source, clip, out, { width: 64, height: 36, fps: 12, dropFirstFrame: true });
    const p = await probe(bins.ffprobe, out);
    expect(p.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 64, height: 36, fps: 12 });
    // 12 source frames, then the clip (24 frames at 24 fps: 12 at 12 fps) less its first frame.
    expect(p.video!.frames).toBe(12 + 12 - 1);
    expect(Math.abs((await level(out, 11)) - 104)).toBeLessThan(4);
    expect(await level(out, 12)).toBeGreaterThan(106); // not the repeated frame
  });

  it('joins clips of one encoder by stream copy: every frame kept, nothing re-encoded', async () => {
    const d = dir();
    const a = await greyClip(join(d, 'a.mp4'), 24, 0, { preset: 'veryfast' });
    const b = await greyClip(join(d, 'b.mp4'), 36, 8 * 24, { preset: 'veryfast' });
    expect(await joinableByCopy(bins, a, b)).toBe(true);
    const out = join(d, 'out.mp4');
    await joinByCopy(bins.ffmpeg, a, b, out, join(d, 'list.ffconcat'));
    const p = await probe(bins.ffprobe, out);
    expect(p.video).toMatchObject({ codec: 'h264', width: 64, height: 36, fps: 12, frames: 60 });
    expect(p.durationSeconds).toBeCloseTo(5, 2);
    const [ha, hb, ho] = [await frameHashes(bins.ffmpeg, a), await frameHashes(bins.ffmpeg, b), await frameHashes(bins.ffmpeg, out)];
    expect(ho).toEqual([...ha, ...hb]);
    // Another preset writes other parameter sets: not joinable by copy.
    const c = await greyClip(join(d, 'c.mp4'), 12, 0, { preset: 'ultrafast' });
    expect(await joinableByCopy(bins, a, c)).toBe(false);
  });

  it('brings an uploaded source of another size and frame rate to the new part\'s, and keeps its sound with silence under a silent new part', async () => {
    const d = dir();
    // A phone-like upload: 25 fps, 80x60 (4:3), with a tone; 2 s.
    const source = join(d, 'upload.mp4');
    await runTool(bins.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=80x60:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', source]);
    const clip = await greyClip(join(d, 'b.mp4'), 24, 104, { width: 64, height: 36, fps: 24 });
    const out = join(d, 'out.mp4');
    await joinClips(bins, source, clip, out, { width: 64, height: 36, fps: 24, dropFirstFrame: true });
    const p = await probe(bins.ffprobe, out);
    expect(p.video).toMatchObject({ codec: 'h264', width: 64, height: 36, fps: 24 });
    // 2 s at 24 fps, then the 24-frame clip less its first frame.
    expect(p.video!.frames).toBe(48 + 23);
    expect(p.hasAudio).toBe(true);
    expect(p.durationSeconds).toBeGreaterThan(71 / 24 - 0.05);
    // The 4:3 picture sits inside the 16:9 frame between black bars (fitted, not stretched).
    const first = await decodeFrameRgb(bins.ffmpeg, out, 0, { width: 64, height: 36 });
    expect(first[(18 * 64 + 1) * 3]! + first[(18 * 64 + 1) * 3 + 1]! + first[(18 * 64 + 1) * 3 + 2]!).toBeLessThan(30);
    expect(first[(18 * 64 + 32) * 3]! + first[(18 * 64 + 32) * 3 + 1]! + first[(18 * 64 + 32) * 3 + 2]!).toBeGreaterThan(60);
  });

  it('reads a phone clip stored landscape with a 90° display rotation as the portrait frames ffmpeg decodes', async () => {
    const d = dir();
    const stored = join(d, 'stored.mp4');
    await runTool(bins.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=12:duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', stored]);
    const phone = join(d, 'phone.mp4');
    await runTool(bins.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', stored, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', phone]);
    expect((await probe(bins.ffprobe, phone)).video).toMatchObject({ width: 180, height: 320 });
    await extractLastFrame(bins.ffmpeg, phone, join(d, 'last.png'));
    expect((await probe(bins.ffprobe, join(d, 'last.png'))).video).toMatchObject({ width: 180, height: 320 });
  });
});
