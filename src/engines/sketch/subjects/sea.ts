// Sea creatures: fish, whale, dolphin (tails wag), jellyfish (bell pulses, tentacles trail), octopus
// (arms wave), crab (claws snap, legs scuttle), turtle (flippers stroke). All face right.
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { SubjectKind } from '../plan/scene-plan.js';
import { eye, fillCircle, fillCircles, fillEllipse, fillPoly, fit, strokeLine, strokeSegments, wave } from './kit.js';
import { mix } from './paint.js';
import type { SpecBody } from './types.js';

const DARK = '#1f2430';
const WHITE = '#fbf8f1';

/** A tapered arm along a polyline [x, y, ...], `w0` wide at the root down to `w1` at the tip, filled once. */
function taper(ctx: SKRSContext2D, fill: string, pts: readonly number[], w0: number, w1: number): void {
  const n = pts.length / 2;
  const left: number[] = [], right: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = pts[i * 2]!, y = pts[i * 2 + 1]!;
    const a = Math.max(0, i - 1), b = Math.min(n - 1, i + 1);
    const dx = pts[b * 2]! - pts[a * 2]!, dy = pts[b * 2 + 1]! - pts[a * 2 + 1]!;
    const len = Math.hypot(dx, dy) || 1;
    const w = (w0 + (w1 - w0) * (i / (n - 1))) / 2;
    left.push(x - (dy / len) * w, y + (dx / len) * w);
    right.push(x + (dy / len) * w, y - (dx / len) * w);
  }
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.moveTo(left[0]!, left[1]!);
  for (let i = 1; i < n; i++) ctx.lineTo(left[i * 2]!, left[i * 2 + 1]!);
  const tx = pts[(n - 1) * 2]!, ty = pts[(n - 1) * 2 + 1]!;
  ctx.arc(tx, ty, w1 / 2, 0, Math.PI * 2);
  ctx.moveTo(right[(n - 1) * 2]!, right[(n - 1) * 2 + 1]!);
  for (let i = n - 1; i >= 0; i--) ctx.lineTo(right[i * 2]!, right[i * 2 + 1]!);
  for (let i = 0; i < n; i++) ctx.lineTo(left[i * 2]!, left[i * 2 + 1]!);
  ctx.fill();
}

const fish: SpecBody = {
  aspect: 1.65,
  defaultColor: '#f28a30',
  accent: WHITE,
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.16, -0.085, -0.52);
    const wag = wave(t, moving ? 2.6 : 0.8, variant) * (moving ? 0.35 : 0.12);
    const y = -0.5;
    // tail fan, hinged at the tail stock
    ctx.save();
    ctx.translate(-0.3, y);
    ctx.rotate(wag);
    fillPoly(ctx, paint.shade, [0.02, 0, -0.42, -0.3, -0.34, 0, -0.42, 0.3]);
    ctx.restore();
    fillPoly(ctx, paint.shade, [-0.12, y - 0.24, 0.06, y - 0.45, 0.22, y - 0.26]);
    fillPoly(ctx, paint.shade, [-0.05, y + 0.24, 0.02, y + 0.4, 0.14, y + 0.24]);
    // body with two bands clipped to it
    ctx.save();
    ctx.beginPath();
    ctx.ellipse(0.12, y, 0.5, 0.3, 0, 0, Math.PI * 2);
    ctx.fillStyle = paint.body;
    ctx.fill();
    ctx.clip();
    fillEllipse(ctx, paint.light, 0.15, y + 0.2, 0.42, 0.12);
    fillEllipse(ctx, paint.accent, 0.32, y, 0.05, 0.34, 0.1);
    fillEllipse(ctx, paint.accent, -0.06, y, 0.05, 0.34, 0.05);
    ctx.restore();
    // pectoral fin, eye, mouth
    ctx.save();
    ctx.translate(0.16, y + 0.06);
    ctx.rotate(0.5 + wag * 0.8);
    fillEllipse(ctx, paint.shade, -0.08, 0, 0.1, 0.045);
    ctx.restore();
    fillCircle(ctx, WHITE, 0.43, y - 0.07, 0.065);
    eye(ctx, DARK, 0.45, y - 0.07, 0.035);
    strokeLine(ctx, paint.shade, 0.02, [0.57, y + 0.06, 0.61, y + 0.05]);
  },
};

