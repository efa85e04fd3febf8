// Plants: tree (round canopy), pine-tree (tiers), palm-tree (curved trunk, drooping fronds),
// flower, mushroom. Everything sways gently in the breeze, moving or not.
import type { SubjectKind } from '../plan/scene-plan.js';
import { fillCircle, fillCircles, fillEllipse, fillPoly, strokeLine, wave } from './kit.js';
import { mix } from './paint.js';
import type { SpecBody } from './types.js';

const BARK = '#8a5a36';
const BARK_DARK = '#6b4428';
const STEM = '#4f8f43';

const tree: SpecBody = {
  aspect: 0.9,
  defaultColor: '#5a9e4b',
  draw({ ctx, paint, t, variant }) {
    const sway = wave(t, 0.3, variant) * 0.02;
    // trunk with two branches
    fillPoly(ctx, BARK, [-0.075, 0, -0.045, -0.5, 0.045, -0.5, 0.075, 0]);
    fillPoly(ctx, BARK_DARK, [0.02, 0, 0.02, -0.5, 0.045, -0.5, 0.075, 0]);
    strokeLine(ctx, BARK, 0.035, [0, -0.36, -0.14, -0.5]);
    strokeLine(ctx, BARK, 0.03, [0.01, -0.42, 0.13, -0.56]);
    fillEllipse(ctx, 'rgba(30,24,50,0.18)', 0, -0.01, 0.22, 0.02);
    // canopy clumps: shade underlayer, body, highlights
    ctx.translate(0, -0.1);
    ctx.rotate(sway);
    ctx.translate(0, 0.1);
    const clumps = [0, -0.68, 0.24, -0.22, -0.56, 0.17, 0.22, -0.56, 0.17, -0.12, -0.8, 0.17, 0.14, -0.8, 0.16, 0.02, -0.5, 0.16];
    fillCircles(ctx, paint.shade, clumps.map((v, i) => (i % 3 === 0 ? v + 0.03 : i % 3 === 1 ? v + 0.04 : v)));
    fillCircles(ctx, paint.body, clumps);
    fillCircles(ctx, paint.light, [-0.14, -0.84, 0.07, -0.25, -0.62, 0.05, 0.08, -0.86, 0.045]);
    fillCircles(ctx, paint.shade, [0.1, -0.62, 0.025, -0.05, -0.56, 0.02, 0.2, -0.72, 0.02]);
  },
};

const pineTree: SpecBody = {
  aspect: 0.6,
  defaultColor: '#2f7d4f',
  draw({ ctx, paint, t, variant }) {
    const sway = wave(t, 0.3, variant) * 0.015;
    fillPoly(ctx, BARK, [-0.05, 0, -0.04, -0.2, 0.04, -0.2, 0.05, 0]);
    fillPoly(ctx, BARK_DARK, [0.015, 0, 0.015, -0.2, 0.04, -0.2, 0.05, 0]);
    ctx.rotate(sway);
    // three tiers, each with a shaded right half and a light left edge
    const tiers: [number, number, number][] = [[-0.62, -0.15, 0.29], [-0.8, -0.38, 0.23], [-0.99, -0.6, 0.17]];
    for (const [apex, base, w] of tiers) {
      ctx.fillStyle = paint.body;
      ctx.beginPath();
      ctx.moveTo(0, apex);
      ctx.lineTo(w, base);
      ctx.quadraticCurveTo(0, base + 0.06, -w, base);
      ctx.closePath();
      ctx.fill();
      ctx.fillStyle = paint.shade;
      ctx.beginPath();
      ctx.moveTo(0, apex);
      ctx.lineTo(w, base);
      ctx.quadraticCurveTo(w * 0.5, base + 0.04, 0.02, base + 0.03);
      ctx.closePath();
      ctx.fill();
      fillPoly(ctx, paint.light, [0, apex, -w * 0.3, apex + (base - apex) * 0.35, -w * 0.75, base - 0.005, -w * 0.55, base - 0.01]);
    }
  },
};

