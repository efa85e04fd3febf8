import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it, onTestFinished } from 'vitest';
import { allowsSeconds, allowsSize } from '../../domain/model-card.js';
import { newVideoId } from '../../domain/ids.js';
import { resolveMediaBinaries } from '../../media/binaries.js';
import { decodeFrameRgb } from '../../media/frames.js';
import { probe } from '../../media/probe.js';
import { runEngineContract, runEngineToFile } from '../engine.contract.js';
import { SKETCH_CARD } from './sketch.card.js';
import { SketchEngine } from './sketch.engine.js';

const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });
const make = () => new SketchEngine({ ffmpeg: bins.ffmpeg, x264Preset: 'ultrafast' });

runEngineContract('sketch', make, {
  ffmpeg: bins.ffmpeg,
  ffprobe: bins.ffprobe,
  deterministic: true,
  jobFor: () => ({ width: 256, height: 144, seconds: 1, fps: 12 }),
});

describe('sketch engine', () => {
  it('allows every OpenAI size plus 1080p both ways, whole seconds 1-20 and 12/24/30 fps', () => {
    for (const s of ['720x1280', '1280x720', '1024x1792', '1792x1024', '1920x1080', '1080x1920']) {
      const [w, h] = s.split('x').map(Number);
      expect(allowsSize(SKETCH_CARD, w!, h!)).toBe(true);
    }
    expect(allowsSize(SKETCH_CARD, 3840, 2160)).toBe(false);
    expect(allowsSize(SKETCH_CARD, 321, 180)).toBe(false);
    for (let s = 1; s <= 20; s++) expect(allowsSeconds(SKETCH_CARD, s)).toBe(true);
    expect(allowsSeconds(SKETCH_CARD, 21)).toBe(false);
    expect(SKETCH_CARD.fps).toEqual([12, 24, 30]);
    expect(SKETCH_CARD.kind).toBe('procedural');
    expect(SKETCH_CARD.description).toMatch(/not a neural/);
  });

  it('produces exactly seconds × fps frames at each card fps', async () => {
    for (const fps of SKETCH_CARD.fps) {
      const dir = mkdtempSync(join(tmpdir(), 'sketch-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const file = await runEngineToFile(make(), {
        videoId: newVideoId(), model: 'sketch', prompt: 'a boat', seed: 1, seconds: 2, width: 256, height: 144, fps, inputImagePath: null, providerJobId: null,
      }, { workDir: dir, signal: new AbortController().signal, attempt: 1, reportProgress: () => {} });
      const p = await probe(bins.ffprobe, file);
      expect(p.video?.frames).toBe(2 * fps);
      expect(p.durationSeconds).toBeCloseTo(2, 2);
    }
  });

  it('uses the reference image as the backdrop of the first frame', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sketch-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const canvas = createCanvas(64, 64);
    const c = canvas.getContext('2d');
    c.fillStyle = '#00ff00';
    c.fillRect(0, 0, 64, 64);
    writeFileSync(join(dir, 'green.png'), await canvas.encode('png'));
    const job = { videoId: newVideoId(), model: 'sketch', prompt: 'a meadow', seed: 3, seconds: 1, width: 256, height: 144, fps: 12, inputImagePath: join(dir, 'green.png'), providerJobId: null };
    const file = await runEngineToFile(make(), job, { workDir: dir, signal: new AbortController().signal, attempt: 1, reportProgress: () => {} });
    const rgb = await decodeFrameRgb(bins.ffmpeg, file, 0, { width: 256, height: 144 });
    // The top-left corner is sky in a plain render; with the backdrop it is the image's green.
    const [r, g, b] = [rgb[0]!, rgb[1]!, rgb[2]!];
    expect(g).toBeGreaterThan(200);
    expect(r).toBeLessThan(60);
    expect(b).toBeLessThan(60);
  });

  it('fails with a clear code when the reference image is not decodable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sketch-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'bad.png'), Buffer.from('\x89PNG\r\n\x1a\n garbage'));
    const job = { videoId: newVideoId(), model: 'sketch', prompt: 'x', seed: 3, seconds: 1, width: 256, height: 144, fps: 12, inputImagePath: join(dir, 'bad.png'), providerJobId: null };
    await expect(make().submit(job, { workDir: dir, signal: new AbortController().signal, attempt: 1, reportProgress: () => {} })).rejects.toMatchObject({ code: 'invalid_input_reference' });
  });
});
