// The new vocabulary checked on pixels, as a viewer would notice it: a full moon is a disc,
// fireworks light the sky on and off, neon glows saturated at night, fire is warm and flickers,
// every feature changes the picture, and a named colour keeps its hue at every time of day.
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { FEATURES, TIMES_OF_DAY, type ColorName, type Feature, type MoonPhase, type ShotPlan } from './plan/scene-plan.js';
import { NAMED_COLORS, SUBJECTS, paintFor } from './subjects/index.js';
import { parseHex } from './subjects/paint.js';
import { meanAbsDiff, meanLuminance, type Frame } from './test-pixels.js';
import { drawShot, hsv, hueDistance, shotFrames, shotOf, subjectOf } from './test-shots.js';

const W = 320, H = 180;

/** The moon drawing alone on a transparent canvas: the bounding box of its solid pixels and how full it is. */
function moonShape(phase: MoonPhase | null): { fill: number; width: number; height: number; solid: number } {
  const size = 200;
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  ctx.translate(size / 2, size * 0.95);
  ctx.scale(size * 0.9, size * 0.9);
  SUBJECTS.moon.draw({ ctx, paint: paintFor(SUBJECTS.moon, null), t: 0, variant: 0.3, moving: false, moonPhase: phase });
  const d = ctx.getImageData(0, 0, size, size).data;
  let solid = 0, minX = size, maxX = -1, minY = size, maxY = -1;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    if (d[(y * size + x) * 4 + 3]! < 200) continue;
    solid++;
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  const width = maxX - minX + 1, height = maxY - minY + 1;
  return { fill: solid ? solid / (width * height) : 0, width: solid ? width : 0, height: solid ? height : 0, solid };
}

/** Pixels of a region (whole frame by default) passing a test. */
function count(f: Frame, test: (r: number, g: number, b: number) => boolean, region = { x0: 0, y0: 0, x1: W, y1: H }): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(region.y0)); y < Math.min(f.height, region.y1); y++) {
    for (let x = Math.max(0, Math.floor(region.x0)); x < Math.min(f.width, region.x1); x++) {
      const i = (y * f.width + x) * 4;
      if (test(f.data[i]!, f.data[i + 1]!, f.data[i + 2]!)) n++;
    }
  }
  return n;
}

describe('moon phases', () => {
  it('draws a full moon as a disc, not a crescent', () => {
    const full = moonShape('full');
    expect(full.fill).toBeGreaterThan(Math.PI / 4 - 0.05);
    expect(full.fill).toBeLessThan(Math.PI / 4 + 0.05);
    expect(full.width / full.height).toBeCloseTo(1, 1);
    const crescent = moonShape('crescent');
    expect(crescent.fill).toBeLessThan(0.55);
    expect(moonShape(null)).toEqual(crescent); // a crescent stays the default
    // Half: the lit half of the disc, half as wide as tall; new: no solid moon at all.
    const half = moonShape('half');
    expect(half.width / half.height).toBeGreaterThan(0.4);
    expect(half.width / half.height).toBeLessThan(0.6);
    expect(half.solid).toBeLessThan(full.solid * 0.6);
    expect(moonShape('new').solid).toBe(0);
  });

  it('shows the full moon bright and round in a night sky', () => {
    const shot = shotOf({ timeOfDay: 'night', subjects: [subjectOf('castle'), subjectOf('moon')], moonPhase: 'full' });
    const { frame, renderer } = drawShot(shot, 0.5);
    const box = renderer.placements(0.5).find((p) => p.kind === 'moon')!.box;
    const bright = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b > 150;
    const lit = count(frame, bright, { x0: box.left, y0: box.top, x1: box.right, y1: box.bottom });
    const side = box.bottom - box.top;
    // A disc about 0.88 of the box height across fills about π/4 of its square.
    expect(lit / (side * 0.88) ** 2).toBeGreaterThan(0.6);
    const crescent = drawShot({ ...shot, moonPhase: null }, 0.5);
    expect(count(crescent.frame, bright, { x0: box.left, y0: box.top, x1: box.right, y1: box.bottom })).toBeLessThan(lit * 0.7);
  });
});