const whale: SpecBody = {
  aspect: 2.7,
  defaultColor: '#4a6c96',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.37, -0.03, -0.495);
    const wag = wave(t, moving ? 1.1 : 0.5, variant) * (moving ? 0.3 : 0.1);
    // flukes, hinged at the tail stock, beat up and down
    ctx.save();
    ctx.translate(-0.7, -0.52);
    ctx.rotate(wag);
    ctx.fillStyle = paint.shade;
    ctx.beginPath();
    ctx.moveTo(0.04, 0);
    ctx.quadraticCurveTo(-0.1, -0.1, -0.26, -0.26);
    ctx.quadraticCurveTo(-0.16, -0.04, -0.22, 0.02);
    ctx.quadraticCurveTo(-0.14, 0.04, -0.2, 0.22);
    ctx.quadraticCurveTo(-0.06, 0.08, 0.04, 0.06);
    ctx.closePath();
    ctx.fill();
    ctx.restore();
    // body: blunt head on the right, tapering to the tail
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(0.96, -0.4);
    ctx.bezierCurveTo(0.94, -0.78, 0.55, -0.9, 0.1, -0.84);
    ctx.bezierCurveTo(-0.3, -0.8, -0.55, -0.6, -0.74, -0.55);
    ctx.lineTo(-0.72, -0.47);
    ctx.bezierCurveTo(-0.5, -0.4, -0.3, -0.18, 0.1, -0.14);
    ctx.bezierCurveTo(0.6, -0.1, 0.96, -0.16, 0.96, -0.4);
    ctx.fill();
    // pale grooved throat and belly
    ctx.fillStyle = paint.light;
    ctx.beginPath();
    ctx.moveTo(0.93, -0.32);
    ctx.bezierCurveTo(0.85, -0.14, 0.5, -0.11, 0.1, -0.15);
    ctx.bezierCurveTo(-0.2, -0.18, -0.4, -0.3, -0.55, -0.42);
    ctx.bezierCurveTo(-0.2, -0.32, 0.3, -0.3, 0.93, -0.32);
    ctx.fill();
    strokeSegments(ctx, paint.shade, 0.012, [0.85, -0.27, 0.2, -0.22, 0.75, -0.22, 0.15, -0.18, 0.55, -0.17, 0.1, -0.155]);
    strokeLine(ctx, paint.shade, 0.018, [0.93, -0.36, 0.7, -0.36, 0.6, -0.32]);
    // flipper and eye
    ctx.save();
    ctx.translate(0.38, -0.26);
    ctx.rotate(0.45 + wag * 0.6);
    fillEllipse(ctx, paint.shade, -0.12, 0.02, 0.16, 0.045);
    ctx.restore();
    eye(ctx, DARK, 0.62, -0.42, 0.022);
    fillEllipse(ctx, paint.light, 0.3, -0.74, 0.2, 0.035, -0.05);
  },
};

