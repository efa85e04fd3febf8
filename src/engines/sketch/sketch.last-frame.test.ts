// First and last frames in the built-in engine (issue 15 §5), checked on the encoded MP4: it opens
// on the scene drawn over the first image and ends on the last image, crossfading in between.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it, onTestFinished } from 'vitest';
import { newVideoId } from '../../domain/ids.js';
import { resolveMediaBinaries } from '../../media/binaries.js';
import { decodeFrameRgb } from '../../media/frames.js';
import { probe } from '../../media/probe.js';
import { runEngineToFile } from '../engine.contract.js';
import { lastFrameWeight } from './render/backdrop-pair.js';
import { SKETCH_CARD } from './sketch.card.js';
import { SketchEngine } from './sketch.engine.js';

const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });
const W = 256, H = 144;

async function solid(dir: string, name: string, color: string, w: number, h: number, format: 'png' | 'jpeg' = 'png'): Promise<string> {
  const canvas = createCanvas(w, h);
  const c = canvas.getContext('2d');
  c.fillStyle = color;
  c.fillRect(0, 0, w, h);
  const file = join(dir, `${name}.${format === 'png' ? 'png' : 'jpg'}`);
  writeFileSync(file, await canvas.encode(format as 'png'));
  return file;
}

function mean(rgb: Buffer): [number, number, number] {
  const m = [0, 0, 0];
  for (let i = 0; i < rgb.length; i += 3) for (let c = 0; c < 3; c++) m[c]! += rgb[i + c]!;
  return m.map((v) => v / (rgb.length / 3)) as [number, number, number];
}

describe('sketch engine with first and last frames', () => {
  it('says so on its card', () => {
    expect(SKETCH_CARD.lastFrame).toBe(true);
  });

  it('eases the last image in from nothing on the first frame to all of it on the last', () => {
    expect(lastFrameWeight(0, 48)).toBe(0);
    expect(lastFrameWeight(47, 48)).toBe(1);
    expect(lastFrameWeight(24, 49)).toBeCloseTo(0.5, 5);
    for (let i = 1; i < 48; i++) expect(lastFrameWeight(i, 48)).toBeGreaterThanOrEqual(lastFrameWeight(i - 1, 48));
    expect(lastFrameWeight(0, 1)).toBe(1);
  });

  it('opens on the first image (mean colour) and ends on the last, every frame there (ffprobe)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sketch-flf-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    // Different aspects and formats on purpose: the last image is cover-fitted like the backdrop.
    const first = await solid(dir, 'red', '#e02020', 320, 180);
    const last = await solid(dir, 'blue', '#2040e0', 300, 300, 'jpeg');
    const seconds = 2, fps = 12;
    const job = { videoId: newVideoId(), model: 'sketch', prompt: 'a meadow', seed: 3, seconds, width: W, height: H, fps, inputImagePath: first, lastFrameImagePath: last, providerJobId: null };
    const file = await runEngineToFile(new SketchEngine({ ffmpeg: bins.ffmpeg, x264Preset: 'ultrafast' }), job, { workDir: dir, signal: new AbortController().signal, attempt: 1, reportProgress: () => {} });
    const p = await probe(bins.ffprobe, file);
    expect(p.video).toMatchObject({ width: W, height: H, frames: seconds * fps });

    const [r0, , b0] = mean(await decodeFrameRgb(bins.ffmpeg, file, 0, { width: W, height: H }));
    expect(r0).toBeGreaterThan(b0 + 40); // red: the first image behind the drawn scene
    const [rm, , bm] = mean(await decodeFrameRgb(bins.ffmpeg, file, seconds * fps / 2, { width: W, height: H }));
    expect(rm).toBeLessThan(r0);
    expect(bm).toBeGreaterThan(b0);
    const [rl, gl, bl] = mean(await decodeFrameRgb(bins.ffmpeg, file, seconds * fps - 1, { width: W, height: H }));
    // The last image itself (#2040e0), give or take the encoder.
    expect(Math.abs(rl - 0x20)).toBeLessThan(14);
    expect(Math.abs(gl - 0x40)).toBeLessThan(14);
    expect(Math.abs(bl - 0xe0)).toBeLessThan(14);
  });

  it('fails with a clear code when the last frame is not decodable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sketch-flf-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'bad.png'), Buffer.from('\x89PNG\r\n\x1a\n garbage'));
    const job = { videoId: newVideoId(), model: 'sketch', prompt: 'x', seed: 3, seconds: 1, width: W, height: H, fps: 12, inputImagePath: null, lastFrameImagePath: join(dir, 'bad.png'), providerJobId: null };
    await expect(new SketchEngine({ ffmpeg: bins.ffmpeg }).submit(job, { workDir: dir, signal: new AbortController().signal, attempt: 1, reportProgress: () => {} }))
      .rejects.toMatchObject({ code: 'invalid_input_reference', message: /last frame/ });
  });
});
