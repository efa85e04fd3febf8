// Road and rail vehicles facing right: car, bus, bicycle, train (a steam locomotive). Wheels turn
// (hub marks or spokes rotate) while moving; bodies bob a little on their suspension.
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { SubjectKind } from '../plan/scene-plan.js';
import { fillCircle, fillCircles, fillEllipse, fillPoly, fillRect, fillRoundRect, fit, rrPath, strokeLine, strokeSegments, TAU, wave } from './kit.js';
import type { SpecBody } from './types.js';

const TYRE = '#2b2b31';
const HUB = '#cdd2da';
const CHROME = '#e6e9ee';
const TAIL = '#e0483c';
const LAMP = '#ffe38a';

/** A wheel at (x, y): tyre, hub disc and `marks` bolts/spokes turned by `angle`. */
function wheel(ctx: SKRSContext2D, x: number, y: number, r: number, angle: number, hub = HUB, marks = 5): void {
  fillCircle(ctx, TYRE, x, y, r);
  fillCircle(ctx, hub, x, y, r * 0.58);
  const dots: number[] = [];
  for (let i = 0; i < marks; i++) {
    const a = angle + (i * TAU) / marks;
    dots.push(x + Math.cos(a) * r * 0.36, y + Math.sin(a) * r * 0.36, r * 0.085);
  }
  fillCircles(ctx, '#8a909b', dots);
  fillCircle(ctx, '#8a909b', x, y, r * 0.14);
}

const spin = (moving: boolean, t: number, rate: number): number => (moving ? t * rate : 0);

const car: SpecBody = {
  aspect: 2.2,
  defaultColor: '#3f7fd1',
  accent: '#c7e6f5',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.1, 0, -0.455);
    const a = spin(moving, t, 9);
    const bob = moving ? wave(t, 2.7, variant) * 0.008 : 0;
    const y = bob;
    // cabin with two windows, then the lower body
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(-0.62, -0.5 + y);
    ctx.bezierCurveTo(-0.58, -0.86 + y, -0.48, -0.9 + y, -0.25, -0.9 + y);
    ctx.lineTo(0.15, -0.9 + y);
    ctx.bezierCurveTo(0.3, -0.9 + y, 0.4, -0.75 + y, 0.56, -0.55 + y);
    ctx.lineTo(-0.62, -0.5 + y);
    ctx.fill();
    ctx.fillStyle = paint.accent;
    ctx.beginPath();
    ctx.moveTo(-0.5, -0.56 + y);
    ctx.bezierCurveTo(-0.48, -0.78 + y, -0.42, -0.82 + y, -0.25, -0.82 + y);
    ctx.lineTo(-0.12, -0.82 + y);
    ctx.lineTo(-0.12, -0.56 + y);
    ctx.closePath();
    ctx.moveTo(-0.04, -0.56 + y);
    ctx.lineTo(-0.04, -0.82 + y);
    ctx.lineTo(0.13, -0.82 + y);
    ctx.bezierCurveTo(0.24, -0.82 + y, 0.31, -0.72 + y, 0.42, -0.56 + y);
    ctx.closePath();
    ctx.fill();
    fillPoly(ctx, 'rgba(255,255,255,0.45)', [-0.4, -0.58 + y, -0.3, -0.8 + y, -0.24, -0.8 + y, -0.34, -0.58 + y]);
    fillRoundRect(ctx, paint.body, -0.96, -0.58 + y, 1.92, 0.38, 0.14);
    fillRoundRect(ctx, paint.shade, -0.96, -0.3 + y, 1.92, 0.1, 0.05);
    fillRoundRect(ctx, paint.light, -0.86, -0.55 + y, 1.7, 0.035, 0.017);
    // wheel arches, door seam and handle, lamps, bumpers
    fillCircles(ctx, paint.shade, [-0.55, -0.2 + y, 0.2, 0.58, -0.2 + y, 0.2]);
    strokeSegments(ctx, paint.shade, 0.012, [-0.08, -0.56 + y, -0.08, -0.28 + y]);
    fillRoundRect(ctx, paint.shade, 0.0, -0.47 + y, 0.08, 0.025, 0.012);
    fillRoundRect(ctx, paint.shade, -0.24, -0.47 + y, 0.08, 0.025, 0.012);
    fillRoundRect(ctx, LAMP, 0.86, -0.5 + y, 0.1, 0.08, 0.03);
    fillRoundRect(ctx, TAIL, -0.97, -0.5 + y, 0.06, 0.09, 0.02);
    fillRoundRect(ctx, CHROME, 0.84, -0.28 + y, 0.16, 0.06, 0.03);
    fillRoundRect(ctx, CHROME, -1.0, -0.28 + y, 0.14, 0.06, 0.03);
    wheel(ctx, -0.55, -0.17, 0.17, a);
    wheel(ctx, 0.58, -0.17, 0.17, a);
  },
};

