// Where the renderer puts what was asked: exactly the planned number of each subject, all inside
// the first frame, groups spread out with varied sizes, kinds true to scale, ground things on the
// hill, and poses that change the body's shape or move it. Plans are built directly (test-shots.ts).
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { Framing, ShotPlan, SubjectKind } from './plan/scene-plan.js';
import { GROUNDS } from './render/layout.js';
import { ShotRenderer, type Placement } from './render/shot-renderer.js';
import { closedEyes, eye } from './subjects/kit.js';
import { meanAbsDiff } from './test-pixels.js';
import { drawShot, shotOf, subjectOf } from './test-shots.js';

const W = 320, H = 180;

function placements(shot: ShotPlan, t = 0, seed = 7): Placement[] {
  return new ShotRenderer(shot, W, H, seed, null).placements(t);
}

const height = (p: Placement) => p.box.bottom - p.box.top;
const width = (p: Placement) => p.box.right - p.box.left;

describe('subject layout', () => {
  // Sky, ground, water and underwater kinds, in the settings they live in.
  const CASES: Array<[SubjectKind, ShotPlan['setting']]> = [
    ['balloon', 'meadow'], ['hot-air-balloon', 'mountains'], ['bird', 'sea'], ['person', 'city'], ['sheep', 'meadow'],
    ['elephant', 'savanna'], ['tower', 'city'], ['duck', 'lake'], ['sailboat', 'sea'], ['fish', 'underwater'], ['star', 'space'],
  ];
  const FRAMINGS: Framing[] = ['wide', 'medium', 'close-up'];

  it('draws exactly the planned count of each subject, every one inside the first frame', () => {
    for (const [kind, setting] of CASES) {
      for (const count of [1, 3, 5, 12, 24]) {
        for (const framing of FRAMINGS) {
          const shot = shotOf({ setting, subjects: [subjectOf(kind, count), subjectOf('tree', 2)], camera: { move: 'static', direction: null, framing } });
          const ps = placements(shot);
          const label = `${count} ${kind} in ${setting}, ${framing}`;
          expect(ps.filter((p) => p.kind === kind).length, label).toBe(count);
          expect(ps.filter((p) => p.kind === 'tree').length, label).toBe(2);
          for (const p of ps) {
            expect(p.box.left, `${label}: ${p.kind} left`).toBeGreaterThanOrEqual(-0.5);
            expect(p.box.right, `${label}: ${p.kind} right`).toBeLessThanOrEqual(W + 0.5);
            expect(p.box.top, `${label}: ${p.kind} top`).toBeGreaterThanOrEqual(-0.5);
            expect(p.box.bottom, `${label}: ${p.kind} bottom`).toBeLessThanOrEqual(H + 0.5);
          }
        }
      }
    }
  });

  it('keeps moving groups inside the frame at their first appearance, whatever the camera starts as', () => {
    for (const move of ['pan', 'push-in', 'pull-out', 'tracking', 'aerial'] as const) {
      const shot = shotOf({ subjects: [subjectOf('balloon', 24, { motion: 'rising' }), subjectOf('dog', 5, { direction: 'left' })], camera: { move, direction: 'right', framing: 'medium' } });
      for (const p of placements(shot)) {
        expect(p.box.top, move).toBeGreaterThanOrEqual(-0.5);
        expect(p.box.left, move).toBeGreaterThanOrEqual(-0.5);
        expect(p.box.right, move).toBeLessThanOrEqual(W + 0.5);
        expect(p.box.bottom, move).toBeLessThanOrEqual(H + 0.5);
      }
    }
  });

  it('spreads a group across the frame with varied sizes, the same way for the same seed', () => {
    const shot = shotOf({ subjects: [subjectOf('balloon', 12)] });
    const ps = placements(shot);
    const xs = ps.map((p) => (p.box.left + p.box.right) / 2);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(W * 0.6);
    const hs = ps.map(height);
    expect(Math.max(...hs) / Math.min(...hs)).toBeGreaterThan(1.15);
    expect(placements(shot)).toEqual(ps);
    expect(placements(shot, 0, 8)).not.toEqual(ps);
    // Two dozen still read as separate things: none is a speck, none covers the sky.
    const many = placements(shotOf({ subjects: [subjectOf('balloon', 24)] }));
    for (const p of many) expect(height(p)).toBeGreaterThan(H * 0.03), expect(height(p)).toBeLessThan(H * 0.2);
  });

  it('keeps kinds true to scale next to each other: a yellow bird is not as big as the house below it', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const ps = placements(shotOf({ subjects: [subjectOf('bird', 1, { color: 'yellow' }), subjectOf('house')] }), 0, seed);
      const bird = ps.find((p) => p.kind === 'bird')!, house = ps.find((p) => p.kind === 'house')!;
      // True sizes: bird 0.3, house 1.8 (person = 1); the main subject may be boosted 1.5x, sizes jitter ±15 %.
      expect(height(bird) / height(house), `seed ${seed}`).toBeLessThan((0.3 / 1.8) * 1.5 * 1.35);
    }
    // Alone, a small main subject is still made legible.
    const alone = placements(shotOf({ subjects: [subjectOf('bird')] }))[0]!;
    expect(height(alone)).toBeGreaterThan(H * 0.08);
  });

  it('stands ground subjects on the hill when there is one', () => {
    const shot = shotOf({ subjects: [subjectOf('person', 12, { motion: 'still' })] });
    const flat = placements(shot);
    const hilly = placements({ ...shot, features: ['hill'] });
    const raised = hilly.filter((p, i) => p.box.bottom < flat[i]!.box.bottom - H * 0.03);
    expect(raised.length).toBeGreaterThanOrEqual(3);
    // Nothing sinks into the ground.
    hilly.forEach((p, i) => expect(p.box.bottom).toBeLessThanOrEqual(flat[i]!.box.bottom + 0.01));
  });
});

