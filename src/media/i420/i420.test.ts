import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { resolveMediaBinaries } from '../binaries.js';
import { runTool } from '../run.js';
import { i420Bytes, rgbaToI420Reference } from './i420-reference.js';
import { createI420Converter } from './i420.js';

describe('RGBA → I420', () => {
  it('uses WebAssembly SIMD on this runtime and matches the reference byte for byte', () => {
    for (const [w, h] of [[16, 2], [32, 4], [320, 180], [1080, 64], [1920, 32], [18, 6], [2, 2]] as const) {
      const rgba = randomBytes(w * h * 4);
      const expected = new Uint8Array(i420Bytes(w, h));
      rgbaToI420Reference(rgba, expected, w, h);
      const conv = createI420Converter(w, h);
      expect(conv.simd).toBe(true);
      const got = new Uint8Array(i420Bytes(w, h));
      conv.convert(rgba, got);
      expect(Buffer.from(got).equals(Buffer.from(expected)), `${w}x${h}`).toBe(true);
    }
  });

  it('gives the colours ffmpeg gives for the same frame (within rounding)', async () => {
    const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });
    const [w, h] = [64, 32];
    const rgba = Buffer.alloc(w * h * 4);
    const colors = [[220, 59, 52], [59, 125, 216], [246, 204, 58], [30, 30, 30], [250, 250, 250], [79, 165, 82]];
    for (let p = 0; p < w * h; p++) {
      const c = colors[Math.floor((p % w) / 11) % colors.length]!;
      rgba.set([...c, 255], p * 4);
    }
    const dir = mkdtempSync(join(tmpdir(), 'i420-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'in.rgba'), rgba);
    await runTool(bins.ffmpeg, ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${w}x${h}`, '-i', join(dir, 'in.rgba'), '-f', 'rawvideo', '-pix_fmt', 'yuv420p', join(dir, 'out.yuv')]);
    const theirs = readFileSync(join(dir, 'out.yuv'));
    const ours = new Uint8Array(i420Bytes(w, h));
    createI420Converter(w, h).convert(rgba, ours);
    // Compare the luma plane (chroma filtering differs at colour edges by design).
    let maxDiff = 0;
    for (let i = 0; i < w * h; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - theirs[i]!));
    expect(maxDiff).toBeLessThanOrEqual(2);
    // Chroma away from the colour edges matches too.
    const u0 = w * h;
    expect(Math.abs(ours[u0 + 2]! - theirs[u0 + 2]!)).toBeLessThanOrEqual(2);
  });
});
