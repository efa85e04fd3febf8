// Tests of the subject library: one spec per kind, drawings that stay in their box, leave the
// context as found, animate, repeat exactly and colour correctly. Draw speed: bench/sketch-subjects.ts.
import { createCanvas } from '@napi-rs/canvas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COLORS, SUBJECT_INFO, SUBJECT_KINDS, type ColorName, type SubjectKind } from '../plan/scene-plan.js';
import { NAMED_COLORS, SUBJECTS, paintFor, type SubjectSpec } from './index.js';
import { lightness } from './paint.js';

const H = 120;
const PAD = 40; // room around the box to catch drawing that strays outside it
const MARGIN = 0.08 * H + 1; // allowed overshoot for animation, plus a pixel of anti-aliasing

interface Frame { data: Uint8ClampedArray; width: number; height: number; boxW: number }

function render(spec: SubjectSpec, o: { t?: number; variant?: number; moving?: boolean; color?: ColorName | null } = {}): Frame {
  const boxW = spec.aspect * H;
  const width = Math.ceil(boxW + 2 * PAD), height = H + 2 * PAD;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.translate(width / 2, PAD + H);
  ctx.scale(H, H);
  spec.draw({ ctx, paint: paintFor(spec, o.color ?? null), t: o.t ?? 0, variant: o.variant ?? 0.3, moving: o.moving ?? true });
  return { data: ctx.getImageData(0, 0, width, height).data, width, height, boxW };
}

/** Opaque-pixel count and the bounds of every touched pixel. */
function coverage(f: Frame): { opaque: number; minX: number; maxX: number; minY: number; maxY: number } {
  let opaque = 0, minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      const a = f.data[(y * f.width + x) * 4 + 3]!;
      if (a === 0) continue;
      if (a > 200) opaque++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return { opaque, minX, maxX, minY, maxY };
}

function differingPixels(a: Frame, b: Frame): number {
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2] || a.data[i + 3] !== b.data[i + 3]) n++;
  }
  return n;
}

