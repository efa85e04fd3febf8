// The built-in engine checked on pixels: prompts change measurable properties of the frames the
// way a viewer would notice (darkness, particles falling, a red blob, motion direction, zoom, cuts).
import { describe, expect, it } from 'vitest';
import { parsePrompt } from './plan/parse-prompt.js';
import { FrameRenderer } from './render/frame-renderer.js';
import { bestScale, bestShift, blobs, grey, mask, meanAbsDiff, meanLuminance, type Frame } from './test-pixels.js';

const W = 320, H = 180, FPS = 12;

async function renderer(prompt: string, opts: { seconds?: number; seed?: number; width?: number; height?: number } = {}) {
  const seconds = opts.seconds ?? 2;
  const r = await FrameRenderer.create({ plan: parsePrompt(prompt, seconds), width: opts.width ?? W, height: opts.height ?? H, fps: FPS, seed: opts.seed ?? 11 });
  return { r, frame: (i: number): Frame => ({ data: r.render(i), width: opts.width ?? W, height: opts.height ?? H }) };
}

describe('sketch engine, on pixels', () => {
  it('makes "at night" darker than "at noon"', async () => {
    const night = (await renderer('a meadow at night')).frame(12);
    const noon = (await renderer('a meadow at noon')).frame(12);
    expect(meanLuminance(night)).toBeLessThan(meanLuminance(noon) * 0.6);
  });

  it('makes snow: many small bright particles that drift down between frames', async () => {
    const { frame } = await renderer('heavy snow falling over a city at night', { seconds: 2 });
    const bright = (f: Frame) => mask(f, (r, g, b) => r > 215 && g > 215 && b > 215);
    const a = frame(10), b = frame(13);
    const flakes = blobs(bright(a), W).filter((s) => s <= 40);
    expect(flakes.length).toBeGreaterThan(40);
    const toGrid = (m: Uint8Array) => ({ g: Float32Array.from(m), w: W, h: H });
    const { shift } = bestShift(toGrid(bright(a)), toGrid(bright(b)), 'y', 12);
    expect(shift).toBeGreaterThan(0);
    // Without snow in the prompt there are no such particles.
    const clear = (await renderer('a city at night')).frame(10);
    expect(blobs(bright(clear), W).filter((s) => s <= 40 && s >= 4).length).toBeLessThan(flakes.length / 4);
  });

  it('puts a red blob in frame for "a red balloon"', async () => {
    const f = (await renderer('a red balloon in a clear sky')).frame(6);
    const red = blobs(mask(f, (r, g, b) => r > 150 && g < 90 && b < 90), W);
    expect(red[0] ?? 0).toBeGreaterThan(W * H * 0.002);
    const blue = (await renderer('a blue balloon in a clear sky')).frame(6);
    expect(blobs(mask(blue, (r, g, b) => r > 150 && g < 90 && b < 90), W)[0] ?? 0).toBeLessThan(W * H * 0.0005);
  });

  it('moves content consistently right when the camera pans left, and left when it pans right', async () => {
    for (const [prompt, sign] of [['a city skyline at noon, the camera pans left', 1], ['a city skyline at noon, pan right', -1]] as const) {
      const { frame } = await renderer(prompt, { seconds: 3 });
      const shifts: number[] = [];
      for (const i of [10, 15, 20]) {
        shifts.push(bestShift(grey(frame(i)), grey(frame(i + 4)), 'x', 10, { y0: 40, y1: 80 }).shift);
      }
      for (const s of shifts) expect(Math.sign(s), `${prompt}: shifts ${shifts}`).toBe(sign);
    }
  });

  it('grows the scene when the camera zooms in', async () => {
    const { r, frame } = await renderer('a lighthouse on a cliff by the sea, slow zoom in', { seconds: 3 });
    const a = grey(frame(0), 2), b = grey(frame(r.frameCount - 1), 2);
    let best = 1;
    for (const cy of [0.4, 0.5, 0.6, 0.7]) best = Math.max(best, bestScale(a, b, [1, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3, 1.4, 1.5, 1.6], { x: a.w / 2, y: a.h * cy }));
    expect(best).toBeGreaterThanOrEqual(1.1);
    const still = await renderer('a lighthouse on a cliff by the sea, static camera', { seconds: 3 });
    const c = grey(still.frame(0), 2), d = grey(still.frame(still.r.frameCount - 1), 2);
    expect(bestScale(c, d, [1, 1.05, 1.1, 1.15, 1.2, 1.3], { x: c.w / 2, y: c.h * 0.6 })).toBeLessThan(1.1);
  });

  it('cuts a two-shot storyboard at the right frame', async () => {
    const { r, frame } = await renderer('shot 1: a green meadow at noon [1s]\nshot 2: a city at night [1s]', { seconds: 2 });
    expect(r.frameCount).toBe(24);
    const diffs = Array.from({ length: 23 }, (_, i) => meanAbsDiff(frame(i), frame(i + 1)));
    const cut = diffs.indexOf(Math.max(...diffs));
    expect(cut).toBe(11); // between frame 11 (last of shot 1) and frame 12 (first of shot 2)
    expect(diffs[cut]!).toBeGreaterThan(5 * Math.max(...diffs.filter((_, i) => i !== cut)));
  });

  it('crossfades when a shot asks for it: no single jump, a blend over several frames', async () => {
    const { frame } = await renderer('a green meadow at noon [1s]\ncrossfade to a city at night [1s]', { seconds: 2 });
    const diffs = Array.from({ length: 23 }, (_, i) => meanAbsDiff(frame(i), frame(i + 1)));
    const cutLike = (await renderer('a green meadow at noon [1s]\na city at night [1s]', { seconds: 2 }));
    const cutDiff = meanAbsDiff(cutLike.frame(11), cutLike.frame(12));
    expect(Math.max(...diffs)).toBeLessThan(cutDiff * 0.6);
    expect(diffs.slice(11, 17).filter((d) => d > 0.02).length).toBeGreaterThanOrEqual(3);
  });

  it('draws a French prompt exactly like its English twin', async () => {
    const fr = (await renderer('un phare sur une falaise au crépuscule, pluie fine')).frame(8);
    const en = (await renderer('a lighthouse on a cliff at dusk, light rain')).frame(8);
    expect(Buffer.from(fr.data).equals(Buffer.from(en.data))).toBe(true);
  });

  it('changes the composition with the seed and keeps it with the same seed', async () => {
    const a = (await renderer('three red balloons rising over a meadow', { seed: 1 })).frame(6);
    const b = (await renderer('three red balloons rising over a meadow', { seed: 1 })).frame(6);
    const c = (await renderer('three red balloons rising over a meadow', { seed: 2 })).frame(6);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    expect(meanAbsDiff(a, c)).toBeGreaterThan(0.01);
  });

  it('flashes when there is a storm with lightning', async () => {
    const { r, frame } = await renderer('a storm over the sea at night', { seconds: 6 });
    const lum = Array.from({ length: r.frameCount }, (_, i) => meanLuminance(frame(i)));
    const median = [...lum].sort((a, b) => a - b)[Math.floor(lum.length / 2)]!;
    expect(Math.max(...lum)).toBeGreaterThan(median * 1.5);
  });

  it('renders any size from 256x256 to 1920x1080, portrait included', async () => {
    for (const [w, h] of [[256, 256], [1080, 1920], [1920, 1080]] as const) {
      const { frame } = await renderer('a fox walking in a forest', { width: w, height: h, seconds: 1 });
      const f = frame(3);
      expect(f.data.length).toBe(w * h * 4);
      expect(meanLuminance(f)).toBeGreaterThan(0.05);
    }
  });
});