const bus: SpecBody = {
  aspect: 2.4,
  defaultColor: '#f2b630',
  accent: '#cbe6f4',
  draw({ ctx, paint, t, variant, moving }) {
    const a = spin(moving, t, 8);
    const y = moving ? wave(t, 2.2, variant) * 0.008 : 0;
    fillRoundRect(ctx, paint.body, -1.17, -0.96 + y, 2.34, 0.78, 0.12);
    fillRoundRect(ctx, paint.light, -1.17, -0.96 + y, 2.34, 0.07, 0.05);
    fillRect(ctx, paint.shade, -1.17, -0.42 + y, 2.34, 0.05);
    fillRoundRect(ctx, paint.shade, -1.17, -0.3 + y, 2.34, 0.12, 0.06);
    // side windows, windscreen, door
    ctx.fillStyle = paint.accent;
    ctx.beginPath();
    for (let i = 0; i < 5; i++) rrPath(ctx, -1.05 + i * 0.34, -0.84 + y, 0.28, 0.26, 0.04);
    rrPath(ctx, 0.96, -0.86 + y, 0.17, 0.34, 0.05);
    ctx.fill();
    fillRoundRect(ctx, paint.shade, 0.66, -0.86 + y, 0.24, 0.62, 0.04);
    fillRoundRect(ctx, paint.accent, 0.69, -0.83 + y, 0.08, 0.34, 0.02);
    fillRoundRect(ctx, paint.accent, 0.79, -0.83 + y, 0.08, 0.34, 0.02);
    fillPoly(ctx, 'rgba(255,255,255,0.45)', [1.0, -0.6 + y, 1.06, -0.84 + y, 1.1, -0.84 + y, 1.04, -0.6 + y]);
    fillRoundRect(ctx, LAMP, 1.1, -0.4 + y, 0.07, 0.08, 0.03);
    fillRoundRect(ctx, TAIL, -1.18, -0.4 + y, 0.05, 0.08, 0.02);
    fillCircles(ctx, paint.shade, [-0.72, -0.18 + y, 0.19, 0.7, -0.18 + y, 0.19]);
    wheel(ctx, -0.72, -0.16, 0.16, a);
    wheel(ctx, 0.7, -0.16, 0.16, a);
  },
};

const bicycle: SpecBody = {
  aspect: 1.85,
  defaultColor: '#d9483b',
  draw({ ctx, paint, t, moving }) {
    fit(ctx, 1.136, 0, -0.44);
    const a = spin(moving, t, 7);
    const r = 0.29, wy = -0.31;
    const R: [number, number] = [-0.5, wy], F: [number, number] = [0.5, wy], C: [number, number] = [-0.04, wy];
    const S: [number, number] = [-0.17, -0.72], H: [number, number] = [0.34, -0.72];
    // wheels: tyre ring, rim, rotating spokes
    for (const [x, y] of [R, F]) {
      ctx.strokeStyle = TYRE;
      ctx.lineWidth = 0.05;
      ctx.beginPath();
      ctx.arc(x, y, r, 0, TAU);
      ctx.stroke();
      ctx.strokeStyle = HUB;
      ctx.lineWidth = 0.014;
      ctx.lineCap = 'butt';
      ctx.beginPath();
      ctx.arc(x, y, r - 0.035, 0, TAU);
      for (let i = 0; i < 4; i++) {
        const q = a + (i * Math.PI) / 4;
        ctx.moveTo(x + Math.cos(q) * (r - 0.03), y + Math.sin(q) * (r - 0.03));
        ctx.lineTo(x - Math.cos(q) * (r - 0.03), y - Math.sin(q) * (r - 0.03));
      }
      ctx.stroke();
      fillCircle(ctx, '#8a909b', x, y, 0.03);
    }
    // frame
    strokeSegments(ctx, paint.body, 0.045, [R[0], R[1], C[0], C[1], C[0], C[1], S[0], S[1], S[0], S[1], R[0], R[1], S[0] + 0.02, S[1] + 0.04, H[0], H[1] + 0.06, C[0], C[1], H[0] + 0.02, H[1] + 0.12]);
    strokeSegments(ctx, paint.shade, 0.04, [H[0], H[1], F[0], F[1]]);
    // seat, handlebar with grip, chainring and pedals
    strokeSegments(ctx, paint.shade, 0.03, [S[0], S[1], S[0] - 0.02, S[1] - 0.06]);
    fillEllipse(ctx, TYRE, S[0] - 0.03, S[1] - 0.08, 0.1, 0.03);
    strokeLine(ctx, paint.shade, 0.03, [H[0], H[1], H[0] - 0.03, H[1] - 0.1, H[0] + 0.05, H[1] - 0.13]);
    strokeLine(ctx, TYRE, 0.04, [H[0] + 0.04, H[1] - 0.13, H[0] + 0.1, H[1] - 0.12]);
    fillCircle(ctx, paint.shade, C[0], C[1], 0.06);
    const px = Math.cos(a * 1.3) * 0.11, py = Math.sin(a * 1.3) * 0.11;
    strokeSegments(ctx, '#6d7480', 0.025, [C[0] - px, C[1] - py, C[0] + px, C[1] + py]);
    strokeSegments(ctx, TYRE, 0.035, [C[0] + px - 0.04, C[1] + py, C[0] + px + 0.04, C[1] + py, C[0] - px - 0.04, C[1] - py, C[0] - px + 0.04, C[1] - py]);
  },
};

