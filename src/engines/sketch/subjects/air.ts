// Things in the air: plane (propeller spins), helicopter (rotors spin), rocket (flickering exhaust),
// ufo (chasing lights), balloon, hot-air balloon and kite (sway on the breeze). All face right.
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { SubjectKind } from '../plan/scene-plan.js';
import { fillCircle, fillCircles, fillEllipse, fillPoly, fillRoundRect, fit, strokeLine, strokeSegments, TAU, wave } from './kit.js';
import type { SpecBody } from './types.js';

const GLASS = '#a9dcf2';
const DARK = '#2e2f36';
const FLAME_OUT = '#f36a2b';
const FLAME_MID = '#ffa33a';
const FLAME_IN = '#ffe07a';

/** A flame tongue pointing down from (x, y): `len` long, `w` wide. */
function flameDown(ctx: SKRSContext2D, fill: string, x: number, y: number, w: number, len: number): void {
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.moveTo(x - w, y);
  ctx.quadraticCurveTo(x - w * 0.9, y + len * 0.6, x, y + len);
  ctx.quadraticCurveTo(x + w * 0.9, y + len * 0.6, x + w, y);
  ctx.closePath();
  ctx.fill();
}

const plane: SpecBody = {
  aspect: 2.1,
  defaultColor: '#e2553f',
  accent: GLASS,
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.15, 0.005, -0.545);
    const bob = wave(t, 0.7, variant) * 0.02;
    const prop = t * (moving ? 38 : 0) + variant * 3;
    ctx.translate(0, bob);
    // far wing and tailplane peek above, fin, fuselage
    fillPoly(ctx, paint.shade, [0.02, -0.58, 0.28, -0.58, 0.18, -0.86, 0.08, -0.86]);
    fillPoly(ctx, paint.body, [-0.6, -0.62, -0.78, -0.96, -0.9, -0.96, -0.86, -0.6]);
    fillPoly(ctx, paint.shade, [-0.62, -0.6, -0.72, -0.74, -0.8, -0.74, -0.78, -0.6]);
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(0.8, -0.56);
    ctx.bezierCurveTo(0.76, -0.72, 0.5, -0.74, 0.2, -0.72);
    ctx.bezierCurveTo(-0.2, -0.7, -0.6, -0.68, -0.88, -0.64);
    ctx.lineTo(-0.86, -0.56);
    ctx.bezierCurveTo(-0.5, -0.46, 0.1, -0.38, 0.5, -0.38);
    ctx.bezierCurveTo(0.72, -0.38, 0.8, -0.44, 0.8, -0.56);
    ctx.fill();
    fillPoly(ctx, paint.light, [-0.84, -0.6, 0.2, -0.6, 0.6, -0.58, 0.78, -0.52, 0.6, -0.52, 0.2, -0.54, -0.84, -0.56]);
    // cockpit canopy
    ctx.fillStyle = paint.accent;
    ctx.beginPath();
    ctx.moveTo(0.1, -0.71);
    ctx.quadraticCurveTo(0.2, -0.86, 0.4, -0.72);
    ctx.closePath();
    ctx.fill();
    // near wing angled toward the viewer, wheels tucked, tailplane
    fillPoly(ctx, paint.body, [0.04, -0.48, 0.34, -0.46, 0.12, -0.12, -0.06, -0.12]);
    fillPoly(ctx, paint.shade, [-0.06, -0.12, 0.12, -0.12, 0.13, -0.16, -0.05, -0.16]);
    fillPoly(ctx, paint.body, [-0.66, -0.58, -0.5, -0.58, -0.62, -0.44, -0.72, -0.44]);
    // nose, spinner and spinning propeller (blade foreshortened, plus a faint disc)
    fillEllipse(ctx, paint.shade, 0.79, -0.55, 0.04, 0.1);
    fillEllipse(ctx, 'rgba(255,255,255,0.28)', 0.86, -0.55, 0.04, 0.3);
    const c = Math.cos(prop);
    fillEllipse(ctx, DARK, 0.86, -0.55 + c * 0.15, 0.022, Math.abs(c) * 0.15 + 0.02);
    fillEllipse(ctx, DARK, 0.86, -0.55 - c * 0.15, 0.022, Math.abs(c) * 0.15 + 0.02);
    fillEllipse(ctx, '#d6d9df', 0.86, -0.55, 0.055, 0.045);
  },
};

