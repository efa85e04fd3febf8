// Birds facing right: bird (side-view flier), owl (front-facing, head turned right), duck and swan
// (floating: bob and nod), penguin (waddles). Wings flap by foreshortening (a y-scale through zero).
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { SubjectKind } from '../plan/scene-plan.js';
import { eye, fillCircle, fillCircles, fillEllipse, fillPoly, fit, strokeSegments, wave } from './kit.js';
import type { SpecBody } from './types.js';

const DARK = '#2a2328';
const WHITE = '#f7f6f2';

/** A side-view wing rooted at (0,0), pointing up, `len` long; the caller scales y to flap it. */
function wingPath(ctx: SKRSContext2D, len: number, w: number): void {
  ctx.beginPath();
  ctx.moveTo(-w, 0);
  ctx.bezierCurveTo(-w * 1.3, -len * 0.5, -w * 1.2, -len * 0.85, -w * 0.2, -len);
  ctx.bezierCurveTo(w * 0.4, -len * 0.7, w * 0.9, -len * 0.35, w, 0);
  ctx.closePath();
}

function flapWing(ctx: SKRSContext2D, fill: string, x: number, y: number, k: number, len: number, w: number): void {
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(1, Math.abs(k) < 0.08 ? (k < 0 ? -0.08 : 0.08) : k);
  ctx.fillStyle = fill;
  wingPath(ctx, len, w);
  ctx.fill();
  ctx.restore();
}

const bird: SpecBody = {
  aspect: 1.25,
  defaultColor: '#4f8fd6',
  accent: '#f29a2e',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.47, -0.045, -0.65);
    const k = moving ? wave(t, 3.2, variant) * 0.8 + 0.15 : 0.55;
    const bob = moving ? wave(t, 3.2, variant - 0.2) * 0.02 : 0;
    const y = -0.55 + bob;
    flapWing(ctx, paint.shade, 0.06, y - 0.04, k * 0.85, 0.42, 0.11);
    // tail fan, body, belly, head, beak
    fillPoly(ctx, paint.shade, [-0.12, y + 0.01, -0.44, y - 0.08, -0.46, y + 0.04, -0.42, y + 0.1]);
    fillEllipse(ctx, paint.body, -0.02, y, 0.24, 0.105, -0.08);
    fillEllipse(ctx, paint.light, 0.04, y + 0.045, 0.16, 0.055, -0.1);
    fillCircle(ctx, paint.body, 0.2, y - 0.05, 0.095);
    fillPoly(ctx, paint.accent, [0.27, y - 0.09, 0.39, y - 0.045, 0.27, y - 0.01]);
    eye(ctx, paint.line, 0.235, y - 0.07, 0.02);
    flapWing(ctx, paint.body, 0, y - 0.03, k, 0.44, 0.12);
  },
};