const train: SpecBody = {
  aspect: 2.2,
  defaultColor: '#3f6fb5',
  accent: '#ffe29a',
  draw({ ctx, paint, t, variant, moving }) {
    const a = spin(moving, t, 7.5);
    const smoke = 'rgba(236,238,242,0.9)';
    // smoke puffs drifting back from the stack
    if (moving) {
      const puffs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const u = (t * 0.9 + variant + i / 3) % 1;
        puffs.push(0.62 - u * 0.7, -0.9 - u * 0.04, 0.04 + u * 0.05);
      }
      fillCircles(ctx, smoke, puffs);
    }
    // chassis, cow-catcher
    fillRect(ctx, '#2e2f36', -1.02, -0.36, 1.9, 0.1);
    fillPoly(ctx, '#c2412f', [0.86, -0.36, 1.08, -0.1, 0.86, -0.1]);
    // boiler with bands, dome, stack, headlamp
    fillRoundRect(ctx, paint.body, -0.45, -0.7, 1.33, 0.36, 0.16);
    fillRoundRect(ctx, paint.light, -0.4, -0.66, 1.2, 0.05, 0.025);
    fillRect(ctx, paint.shade, -0.1, -0.7, 0.04, 0.36);
    fillRect(ctx, paint.shade, 0.3, -0.7, 0.04, 0.36);
    fillEllipse(ctx, '#e0b040', 0.1, -0.71, 0.09, 0.07);
    fillPoly(ctx, '#2e2f36', [0.56, -0.68, 0.6, -0.86, 0.52, -0.92, 0.8, -0.92, 0.72, -0.86, 0.76, -0.68]);
    fillCircle(ctx, paint.accent, 0.89, -0.55, 0.05);
    // cab with a window and an overhanging roof
    fillRoundRect(ctx, paint.body, -1.0, -0.9, 0.58, 0.56, 0.04);
    fillRoundRect(ctx, paint.shade, -1.05, -0.96, 0.68, 0.08, 0.03);
    fillRoundRect(ctx, paint.accent, -0.88, -0.82, 0.3, 0.2, 0.04);
    fillRect(ctx, paint.shade, -1.0, -0.46, 0.58, 0.1);
    // wheels: three drivers, a small leading wheel, and the coupling rod
    wheel(ctx, -0.72, -0.17, 0.17, a, '#c2412f', 6);
    wheel(ctx, -0.3, -0.17, 0.17, a, '#c2412f', 6);
    wheel(ctx, 0.12, -0.17, 0.17, a, '#c2412f', 6);
    wheel(ctx, 0.62, -0.11, 0.11, a * 1.5, '#c2412f', 4);
    const cx = Math.cos(a) * 0.09, cy = Math.sin(a) * 0.09;
    strokeSegments(ctx, CHROME, 0.035, [-0.72 + cx, -0.17 + cy, 0.12 + cx, -0.17 + cy]);
  },
};

export const VEHICLES = { car, bus, bicycle, train } satisfies Partial<Record<SubjectKind, SpecBody>>;
