// Small and wild land animals in side view, facing right: cat, dog, fox, rabbit, bear. Legs trot
// (diagonal pairs) while moving; tails sway or wag; the rabbit hops.
import type { SubjectKind } from '../plan/scene-plan.js';
import { eye, fillCircle, fillCircles, fillEllipse, fillPoly, fit, quadLegs, strokeLine, strokeSegments, wave } from './kit.js';
import { mix } from './paint.js';
import type { SpecBody } from './types.js';

const PINK = '#f19a9a';
const NOSE = '#2d2326';

const cat: SpecBody = {
  aspect: 1.3,
  defaultColor: '#e8954a',
  accent: '#a6d65a',
  draw({ ctx, paint, t, variant, moving }) {
    ctx.translate(0.04, 0);
    const s = moving ? wave(t, 1.9, variant) * 0.38 : 0;
    const bob = moving ? -Math.abs(wave(t, 1.9, variant + 0.25)) * 0.012 : 0;
    const sway = wave(t, 0.7, variant) * 0.06;
    // tail: an S curve rising behind
    ctx.strokeStyle = paint.body;
    ctx.lineWidth = 0.06;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(-0.34, -0.46 + bob);
    ctx.bezierCurveTo(-0.6, -0.5, -0.42 + sway, -0.78, -0.56 + sway * 1.5, -0.92);
    ctx.stroke();
    quadLegs(ctx, paint.shade, paint.body, 0.07, -0.26, 0.17, -0.42 + bob, s, 0.3);
    // body with tabby stripes
    fillEllipse(ctx, paint.body, -0.05, -0.43 + bob, 0.34, 0.14);
    fillEllipse(ctx, paint.light, 0.02, -0.345 + bob, 0.22, 0.05);
    strokeSegments(ctx, paint.shade, 0.03, [-0.24, -0.55 + bob, -0.2, -0.47 + bob, -0.12, -0.57 + bob, -0.09, -0.48 + bob, 0, -0.57 + bob, 0.02, -0.49 + bob]);
    // head, ears, muzzle
    const hy = -0.6 + bob;
    fillPoly(ctx, paint.body, [0.24, hy - 0.06, 0.26, hy - 0.25, 0.35, hy - 0.12, 0.4, hy - 0.13, 0.48, hy - 0.25, 0.49, hy - 0.05]);
    fillPoly(ctx, PINK, [0.275, hy - 0.1, 0.28, hy - 0.19, 0.32, hy - 0.12]);
    fillCircle(ctx, paint.body, 0.36, hy, 0.15);
    fillEllipse(ctx, paint.light, 0.46, hy + 0.05, 0.07, 0.055);
    fillPoly(ctx, PINK, [0.49, hy + 0.005, 0.53, hy + 0.005, 0.51, hy + 0.03]);
    fillEllipse(ctx, paint.accent, 0.43, hy - 0.035, 0.03, 0.024);
    fillEllipse(ctx, paint.line, 0.438, hy - 0.035, 0.011, 0.022);
    strokeSegments(ctx, paint.light, 0.006, [0.5, hy + 0.04, 0.6, hy + 0.02, 0.5, hy + 0.055, 0.6, hy + 0.065]);
  },
};

const dog: SpecBody = {
  aspect: 1.4,
  defaultColor: '#c8894a',
  accent: '#d9473b',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.176, 0.035, -0.425);
    const s = moving ? wave(t, 2.3, variant) * 0.5 : 0;
    const bob = moving ? -Math.abs(wave(t, 2.3, variant + 0.25)) * 0.02 : 0;
    const wag = wave(t, moving ? 3.1 : 1.4, variant) * 0.35;
    // wagging tail
    const tx = -0.36, ty = -0.5 + bob;
    strokeLine(ctx, paint.body, 0.065, [tx, ty, tx - 0.12 * Math.cos(0.9 + wag), ty - 0.22 * Math.sin(0.9 + wag) , tx - 0.2 * Math.cos(1.1 + wag * 1.3), ty - 0.3 * Math.sin(1.1 + wag * 1.3)]);
    quadLegs(ctx, paint.shade, paint.body, 0.085, -0.25, 0.19, -0.44 + bob, s, 0.35);
    fillEllipse(ctx, paint.body, -0.04, -0.47 + bob, 0.34, 0.16);
    fillEllipse(ctx, paint.light, 0.04, -0.34 + bob, 0.24, 0.05);
    // head: skull, long muzzle, floppy ear, collar
    const hy = -0.67 + bob;
    fillEllipse(ctx, paint.accent, 0.28, hy + 0.12, 0.05, 0.1, -0.4);
    fillCircle(ctx, paint.body, 0.35, hy, 0.14);
    fillEllipse(ctx, paint.light, 0.5, hy + 0.06, 0.12, 0.07, 0.1);
    fillCircle(ctx, NOSE, 0.605, hy + 0.035, 0.035);
    fillEllipse(ctx, paint.shade, 0.28, hy + 0.03, 0.055, 0.12, 0.35 + wag * 0.15);
    eye(ctx, NOSE, 0.42, hy - 0.04, 0.024);
    strokeLine(ctx, mix(paint.light, NOSE, 0.5), 0.012, [0.5, hy + 0.11, 0.56, hy + 0.1]);
  },
};