const owl: SpecBody = {
  aspect: 1.3,
  defaultColor: '#8d6a48',
  accent: '#f2b134',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.2, 0, -0.485);
    const k = moving ? wave(t, 2.4, variant) : 0;
    const blink = !moving && ((t + variant * 3) % 3.2) < 0.15;
    // wings: folded at the sides when still, spread and beating while flying
    for (const side of [-1, 1] as const) {
      ctx.save();
      ctx.translate(side * 0.14, -0.58);
      ctx.rotate(-side * (moving ? 1.75 + k * 0.6 : 0.18));
      fillEllipse(ctx, paint.shade, 0, 0.17, 0.1, moving ? 0.26 : 0.22);
      if (moving) fillEllipse(ctx, paint.body, 0.02, 0.1, 0.06, 0.15);
      ctx.restore();
    }
    // body, belly with chevrons, ear tufts
    fillEllipse(ctx, paint.body, 0, -0.45, 0.25, 0.35);
    fillEllipse(ctx, paint.light, 0.02, -0.3, 0.16, 0.2);
    strokeSegments(ctx, paint.shade, 0.018, [-0.06, -0.34, -0.03, -0.31, -0.03, -0.31, 0, -0.34, 0.04, -0.34, 0.07, -0.31, 0.07, -0.31, 0.1, -0.34, -0.04, -0.24, -0.01, -0.21, -0.01, -0.21, 0.02, -0.24, 0.06, -0.24, 0.09, -0.21]);
    fillPoly(ctx, paint.body, [-0.2, -0.68, -0.2, -0.9, -0.07, -0.74]);
    fillPoly(ctx, paint.body, [0.24, -0.68, 0.24, -0.9, 0.11, -0.74]);
    // face: two light discs, big eyes looking right, beak
    fillCircles(ctx, paint.light, [-0.06, -0.63, 0.11, 0.13, -0.63, 0.11]);
    if (blink) {
      strokeSegments(ctx, paint.line, 0.02, [-0.11, -0.63, -0.01, -0.63, 0.08, -0.63, 0.18, -0.63]);
    } else {
      fillCircles(ctx, paint.accent, [-0.05, -0.63, 0.07, 0.14, -0.63, 0.07]);
      fillCircles(ctx, DARK, [-0.035, -0.63, 0.04, 0.155, -0.63, 0.04]);
      fillCircles(ctx, '#ffffff', [-0.025, -0.645, 0.013, 0.165, -0.645, 0.013]);
    }
    fillPoly(ctx, '#e8912c', [0.03, -0.59, 0.07, -0.59, 0.05, -0.52]);
    fillCircles(ctx, '#e8912c', [-0.06, -0.1, 0.035, 0.06, -0.1, 0.035]);
  },
};

const duck: SpecBody = {
  aspect: 1.28,
  defaultColor: '#f6f3ea',
  accent: '#f29a2e',
  waterline: 0.22,
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.266, 0.01, -0.41);
    const bob = wave(t, moving ? 1.6 : 0.7, variant) * 0.015;
    const nod = moving ? wave(t, 1.6, variant + 0.2) * 0.04 : 0;
    const y = bob;
    // body: rounded hull with an upturned tail
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(-0.48, -0.52 + y);
    ctx.bezierCurveTo(-0.3, -0.42 + y, -0.05, -0.5 + y, 0.16, -0.46 + y);
    ctx.bezierCurveTo(0.38, -0.4 + y, 0.38, -0.05 + y, 0.05, -0.04 + y);
    ctx.lineTo(-0.25, -0.04 + y);
    ctx.bezierCurveTo(-0.45, -0.05 + y, -0.5, -0.3 + y, -0.48, -0.52 + y);
    ctx.fill();
    // wing
    ctx.fillStyle = paint.shade;
    ctx.beginPath();
    ctx.moveTo(0.14, -0.32 + y);
    ctx.bezierCurveTo(0.1, -0.44 + y, -0.16, -0.42 + y, -0.32, -0.36 + y);
    ctx.bezierCurveTo(-0.16, -0.18 + y, 0.08, -0.16 + y, 0.14, -0.32 + y);
    ctx.fill();
    // neck and head with a flat bill
    const hx = 0.22 + nod, hy = -0.68 + y + Math.abs(nod);
    fillEllipse(ctx, paint.body, 0.19 + nod * 0.5, -0.5 + y, 0.09, 0.15, 0.2);
    fillCircle(ctx, paint.body, hx, hy, 0.13);
    ctx.fillStyle = paint.accent;
    ctx.beginPath();
    ctx.moveTo(hx + 0.08, hy - 0.02);
    ctx.quadraticCurveTo(hx + 0.22, hy - 0.04, hx + 0.25, hy + 0.02);
    ctx.quadraticCurveTo(hx + 0.2, hy + 0.07, hx + 0.08, hy + 0.05);
    ctx.closePath();
    ctx.fill();
    eye(ctx, DARK, hx + 0.045, hy - 0.04, 0.022);
  },
};