describe('poses', () => {
  const ground = GROUNDS.meadow.ground * H;
  const one = (kind: SubjectKind, pose: 'sleeping' | 'sitting' | 'jumping' | 'dancing' | null) =>
    shotOf({ subjects: [subjectOf(kind, 1, { pose, motion: 'still' })] });

  it('lays a sleeper down (its box wider than tall) and keeps it still', () => {
    for (const kind of ['person', 'child', 'fox', 'cat', 'dog', 'bear', 'horse'] as const) {
      const [standing] = placements(one(kind, null));
      const [asleep] = placements(one(kind, 'sleeping'));
      expect(width(asleep!), kind).toBeGreaterThan(height(asleep!));
      expect(height(asleep!), kind).toBeLessThan(height(standing!) * 0.75);
      expect(placements(one(kind, 'sleeping'), 1.5)).toEqual(placements(one(kind, 'sleeping'), 0));
    }
    // Even a kind that walks by default stays where it sleeps.
    const walker = shotOf({ subjects: [subjectOf('fox', 1, { pose: 'sleeping' })] });
    expect(placements(walker, 1.5)).toEqual(placements(walker, 0));
  });

  it('closes a sleeper\'s eyes: an eye drawn for a sleeper is a thin lid, not a dot', () => {
    const inked = (asleep: boolean) => {
      const canvas = createCanvas(40, 40);
      const ctx = canvas.getContext('2d');
      if (asleep) closedEyes.add(ctx);
      eye(ctx, '#000000', 20, 20, 8);
      const d = ctx.getImageData(0, 0, 40, 40).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 128) n++;
      return n;
    };
    expect(inked(true)).toBeGreaterThan(0);
    expect(inked(true)).toBeLessThan(inked(false) * 0.5);
  });

  it('sits a body down: shorter than standing, in a drawing of its own', () => {
    for (const kind of ['person', 'child', 'dog'] as const) {
      const [standing] = placements(one(kind, null));
      const [sitting] = placements(one(kind, 'sitting'));
      expect(height(sitting!), kind).toBeLessThan(height(standing!) * (kind === 'dog' ? 1.1 : 0.8));
      expect(meanAbsDiff(drawShot(one(kind, 'sitting'), 0.5).frame, drawShot(one(kind, null), 0.5).frame), kind).toBeGreaterThan(0.0005);
    }
  });

  it('makes a jumper hop: its feet leave the ground and come back', () => {
    const bottoms = Array.from({ length: 24 }, (_, k) => placements(one('person', 'jumping'), k / 12)[0]!.box.bottom);
    const [standing] = placements(one('person', null));
    expect(Math.min(...bottoms)).toBeLessThan(standing!.box.bottom - height(standing!) * 0.25);
    expect(Math.max(...bottoms)).toBeCloseTo(standing!.box.bottom, 0);
    expect(ground).toBeGreaterThan(0);
  });

  it('makes a dancer move where a still body does not', () => {
    // Pixels that change around the body between two moments (the sky's clouds drift everywhere).
    const change = (pose: 'dancing' | null) => {
      const a = drawShot(one('person', pose), 0.4), b = drawShot(one('person', pose), 0.75);
      const box = a.renderer.placements(0.4)[0]!.box;
      let n = 0;
      for (let y = Math.floor(box.top) - 4; y < box.bottom + 4; y++) for (let x = Math.floor(box.left) - 8; x < box.right + 8; x++) {
        const i = (y * W + x) * 4;
        if (Math.abs(a.frame.data[i]! - b.frame.data[i]!) + Math.abs(a.frame.data[i + 1]! - b.frame.data[i + 1]!) > 40) n++;
      }
      return n;
    };
    expect(change(null)).toBe(0);
    expect(change('dancing')).toBeGreaterThan(20);
  });
});