const dolphin: SpecBody = {
  aspect: 2.7,
  defaultColor: '#7d9bb8',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.43, -0.025, -0.6);
    const wag = wave(t, moving ? 1.8 : 0.6, variant) * (moving ? 0.35 : 0.1);
    ctx.translate(0, -0.45);
    ctx.rotate(-wag * 0.15);
    // flukes
    ctx.save();
    ctx.translate(-0.68, -0.02);
    ctx.rotate(wag);
    ctx.fillStyle = paint.shade;
    ctx.beginPath();
    ctx.moveTo(0.04, 0);
    ctx.quadraticCurveTo(-0.12, -0.06, -0.24, -0.2);
    ctx.quadraticCurveTo(-0.18, -0.02, -0.2, 0.01);
    ctx.quadraticCurveTo(-0.16, 0.04, -0.22, 0.2);
    ctx.quadraticCurveTo(-0.1, 0.06, 0.04, 0.05);
    ctx.closePath();
    ctx.fill();
    ctx.restore();
    // dorsal fin and body: melon, long beak, slim tail stock
    // hooked (falcate) dorsal fin, then the body: rounded melon, short beak, slim tail stock
    ctx.fillStyle = paint.shade;
    ctx.beginPath();
    ctx.moveTo(-0.16, -0.22);
    ctx.quadraticCurveTo(-0.08, -0.36, -0.22, -0.48);
    ctx.quadraticCurveTo(0.04, -0.42, 0.12, -0.25);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(0.93, 0.0);
    ctx.quadraticCurveTo(0.8, -0.04, 0.72, -0.06);
    ctx.bezierCurveTo(0.66, -0.22, 0.5, -0.28, 0.2, -0.28);
    ctx.bezierCurveTo(-0.1, -0.28, -0.4, -0.14, -0.72, -0.04);
    ctx.lineTo(-0.7, 0.03);
    ctx.quadraticCurveTo(-0.4, 0.08, -0.1, 0.17);
    ctx.bezierCurveTo(0.3, 0.25, 0.62, 0.14, 0.93, 0.03);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = paint.light;
    ctx.beginPath();
    ctx.moveTo(0.9, 0.02);
    ctx.bezierCurveTo(0.6, 0.15, 0.3, 0.2, -0.05, 0.14);
    ctx.quadraticCurveTo(-0.3, 0.08, -0.5, 0.03);
    ctx.quadraticCurveTo(0.2, 0.06, 0.9, 0.02);
    ctx.fill();
    // pectoral fin, eye, smile
    ctx.save();
    ctx.translate(0.3, 0.1);
    ctx.rotate(0.6 + wag * 0.5);
    fillEllipse(ctx, paint.shade, -0.08, 0.02, 0.11, 0.035);
    ctx.restore();
    eye(ctx, DARK, 0.6, -0.1, 0.024);
    strokeLine(ctx, paint.shade, 0.014, [0.92, 0.015, 0.78, 0.03, 0.7, 0.0]);
    ctx.rotate(wag * 0.15);
    ctx.translate(0, 0.45);
  },
};

const jellyfish: SpecBody = {
  aspect: 0.8,
  defaultColor: '#d58be0',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.1, 0, -0.515);
    const p = wave(t, moving ? 0.9 : 0.5, variant);
    const sx = 1 + p * 0.08, sy = 1 - p * 0.08;
    const rise = moving ? -p * 0.03 : 0;
    const by = -0.6 + rise;
    // trailing tentacles, then frilly oral arms
    ctx.strokeStyle = paint.shade;
    ctx.lineWidth = 0.018;
    ctx.lineCap = 'round';
    ctx.beginPath();
    for (let i = 0; i < 5; i++) {
      const x0 = (i - 2) * 0.1 * sx;
      ctx.moveTo(x0, by);
      for (let j = 1; j <= 6; j++) {
        const yy = by + j * 0.085;
        ctx.lineTo(x0 + Math.sin(j * 0.9 + t * 3 + i + variant * 6) * 0.035 * (j / 3) - j * 0.006, yy);
      }
    }
    ctx.stroke();
    for (const ox of [-0.06, 0.07]) {
      const pts: number[] = [];
      for (let j = 0; j <= 5; j++) pts.push(ox + Math.sin(j * 1.1 + t * 2.4 + ox * 20) * 0.03, by + j * 0.075);
      taper(ctx, paint.light, pts, 0.07, 0.02);
    }
    // bell: dome with a scalloped rim, inner glow, highlight
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.ellipse(0, by, 0.33 * sx, 0.36 * sy, 0, Math.PI, 0);
    const n = 6;
    for (let i = 0; i < n; i++) {
      const x1 = 0.33 * sx - ((i + 0.5) * 0.66 * sx) / n, x2 = 0.33 * sx - ((i + 1) * 0.66 * sx) / n;
      ctx.quadraticCurveTo(x1, by + 0.08, x2, by);
    }
    ctx.fill();
    fillEllipse(ctx, paint.shade, 0, by - 0.02, 0.22 * sx, 0.08 * sy);
    fillEllipse(ctx, paint.light, -0.12 * sx, by - 0.22 * sy, 0.07, 0.045, -0.6);
  },
};

