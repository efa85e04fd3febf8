// Winged things that are not birds: butterfly (top view, wings fold by x-scale), bee (side view,
// fast translucent wings), dragon (side view, bat wings beating slowly, tail waving).
import type { SubjectKind } from '../plan/scene-plan.js';
import { flapWing } from './birds.js';
import { eye, fillCircle, fillCircles, fillEllipse, fillPoly, fit, rrPath, strokeLine, strokeSegments, wave } from './kit.js';
import { mix } from './paint.js';
import type { SpecBody } from './types.js';

const DARK = '#2a2328';

const butterfly: SpecBody = {
  aspect: 1.0,
  defaultColor: '#f39a38',
  accent: '#fff4d6',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.06, 0.06, -0.53);
    const k = moving ? 0.62 + 0.38 * wave(t, 3.7, variant) : 0.95;
    const bob = moving ? wave(t, 1.2, variant) * 0.03 : 0;
    ctx.translate(0, -0.5 + bob);
    ctx.rotate(0.3);
    const edge = mix(paint.body, '#1d1620', 0.7);
    for (const side of [-1, 1] as const) {
      ctx.save();
      ctx.scale(side * Math.max(0.12, k), 1);
      // fore wing, hind wing, dark border drawn underneath as a slightly bigger shape
      ctx.fillStyle = edge;
      ctx.beginPath();
      ctx.moveTo(0.02, -0.04);
      ctx.bezierCurveTo(0.2, -0.46, 0.52, -0.44, 0.47, -0.22);
      ctx.bezierCurveTo(0.44, -0.06, 0.2, 0, 0.02, 0.02);
      ctx.moveTo(0.02, 0.02);
      ctx.bezierCurveTo(0.3, 0.02, 0.42, 0.2, 0.3, 0.34);
      ctx.bezierCurveTo(0.2, 0.44, 0.06, 0.3, 0.02, 0.1);
      ctx.fill();
      ctx.fillStyle = paint.body;
      ctx.beginPath();
      ctx.moveTo(0.03, -0.05);
      ctx.bezierCurveTo(0.2, -0.4, 0.46, -0.39, 0.42, -0.22);
      ctx.bezierCurveTo(0.39, -0.09, 0.2, -0.03, 0.03, 0.0);
      ctx.moveTo(0.03, 0.03);
      ctx.bezierCurveTo(0.27, 0.04, 0.36, 0.19, 0.27, 0.29);
      ctx.bezierCurveTo(0.19, 0.37, 0.08, 0.27, 0.03, 0.1);
      ctx.fill();
      fillEllipse(ctx, paint.shade, 0.13, -0.09, 0.1, 0.05, -0.5);
      fillCircles(ctx, paint.accent, [0.36, -0.24, 0.035, 0.29, -0.3, 0.025, 0.22, 0.2, 0.03]);
      ctx.restore();
    }
    // body and antennae
    fillEllipse(ctx, DARK, 0, 0.04, 0.03, 0.2);
    fillCircle(ctx, DARK, 0, -0.17, 0.04);
    strokeSegments(ctx, DARK, 0.012, [0, -0.19, -0.08, -0.33, 0, -0.19, 0.08, -0.33]);
    fillCircles(ctx, DARK, [-0.08, -0.33, 0.018, 0.08, -0.33, 0.018]);
    ctx.rotate(-0.3);
    ctx.translate(0, 0.5 - bob);
  },
};

const bee: SpecBody = {
  aspect: 1.05,
  defaultColor: '#f6c531',
  accent: '#2e2a27',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.12, 0.025, -0.575);
    const k = moving ? wave(t, 7.3, variant) * 0.4 + 0.55 : 0.9;
    const bob = moving ? wave(t, 1.5, variant) * 0.03 : 0;
    const y = -0.45 + bob;
    // legs, far wing
    strokeSegments(ctx, paint.accent, 0.018, [-0.08, y + 0.15, -0.12, y + 0.27, 0.04, y + 0.16, 0.02, y + 0.28, 0.14, y + 0.12, 0.17, y + 0.24]);
    flapWing(ctx, 'rgba(214,232,245,0.8)', -0.02, y - 0.1, k * 0.85, 0.42, 0.13);
    // stinger, striped body (stripes clipped to it), head, eye, antenna
    fillPoly(ctx, paint.accent, [-0.3, y - 0.03, -0.43, y + 0.03, -0.3, y + 0.07]);
    ctx.save();
    ctx.beginPath();
    ctx.ellipse(-0.02, y, 0.3, 0.2, 0, 0, Math.PI * 2);
    ctx.fillStyle = paint.body;
    ctx.fill();
    ctx.clip();
    ctx.fillStyle = paint.accent;
    ctx.beginPath();
    for (const sx of [-0.2, -0.02, 0.16]) rrPath(ctx, sx - 0.045, y - 0.25, 0.09, 0.5, 0.02);
    ctx.fill();
    ctx.restore();
    fillCircle(ctx, paint.accent, 0.33, y - 0.01, 0.12);
    eye(ctx, '#ffffff', 0.38, y - 0.04, 0.028, false);
    fillCircle(ctx, DARK, 0.395, y - 0.04, 0.014);
    strokeLine(ctx, paint.accent, 0.016, [0.36, y - 0.11, 0.42, y - 0.24, 0.48, y - 0.26]);
    flapWing(ctx, 'rgba(240,248,255,0.85)', 0.06, y - 0.12, k, 0.45, 0.14);
  },
};