const helicopter: SpecBody = {
  aspect: 2.15,
  defaultColor: '#3b82c4',
  accent: GLASS,
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.176, -0.015, -0.475);
    const rot = t * (moving ? 21 : 0) + variant * 2;
    const tilt = moving ? 0.08 : 0;
    const bob = wave(t, 0.9, variant) * 0.015;
    ctx.translate(0, bob);
    ctx.rotate(tilt);
    // skids
    strokeSegments(ctx, '#4a4f5a', 0.025, [0.02, -0.28, -0.02, -0.12, 0.38, -0.28, 0.42, -0.12]);
    strokeLine(ctx, '#4a4f5a', 0.03, [-0.3, -0.12, 0.56, -0.12, 0.62, -0.16]);
    // tail boom, fin, tail rotor
    fillPoly(ctx, paint.body, [-0.05, -0.6, -0.78, -0.62, -0.78, -0.56, -0.05, -0.44]);
    fillPoly(ctx, paint.shade, [-0.7, -0.6, -0.82, -0.82, -0.86, -0.82, -0.8, -0.56]);
    const tr = rot * 1.7;
    strokeSegments(ctx, DARK, 0.025, [-0.78 + Math.cos(tr) * 0.12, -0.62 + Math.sin(tr) * 0.12, -0.78 - Math.cos(tr) * 0.12, -0.62 - Math.sin(tr) * 0.12]);
    fillCircle(ctx, '#8a909b', -0.78, -0.62, 0.025);
    // cabin bubble with a big window
    fillEllipse(ctx, paint.shade, 0.17, -0.45, 0.36, 0.22);
    fillEllipse(ctx, paint.body, 0.2, -0.48, 0.35, 0.22);
    ctx.fillStyle = paint.accent;
    ctx.beginPath();
    ctx.moveTo(0.24, -0.68);
    ctx.bezierCurveTo(0.42, -0.68, 0.55, -0.58, 0.55, -0.45);
    ctx.lineTo(0.24, -0.45);
    ctx.closePath();
    ctx.fill();
    fillPoly(ctx, 'rgba(255,255,255,0.45)', [0.32, -0.65, 0.38, -0.64, 0.32, -0.5, 0.28, -0.5]);
    fillRoundRect(ctx, paint.light, -0.1, -0.6, 0.26, 0.04, 0.02);
    // mast and main rotor: two blade pairs foreshortened by their angle, over a faint disc
    fillRoundRect(ctx, '#4a4f5a', 0.12, -0.8, 0.06, 0.12, 0.02);
    fillEllipse(ctx, 'rgba(255,255,255,0.22)', 0.12, -0.82, 0.7, 0.04);
    for (const q of [rot, rot + Math.PI / 2]) {
      const c = Math.cos(q), s = Math.sin(q);
      strokeSegments(ctx, DARK, 0.03, [0.12 - c * 0.7, -0.82 - s * 0.03, 0.12 + c * 0.7, -0.82 + s * 0.03]);
    }
    fillCircle(ctx, '#8a909b', 0.12, -0.82, 0.035);
  },
};

const rocket: SpecBody = {
  aspect: 0.5,
  defaultColor: '#eef1f5',
  accent: '#e4483a',
  lamp: { x: 0, y: -0.15 },
  draw({ ctx, paint, t, variant, moving }) {
    // exhaust: three flickering tongues
    if (moving) {
      const f1 = 0.5 + 0.5 * Math.sin(t * 31 + variant * 9), f2 = 0.5 + 0.5 * Math.sin(t * 23.7 + 1 + variant * 5);
      flameDown(ctx, FLAME_OUT, 0, -0.31, 0.1, 0.2 + f1 * 0.1);
      flameDown(ctx, FLAME_MID, 0, -0.31, 0.07, 0.14 + f2 * 0.08);
      flameDown(ctx, FLAME_IN, 0, -0.31, 0.04, 0.08 + f1 * 0.05);
    }
    // fins behind, nozzle, body with a shaded side, nose cone, porthole
    fillPoly(ctx, paint.accent, [-0.12, -0.56, -0.24, -0.38, -0.24, -0.28, -0.12, -0.37]);
    fillPoly(ctx, paint.accent, [0.12, -0.56, 0.24, -0.38, 0.24, -0.28, 0.12, -0.37]);
    fillPoly(ctx, DARK, [-0.08, -0.37, 0.08, -0.37, 0.1, -0.3, -0.1, -0.3]);
    ctx.save();
    ctx.beginPath();
    ctx.moveTo(0, -1);
    ctx.bezierCurveTo(0.17, -0.86, 0.16, -0.6, 0.13, -0.36);
    ctx.lineTo(-0.13, -0.36);
    ctx.bezierCurveTo(-0.16, -0.6, -0.17, -0.86, 0, -1);
    ctx.fillStyle = paint.body;
    ctx.fill();
    ctx.clip();
    fillPoly(ctx, paint.shade, [0.06, -1, 0.2, -1, 0.2, -0.3, 0.07, -0.3]);
    fillPoly(ctx, paint.accent, [-0.2, -1, 0.2, -1, 0.2, -0.83, -0.2, -0.83]);
    fillPoly(ctx, paint.light, [-0.1, -0.8, -0.06, -0.8, -0.07, -0.42, -0.1, -0.42]);
    ctx.restore();
    fillPoly(ctx, DARK, [-0.02, -0.36, 0.02, -0.36, 0.02, -0.52, -0.02, -0.52]);
    fillCircle(ctx, '#c9ced6', 0, -0.67, 0.072);
    fillCircle(ctx, GLASS, 0, -0.67, 0.05);
    fillEllipse(ctx, 'rgba(255,255,255,0.7)', -0.015, -0.685, 0.018, 0.012, -0.6);
  },
};

