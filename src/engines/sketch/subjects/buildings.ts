// Buildings and structures: lighthouse (lamp on top; the beam is the renderer's), house, castle
// (flags wave), tower (a clock tower; hands turn), bridge (stone arches), windmill (sails turn), tent.
import type { SubjectKind } from '../plan/scene-plan.js';
import { fillCircle, fillCircles, fillEllipse, fillPoly, fillRect, fillRoundRect, fit, rrPath, strokeLine, strokeSegments, TAU, wave } from './kit.js';
import { contrasting, mix } from './paint.js';
import type { SpecBody } from './types.js';

const WHITE = '#f7f4ec';
const DARK = '#3a3436';
const WOOD = '#7a4e2e';
const SHADOW = 'rgba(28,22,48,0.2)';

const lighthouse: SpecBody = {
  aspect: 0.36,
  defaultColor: '#d9473b',
  accent: '#ffe58a',
  lamp: { x: 0, y: -0.795 },
  draw({ ctx, paint, t, variant }) {
    // tapered tower with bands, shaded on the right
    ctx.save();
    ctx.beginPath();
    ctx.moveTo(-0.165, 0);
    ctx.lineTo(-0.1, -0.7);
    ctx.lineTo(0.1, -0.7);
    ctx.lineTo(0.165, 0);
    ctx.closePath();
    ctx.fillStyle = WHITE;
    ctx.fill();
    ctx.clip();
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    for (const y of [-0.7, -0.42, -0.14]) ctx.rect(-0.2, y, 0.4, 0.14);
    ctx.fill();
    fillPoly(ctx, SHADOW, [0.04, 0, 0.04, -0.7, 0.2, -0.7, 0.2, 0]);
    ctx.restore();
    // door and small windows
    ctx.fillStyle = DARK;
    ctx.beginPath();
    ctx.moveTo(-0.045, 0);
    ctx.lineTo(-0.045, -0.09);
    ctx.arc(0, -0.09, 0.045, Math.PI, 0);
    ctx.lineTo(0.045, 0);
    ctx.fill();
    fillRoundRect(ctx, DARK, -0.025, -0.36, 0.05, 0.07, 0.02);
    fillRoundRect(ctx, DARK, -0.02, -0.58, 0.04, 0.06, 0.02);
    // gallery with railing, lantern room with the lamp, red cap
    fillRect(ctx, DARK, -0.15, -0.73, 0.3, 0.035);
    strokeSegments(ctx, DARK, 0.012, [-0.14, -0.73, -0.14, -0.78, 0.14, -0.73, 0.14, -0.78, -0.15, -0.78, 0.15, -0.78]);
    const glow = 0.85 + 0.15 * wave(t, 0.5, variant);
    fillRect(ctx, paint.accent, -0.075, -0.865, 0.15, 0.14);
    fillCircle(ctx, mix(paint.accent, '#ffffff', 0.6 * glow), 0, -0.795, 0.045);
    strokeSegments(ctx, DARK, 0.012, [-0.075, -0.865, -0.075, -0.725, 0.075, -0.865, 0.075, -0.725, 0, -0.865, 0, -0.84]);
    fillPoly(ctx, paint.body, [-0.11, -0.86, 0, -0.965, 0.11, -0.86]);
    fillPoly(ctx, paint.shade, [0, -0.965, 0.11, -0.86, 0.03, -0.86]);
    fillCircle(ctx, DARK, 0, -0.975, 0.018);
  },
};

