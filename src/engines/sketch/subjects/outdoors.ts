// Landscape props: cliff (rocky headland, flat grassy top at y = -1, sea face on the right),
// campfire (flames flicker deterministically, sparks rise), umbrella (open, swaying a little).
import type { SubjectKind } from '../plan/scene-plan.js';
import { FLAME_IN, FLAME_MID, FLAME_OUT } from './air.js';
import { fillCircles, fillEllipse, fillPoly, fillRoundRect, fit, strokeLine, strokeSegments, wave, type Ctx } from './kit.js';
import { mix } from './paint.js';
import type { SpecBody } from './types.js';

const GRASS = '#6aa84f';
const GRASS_DARK = '#4f8a3c';

const cliff: SpecBody = {
  aspect: 1.4,
  defaultColor: '#8d8275',
  draw({ ctx, paint }) {
    // rock mass: flat top, jagged stepped face down to the sea on the right
    const face = [0.3, -0.94, 0.36, -0.84, 0.31, -0.72, 0.43, -0.62, 0.4, -0.47, 0.52, -0.36, 0.49, -0.22, 0.61, -0.12, 0.7, 0];
    fillPoly(ctx, paint.body, [-0.7, -0.97, 0.28, -0.97, ...face, -0.7, 0]);
    // shaded face planes on the seaward side and strata
    fillPoly(ctx, paint.shade, [0.22, -0.9, 0.36, -0.84, 0.31, -0.72, 0.43, -0.62, 0.4, -0.47, 0.52, -0.36, 0.49, -0.22, 0.61, -0.12, 0.7, 0, 0.42, 0, 0.36, -0.2, 0.38, -0.36, 0.28, -0.5, 0.3, -0.64, 0.2, -0.76]);
    fillPoly(ctx, paint.light, [-0.7, -0.9, -0.2, -0.88, -0.35, -0.8, -0.7, -0.78]);
    fillPoly(ctx, paint.light, [-0.3, -0.6, 0.1, -0.58, -0.05, -0.52, -0.4, -0.54]);
    strokeSegments(ctx, paint.shade, 0.018, [-0.6, -0.68, -0.2, -0.7, -0.5, -0.4, 0.0, -0.42, -0.65, -0.2, -0.25, -0.22, 0.0, -0.3, 0.25, -0.32, 0.05, -0.12, 0.35, -0.14]);
    // grass cap with a ragged lip over the edge
    fillPoly(ctx, GRASS_DARK, [-0.7, -1, 0.3, -1, 0.33, -0.93, 0.26, -0.95, 0.2, -0.91, 0.12, -0.94, -0.7, -0.93]);
    fillPoly(ctx, GRASS, [-0.7, -1, 0.29, -1, 0.25, -0.96, -0.7, -0.955]);
    // boulders at the foot
    fillCircles(ctx, paint.shade, [0.6, -0.04, 0.05, 0.5, -0.03, 0.035]);
    fillCircles(ctx, paint.body, [0.59, -0.05, 0.035]);
  },
};

/** An upward flame tongue with its base at (x, y). */
function tongue(ctx: Ctx, fill: string, x: number, y: number, w: number, h: number, lean: number): void {
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.moveTo(x - w, y);
  ctx.bezierCurveTo(x - w * 1.1, y - h * 0.45, x + lean * 0.4 - w * 0.3, y - h * 0.6, x + lean, y - h);
  ctx.bezierCurveTo(x + lean * 0.4 + w * 0.5, y - h * 0.6, x + w * 1.1, y - h * 0.45, x + w, y);
  ctx.quadraticCurveTo(x, y + w * 0.5, x - w, y);
  ctx.fill();
}

