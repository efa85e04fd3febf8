// `melies generate --image` with no --size: the video takes the image's orientation (the card size
// closest to its aspect), so a landscape photo is not cropped into the portrait default.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/media/probe.js';
import { decodeFrameRgb } from '../../src/media/frames.js';
import { sizedPng } from '../helpers/images.js';
import { bins } from '../helpers/media.js';
import { runMelies } from '../helpers/process.js';

const fast = { MELIES_JOB_POLL_MS: '50', MELIES_SKETCH_X264_PRESET: 'ultrafast' };
const dir = mkdtempSync(join(tmpdir(), 'melies-cli-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('melies generate --image', () => {
  it('makes a landscape video from a landscape image when no size is given', async () => {
    const image = join(dir, 'landscape.png');
    writeFileSync(image, sizedPng(1600, 900));
    const out = join(dir, 'out.mp4');
    const run = runMelies(['generate', 'a harbour at dusk', '--image', image, '--seconds', '1', '--fps', '12', '-o', out, '--data-dir', join(dir, 'data')], fast);
    expect((await run.exited).code, run.output()).toBe(0);
    expect(run.output()).toMatch(/\(1280x720, 1s, 12 fps/);
    expect((await probe(bins.ffprobe, out)).video).toMatchObject({ width: 1280, height: 720 });
  });

  it('--last-frame: sketch ends the video on that image', async () => {
    const last = join(dir, 'last.png');
    writeFileSync(last, sizedPng(1600, 900)); // white over black
    const first = join(dir, 'first.png');
    writeFileSync(first, sizedPng(640, 360));
    const out = join(dir, 'last.mp4');
    const run = runMelies(['generate', 'a harbour at dusk', '--image', first, '--last-frame', last, '--seconds', '1', '--fps', '12', '--size', '320x180', '-o', out, '--data-dir', join(dir, 'data')], fast);
    expect((await run.exited).code, run.output()).toBe(0);
    const p = await probe(bins.ffprobe, out);
    expect(p.video).toMatchObject({ width: 320, height: 180, frames: 12 });
    const rgb = await decodeFrameRgb(bins.ffmpeg, out, 11, { width: 320, height: 180 });
    const at = (x: number, y: number) => rgb[(y * 320 + x) * 3]!;
    expect(at(160, 20)).toBeGreaterThan(220); // the image's white top half
    expect(at(160, 160)).toBeLessThan(35); // and its black bottom half
  });
});