const house: SpecBody = {
  aspect: 1.1,
  defaultColor: '#f2d49b',
  accent: '#ffe08a',
  draw({ ctx, paint, t, variant }) {
    const roof = contrasting(paint.body, '#b9503c', '#5b4a48');
    // chimney with a curl of smoke, then walls, eave shadow, roof
    const u = (t * 0.4 + variant) % 1;
    fillCircles(ctx, 'rgba(235,236,240,0.7)', [0.28 - u * 0.08, -0.96 - u * 0.02, 0.025 + u * 0.03]);
    fillRect(ctx, mix(roof, '#000000', 0.2), 0.2, -0.92, 0.11, 0.2);
    fillRect(ctx, paint.body, -0.43, -0.6, 0.86, 0.6);
    fillRect(ctx, paint.shade, -0.43, -0.6, 0.86, 0.05);
    fillRect(ctx, paint.shade, -0.43, -0.04, 0.86, 0.04);
    fillPoly(ctx, roof, [-0.53, -0.56, 0, -0.98, 0.53, -0.56]);
    fillPoly(ctx, mix(roof, '#1c1a30', 0.25), [0, -0.98, 0.53, -0.56, 0.42, -0.56, 0, -0.9]);
    fillPoly(ctx, paint.body, [-0.34, -0.6, 0, -0.88, 0.34, -0.6]);
    fillPoly(ctx, paint.shade, [-0.34, -0.6, 0, -0.88, 0.34, -0.6, 0.3, -0.6, 0, -0.84, -0.3, -0.6]);
    // attic round window, door, two windows with bars (windows in accent)
    fillCircle(ctx, paint.accent, 0, -0.7, 0.065);
    strokeSegments(ctx, paint.light, 0.014, [-0.065, -0.7, 0.065, -0.7, 0, -0.765, 0, -0.635]);
    fillRoundRect(ctx, WOOD, -0.3, -0.38, 0.2, 0.38, 0.04);
    fillRoundRect(ctx, mix(WOOD, '#ffffff', 0.15), -0.27, -0.35, 0.14, 0.14, 0.02);
    fillCircle(ctx, '#e6c46a', -0.14, -0.18, 0.015);
    ctx.fillStyle = paint.accent;
    ctx.beginPath();
    rrPath(ctx, 0.05, -0.44, 0.26, 0.22, 0.02);
    ctx.fill();
    strokeSegments(ctx, paint.light, 0.016, [0.18, -0.44, 0.18, -0.22, 0.05, -0.33, 0.31, -0.33]);
    fillRect(ctx, paint.shade, 0.03, -0.22, 0.3, 0.03);
  },
};

const castle: SpecBody = {
  aspect: 1.3,
  defaultColor: '#b8b0a3',
  accent: '#4f6fb3',
  draw({ ctx, paint, t, variant }) {
    const flag = '#e4553f';
    /** A crenellated block from x0 to x1, top y, merlons `n`. */
    const block = (fill: string, x0: number, x1: number, top: number, n: number) => {
      ctx.fillStyle = fill;
      ctx.beginPath();
      ctx.rect(x0, top, x1 - x0, -top);
      const w = (x1 - x0) / (n * 2 - 1);
      for (let i = 0; i < n; i++) ctx.rect(x0 + i * 2 * w, top - 0.06, w, 0.061);
      ctx.fill();
    };
    // keep, curtain wall, towers with roofs and flags
    block(paint.shade, -0.2, 0.2, -0.74, 3);
    fillRect(ctx, paint.body, -0.2, -0.74, 0.3, 0.3);
    block(paint.body, -0.38, 0.38, -0.48, 5);
    for (const x of [-0.5, 0.5]) {
      fillRect(ctx, paint.body, x - 0.12, -0.7, 0.24, 0.7);
      fillRect(ctx, paint.shade, x + 0.05, -0.7, 0.07, 0.7);
      fillRect(ctx, paint.shade, x - 0.13, -0.72, 0.26, 0.04);
      fillPoly(ctx, paint.accent, [x - 0.15, -0.71, x, -0.93, x + 0.15, -0.71]);
      fillPoly(ctx, mix(paint.accent, '#1c1a30', 0.25), [x, -0.93, x + 0.15, -0.71, x + 0.05, -0.71]);
      strokeLine(ctx, DARK, 0.01, [x, -0.93, x, -1]);
      const f = wave(t, 1.4, variant + x) * 0.015;
      fillPoly(ctx, flag, [x + 0.005, -1, x + 0.11, -0.975 + f, x + 0.005, -0.95]);
      fillRoundRect(ctx, DARK, x - 0.025, -0.52, 0.05, 0.1, 0.025);
    }
    // gate: arch with a portcullis; window slits on the keep
    ctx.fillStyle = DARK;
    ctx.beginPath();
    ctx.moveTo(-0.12, 0);
    ctx.lineTo(-0.12, -0.18);
    ctx.arc(0, -0.18, 0.12, Math.PI, 0);
    ctx.lineTo(0.12, 0);
    ctx.fill();
    strokeSegments(ctx, '#6b6366', 0.012, [-0.06, 0, -0.06, -0.28, 0, 0, 0, -0.3, 0.06, 0, 0.06, -0.28, -0.12, -0.1, 0.12, -0.1, -0.12, -0.2, 0.12, -0.2]);
    fillRoundRect(ctx, DARK, -0.12, -0.68, 0.04, 0.09, 0.02);
    fillRoundRect(ctx, DARK, 0.02, -0.68, 0.04, 0.09, 0.02);
    strokeSegments(ctx, paint.shade, 0.01, [-0.38, -0.3, -0.2, -0.3, 0.2, -0.36, 0.38, -0.36, -0.34, -0.14, -0.16, -0.14, 0.18, -0.1, 0.36, -0.1]);
  },
};