describe('fireworks', () => {
  it('bursts: the sky brightens and darkens over time, where a plain night sky stays even', async () => {
    const night = shotOf({ setting: 'sea', timeOfDay: 'night', seconds: 4, features: ['harbour'] });
    const sky = (f: Frame) => meanLuminance({ data: f.data.subarray(0, W * 4 * Math.floor(H * 0.5)), width: W, height: Math.floor(H * 0.5) });
    const series = async (shot: ShotPlan) => {
      const { r, frame } = await shotFrames(shot, { fps: 8 });
      return Array.from({ length: r.frameCount }, (_, i) => sky(frame(i)));
    };
    const lit = await series({ ...night, effects: ['fireworks'] });
    const plain = await series(night);
    const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    expect(spread(lit)).toBeGreaterThan(0.05);
    expect(spread(lit)).toBeGreaterThan(5 * spread(plain));
    expect(Math.max(...lit)).toBeGreaterThan(Math.max(...plain) * 1.3);
    // Colours: some sky pixels are saturated and bright during the show.
    const { frame } = await shotFrames({ ...night, effects: ['fireworks'] }, { fps: 8 });
    const coloured = Math.max(...Array.from({ length: 32 }, (_, i) => count(frame(i), (r, g, b) => { const c = hsv(r, g, b); return c.s > 0.5 && c.v > 0.7; }, { x0: 0, y0: 0, x1: W, y1: H * 0.5 })));
    expect(coloured).toBeGreaterThan(40);
  });
});