const ufo: SpecBody = {
  aspect: 2.2,
  defaultColor: '#b9c3cf',
  accent: '#8fe6dc',
  lamp: { x: 0, y: -0.12 },
  draw({ ctx, paint, t, variant, moving }) {
    fit(ctx, 1.45, -0.005, -0.575);
    const bob = wave(t, 0.8, variant) * 0.03;
    const tilt = wave(t, 0.5, variant + 0.2) * (moving ? 0.06 : 0.02);
    ctx.translate(0, -0.5 + bob);
    ctx.rotate(tilt);
    // glass dome with a tiny pilot, saucer rim, underside, chasing lights
    fillEllipse(ctx, paint.accent, 0, -0.08, 0.27, 0.3);
    fillCircle(ctx, '#7ccf6a', 0.03, -0.12, 0.08);
    fillCircles(ctx, DARK, [0.0, -0.13, 0.016, 0.07, -0.13, 0.016]);
    fillEllipse(ctx, 'rgba(255,255,255,0.55)', -0.12, -0.22, 0.05, 0.09, 0.5);
    fillEllipse(ctx, paint.shade, 0, 0.1, 0.5, 0.14);
    fillEllipse(ctx, paint.body, 0, 0.03, 0.76, 0.15);
    fillEllipse(ctx, paint.light, 0, -0.02, 0.6, 0.07);
    fillEllipse(ctx, '#fff3b0', 0, 0.2, 0.14, 0.05);
    const n = 7;
    const lit = Math.floor(t * 6 + variant * n) % n;
    const on: number[] = [], off: number[] = [];
    for (let i = 0; i < n; i++) {
      const u = (i + 0.5) / n;
      const x = -0.66 + u * 1.32;
      const y = 0.06 + Math.sqrt(1 - ((x / 0.76) ** 2)) * 0.06;
      (i === lit || i === (lit + 3) % n ? on : off).push(x, y, 0.032);
    }
    fillCircles(ctx, '#ffe27a', on);
    fillCircles(ctx, '#f29a5b', off);
  },
};

const balloon: SpecBody = {
  aspect: 0.6,
  defaultColor: '#dc3b34',
  draw({ ctx, paint, t, variant }) {
    const sway = wave(t, 0.45, variant) * 0.06;
    // string from the knot down to the bottom, gently curving
    ctx.strokeStyle = '#6b6f78';
    ctx.lineWidth = 0.012;
    ctx.beginPath();
    ctx.moveTo(Math.sin(sway) * 0.38, -0.38 * Math.cos(sway));
    ctx.bezierCurveTo(-0.06 + sway * 0.5, -0.26, 0.06 - sway * 0.5, -0.14, 0, -0.02);
    ctx.stroke();
    ctx.rotate(sway);
    const egg = (dx: number, dy: number, k: number) => {
      ctx.beginPath();
      ctx.moveTo(dx, -0.995 * k + dy);
      ctx.bezierCurveTo(0.34 * k + dx, -0.99 * k + dy, 0.3 * k + dx, -0.5 * k + dy, dx, -0.41 * k + dy);
      ctx.bezierCurveTo(-0.3 * k + dx, -0.5 * k + dy, -0.34 * k + dx, -0.99 * k + dy, dx, -0.995 * k + dy);
      ctx.fill();
    };
    ctx.fillStyle = paint.shade;
    egg(0, 0, 1);
    ctx.fillStyle = paint.body;
    egg(-0.025, -0.035, 0.965);
    fillPoly(ctx, paint.shade, [0, -0.42, 0.035, -0.37, -0.035, -0.37]);
    fillEllipse(ctx, paint.light, -0.1, -0.8, 0.04, 0.08, 0.35);
  },
};