const octopus: SpecBody = {
  aspect: 1.24,
  defaultColor: '#e2725b',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.13, 0, -0.53);
    const sp = moving ? 1.6 : 0.7;
    const arm = (fill: string, root: number, dir: number, phase: number, w: number) => {
      const pts: number[] = [];
      for (let j = 0; j <= 5; j++) {
        const u = j / 5;
        const curl = Math.sin(t * sp * 3 + phase + u * 3) * 0.05 * u;
        const tip = Math.max(0, u - 0.72) * 0.5;
        pts.push(root + dir * (0.05 + u * 0.3 + tip * 0.4) + curl, -0.44 + u * 0.42 - tip * 0.55 - Math.sin(u * 3.1) * 0.04);
      }
      taper(ctx, fill, pts, w, 0.02);
    };
    const ph = variant * 6;
    arm(paint.shade, -0.08, -0.6, ph, 0.11);
    arm(paint.shade, 0.02, 0.6, ph + 1, 0.11);
    arm(paint.shade, -0.03, -0.22, ph + 2, 0.11);
    arm(paint.shade, 0.06, 0.22, ph + 3, 0.11);
    arm(paint.body, -0.1, -0.95, ph + 4, 0.13);
    arm(paint.body, 0.1, 0.95, ph + 5, 0.13);
    arm(paint.body, -0.05, -0.42, ph + 6, 0.13);
    arm(paint.body, 0.05, 0.42, ph + 7, 0.13);
    // mantle, eyes looking right, spots
    const puff = 1 + wave(t, sp * 0.5, variant) * 0.03;
    fillEllipse(ctx, paint.body, -0.02, -0.66, 0.26 * puff, 0.3 / puff, -0.15);
    fillEllipse(ctx, paint.light, -0.1, -0.8, 0.08, 0.05, -0.6);
    fillCircles(ctx, paint.shade, [-0.14, -0.66, 0.025, -0.06, -0.86, 0.02, -0.18, -0.78, 0.018]);
    fillCircles(ctx, WHITE, [0.04, -0.52, 0.055, 0.16, -0.54, 0.05]);
    fillCircles(ctx, DARK, [0.055, -0.52, 0.03, 0.175, -0.54, 0.028]);
  },
};