const palmTree: SpecBody = {
  aspect: 0.75,
  defaultColor: '#4f9e4a',
  draw({ ctx, paint, t, variant }) {
    ctx.translate(-0.025, 0);
    const sway = wave(t, 0.35, variant);
    const trunk = '#b08a5a';
    // curved trunk with ring marks
    const cx = 0.03 + sway * 0.01, cy = -0.72;
    ctx.fillStyle = trunk;
    ctx.beginPath();
    ctx.moveTo(-0.1, 0);
    ctx.bezierCurveTo(-0.14, -0.3, -0.03, -0.55, cx - 0.035, cy);
    ctx.lineTo(cx + 0.035, cy + 0.01);
    ctx.bezierCurveTo(0.04, -0.55, -0.05, -0.3, 0.0, 0);
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = mix(trunk, '#3a2a1a', 0.35);
    ctx.lineWidth = 0.014;
    ctx.beginPath();
    for (let i = 1; i < 8; i++) {
      const u = i / 8;
      const x = -0.05 + (cx - -0.05) * u * u - Math.sin(u * 3) * 0.05, y = -u * 0.74;
      ctx.moveTo(x - 0.045 + u * 0.015, y);
      ctx.lineTo(x + 0.045 - u * 0.015, y - 0.015);
    }
    ctx.stroke();
    // fronds: serrated leaves arching out of the crown and drooping; back ones in shade
    const frond = (fill: string, ang: number, len: number, droop: number) => {
      const a = ang + sway * 0.06;
      const tx = cx + Math.cos(a) * len, ty = cy + Math.sin(a) * len + droop;
      const mx = cx + Math.cos(a) * len * 0.55, my = cy + Math.sin(a) * len * 0.55 - 0.08;
      const left: number[] = [], right: number[] = [];
      const n = 7;
      for (let i = 0; i <= n; i++) {
        const u = i / n, v = 1 - u;
        const x = v * v * cx + 2 * v * u * mx + u * u * tx, y = v * v * cy + 2 * v * u * my + u * u * ty;
        const dx = 2 * v * (mx - cx) + 2 * u * (tx - mx), dy = 2 * v * (my - cy) + 2 * u * (ty - my);
        const l = Math.hypot(dx, dy) || 1;
        const w = 0.09 * Math.sin(Math.PI * Math.min(1, u * 1.1)) * (i % 2 ? 0.7 : 1);
        left.push(x - (dy / l) * w, y + (dx / l) * w);
        right.push(x + (dy / l) * w * 0.8, y - (dx / l) * w * 0.8);
      }
      ctx.fillStyle = fill;
      ctx.beginPath();
      ctx.moveTo(cx, cy);
      for (let i = 0; i < left.length; i += 2) ctx.lineTo(left[i]!, left[i + 1]!);
      for (let i = right.length - 2; i >= 0; i -= 2) ctx.lineTo(right[i]!, right[i + 1]!);
      ctx.closePath();
      ctx.fill();
    };
    frond(paint.shade, -2.35, 0.36, 0.1);
    frond(paint.shade, -0.8, 0.36, 0.1);
    frond(paint.shade, -1.6, 0.26, 0);
    fillCircles(ctx, '#6b4a2e', [cx - 0.04, cy + 0.04, 0.04, cx + 0.04, cy + 0.05, 0.04, cx, cy + 0.07, 0.038]);
    frond(paint.body, Math.PI - 0.25, 0.38, 0.26);
    frond(paint.body, 0.25, 0.38, 0.26);
    frond(paint.body, -2.65, 0.38, 0.12);
    frond(paint.body, -0.5, 0.38, 0.12);
    frond(paint.light, -1.25, 0.24, 0.02);
  },
};