const tower: SpecBody = {
  aspect: 0.34,
  defaultColor: '#c9a27a',
  accent: '#4a5566',
  draw({ ctx, paint, t }) {
    // shaft with a shaded right side, window slits, base plinth
    fillRect(ctx, paint.body, -0.12, -0.72, 0.24, 0.72);
    fillRect(ctx, paint.shade, 0.06, -0.72, 0.06, 0.72);
    fillRect(ctx, paint.body, -0.15, -0.08, 0.3, 0.08);
    fillRect(ctx, paint.shade, 0.08, -0.08, 0.07, 0.08);
    strokeSegments(ctx, paint.light, 0.01, [-0.07, -0.1, -0.07, -0.7, 0.0, -0.1, 0.0, -0.7]);
    ctx.fillStyle = DARK;
    ctx.beginPath();
    for (const y of [-0.6, -0.44, -0.28]) rrPath(ctx, -0.05, y, 0.04, 0.08, 0.02);
    ctx.fill();
    // clock stage with a face whose hands turn, spire
    fillRect(ctx, paint.light, -0.15, -0.88, 0.3, 0.18);
    fillRect(ctx, paint.shade, -0.16, -0.72, 0.32, 0.025);
    fillRect(ctx, paint.shade, -0.16, -0.89, 0.32, 0.025);
    fillCircle(ctx, '#fbf7ec', 0, -0.79, 0.085);
    const m = t * 0.6, h = t * 0.05 + 1.2;
    strokeSegments(ctx, DARK, 0.014, [0, -0.79, Math.sin(m) * 0.07, -0.79 - Math.cos(m) * 0.07, 0, -0.79, Math.sin(h) * 0.045, -0.79 - Math.cos(h) * 0.045]);
    fillPoly(ctx, paint.accent, [-0.16, -0.885, 0, -1, 0.16, -0.885]);
    fillPoly(ctx, mix(paint.accent, '#000000', 0.25), [0, -1, 0.16, -0.885, 0.05, -0.885]);
  },
};

const bridge: SpecBody = {
  aspect: 2.6,
  defaultColor: '#bca78b',
  draw({ ctx, paint }) {
    ctx.scale(1, 1 / 0.84);
    const arches = [-0.84, 0, 0.84], r = 0.33;
    // deck and piers in one path, arches cut out of the bottom edge
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(-1.3, -0.62);
    ctx.lineTo(1.3, -0.62);
    ctx.lineTo(1.3, 0);
    for (let i = arches.length - 1; i >= 0; i--) {
      const cx = arches[i]!;
      ctx.lineTo(cx + r, 0);
      ctx.arc(cx, 0, r, 0, Math.PI, true);
    }
    ctx.lineTo(-1.3, 0);
    ctx.closePath();
    ctx.fill();
    // voussoir rings, road edge, parapet with coping, a few block seams
    ctx.strokeStyle = paint.shade;
    ctx.lineWidth = 0.05;
    ctx.beginPath();
    for (const cx of arches) {
      ctx.moveTo(cx + r + 0.025, 0);
      ctx.arc(cx, 0, r + 0.025, 0, Math.PI, true);
    }
    ctx.stroke();
    fillRect(ctx, paint.shade, -1.3, -0.63, 2.6, 0.04);
    fillRect(ctx, paint.body, -1.3, -0.8, 2.6, 0.17);
    fillRect(ctx, paint.light, -1.3, -0.84, 2.6, 0.045);
    strokeSegments(ctx, paint.shade, 0.012, [-1.1, -0.8, -1.1, -0.63, -0.6, -0.8, -0.6, -0.63, -0.1, -0.8, -0.1, -0.63, 0.4, -0.8, 0.4, -0.63, 0.9, -0.8, 0.9, -0.63,
      -1.25, -0.45, -1.05, -0.45, -0.45, -0.5, -0.25, -0.5, 0.3, -0.48, 0.5, -0.48, 1.0, -0.44, 1.2, -0.44]);
    ctx.fillStyle = SHADOW;
    ctx.beginPath();
    for (const cx of arches) {
      ctx.moveTo(cx + r, 0);
      ctx.arc(cx, 0, r, 0, Math.PI, true);
      ctx.lineTo(cx - r + 0.07, 0);
      ctx.arc(cx + 0.05, 0, r - 0.02, Math.PI, 0, false);
    }
    ctx.fill();
  },
};