const hotAirBalloon: SpecBody = {
  aspect: 0.8,
  defaultColor: '#e4553f',
  accent: '#f6c945',
  lamp: { x: 0, y: -0.27 },
  draw({ ctx, paint, t, variant }) {
    const sway = wave(t, 0.3, variant) * 0.03;
    ctx.rotate(sway);
    // ropes and wicker basket
    strokeSegments(ctx, '#6b4a2e', 0.01, [-0.11, -0.3, -0.08, -0.16, 0.11, -0.3, 0.08, -0.16, -0.04, -0.3, -0.03, -0.16, 0.04, -0.3, 0.03, -0.16]);
    fillRoundRect(ctx, '#a0703f', -0.1, -0.17, 0.2, 0.15, 0.03);
    strokeSegments(ctx, '#7a522c', 0.012, [-0.09, -0.12, 0.09, -0.12, -0.09, -0.075, 0.09, -0.075]);
    // burner flame, flickering now and then
    const burn = Math.max(0, Math.sin(t * 2.1 + variant * 7)) * (0.7 + 0.3 * Math.sin(t * 29));
    if (burn > 0.05) {
      flameDown(ctx, FLAME_MID, 0, -0.23, -0.025, -0.07 * burn - 0.02);
    }
    // envelope with curved gores (stripes clipped inside), shaded flank, highlight, skirt
    ctx.save();
    ctx.beginPath();
    ctx.arc(0, -0.66, 0.34, Math.PI * 0.78, Math.PI * 0.22);
    ctx.bezierCurveTo(0.22, -0.42, 0.13, -0.38, 0.12, -0.31);
    ctx.lineTo(-0.12, -0.31);
    ctx.bezierCurveTo(-0.13, -0.38, -0.22, -0.42, -0.34 * Math.cos(Math.PI * 0.22), -0.66 + 0.34 * Math.sin(Math.PI * 0.22));
    ctx.closePath();
    ctx.fillStyle = paint.body;
    ctx.fill();
    ctx.clip();
    fillEllipse(ctx, paint.accent, 0, -0.6, 0.24, 0.42);
    fillEllipse(ctx, paint.body, 0, -0.6, 0.11, 0.42);
    fillEllipse(ctx, paint.accent, 0, -0.6, 0.035, 0.42);
    ctx.fillStyle = 'rgba(30,20,50,0.22)';
    ctx.beginPath();
    ctx.ellipse(0.2, -0.62, 0.22, 0.45, 0, 0, TAU);
    ctx.fill();
    ctx.restore();
    fillEllipse(ctx, 'rgba(255,255,255,0.35)', -0.17, -0.78, 0.045, 0.1, 0.3);
    fillRoundRect(ctx, paint.shade, -0.13, -0.33, 0.26, 0.05, 0.02);
  },
};

const kite: SpecBody = {
  aspect: 0.72,
  defaultColor: '#3fa0d8',
  accent: '#f6c945',
  draw({ ctx, paint, t, variant }) {
    ctx.translate(0.045, 0);
    const sway = wave(t, 0.6, variant) * 0.08;
    const tx = 0.02, ty = -0.98, rx = 0.3, ry = -0.72, bx = 0.0, by = -0.36, lx = -0.28, ly = -0.72;
    const cx = 0.01, cy = -0.72;
    // line to the flier, down at the bottom left
    strokeLine(ctx, 'rgba(90,90,100,0.8)', 0.008, [cx, cy, -0.2, -0.3, -0.38, -0.02]);
    ctx.translate(cx, cy);
    ctx.rotate(sway);
    ctx.translate(-cx, -cy);
    // tail with bows, waving
    const tail: number[] = [];
    for (let i = 0; i <= 6; i++) tail.push(bx + Math.sin(t * 4 + i * 1.1 + variant * 5) * 0.05 * (i / 6) + i * 0.015, by + i * 0.054);
    strokeLine(ctx, '#6b6f78', 0.01, tail);
    for (const i of [2, 4, 6]) {
      const x = tail[i * 2]!, y = tail[i * 2 + 1]!;
      fillPoly(ctx, i === 4 ? paint.body : paint.accent, [x, y, x - 0.06, y - 0.035, x - 0.06, y + 0.035, x, y, x + 0.06, y - 0.035, x + 0.06, y + 0.035]);
    }
    // four panels in two colours, sticks
    fillPoly(ctx, paint.body, [tx, ty, cx, cy, lx, ly]);
    fillPoly(ctx, paint.accent, [tx, ty, rx, ry, cx, cy]);
    fillPoly(ctx, paint.shade, [cx, cy, rx, ry, bx, by]);
    fillPoly(ctx, paint.accent, [lx, ly, cx, cy, bx, by]);
    strokeSegments(ctx, '#7a5a3a', 0.014, [tx, ty, bx, by, lx, ly, rx, ry]);
  },
};

export const AIR = { plane, helicopter, rocket, ufo, balloon, 'hot-air-balloon': hotAirBalloon, kite } satisfies Partial<Record<SubjectKind, SpecBody>>;
export { FLAME_IN, FLAME_MID, FLAME_OUT };