const fox: SpecBody = {
  aspect: 1.65,
  defaultColor: '#e37b2f',
  accent: '#fbf3e4',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.176, -0.06, -0.425);
    const s = moving ? wave(t, 2, variant) * 0.42 : 0;
    const bob = moving ? -Math.abs(wave(t, 2, variant + 0.25)) * 0.014 : 0;
    const sway = wave(t, 0.8, variant) * 0.04;
    const socks = '#3a2b27';
    // bushy tail with a white tip
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(-0.24, -0.5 + bob);
    ctx.bezierCurveTo(-0.45, -0.62 + bob, -0.72, -0.5 + sway, -0.74, -0.32 + sway);
    ctx.bezierCurveTo(-0.6, -0.28 + sway, -0.42, -0.3 + bob, -0.24, -0.38 + bob);
    ctx.closePath();
    ctx.fill();
    fillEllipse(ctx, paint.accent, -0.69, -0.34 + sway, 0.06, 0.045, 0.5);
    quadLegs(ctx, mix(socks, '#000000', 0.3), socks, 0.055, -0.19, 0.2, -0.4 + bob, s, 0.3);
    fillEllipse(ctx, paint.body, 0, -0.44 + bob, 0.3, 0.125);
    fillEllipse(ctx, paint.accent, 0.13, -0.37 + bob, 0.14, 0.05);
    // head: ears with dark tips, pointed snout, white cheek
    const hy = -0.58 + bob;
    fillPoly(ctx, paint.body, [0.26, hy - 0.04, 0.3, hy - 0.25, 0.36, hy - 0.08]);
    fillPoly(ctx, paint.shade, [0.34, hy - 0.06, 0.41, hy - 0.25, 0.44, hy - 0.06]);
    fillPoly(ctx, socks, [0.3, hy - 0.25, 0.295, hy - 0.19, 0.318, hy - 0.2]);
    fillCircle(ctx, paint.body, 0.36, hy, 0.11);
    fillPoly(ctx, paint.body, [0.36, hy - 0.09, 0.62, hy + 0.06, 0.38, hy + 0.1]);
    fillPoly(ctx, paint.accent, [0.32, hy + 0.06, 0.62, hy + 0.06, 0.44, hy + 0.12, 0.32, hy + 0.12]);
    fillCircle(ctx, socks, 0.61, hy + 0.055, 0.02);
    eye(ctx, NOSE, 0.42, hy - 0.015, 0.02);
  },
};

const rabbit: SpecBody = {
  aspect: 0.85,
  defaultColor: '#bfa68c',
  accent: '#f7f3ec',
  draw({ ctx, paint, t, variant, moving }) {
    const ph = moving ? wave(t, 2.2, variant) : 0;
    const hop = moving ? Math.max(0, ph) * 0.1 : 0;
    const tilt = moving ? ph * 0.12 : 0;
    ctx.translate(0, -hop);
    ctx.rotate(-tilt);
    // far ear, hind leg, body, tail, front paw, head, near ear
    fillEllipse(ctx, paint.shade, 0.12, -0.77, 0.045, 0.15, -0.35 - tilt);
    fillEllipse(ctx, paint.shade, 0.2 + ph * 0.02, -0.07, 0.05, 0.035);
    fillEllipse(ctx, paint.body, -0.04, -0.3, 0.27, 0.2, -0.25);
    fillEllipse(ctx, paint.shade, -0.15, -0.18, 0.16, 0.13);
    fillEllipse(ctx, paint.body, -0.13, -0.2, 0.15, 0.12);
    fillEllipse(ctx, paint.shade, -0.05 - ph * 0.06, -0.035, 0.14, 0.035);
    fillCircle(ctx, paint.accent, -0.3, -0.34, 0.07);
    fillEllipse(ctx, paint.body, 0.16 + ph * 0.03, -0.07, 0.05, 0.04);
    fillCircle(ctx, paint.body, 0.2, -0.53, 0.14);
    fillEllipse(ctx, paint.light, 0.27, -0.47, 0.07, 0.06);
    fillEllipse(ctx, paint.body, 0.19, -0.76, 0.05, 0.16, -0.12 - tilt);
    fillEllipse(ctx, PINK, 0.195, -0.76, 0.022, 0.11, -0.12 - tilt);
    eye(ctx, NOSE, 0.27, -0.56, 0.022);
    fillCircle(ctx, PINK, 0.335, -0.5, 0.018);
    ctx.rotate(tilt);
    ctx.translate(0, hop);
  },
};

const bear: SpecBody = {
  aspect: 1.5,
  defaultColor: '#7b5234',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.37, 0.05, -0.365);
    const s = moving ? wave(t, 1.3, variant) * 0.3 : 0;
    const bob = moving ? -Math.abs(wave(t, 1.3, variant + 0.25)) * 0.012 : 0;
    quadLegs(ctx, paint.shade, paint.body, 0.14, -0.32, 0.16, -0.36 + bob, s, 0.2);
    // bulky body with a shoulder hump
    fillEllipse(ctx, paint.body, -0.07, -0.45 + bob, 0.38, 0.24);
    fillEllipse(ctx, paint.body, 0.1, -0.56 + bob, 0.2, 0.16);
    fillCircle(ctx, paint.body, -0.43, -0.5 + bob, 0.04);
    // head: round ears, light snout, dark nose
    const hy = -0.53 + bob;
    fillCircles(ctx, paint.body, [0.29, hy - 0.13, 0.055, 0.4, hy - 0.14, 0.05]);
    fillCircles(ctx, paint.shade, [0.29, hy - 0.13, 0.03]);
    fillCircle(ctx, paint.body, 0.36, hy, 0.14);
    fillEllipse(ctx, paint.light, 0.49, hy + 0.04, 0.09, 0.065);
    fillEllipse(ctx, NOSE, 0.56, hy + 0.015, 0.032, 0.024);
    eye(ctx, paint.line, 0.42, hy - 0.04, 0.02);
  },
};

export const ANIMALS = { cat, dog, fox, rabbit, bear } satisfies Partial<Record<SubjectKind, SpecBody>>;