const crab: SpecBody = {
  aspect: 1.35,
  defaultColor: '#e0533a',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.1, 0, -0.455);
    const step = moving ? wave(t, 3, variant) : 0;
    const snap = Math.max(0, wave(t, moving ? 1.5 : 0.6, variant + 0.1)) * 0.35;
    // legs: three per side, alternate pairs lift
    const segs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const lift = (i % 2 ? step : -step) * 0.04;
      for (const s of [-1, 1]) {
        const x0 = s * (0.14 + i * 0.07), x1 = s * (0.36 + i * 0.07), x2 = s * (0.42 + i * 0.08);
        segs.push(x0, -0.28, x1, -0.26 - lift - 0.08, x1, -0.26 - lift - 0.08, x2, -0.02 - Math.max(0, lift));
      }
    }
    strokeSegments(ctx, paint.shade, 0.045, segs);
    // arms and claws (the upper pincer opens and snaps)
    for (const s of [-1, 1]) {
      strokeLine(ctx, paint.body, 0.06, [s * 0.22, -0.4, s * 0.4, -0.52, s * 0.44, -0.62]);
      ctx.save();
      ctx.translate(s * 0.46, -0.7);
      ctx.scale(s, 1);
      fillEllipse(ctx, paint.body, 0, 0.02, 0.11, 0.08, -0.3);
      ctx.rotate(-snap);
      fillEllipse(ctx, paint.body, -0.02, -0.1, 0.05, 0.11, 0.35);
      ctx.restore();
    }
    // eye stalks, shell, smile
    strokeSegments(ctx, paint.body, 0.03, [-0.08, -0.5, -0.1, -0.64, 0.08, -0.5, 0.1, -0.64]);
    fillCircles(ctx, WHITE, [-0.1, -0.66, 0.05, 0.1, -0.66, 0.05]);
    fillCircles(ctx, DARK, [-0.09, -0.66, 0.026, 0.11, -0.66, 0.026]);
    fillEllipse(ctx, paint.shade, 0, -0.32, 0.33, 0.15);
    fillEllipse(ctx, paint.body, 0, -0.36, 0.33, 0.16);
    fillEllipse(ctx, paint.light, -0.08, -0.43, 0.12, 0.04, -0.15);
    strokeLine(ctx, paint.line, 0.016, [-0.05, -0.33, 0, -0.3, 0.05, -0.33]);
  },
};

const turtle: SpecBody = {
  aspect: 1.6,
  defaultColor: '#5f9a55',
  accent: '#b9d27f',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.333, 0.04, -0.205);
    const stroke = wave(t, moving ? 0.9 : 0.4, variant) * (moving ? 0.45 : 0.1);
    const y = -0.3;
    // far flippers, head, near flippers around the shell
    ctx.save();
    ctx.translate(0.16, y + 0.04);
    ctx.rotate(-0.3 + stroke);
    fillEllipse(ctx, paint.shade, -0.2, 0, 0.24, 0.06);
    ctx.restore();
    fillEllipse(ctx, paint.accent, -0.46, y + 0.06, 0.1, 0.035, -0.2);
    fillEllipse(ctx, paint.accent, 0.5, y - 0.02, 0.15, 0.1, -0.1);
    fillPoly(ctx, paint.accent, [0.32, y - 0.05, 0.45, y - 0.08, 0.45, y + 0.08, 0.32, y + 0.1]);
    eye(ctx, DARK, 0.56, y - 0.05, 0.022);
    strokeLine(ctx, mix(paint.accent, DARK, 0.6), 0.012, [0.6, y + 0.03, 0.64, y + 0.02]);
    // shell: dome with scutes, pale underside
    fillEllipse(ctx, '#e9dca6', -0.03, y + 0.07, 0.4, 0.08);
    ctx.save();
    ctx.beginPath();
    ctx.ellipse(-0.03, y + 0.06, 0.42, 0.34, 0, Math.PI, 0);
    ctx.closePath();
    ctx.fillStyle = paint.body;
    ctx.fill();
    ctx.clip();
    fillCircles(ctx, paint.shade, [-0.03, y - 0.12, 0.1, -0.25, y - 0.03, 0.09, 0.19, y - 0.03, 0.09, -0.14, y - 0.26, 0.07, 0.09, y - 0.26, 0.07]);
    fillCircles(ctx, paint.light, [-0.06, y - 0.15, 0.04, -0.18, y - 0.28, 0.025]);
    ctx.restore();
    ctx.save();
    ctx.translate(0.22, y + 0.08);
    ctx.rotate(-0.5 + stroke);
    fillEllipse(ctx, paint.accent, -0.2, 0.02, 0.26, 0.065);
    ctx.restore();
    fillEllipse(ctx, paint.accent, -0.35, y + 0.12, 0.12, 0.045, -0.5 - stroke * 0.5);
  },
};

export const SEA = { fish, whale, dolphin, jellyfish, octopus, crab, turtle } satisfies Partial<Record<SubjectKind, SpecBody>>;