describe('features', () => {
  const HOME: Record<Feature, ShotPlan['setting']> = {
    harbour: 'sea', village: 'meadow', rooftops: 'city', market: 'meadow', hill: 'meadow', ice: 'sea', wheat: 'meadow',
    tulips: 'meadow', sunflowers: 'meadow', 'neon-signs': 'city', fire: 'meadow',
  };

  it('changes the frame for every feature, against the same shot without it', () => {
    for (const f of FEATURES) {
      const shot = shotOf({ setting: HOME[f], timeOfDay: 'dusk', subjects: [subjectOf('person')] });
      const plain = drawShot(shot, 0.5).frame;
      const withIt = drawShot({ ...shot, features: [f] }, 0.5).frame;
      expect(meanAbsDiff(plain, withIt), f).toBeGreaterThan(0.003);
    }
    // Ice on a snowfield: ridges instead of floes.
    const snow = shotOf({ setting: 'snowfield' });
    expect(meanAbsDiff(drawShot(snow, 0.5).frame, drawShot({ ...snow, features: ['ice'] }, 0.5).frame)).toBeGreaterThan(0.005);
  });

  it('colours crop fields with their crop: golden wheat, yellow sunflowers, several tulip colours', () => {
    const field = (crop: Feature) => drawShot(shotOf({ features: [crop] }), 0.5).frame;
    const lower = { x0: 0, y0: H * 0.7, x1: W, y1: H };
    const hueShare = (f: Frame, lo: number, hi: number) => count(f, (r, g, b) => { const c = hsv(r, g, b); return c.s > 0.45 && c.v > 0.5 && c.h >= lo && c.h <= hi; }, lower) / (W * H * 0.3);
    expect(hueShare(field('wheat'), 30, 55)).toBeGreaterThan(0.25);
    expect(hueShare(field('sunflowers'), 40, 60)).toBeGreaterThan(0.2);
    const tulips = field('tulips');
    expect(hueShare(tulips, 330, 360) + hueShare(tulips, 0, 10)).toBeGreaterThan(0.01);
    expect(hueShare(tulips, 260, 300)).toBeGreaterThan(0.01);
    expect(hueShare(tulips, 40, 60)).toBeGreaterThan(0.01);
  });

  it('lights neon signs saturated and bright on a city at night', () => {
    const city = shotOf({ setting: 'city', timeOfDay: 'night' });
    const neon = (r: number, g: number, b: number) => { const c = hsv(r, g, b); return c.s > 0.7 && c.v > 0.75; };
    const upper = { x0: 0, y0: 0, x1: W, y1: H * 0.7 };
    const signs = count(drawShot({ ...city, features: ['neon-signs'] }, 0.5).frame, neon, upper);
    const plain = count(drawShot(city, 0.5).frame, neon, upper);
    expect(signs).toBeGreaterThan(W * H * 0.01);
    expect(signs).toBeGreaterThan(plain * 4 + 50);
  });

  it('burns: warm pixels that flicker from frame to frame, on a village as well as in the open', () => {
    const warm = (r: number, g: number, b: number) => r > 200 && g > 50 && g < 215 && b < 110 && r > g * 1.15;
    for (const features of [['village', 'fire'], ['fire']] as Feature[][]) {
      const shot = shotOf({ timeOfDay: 'night', features });
      const a = drawShot(shot, 0.5).frame, b = drawShot(shot, 0.62).frame;
      expect(count(a, warm), features.join('+')).toBeGreaterThan(W * H * 0.004);
      let changed = 0;
      for (let i = 0; i < a.data.length; i += 4) {
        if (warm(a.data[i]!, a.data[i + 1]!, a.data[i + 2]!) !== warm(b.data[i]!, b.data[i + 1]!, b.data[i + 2]!)) changed++;
      }
      expect(changed, features.join('+')).toBeGreaterThan(30);
    }
    // On a house the prompt names, the flames are on the house.
    const house = shotOf({ timeOfDay: 'night', subjects: [subjectOf('house')], features: ['fire'] });
    const { frame, renderer } = drawShot(house, 0.5);
    const box = renderer.placements(0.5)[0]!.box;
    const onHouse = count(frame, warm, { x0: box.left, y0: box.top - (box.bottom - box.top) * 0.5, x1: box.right, y1: box.bottom });
    expect(onHouse).toBeGreaterThan(count(frame, warm) * 0.8);
    // A village alone does not burn.
    expect(count(drawShot(shotOf({ timeOfDay: 'night', features: ['village'] }), 0.5).frame, warm)).toBeLessThan(W * H * 0.002);
  });
});

describe('named colours', () => {
  it('keep their hue at every time of day', () => {
    const colours: ColorName[] = ['yellow', 'red', 'blue', 'green', 'orange', 'purple', 'pink'];
    for (const colour of colours) {
      const [r, g, b] = parseHex(NAMED_COLORS[colour]);
      const want = hsv(r, g, b).h;
      for (const timeOfDay of TIMES_OF_DAY) {
        for (const kind of ['bird', 'balloon'] as const) {
          // Subject pixels: those that change when only the subject's colour changes.
          const shot = (color: ColorName | null) => shotOf({ timeOfDay, subjects: [subjectOf(kind, 1, { color })] });
          const a = drawShot(shot(colour), 0.5).frame, base = drawShot(shot(colour === 'blue' ? 'red' : 'blue'), 0.5).frame;
          const hues: number[] = [];
          for (let i = 0; i < a.data.length; i += 4) {
            const d = Math.abs(a.data[i]! - base.data[i]!) + Math.abs(a.data[i + 1]! - base.data[i + 1]!) + Math.abs(a.data[i + 2]! - base.data[i + 2]!);
            if (d < 60) continue;
            const c = hsv(a.data[i]!, a.data[i + 1]!, a.data[i + 2]!);
            if (c.s > 0.2) hues.push(c.h);
          }
          expect(hues.length, `${colour} ${kind} at ${timeOfDay}`).toBeGreaterThan(20);
          const near = hues.filter((h) => hueDistance(h, want) < 12).length;
          expect(near / hues.length, `${colour} ${kind} at ${timeOfDay}`).toBeGreaterThan(0.75);
        }
      }
    }
  });
});
