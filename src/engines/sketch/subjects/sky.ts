// Sky bodies: sun (rays slowly turn and breathe), moon (a crescent with craters, or the phase asked), star (twinkles),
// planet (banded, with a ring drawn half behind and half in front; storms drift as it spins).
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { MoonPhase, SubjectKind } from '../plan/scene-plan.js';
import { fillCircle, fillCircles, fillEllipse, fillPoly, fit, TAU, wave } from './kit.js';
import { mix } from './paint.js';
import type { SpecBody, SubjectPaint } from './types.js';

const sun: SpecBody = {
  aspect: 1,
  defaultColor: '#ffc93c',
  accent: '#ffb02e',
  lamp: { x: 0, y: -0.5 },
  draw({ ctx, paint, t, variant }) {
    const spin = t * 0.25 + variant * 2;
    const breathe = 1 + wave(t, 0.4, variant) * 0.04;
    const n = 12;
    ctx.fillStyle = paint.accent;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const a = spin + (i * TAU) / n;
      const len = (i % 2 ? 0.43 : 0.47) * (i % 2 ? 1 : breathe);
      const c = Math.cos(a), s = Math.sin(a), w = 0.07;
      ctx.moveTo(c * 0.3 - s * w, -0.5 + s * 0.3 + c * w);
      ctx.lineTo(c * Math.min(0.495, len), -0.5 + s * Math.min(0.495, len));
      ctx.lineTo(c * 0.3 + s * w, -0.5 + s * 0.3 - c * w);
      ctx.closePath();
    }
    ctx.fill();
    fillCircle(ctx, mix(paint.body, paint.accent, 0.5), 0, -0.5, 0.32);
    fillCircle(ctx, paint.body, -0.01, -0.51, 0.29);
    fillCircle(ctx, paint.light, -0.06, -0.56, 0.18);
  },
};

/** The crescent: disc (cx, cy, R) minus disc (cx + ox, cy + oy, r), as one path (needs the discs to cross). */
function crescentPath(ctx: SKRSContext2D, cx: number, cy: number, R: number, ox: number, oy: number, r: number): void {
  const d = Math.hypot(ox, oy);
  const a = (R * R - r * r + d * d) / (2 * d);
  const h = Math.sqrt(Math.max(0, R * R - a * a));
  const ux = ox / d, uy = oy / d;
  const px = cx + ux * a, py = cy + uy * a;
  const p1x = px - uy * h, p1y = py + ux * h, p2x = px + uy * h, p2y = py - ux * h;
  const a1 = Math.atan2(p1y - cy, p1x - cx), a2 = Math.atan2(p2y - cy, p2x - cx);
  const b1 = Math.atan2(p1y - cy - oy, p1x - cx - ox), b2 = Math.atan2(p2y - cy - oy, p2x - cx - ox);
  ctx.beginPath();
  ctx.arc(cx, cy, R, a1, a2, false);
  ctx.arc(cx + ox, cy + oy, r, b2, b1, true);
  ctx.closePath();
}

/**
 * A moon other than the crescent: full (the whole disc, craters and all), half (the lit half, the
 * other barely there), new (only a faint disc against the sky).
 */
function phasedMoon(ctx: SKRSContext2D, paint: SubjectPaint, phase: Exclude<MoonPhase, 'crescent'>): void {
  const cx = 0, cy = -0.5, R = 0.44;
  if (phase === 'new') {
    ctx.globalAlpha = 0.16;
    fillCircle(ctx, paint.shade, cx, cy, R);
    return;
  }
  if (phase === 'half') {
    ctx.globalAlpha = 0.14;
    fillCircle(ctx, paint.shade, cx, cy, R);
    ctx.globalAlpha = 1;
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.arc(cx, cy, R, -Math.PI / 2, Math.PI / 2);
    ctx.closePath();
    ctx.fill();
    fillCircles(ctx, paint.shade, [0.2, -0.62, 0.05, 0.12, -0.35, 0.04, 0.28, -0.4, 0.03]);
    return;
  }
  fillCircle(ctx, paint.shade, cx, cy, R);
  fillCircle(ctx, paint.body, cx - 0.01, cy - 0.01, R * 0.96);
  fillCircles(ctx, paint.shade, [-0.14, -0.62, 0.07, 0.12, -0.38, 0.05, 0.05, -0.66, 0.035, -0.08, -0.36, 0.04, 0.2, -0.6, 0.03]);
  fillEllipse(ctx, paint.light, -0.2, -0.7, 0.05, 0.12, 0.6);
}

const moon: SpecBody = {
  aspect: 0.9,
  defaultColor: '#f3e6b0',
  draw({ ctx, paint, t, variant, moonPhase }) {
    if (moonPhase && moonPhase !== 'crescent') {
      phasedMoon(ctx, paint, moonPhase);
      return;
    }
    ctx.translate(0.035, 0);
    const tilt = wave(t, 0.15, variant) * 0.03;
    ctx.translate(0, -0.5);
    ctx.rotate(tilt - 0.35);
    ctx.fillStyle = paint.shade;
    crescentPath(ctx, 0, 0, 0.46, 0.22, -0.02, 0.38);
    ctx.fill();
    ctx.fillStyle = paint.body;
    crescentPath(ctx, 0.015, -0.01, 0.44, 0.22, -0.03, 0.4);
    ctx.fill();
    fillCircles(ctx, paint.shade, [-0.3, -0.12, 0.05, -0.34, 0.12, 0.035, -0.2, 0.28, 0.04, -0.18, -0.3, 0.03]);
    fillEllipse(ctx, paint.light, -0.26, -0.24, 0.03, 0.1, 0.5);
  },
};