const KINDS = [...SUBJECT_KINDS];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SUBJECTS', () => {
  it('has exactly one spec per subject kind, keyed by its kind', () => {
    expect(Object.keys(SUBJECTS).sort()).toEqual([...SUBJECT_KINDS].sort());
    for (const kind of KINDS) {
      const spec = SUBJECTS[kind];
      expect(spec.kind).toBe(kind);
      expect(spec.aspect).toBeGreaterThan(0.2);
      expect(spec.aspect).toBeLessThan(3.5);
      expect(spec.defaultColor).toMatch(/^#[0-9a-f]{6}$/);
      if (spec.waterline !== undefined) expect(spec.waterline).toBeGreaterThan(0), expect(spec.waterline).toBeLessThan(0.6);
    }
  });

  it('gives every water subject a waterline, and light sources a lamp inside the box', () => {
    for (const kind of KINDS) {
      const spec = SUBJECTS[kind];
      if (SUBJECT_INFO[kind].habitat === 'water') expect(spec.waterline, kind).toBeDefined();
      if (spec.lamp) {
        expect(Math.abs(spec.lamp.x), kind).toBeLessThanOrEqual(spec.aspect / 2);
        expect(spec.lamp.y, kind).toBeGreaterThanOrEqual(-1);
        expect(spec.lamp.y, kind).toBeLessThanOrEqual(0);
      }
    }
    expect(SUBJECTS.lighthouse.lamp!.y).toBeLessThan(-0.7);
  });

  it.each(KINDS)('%s draws a solid figure that fills its box and stays inside it', (kind) => {
    const spec = SUBJECTS[kind];
    const top = PAD - MARGIN, bottom = PAD + H + MARGIN;
    for (const [t, variant, moving] of [[0, 0, true], [0.37, 0.5, true], [1.13, 0.99, true], [2.71, 0.21, false]] as const) {
      const f = render(spec, { t, variant, moving });
      const c = coverage(f);
      const boxLeft = (f.width - f.boxW) / 2;
      expect(c.opaque, `${kind} opaque pixels`).toBeGreaterThan(Math.max(400, 0.12 * f.boxW * H));
      expect(c.minX, `${kind} left edge`).toBeGreaterThanOrEqual(boxLeft - MARGIN);
      expect(c.maxX, `${kind} right edge`).toBeLessThanOrEqual(boxLeft + f.boxW + MARGIN);
      expect(c.minY, `${kind} top edge`).toBeGreaterThanOrEqual(top);
      expect(c.maxY, `${kind} bottom edge`).toBeLessThanOrEqual(bottom);
      // it fills its box: spans most of one dimension and a fair part of the other
      const spanW = (c.maxX - c.minX + 1) / f.boxW, spanH = (c.maxY - c.minY + 1) / H;
      expect(Math.max(spanW, spanH), `${kind} span`).toBeGreaterThan(0.8);
      expect(Math.min(spanW, spanH), `${kind} span`).toBeGreaterThan(0.3);
    }
  });

  it.each(KINDS)('%s leaves the context state as it found it', (kind) => {
    const canvas = createCanvas(200, 200);
    const ctx = canvas.getContext('2d');
    ctx.translate(100, 160);
    ctx.scale(H, -H);
    ctx.scale(-1, -1);
    ctx.globalAlpha = 0.7;
    ctx.fillStyle = '#123456';
    ctx.strokeStyle = '#654321';
    ctx.lineWidth = 0.25;
    const before = ctx.getTransform();
    const spec = SUBJECTS[kind];
    spec.draw({ ctx, paint: paintFor(spec, null), t: 0.6, variant: 0.4, moving: true });
    const after = ctx.getTransform();
    expect([after.a, after.b, after.c, after.d, after.e, after.f]).toEqual([before.a, before.b, before.c, before.d, before.e, before.f]);
    expect(ctx.globalAlpha).toBeCloseTo(0.7, 6);
    expect(ctx.fillStyle).toBe('#123456');
    expect(ctx.strokeStyle).toBe('#654321');
    expect(ctx.lineWidth).toBe(0.25);
  });

  const ANIMATED: SubjectKind[] = [
    'person', 'child', 'cat', 'dog', 'horse', 'cow', 'sheep', 'rabbit', 'fox', 'deer', 'bear', 'elephant',
    'bird', 'owl', 'duck', 'swan', 'penguin', 'butterfly', 'bee', 'fish', 'whale', 'dolphin', 'jellyfish', 'octopus', 'crab', 'turtle', 'dragon',
    'car', 'bus', 'bicycle', 'train', 'boat', 'sailboat', 'ship', 'plane', 'helicopter', 'rocket', 'ufo', 'balloon', 'hot-air-balloon', 'kite',
    'windmill', 'campfire', 'robot', 'tree', 'palm-tree', 'flower', 'sun', 'star', 'planet',
  ];

  it.each(ANIMATED)('%s animates while moving (t = 0 and t = 0.25 differ)', (kind) => {
    const spec = SUBJECTS[kind];
    for (const variant of [0, 0.5]) {
      const a = render(spec, { t: 0, variant, moving: true });
      const b = render(spec, { t: 0.25, variant, moving: true });
      expect(differingPixels(a, b), `${kind} variant ${variant}`).toBeGreaterThan(25);
    }
  });

  it('walkers and wheels hold still when not moving', () => {
    for (const kind of ['person', 'child', 'car', 'bicycle', 'windmill'] as const) {
      const spec = SUBJECTS[kind];
      const a = render(spec, { t: 0, moving: false });
      const b = render(spec, { t: 0.25, moving: false });
      expect(differingPixels(a, b), kind).toBe(0);
    }
  });

  it.each(KINDS)('%s is deterministic and never calls Math.random', (kind) => {
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    const spec = SUBJECTS[kind];
    const a = render(spec, { t: 1.7, variant: 0.83 });
    const b = render(spec, { t: 1.7, variant: 0.83 });
    expect(Buffer.compare(Buffer.from(a.data), Buffer.from(b.data))).toBe(0);
  });

  it('variant changes something for walkers and fliers (phase offsets)', () => {
    for (const kind of ['dog', 'bird', 'campfire'] as const) {
      const a = render(SUBJECTS[kind], { t: 0.4, variant: 0.1 });
      const b = render(SUBJECTS[kind], { t: 0.4, variant: 0.6 });
      expect(differingPixels(a, b), kind).toBeGreaterThan(25);
    }
  });

  it('draws a red balloon whose dominant colour is strongly red', () => {
    const f = render(SUBJECTS.balloon, { color: 'red', t: 0.3 });
    const counts = new Map<number, number>();
    let opaque = 0;
    for (let i = 0; i < f.data.length; i += 4) {
      if (f.data[i + 3] !== 255) continue;
      opaque++;
      const key = (f.data[i]! << 16) | (f.data[i + 1]! << 8) | f.data[i + 2]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const [top, n] = [...counts.entries()].sort((x, y) => y[1] - x[1])[0]!;
    const [r, g, b] = [(top >> 16) & 255, (top >> 8) & 255, top & 255];
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(90);
    expect(b).toBeLessThan(90);
    expect(n / opaque).toBeGreaterThan(0.5);
    expect(n).toBeGreaterThan(1500);
  });
});

describe('paintFor', () => {
  const hex = /^#[0-9a-f]{6}$/;

  it('uses the spec default colour when no colour is named, the named colour otherwise', () => {
    for (const kind of KINDS) {
      const spec = SUBJECTS[kind];
      expect(paintFor(spec, null).body).toBe(spec.defaultColor);
      for (const c of COLORS) expect(paintFor(spec, c).body).toBe(NAMED_COLORS[c]);
    }
  });

  it('derives a visibly darker shade and a lighter highlight, even for white, black and gray', () => {
    const spec = SUBJECTS.cat;
    for (const c of COLORS) {
      const p = paintFor(spec, c);
      for (const v of [p.body, p.shade, p.light, p.accent, p.line]) expect(v).toMatch(hex);
      expect(lightness(p.body) - lightness(p.shade), `${c} shade`).toBeGreaterThan(0.07);
      const l = lightness(p.body);
      expect(lightness(p.light) - l, `${c} light`).toBeGreaterThan(l > 0.9 ? 0.02 : l > 0.7 ? 0.05 : 0.08);
      expect(Math.abs(lightness(p.line) - lightness(p.body)), `${c} line`).toBeGreaterThan(0.25);
    }
  });

  it('maps red to a strong red and keeps every named colour distinct', () => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(NAMED_COLORS.red.slice(i, i + 2), 16));
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(90);
    expect(b).toBeLessThan(90);
    expect(new Set(Object.values(NAMED_COLORS)).size).toBe(COLORS.length);
  });

  it('swaps an accent that a named colour would swallow (red rocket keeps visible fins)', () => {
    const p = paintFor(SUBJECTS.rocket, 'red');
    expect(p.accent).not.toBe(p.body);
    expect(Math.abs(lightness(p.accent) - lightness(p.body))).toBeGreaterThan(0.15);
  });
});
