// Large hoofed and big land animals in side view, facing right: horse, cow, sheep, deer, elephant.
// Legs trot while moving (the horse gallops faster); tails and trunks sway.
import type { SubjectKind } from '../plan/scene-plan.js';
import { eye, fillCircle, fillCircles, fillEllipse, fillPoly, fillRoundRect, fit, quadLegs, rrPath, strokeLine, wave } from './kit.js';
import { mix } from './paint.js';
import type { SpecBody } from './types.js';

const HOOF = '#3a302c';
const NOSE = '#2d2326';

const horse: SpecBody = {
  aspect: 1.25,
  defaultColor: '#9a6338',
  draw({ ctx, paint, t, variant, moving }) {
    ctx.translate(0.035, 0);
    const s = moving ? wave(t, 2.2, variant) * 0.5 : 0;
    const bob = moving ? -Math.abs(wave(t, 2.2, variant + 0.25)) * 0.025 : 0;
    const mane = mix(paint.body, '#1c1410', 0.6);
    const flow = wave(t, moving ? 2.2 : 0.5, variant) * 0.05;
    // tail
    ctx.fillStyle = mane;
    ctx.beginPath();
    ctx.moveTo(-0.36, -0.66 + bob);
    ctx.bezierCurveTo(-0.5, -0.64 + bob, -0.54 + flow, -0.45, -0.56 + flow * 1.6, -0.27);
    ctx.bezierCurveTo(-0.48 + flow, -0.38, -0.44, -0.52 + bob, -0.35, -0.56 + bob);
    ctx.closePath();
    ctx.fill();
    quadLegs(ctx, paint.shade, paint.body, 0.065, -0.27, 0.19, -0.56 + bob, s, 0.45, HOOF);
    fillEllipse(ctx, paint.body, -0.04, -0.6 + bob, 0.34, 0.15);
    // neck rising to the head, mane along its crest, long head angled down
    const hy = -0.88 + bob;
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(0.06, -0.7 + bob);
    ctx.quadraticCurveTo(0.2, -0.84 + bob, 0.32, -0.97 + bob);
    ctx.lineTo(0.44, -0.9 + bob);
    ctx.quadraticCurveTo(0.34, -0.72 + bob, 0.3, -0.54 + bob);
    ctx.lineTo(0.16, -0.52 + bob);
    ctx.closePath();
    ctx.fill();
    // mane: a scalloped band along the crest of the neck
    const crest: number[] = [], tufts: number[] = [];
    for (let i = 0; i <= 6; i++) {
      const u = i / 6, v = 1 - u;
      const x = v * v * 0.06 + 2 * v * u * 0.2 + u * u * 0.32, y = v * v * -0.7 + 2 * v * u * -0.84 + u * u * -0.97 + bob;
      crest.push(x + 0.012, y + 0.012);
      const w = (i % 2 ? 0.035 : 0.065) * (0.6 + u * 0.4);
      tufts.push(x - w * 0.75 + flow * 0.3, y - w * 0.55);
    }
    const manePts = [...crest];
    for (let i = tufts.length - 2; i >= 0; i -= 2) manePts.push(tufts[i]!, tufts[i + 1]!);
    fillPoly(ctx, mane, manePts);
    fillPoly(ctx, paint.body, [0.33, hy - 0.07, 0.34, hy - 0.15, 0.39, hy - 0.07]);
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(0.3, hy - 0.04);
    ctx.quadraticCurveTo(0.4, hy - 0.09, 0.45, hy - 0.03);
    ctx.lineTo(0.58, hy + 0.13);
    ctx.quadraticCurveTo(0.6, hy + 0.2, 0.52, hy + 0.2);
    ctx.quadraticCurveTo(0.46, hy + 0.18, 0.36, hy + 0.08);
    ctx.closePath();
    ctx.fill();
    fillEllipse(ctx, paint.shade, 0.54, hy + 0.16, 0.045, 0.035, 0.8);
    eye(ctx, NOSE, 0.4, hy + 0.0, 0.019);
  },
};

