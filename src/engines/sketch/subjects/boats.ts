// Craft on the water, bows to the right: boat (a small motor boat), sailboat, ship (a liner). Each
// rocks and bobs gently; `waterline` tells the renderer where the sea should cut the hull.
import type { SubjectKind } from '../plan/scene-plan.js';
import { fillCircles, fillPoly, fillRect, fillRoundRect, rrPath, strokeLine, wave } from './kit.js';
import type { SpecBody } from './types.js';

const WHITE = '#f7f4ec';
const WHITE_SHADE = '#d9d6cf';
const DARK = '#2e2f36';
const GLASS = '#bfe2f2';
const SAIL = '#fbf7ee';
const SAIL_SHADE = '#e4ddcc';

/** Rock about a point near the waterline (angle `rot`, vertical bob `dy`). */
const rock = (t: number, variant: number, moving: boolean, amp: number): [number, number] =>
  [wave(t, moving ? 0.55 : 0.35, variant) * amp, wave(t, moving ? 0.8 : 0.5, variant + 0.3) * 0.012];

const boat: SpecBody = {
  aspect: 1.8,
  defaultColor: '#e0613f',
  accent: GLASS,
  waterline: 0.22,
  draw({ ctx, paint, t, variant, moving }) {
    const [rot, dy] = rock(t, variant, moving, 0.04);
    ctx.translate(0, -0.2 + dy);
    ctx.rotate(rot);
    ctx.translate(0, 0.2);
    // wheelhouse: white cabin, roof, window looking forward
    fillRoundRect(ctx, WHITE_SHADE, -0.42, -0.84, 0.54, 0.45, 0.04);
    fillRoundRect(ctx, WHITE, -0.38, -0.84, 0.5, 0.45, 0.04);
    fillRoundRect(ctx, paint.shade, -0.48, -0.9, 0.66, 0.08, 0.03);
    fillPoly(ctx, paint.accent, [-0.05, -0.76, 0.08, -0.76, 0.12, -0.58, -0.05, -0.58]);
    fillRoundRect(ctx, paint.accent, -0.3, -0.76, 0.18, 0.16, 0.03);
    strokeLine(ctx, DARK, 0.02, [-0.33, -0.9, -0.33, -0.99]);
    // hull: raised bow on the right, white gunwale stripe, darker bottom
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(-0.84, -0.48);
    ctx.lineTo(0.5, -0.46);
    ctx.quadraticCurveTo(0.75, -0.47, 0.9, -0.6);
    ctx.quadraticCurveTo(0.8, -0.2, 0.45, -0.04);
    ctx.lineTo(-0.7, -0.04);
    ctx.quadraticCurveTo(-0.8, -0.2, -0.84, -0.48);
    ctx.fill();
    ctx.fillStyle = WHITE;
    ctx.beginPath();
    ctx.moveTo(-0.83, -0.44);
    ctx.lineTo(0.5, -0.41);
    ctx.quadraticCurveTo(0.75, -0.42, 0.88, -0.54);
    ctx.lineTo(0.87, -0.5);
    ctx.quadraticCurveTo(0.72, -0.36, 0.5, -0.36);
    ctx.lineTo(-0.82, -0.39);
    ctx.fill();
    ctx.fillStyle = paint.shade;
    ctx.beginPath();
    ctx.moveTo(-0.76, -0.17);
    ctx.lineTo(0.67, -0.17);
    ctx.quadraticCurveTo(0.58, -0.09, 0.45, -0.04);
    ctx.lineTo(-0.7, -0.04);
    ctx.closePath();
    ctx.fill();
    fillCircles(ctx, WHITE, [0.3, -0.28, 0.035, 0.5, -0.28, 0.035]);
  },
};