const star: SpecBody = {
  aspect: 1.0,
  defaultColor: '#ffd84a',
  accent: '#fff6c8',
  lamp: { x: 0, y: -0.5 },
  draw({ ctx, paint, t, variant }) {
    fit(ctx, 1.08, 0, -0.52);
    const tw = wave(t, 0.9, variant);
    const k = 0.92 + tw * 0.07;
    ctx.translate(0, -0.5);
    ctx.rotate(tw * 0.06);
    const pts: number[] = [];
    for (let i = 0; i < 10; i++) {
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      const r = (i % 2 ? 0.2 : 0.46) * k;
      pts.push(Math.cos(a) * r, Math.sin(a) * r + 0.02);
    }
    ctx.lineJoin = 'round';
    ctx.strokeStyle = paint.body;
    ctx.lineWidth = 0.05;
    fillPoly(ctx, paint.body, pts);
    ctx.stroke();
    // facets: the left half of each arm lit, the lower right shaded
    const facets: number[] = [];
    for (let i = 0; i < 10; i += 2) facets.push(pts[i * 2]!, pts[i * 2 + 1]!);
    ctx.fillStyle = paint.light;
    ctx.beginPath();
    for (const i of [0, 8]) {
      ctx.moveTo(0, 0.02);
      ctx.lineTo(pts[i * 2]!, pts[i * 2 + 1]!);
      ctx.lineTo(pts[(i + 1) * 2]!, pts[(i + 1) * 2 + 1]!);
      ctx.closePath();
    }
    ctx.fill();
    ctx.fillStyle = mix(paint.body, paint.shade, 0.6);
    ctx.beginPath();
    for (const i of [3, 5]) {
      ctx.moveTo(0, 0.02);
      ctx.lineTo(pts[i * 2]!, pts[i * 2 + 1]!);
      ctx.lineTo(pts[(i + 1) * 2]!, pts[(i + 1) * 2 + 1]!);
      ctx.closePath();
    }
    ctx.fill();
    // a glint that flares on the twinkle
    const g = Math.max(0, tw) * 0.1;
    if (g > 0.01) {
      fillPoly(ctx, paint.accent, [0.3, -0.3 - g, 0.31, -0.31, 0.3 + g, -0.3, 0.31, -0.29, 0.3, -0.3 + g, 0.29, -0.29, 0.3 - g, -0.3, 0.29, -0.31]);
    }
  },
};

const planet: SpecBody = {
  aspect: 1.8,
  defaultColor: '#e0a35a',
  accent: '#f1d9a8',
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.33, -0.01, -0.505);
    const cx = 0, cy = -0.5, r = 0.38, tilt = -0.3;
    const ring = (start: number, end: number) => {
      ctx.strokeStyle = paint.accent;
      ctx.lineWidth = 0.07;
      ctx.beginPath();
      ctx.ellipse(cx, cy, 0.66, 0.16, tilt, start, end);
      ctx.stroke();
      ctx.strokeStyle = mix(paint.accent, paint.shade, 0.5);
      ctx.lineWidth = 0.018;
      ctx.beginPath();
      ctx.ellipse(cx, cy, 0.6, 0.135, tilt, start, end);
      ctx.stroke();
    };
    ring(Math.PI, TAU);
    // globe: bands and a drifting storm clipped inside, terminator shade, highlight
    ctx.save();
    ctx.beginPath();
    ctx.arc(cx, cy, r, 0, TAU);
    ctx.fillStyle = paint.body;
    ctx.fill();
    ctx.clip();
    ctx.translate(cx, cy);
    ctx.rotate(tilt * 0.6);
    ctx.fillStyle = paint.light;
    ctx.beginPath();
    ctx.rect(-r, -0.2, 2 * r, 0.07);
    ctx.rect(-r, 0.06, 2 * r, 0.05);
    ctx.fill();
    ctx.fillStyle = mix(paint.body, paint.shade, 0.6);
    ctx.beginPath();
    ctx.rect(-r, -0.08, 2 * r, 0.08);
    ctx.rect(-r, 0.17, 2 * r, 0.06);
    ctx.fill();
    // storms ride the bands across the face as it spins, foreshortened near the limb
    for (const [k, y, w] of [[0, 0.13, 0.07], [0.5, -0.16, 0.05]] as const) {
      const u = ((moving ? t * 0.2 : 0) + variant + k) % 1;
      const x = -r + u * 2 * r;
      fillEllipse(ctx, paint.shade, x, y, w * Math.sqrt(Math.max(0.02, 1 - (x / r) ** 2)), w * 0.5);
    }
    ctx.rotate(-tilt * 0.6);
    ctx.fillStyle = 'rgba(28,22,48,0.28)';
    ctx.beginPath();
    ctx.rect(-r * 1.2, -r * 1.2, r * 2.4, r * 2.4);
    ctx.arc(-0.08, -0.08, r * 1.02, 0, TAU);
    ctx.fill('evenodd');
    ctx.restore();
    fillEllipse(ctx, 'rgba(255,255,255,0.3)', cx - 0.15, cy - 0.18, 0.07, 0.04, -0.6);
    ring(0, Math.PI);
  },
};

export const SKY = { sun, moon, star, planet } satisfies Partial<Record<SubjectKind, SpecBody>>;