const dragon: SpecBody = {
  aspect: 1.45,
  defaultColor: '#4fa65b',
  accent: '#f3c454',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1, -0.03, -0.595);
    const w = moving ? wave(t, 1.6, variant) : 0.3;
    const k = 0.62 + w * 0.38;
    const rot = -w * 0.25;
    const bob = moving ? -wave(t, 1.6, variant - 0.15) * 0.03 : 0;
    const tw = wave(t, 0.9, variant) * 0.06;
    const y = -0.38 + bob;
    // bat wing: finger bones fanning from the wrist, a scalloped membrane between them
    const wing = (fill: string, bone: string, x: number, kk: number, s: number) => {
      ctx.save();
      ctx.translate(x, y - 0.07);
      ctx.rotate(rot);
      ctx.scale(s, kk);
      ctx.fillStyle = fill;
      ctx.beginPath();
      ctx.moveTo(0.1, 0);
      ctx.lineTo(0.14, -0.4);
      ctx.lineTo(0.04, -0.6);
      ctx.quadraticCurveTo(-0.02, -0.38, -0.24, -0.5);
      ctx.quadraticCurveTo(-0.14, -0.28, -0.42, -0.32);
      ctx.quadraticCurveTo(-0.26, -0.14, -0.46, -0.08);
      ctx.quadraticCurveTo(-0.24, -0.08, -0.12, 0);
      ctx.closePath();
      ctx.fill();
      strokeSegments(ctx, bone, 0.02, [0.1, 0, 0.14, -0.4, 0.14, -0.4, 0.04, -0.6, 0.14, -0.4, -0.24, -0.5, 0.14, -0.4, -0.42, -0.32, 0.14, -0.4, -0.46, -0.08]);
      ctx.restore();
    };
    wing(paint.shade, mix(paint.shade, '#000000', 0.25), 0.05, k * 0.85, 0.9);
    // tail with a spade tip
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(-0.2, y - 0.07);
    ctx.bezierCurveTo(-0.42, y - 0.05, -0.5, y + 0.12 + tw, -0.66, y + 0.1 + tw);
    ctx.lineTo(-0.66, y + 0.13 + tw);
    ctx.bezierCurveTo(-0.5, y + 0.18 + tw, -0.4, y + 0.08, -0.2, y + 0.07);
    ctx.closePath();
    ctx.fill();
    fillPoly(ctx, paint.shade, [-0.62, y + 0.115 + tw, -0.72, y + 0.04 + tw, -0.74, y + 0.13 + tw, -0.7, y + 0.2 + tw]);
    // back spikes, legs, body with a pale belly
    fillPoly(ctx, paint.shade, [-0.24, y - 0.08, -0.2, y - 0.15, -0.15, y - 0.1, -0.1, y - 0.17, -0.05, y - 0.11, 0.01, y - 0.18, 0.06, y - 0.11, 0.12, y - 0.16, 0.15, y - 0.08]);
    strokeLine(ctx, paint.shade, 0.05, [-0.14, y + 0.06, -0.2, y + 0.16, -0.15, y + 0.2]);
    strokeLine(ctx, paint.shade, 0.045, [0.12, y + 0.06, 0.1, y + 0.16, 0.15, y + 0.19]);
    fillEllipse(ctx, paint.body, -0.02, y, 0.29, 0.14, -0.05);
    fillEllipse(ctx, paint.accent, 0.03, y + 0.07, 0.19, 0.055, -0.1);
    // neck and horned head
    ctx.strokeStyle = paint.body;
    ctx.lineWidth = 0.12;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(0.14, y - 0.02);
    ctx.quadraticCurveTo(0.3, y - 0.06, 0.36, y - 0.2);
    ctx.stroke();
    const hx = 0.42, hy = y - 0.26;
    fillPoly(ctx, paint.shade, [hx - 0.06, hy - 0.04, hx - 0.2, hy - 0.17, hx - 0.02, hy - 0.08]);
    fillEllipse(ctx, paint.body, hx, hy, 0.115, 0.085, 0.1);
    fillEllipse(ctx, paint.body, hx + 0.13, hy + 0.035, 0.13, 0.058, 0.15);
    fillPoly(ctx, paint.light, [hx - 0.03, hy - 0.06, hx - 0.14, hy - 0.2, hx + 0.01, hy - 0.08]);
    strokeLine(ctx, paint.shade, 0.012, [hx + 0.12, hy + 0.065, hx + 0.24, hy + 0.06]);
    eye(ctx, DARK, hx + 0.035, hy - 0.025, 0.024);
    fillCircle(ctx, DARK, hx + 0.22, hy + 0.01, 0.012);
    wing(mix(paint.body, paint.light, 0.45), paint.shade, -0.02, k, 1);
  },
};

export const FLYERS = { butterfly, bee, dragon } satisfies Partial<Record<SubjectKind, SpecBody>>;