const sailboat: SpecBody = {
  aspect: 1,
  defaultColor: '#2f5d8c',
  accent: '#e4553f',
  waterline: 0.1,
  draw({ ctx, paint, t, variant, moving }) {
    const [rot, dy] = rock(t, variant, moving, 0.05);
    const flutter = wave(t, 2.3, variant) * 0.02;
    ctx.translate(0, -0.1 + dy);
    ctx.rotate(rot);
    ctx.translate(0, 0.1);
    // mast, pennant, mainsail (billowing), jib
    strokeLine(ctx, '#6b4a2e', 0.025, [0.0, -0.2, 0.0, -0.97]);
    fillPoly(ctx, paint.accent, [0.01, -0.97, 0.16, -0.93 + flutter, 0.01, -0.89]);
    ctx.fillStyle = SAIL;
    ctx.beginPath();
    ctx.moveTo(-0.02, -0.9);
    ctx.quadraticCurveTo(-0.28, -0.58, -0.42, -0.27);
    ctx.lineTo(-0.02, -0.27);
    ctx.closePath();
    ctx.fill();
    fillPoly(ctx, SAIL_SHADE, [-0.02, -0.9, -0.12, -0.6, -0.1, -0.27, -0.02, -0.27]);
    ctx.fillStyle = SAIL;
    ctx.beginPath();
    ctx.moveTo(0.03, -0.84);
    ctx.quadraticCurveTo(0.3, -0.52, 0.4, -0.28);
    ctx.lineTo(0.03, -0.28);
    ctx.closePath();
    ctx.fill();
    fillPoly(ctx, paint.accent, [-0.42, -0.27, -0.02, -0.27, -0.02, -0.31, -0.38, -0.31]);
    strokeLine(ctx, '#6b4a2e', 0.02, [-0.44, -0.25, 0.02, -0.25]);
    // hull
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(-0.46, -0.22);
    ctx.lineTo(0.48, -0.22);
    ctx.quadraticCurveTo(0.38, -0.03, 0.22, -0.02);
    ctx.lineTo(-0.3, -0.02);
    ctx.quadraticCurveTo(-0.42, -0.08, -0.46, -0.22);
    ctx.fill();
    fillPoly(ctx, paint.light, [-0.45, -0.2, 0.47, -0.2, 0.45, -0.17, -0.44, -0.17]);
    fillPoly(ctx, paint.shade, [-0.38, -0.08, 0.35, -0.08, 0.22, -0.02, -0.3, -0.02]);
  },
};

const ship: SpecBody = {
  aspect: 2.3,
  defaultColor: '#2d3e57',
  accent: '#e4553f',
  waterline: 0.18,
  draw({ ctx, paint, t, variant, moving }) {
    const [rot, dy] = rock(t, variant, moving, 0.015);
    ctx.translate(0, -0.2 + dy);
    ctx.rotate(rot);
    ctx.translate(0, 0.2);
    // funnels with dark tops, and a wisp of smoke when under way
    if (moving) {
      const u = (t * 0.5 + variant) % 1;
      fillCircles(ctx, 'rgba(225,228,234,0.75)', [-0.1 - u * 0.3, -0.94 - u * 0.02, 0.04 + u * 0.03, -0.46 - u * 0.3, -0.94 - u * 0.02, 0.04 + u * 0.03]);
    }
    for (const fx of [-0.42, -0.06]) {
      fillPoly(ctx, paint.accent, [fx - 0.1, -0.7, fx - 0.07, -0.95, fx + 0.09, -0.95, fx + 0.1, -0.7]);
      fillRect(ctx, DARK, fx - 0.075, -0.95, 0.165, 0.06);
    }
    // superstructure: two white decks with window rows, a bridge forward
    fillRoundRect(ctx, WHITE_SHADE, -0.8, -0.62, 1.3, 0.2, 0.03);
    fillRoundRect(ctx, WHITE, -0.76, -0.62, 1.24, 0.18, 0.03);
    fillRoundRect(ctx, WHITE, -0.6, -0.76, 0.98, 0.16, 0.03);
    fillRoundRect(ctx, WHITE, 0.2, -0.86, 0.22, 0.12, 0.03);
    ctx.fillStyle = '#5f86a8';
    ctx.beginPath();
    for (let i = 0; i < 10; i++) ctx.rect(-0.7 + i * 0.115, -0.56, 0.07, 0.06);
    for (let i = 0; i < 7; i++) ctx.rect(-0.52 + i * 0.12, -0.71, 0.07, 0.06);
    rrPath(ctx, 0.24, -0.83, 0.15, 0.05, 0.015);
    ctx.fill();
    // hull: raised bow right, red boot-top band, portholes
    ctx.fillStyle = paint.body;
    ctx.beginPath();
    ctx.moveTo(-1.1, -0.44);
    ctx.lineTo(0.8, -0.44);
    ctx.lineTo(1.13, -0.56);
    ctx.quadraticCurveTo(1.0, -0.2, 0.85, -0.03);
    ctx.lineTo(-0.98, -0.03);
    ctx.quadraticCurveTo(-1.08, -0.2, -1.1, -0.44);
    ctx.fill();
    fillPoly(ctx, '#c2412f', [-1.02, -0.13, 0.95, -0.13, 0.85, -0.03, -0.98, -0.03]);
    fillPoly(ctx, paint.light, [-1.1, -0.44, 0.8, -0.44, 1.13, -0.56, 1.12, -0.52, 0.8, -0.41, -1.1, -0.41]);
    const holes: number[] = [];
    for (let i = 0; i < 12; i++) holes.push(-0.9 + i * 0.15, -0.3, 0.022);
    fillCircles(ctx, '#f4e7b8', holes);
  },
};

export const BOATS = { boat, sailboat, ship } satisfies Partial<Record<SubjectKind, SpecBody>>;