const swan: SpecBody = {
  aspect: 1.0,
  defaultColor: '#f7f6f2',
  accent: '#f08a2c',
  waterline: 0.2,
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.11, -0.055, -0.465);
    const bob = wave(t, moving ? 1.2 : 0.6, variant) * 0.012;
    const y = bob;
    // body and raised, scalloped wing
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(-0.5, -0.42 + y);
    ctx.bezierCurveTo(-0.3, -0.34 + y, 0, -0.38 + y, 0.2, -0.32 + y);
    ctx.bezierCurveTo(0.36, -0.26 + y, 0.34, -0.04 + y, 0.1, -0.04 + y);
    ctx.lineTo(-0.28, -0.04 + y);
    ctx.bezierCurveTo(-0.44, -0.06 + y, -0.46, -0.25 + y, -0.5, -0.42 + y);
    ctx.fill();
    ctx.fillStyle = paint.light;
    ctx.beginPath();
    ctx.moveTo(0.12, -0.26 + y);
    ctx.bezierCurveTo(0.05, -0.5 + y, -0.25, -0.56 + y, -0.42, -0.5 + y);
    ctx.bezierCurveTo(-0.3, -0.4 + y, -0.3, -0.26 + y, -0.1, -0.18 + y);
    ctx.closePath();
    ctx.fill();
    strokeSegments(ctx, paint.shade, 0.014, [-0.3, -0.43 + y, -0.18, -0.3 + y, -0.17, -0.47 + y, -0.06, -0.29 + y, -0.04, -0.46 + y, 0.05, -0.3 + y]);
    // S-shaped neck and head
    ctx.strokeStyle = paint.body;
    ctx.lineWidth = 0.075;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(0.18, -0.3 + y);
    ctx.bezierCurveTo(0.34, -0.45 + y, 0.06, -0.62 + y, 0.14, -0.82 + y);
    ctx.quadraticCurveTo(0.2, -0.92 + y, 0.26, -0.86 + y);
    ctx.stroke();
    fillEllipse(ctx, paint.body, 0.24, -0.86 + y, 0.07, 0.05, 0.3);
    fillPoly(ctx, paint.accent, [0.27, -0.89 + y, 0.4, -0.81 + y, 0.28, -0.82 + y]);
    fillCircle(ctx, DARK, 0.275, -0.865 + y, 0.025);
    eye(ctx, DARK, 0.235, -0.875 + y, 0.014, false);
  },
};

const penguin: SpecBody = {
  aspect: 0.68,
  defaultColor: '#2f3542',
  accent: '#f29a2e',
  draw({ ctx, paint, t, variant, moving }) {
    ctx.translate(-0.04, 0);
    const rot = moving ? wave(t, 2, variant) * 0.09 : 0;
    const flap = moving ? wave(t, 2, variant + 0.25) * 0.25 : 0;
    ctx.rotate(rot);
    fillCircles(ctx, paint.accent, [-0.06, -0.04, 0.045, 0.1, -0.04, 0.045]);
    fillEllipse(ctx, paint.body, 0, -0.5, 0.22, 0.44);
    fillEllipse(ctx, WHITE, 0.06, -0.38, 0.15, 0.33);
    fillEllipse(ctx, paint.light, -0.1, -0.6, 0.05, 0.14, 0.2);
    // flipper
    ctx.save();
    ctx.translate(-0.04, -0.56);
    ctx.rotate(0.25 + flap);
    fillEllipse(ctx, paint.shade, 0, 0.17, 0.055, 0.19);
    ctx.restore();
    // head: white eye patch, beak
    fillCircle(ctx, WHITE, 0.1, -0.74, 0.05);
    eye(ctx, DARK, 0.115, -0.74, 0.024);
    fillPoly(ctx, paint.accent, [0.17, -0.72, 0.3, -0.69, 0.17, -0.66]);
  },
};

export const BIRDS = { bird, owl, duck, swan, penguin } satisfies Partial<Record<SubjectKind, SpecBody>>;
export { flapWing };