const flower: SpecBody = {
  aspect: 0.5,
  defaultColor: '#ef6f8e',
  accent: '#f6c945',
  draw({ ctx, paint, t, variant }) {
    const sway = wave(t, 0.5, variant) * 0.05;
    ctx.rotate(sway);
    // stem and leaves
    ctx.strokeStyle = STEM;
    ctx.lineWidth = 0.03;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(0, 0);
    ctx.quadraticCurveTo(-0.04, -0.4, 0.01, -0.76);
    ctx.stroke();
    fillEllipse(ctx, STEM, -0.1, -0.26, 0.1, 0.035, -0.5);
    fillEllipse(ctx, mix(STEM, '#1c1a30', 0.25), 0.08, -0.4, 0.09, 0.03, 0.5);
    // blossom: shaded back petals, front petals, centre
    const bx = 0.01, by = -0.78;
    ctx.fillStyle = paint.shade;
    ctx.beginPath();
    for (let i = 0; i < 6; i++) {
      const a = (i + 0.5) * (Math.PI / 3);
      ctx.moveTo(bx + Math.cos(a) * 0.2, by + Math.sin(a) * 0.2);
      ctx.ellipse(bx + Math.cos(a) * 0.12, by + Math.sin(a) * 0.12, 0.085, 0.05, a, 0, Math.PI * 2);
    }
    ctx.fill();
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    for (let i = 0; i < 6; i++) {
      const a = i * (Math.PI / 3);
      ctx.moveTo(bx + Math.cos(a) * 0.21, by + Math.sin(a) * 0.21);
      ctx.ellipse(bx + Math.cos(a) * 0.12, by + Math.sin(a) * 0.12, 0.09, 0.055, a, 0, Math.PI * 2);
    }
    ctx.fill();
    fillCircle(ctx, paint.accent, bx, by, 0.065);
    fillCircles(ctx, mix(paint.accent, '#6b3a1a', 0.35), [bx + 0.02, by + 0.02, 0.012, bx - 0.025, by + 0.01, 0.01, bx + 0.0, by - 0.025, 0.01]);
  },
};

const mushroom: SpecBody = {
  aspect: 0.9,
  defaultColor: '#d9483b',
  draw({ ctx, paint, t, variant }) {
    const sway = wave(t, 0.4, variant) * 0.015;
    ctx.rotate(sway);
    // stem with a shaded side and a little skirt
    const stem = '#f4ead6', stemShade = '#dccfb4';
    ctx.fillStyle = stem;
    ctx.beginPath();
    ctx.moveTo(-0.14, 0);
    ctx.quadraticCurveTo(-0.17, -0.25, -0.1, -0.48);
    ctx.lineTo(0.1, -0.48);
    ctx.quadraticCurveTo(0.17, -0.25, 0.14, 0);
    ctx.closePath();
    ctx.fill();
    fillPoly(ctx, stemShade, [0.05, 0, 0.06, -0.48, 0.1, -0.48, 0.15, -0.25, 0.14, 0]);
    fillEllipse(ctx, stemShade, 0, -0.3, 0.15, 0.035);
    // cap: dome, gills underneath, white spots, highlight
    fillEllipse(ctx, mix(paint.shade, stemShade, 0.4), 0, -0.45, 0.4, 0.06);
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(-0.44, -0.44);
    ctx.bezierCurveTo(-0.46, -0.82, -0.2, -0.98, 0, -0.98);
    ctx.bezierCurveTo(0.2, -0.98, 0.46, -0.82, 0.44, -0.44);
    ctx.quadraticCurveTo(0, -0.5, -0.44, -0.44);
    ctx.fill();
    ctx.fillStyle = paint.shade;
    ctx.beginPath();
    ctx.moveTo(0.2, -0.95);
    ctx.bezierCurveTo(0.38, -0.88, 0.46, -0.7, 0.44, -0.44);
    ctx.quadraticCurveTo(0.3, -0.47, 0.26, -0.47);
    ctx.bezierCurveTo(0.33, -0.65, 0.3, -0.85, 0.2, -0.95);
    ctx.fill();
    fillCircles(ctx, '#fbf6ec', [-0.2, -0.7, 0.06, 0.06, -0.82, 0.05, 0.2, -0.62, 0.045, -0.05, -0.58, 0.035, -0.33, -0.53, 0.03]);
    fillEllipse(ctx, paint.light, -0.2, -0.86, 0.07, 0.03, -0.6);
  },
};

export const PLANTS = { tree, 'pine-tree': pineTree, 'palm-tree': palmTree, flower, mushroom } satisfies Partial<Record<SubjectKind, SpecBody>>;