const cow: SpecBody = {
  aspect: 1.25,
  defaultColor: '#f4f1ea',
  accent: '#3b3634',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.075, -0.01, -0.465);
    const s = moving ? wave(t, 1.5, variant) * 0.3 : 0;
    const bob = moving ? -Math.abs(wave(t, 1.5, variant + 0.25)) * 0.01 : 0;
    const swish = wave(t, 0.9, variant) * 0.06;
    strokeLine(ctx, paint.shade, 0.022, [-0.44, -0.7 + bob, -0.5 + swish * 0.5, -0.55, -0.49 + swish, -0.37]);
    fillEllipse(ctx, paint.accent, -0.49 + swish, -0.36, 0.03, 0.05);
    quadLegs(ctx, paint.shade, paint.body, 0.08, -0.33, 0.18, -0.46 + bob, s, 0.25, HOOF);
    // boxy body with patches clipped inside, pink udder
    fillEllipse(ctx, '#f2a6a6', -0.18, -0.39 + bob, 0.08, 0.06);
    ctx.save();
    ctx.beginPath();
    rrPath(ctx, -0.46, -0.76 + bob, 0.76, 0.36, 0.14);
    ctx.fillStyle = paint.body;
    ctx.fill();
    ctx.clip();
    fillCircles(ctx, paint.accent, [-0.3 + variant * 0.05, -0.7 + bob, 0.12, 0.02, -0.52 + bob, 0.1, 0.19, -0.76 + bob, 0.09, -0.45, -0.45 + bob, 0.07]);
    fillEllipse(ctx, paint.shade, -0.08, -0.36 + bob, 0.45, 0.06);
    ctx.restore();
    // head with horns, ear, pink muzzle
    const hx = 0.42, hy = -0.72 + bob;
    fillPoly(ctx, '#efe3c4', [hx - 0.08, hy - 0.09, hx - 0.11, hy - 0.2, hx - 0.04, hy - 0.11]);
    fillEllipse(ctx, paint.shade, hx - 0.12, hy - 0.03, 0.08, 0.035, -0.3);
    fillRoundRect(ctx, paint.body, hx - 0.1, hy - 0.11, 0.2, 0.25, 0.08);
    fillCircles(ctx, paint.accent, [hx - 0.06, hy - 0.06, 0.055]);
    fillEllipse(ctx, '#f2b3ae', hx + 0.04, hy + 0.12, 0.1, 0.07);
    fillCircles(ctx, '#c7807b', [hx + 0.07, hy + 0.11, 0.015, hx + 0.115, hy + 0.1, 0.013]);
    eye(ctx, NOSE, hx + 0.035, hy - 0.03, 0.022);
  },
};

const sheep: SpecBody = {
  aspect: 1.18,
  defaultColor: '#f3efe4',
  accent: '#3d3838',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.266, 0.005, -0.395);
    const s = moving ? wave(t, 1.8, variant) * 0.35 : 0;
    const bob = moving ? -Math.abs(wave(t, 1.8, variant + 0.25)) * 0.012 : 0;
    quadLegs(ctx, mix(paint.accent, '#000000', 0.3), paint.accent, 0.05, -0.24, 0.16, -0.38 + bob, s, 0.3);
    // woolly body: puffs in shade, then body, then highlights
    const puffs: number[] = [];
    for (let i = 0; i < 9; i++) {
      const a = (i / 9) * Math.PI * 2;
      puffs.push(-0.06 + Math.cos(a) * 0.27, -0.53 + bob + Math.sin(a) * 0.13, 0.12);
    }
    fillCircles(ctx, paint.shade, puffs.map((v, i) => (i % 3 === 1 ? v + 0.02 : i % 3 === 0 ? v - 0.01 : v)));
    fillCircles(ctx, paint.body, puffs);
    fillEllipse(ctx, paint.body, -0.06, -0.53 + bob, 0.3, 0.15);
    fillCircles(ctx, paint.light, [-0.12, -0.63 + bob, 0.06, 0.04, -0.62 + bob, 0.05, -0.22, -0.55 + bob, 0.04]);
    // dark face with ears and a wool fringe
    const hx = 0.33, hy = -0.6 + bob;
    fillEllipse(ctx, paint.accent, hx - 0.07, hy - 0.02, 0.07, 0.03, 0.5);
    fillEllipse(ctx, paint.accent, hx + 0.04, hy + 0.02, 0.09, 0.12, -0.5);
    fillCircles(ctx, paint.body, [hx - 0.03, hy - 0.1, 0.06, hx + 0.03, hy - 0.12, 0.05]);
    eye(ctx, '#f4efe6', hx + 0.06, hy - 0.01, 0.018, false);
  },
};