const campfire: SpecBody = {
  aspect: 1,
  defaultColor: '#8a5a36',
  accent: FLAME_MID,
  lamp: { x: 0, y: -0.35 },
  draw({ ctx, paint, t, variant }) {
    fit(ctx, 1.06, 0, -0.47);
    const n = (k: number, f: number) => Math.sin(t * f + variant * 11 + k) * 0.5 + Math.sin(t * f * 2.3 + k * 3) * 0.25;
    // rising sparks
    const sparks: number[] = [];
    for (let i = 0; i < 3; i++) {
      const u = (t * 0.7 + variant + i / 3) % 1;
      sparks.push(Math.sin(u * 6 + i * 2) * 0.12, -0.55 - u * 0.4, 0.014 * (1 - u));
    }
    fillCircles(ctx, '#ffd36b', sparks);
    // flames: outer, middle, inner tongues with flickering heights and leans
    const base = -0.17;
    tongue(ctx, FLAME_OUT, -0.14, base, 0.1, 0.38 + n(1, 9) * 0.08, -0.05 + n(2, 7) * 0.04);
    tongue(ctx, FLAME_OUT, 0.15, base, 0.1, 0.34 + n(3, 10) * 0.08, 0.05 + n(4, 6) * 0.04);
    tongue(ctx, FLAME_OUT, 0, base, 0.17, 0.62 + n(5, 8) * 0.1, n(6, 5) * 0.06);
    tongue(ctx, paint.accent, 0, base, 0.12, 0.46 + n(7, 11) * 0.08, n(8, 6) * 0.05);
    tongue(ctx, FLAME_IN, 0, base, 0.07, 0.27 + n(9, 13) * 0.06, n(10, 7) * 0.03);
    // crossed logs with pale cut ends
    ctx.translate(0, -0.16);
    for (const r of [0.32, -0.32]) {
      ctx.rotate(r);
      fillRoundRect(ctx, r > 0 ? paint.shade : paint.body, -0.36, -0.05, 0.72, 0.1, 0.05);
      fillEllipse(ctx, mix(paint.light, '#f2d6a2', 0.5), r > 0 ? 0.34 : -0.34, 0, 0.03, 0.05);
      ctx.rotate(-r);
    }
    ctx.translate(0, 0.16);
    // stone ring
    const stones: number[] = [];
    for (let i = 0; i < 7; i++) stones.push(-0.42 + i * 0.14, -0.075 + Math.abs(i - 3) * 0.004, 0.06 + (i % 2) * 0.01);
    fillCircles(ctx, '#7d7f86', stones);
    fillCircles(ctx, '#9a9ca3', stones.map((v, i) => (i % 3 === 2 ? v * 0.6 : i % 3 === 1 ? v - 0.015 : v - 0.01)));
  },
};

const umbrella: SpecBody = {
  aspect: 1,
  defaultColor: '#5a6fd6',
  draw({ ctx, paint, t, variant }) {
    const sway = wave(t, 0.5, variant) * 0.04;
    ctx.translate(0, -0.02);
    ctx.rotate(sway);
    // shaft with a J handle
    strokeLine(ctx, '#4a4f5a', 0.025, [0, -0.93, 0, -0.16]);
    ctx.strokeStyle = '#6b4a2e';
    ctx.lineWidth = 0.04;
    ctx.beginPath();
    ctx.moveTo(0, -0.2);
    ctx.lineTo(0, -0.08);
    ctx.arc(0.07, -0.08, 0.07, Math.PI, 0, true);
    ctx.stroke();
    // canopy: dome with a scalloped rim, alternating panels
    const rim = -0.55, R = 0.48, n = 4;
    ctx.save();
    ctx.beginPath();
    ctx.moveTo(-R, rim);
    ctx.bezierCurveTo(-R, -0.86, -0.25, -0.95, 0, -0.95);
    ctx.bezierCurveTo(0.25, -0.95, R, -0.86, R, rim);
    for (let i = 0; i < n; i++) {
      const x1 = R - ((i + 0.5) * 2 * R) / n, x2 = R - ((i + 1) * 2 * R) / n;
      ctx.quadraticCurveTo(x1, rim - 0.09, x2, rim);
    }
    ctx.fillStyle = paint.body;
    ctx.fill();
    ctx.clip();
    ctx.fillStyle = paint.light;
    ctx.beginPath();
    ctx.moveTo(0, -0.96);
    ctx.quadraticCurveTo(-0.3, -0.7, -0.24, -0.4);
    ctx.lineTo(-0.12, -0.4);
    ctx.quadraticCurveTo(-0.12, -0.7, 0, -0.96);
    ctx.moveTo(0, -0.96);
    ctx.quadraticCurveTo(0.42, -0.7, 0.48, -0.4);
    ctx.lineTo(0.26, -0.4);
    ctx.quadraticCurveTo(0.2, -0.7, 0, -0.96);
    ctx.fill();
    fillPoly(ctx, paint.shade, [0.0, -0.96, 0.5, -0.6, 0.5, -0.4, 0.38, -0.4]);
    ctx.restore();
    fillCircles(ctx, '#4a4f5a', [0, -0.965, 0.02]);
  },
};

export const OUTDOORS = { cliff, campfire, umbrella } satisfies Partial<Record<SubjectKind, SpecBody>>;