const windmill: SpecBody = {
  aspect: 0.8,
  defaultColor: '#e9dfcb',
  accent: '#f7f3ea',
  draw({ ctx, paint, t, variant, moving }) {
    const a = (moving ? t * 1.7 : 0) + variant * 1.3;
    // tapered tower, shaded side, cap, door and window
    fillPoly(ctx, paint.body, [-0.21, 0, -0.12, -0.64, 0.12, -0.64, 0.21, 0]);
    fillPoly(ctx, paint.shade, [0.07, 0, 0.05, -0.64, 0.12, -0.64, 0.21, 0]);
    ctx.fillStyle = '#8a4b36';
    ctx.beginPath();
    ctx.moveTo(-0.16, -0.62);
    ctx.quadraticCurveTo(-0.15, -0.8, 0, -0.8);
    ctx.quadraticCurveTo(0.15, -0.8, 0.16, -0.62);
    ctx.closePath();
    ctx.fill();
    fillRoundRect(ctx, WOOD, -0.06, -0.17, 0.12, 0.17, 0.05);
    fillRoundRect(ctx, DARK, -0.035, -0.44, 0.07, 0.09, 0.03);
    // four lattice sails on spars, turning about the hub
    const hx = 0, hy = -0.63, len = 0.37;
    ctx.fillStyle = paint.accent;
    ctx.beginPath();
    const bars: number[] = [];
    for (let i = 0; i < 4; i++) {
      const q = a + (i * TAU) / 4;
      const c = Math.cos(q), s = Math.sin(q);
      const px = -s * 0.085, py = c * 0.085;
      const x1 = hx + c * 0.08, y1 = hy + s * 0.08, x2 = hx + c * len, y2 = hy + s * len;
      ctx.moveTo(x1, y1);
      ctx.lineTo(x2, y2);
      ctx.lineTo(x2 + px, y2 + py);
      ctx.lineTo(x1 + px, y1 + py);
      ctx.closePath();
      bars.push(hx, hy, x2, y2);
      for (const k of [0.4, 0.65, 0.9]) bars.push(x1 + (x2 - x1) * k, y1 + (y2 - y1) * k, x1 + (x2 - x1) * k + px, y1 + (y2 - y1) * k + py);
    }
    ctx.fill();
    strokeSegments(ctx, WOOD, 0.018, bars);
    fillCircle(ctx, DARK, hx, hy, 0.035);
  },
};

const tent: SpecBody = {
  aspect: 1.5,
  defaultColor: '#e8823a',
  draw({ ctx, paint, t, variant }) {
    fit(ctx, 1.07, 0, -0.465);
    const flap = wave(t, 0.7, variant) * 0.015;
    // guy ropes and pole tips
    strokeSegments(ctx, '#8b7e6a', 0.008, [-0.26, -0.82, -0.66, -0.02, 0.46, -0.72, 0.69, -0.02]);
    strokeSegments(ctx, WOOD, 0.02, [-0.24, -0.84, -0.22, -0.92, 0.44, -0.76, 0.46, -0.84]);
    // side roof (shade), front gable (body), dark doorway with folded flaps
    fillPoly(ctx, paint.shade, [-0.24, -0.85, 0.44, -0.76, 0.66, 0, 0.2, 0]);
    fillPoly(ctx, paint.body, [-0.66, 0, -0.24, -0.85, 0.2, 0]);
    fillPoly(ctx, paint.light, [-0.24, -0.85, -0.2, -0.78, -0.6, 0, -0.66, 0]);
    fillPoly(ctx, '#3a2f33', [-0.4, 0, -0.23, -0.52, -0.06, 0]);
    fillPoly(ctx, paint.light, [-0.23, -0.52, -0.4, 0, -0.3 + flap, 0]);
    fillPoly(ctx, paint.light, [-0.23, -0.52, -0.06, 0, -0.15 - flap, 0]);
    fillEllipse(ctx, mix(paint.shade, '#000000', 0.2), 0.42, -0.02, 0.25, 0.02);
  },
};

export const BUILDINGS = { lighthouse, house, castle, tower, bridge, windmill, tent } satisfies Partial<Record<SubjectKind, SpecBody>>;