const deer: SpecBody = {
  aspect: 0.95,
  defaultColor: '#a8703f',
  accent: '#d9c09a',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 0.97, -0.05, -0.515);
    const s = moving ? wave(t, 1.9, variant) * 0.42 : 0;
    const bob = moving ? -Math.abs(wave(t, 1.9, variant + 0.25)) * 0.015 : 0;
    quadLegs(ctx, paint.shade, paint.body, 0.045, -0.25, 0.15, -0.5 + bob, s, 0.45, HOOF);
    fillEllipse(ctx, paint.body, -0.06, -0.53 + bob, 0.29, 0.12);
    fillEllipse(ctx, paint.light, -0.02, -0.45 + bob, 0.2, 0.04);
    fillEllipse(ctx, '#f6efe2', -0.33, -0.55 + bob, 0.04, 0.055);
    fillEllipse(ctx, paint.body, -0.35, -0.6 + bob, 0.025, 0.04, 0.5);
    // neck and head
    const hx = 0.3, hy = -0.77 + bob;
    fillPoly(ctx, paint.body, [0.07, -0.6 + bob, 0.22, -0.8 + bob, 0.32, -0.76 + bob, 0.22, -0.48 + bob]);
    fillEllipse(ctx, paint.body, hx + 0.03, hy + 0.02, 0.1, 0.055, 0.35);
    fillEllipse(ctx, paint.shade, hx - 0.06, hy - 0.05, 0.05, 0.022, -0.5);
    fillCircle(ctx, NOSE, hx + 0.12, hy + 0.055, 0.017);
    eye(ctx, NOSE, hx + 0.015, hy - 0.005, 0.016);
    // antlers
    const ax = hx - 0.02, ay = hy - 0.05;
    strokeLine(ctx, paint.accent, 0.02, [ax, ay, ax - 0.03, ay - 0.1, ax - 0.08, ay - 0.16, ax - 0.1, ay - 0.2]);
    strokeLine(ctx, paint.accent, 0.02, [ax - 0.03, ay - 0.1, ax + 0.02, ay - 0.16]);
    strokeLine(ctx, paint.accent, 0.02, [ax - 0.08, ay - 0.16, ax - 0.05, ay - 0.2]);
    strokeLine(ctx, paint.accent, 0.02, [ax + 0.03, ay - 0.01, ax + 0.06, ay - 0.09, ax + 0.1, ay - 0.14]);
    strokeLine(ctx, paint.accent, 0.02, [ax + 0.06, ay - 0.09, ax + 0.02, ay - 0.13]);
  },
};

const elephant: SpecBody = {
  aspect: 1.4,
  defaultColor: '#9aa3ae',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.163, 0.07, -0.43);
    const s = moving ? wave(t, 1.2, variant) * 0.22 : 0;
    const bob = moving ? -Math.abs(wave(t, 1.2, variant + 0.25)) * 0.012 : 0;
    const sway = wave(t, 0.6, variant) * 0.05;
    strokeLine(ctx, paint.shade, 0.02, [-0.46, -0.62 + bob, -0.52, -0.45 + bob]);
    quadLegs(ctx, paint.shade, paint.body, 0.15, -0.3, 0.15, -0.48 + bob, s, 0.1);
    fillEllipse(ctx, paint.body, -0.08, -0.56 + bob, 0.38, 0.27);
    fillEllipse(ctx, mix(paint.body, paint.light, 0.45), -0.12, -0.72 + bob, 0.2, 0.05, -0.05);
    // head, trunk (tapered, curling forward), ear, tusk
    const hx = 0.3, hy = -0.64 + bob;
    fillCircle(ctx, paint.body, hx, hy, 0.2);
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(hx + 0.08, hy - 0.05);
    ctx.bezierCurveTo(hx + 0.3, hy + 0.05, hx + 0.24 + sway, hy + 0.35, hx + 0.32 + sway, hy + 0.5);
    ctx.lineTo(hx + 0.27 + sway, hy + 0.52);
    ctx.bezierCurveTo(hx + 0.17 + sway, hy + 0.35, hx + 0.18, hy + 0.18, hx + 0.02, hy + 0.12);
    ctx.closePath();
    ctx.fill();
    fillPoly(ctx, '#fbf6ea', [hx + 0.1, hy + 0.1, hx + 0.22, hy + 0.17, hx + 0.12, hy + 0.14]);
    const flap = 1 + wave(t, 0.8, variant) * 0.06;
    fillEllipse(ctx, paint.shade, hx - 0.08, hy + 0.02, 0.13 * flap, 0.19, 0.15);
    fillEllipse(ctx, mix(paint.shade, '#f2a6a6', 0.25), hx - 0.07, hy + 0.03, 0.08 * flap, 0.13, 0.15);
    eye(ctx, paint.line, hx + 0.1, hy - 0.05, 0.02);
  },
};

export const FARM = { horse, cow, sheep, deer, elephant } satisfies Partial<Record<SubjectKind, SpecBody>>;
