// People and figures: person, child, robot, snowman. Clothes take the body colour; skin and hair
// tones vary by `variant`. Walkers swing arms and legs at ~1.8 Hz while moving.
import type { SubjectKind } from '../plan/scene-plan.js';
import { eye, fillCircle, fillCircles, fillEllipse, fillPoly, fillRoundRect, leg, strokeLine, strokeSegments, wave } from './kit.js';
import { mix } from './paint.js';
import type { DrawArgs, SpecBody } from './types.js';

const SKIN = ['#f1c7a1', '#d9a27a', '#a8724f', '#f6d6b8', '#7d5038'] as const;
const HAIR = ['#3b2a20', '#6b4226', '#231d1b', '#c99a5b', '#8a3b20'] as const;
const TROUSERS = '#3e4a66';
const TROUSERS_FAR = '#2c3549';
const SHOE = '#2a2426';

const pickOf = <T>(list: readonly T[], v: number): T => list[Math.min(list.length - 1, Math.floor(v * list.length))]!;

/** A walking figure; `kid` gives child proportions (bigger head, shorter legs). */
function figure({ ctx, paint, t, variant, moving }: DrawArgs, kid: boolean): void {
  const s = moving ? wave(t, kid ? 2.1 : 1.8, variant) * 0.45 : 0;
  const bob = moving ? -Math.abs(wave(t, kid ? 2.1 : 1.8, variant + 0.25)) * 0.015 : 0;
  const skin = pickOf(SKIN, variant);
  const hair = pickOf(HAIR, (variant * 7.3) % 1);
  const hipY = (kid ? -0.37 : -0.45) + bob;
  const shoulderY = (kid ? -0.63 : -0.74) + bob;
  const headR = kid ? 0.135 : 0.098;
  const headY = (kid ? -0.8 : -0.875) + bob;
  const legW = kid ? 0.075 : 0.082;
  const armLen = kid ? 0.24 : 0.3;

  // far arm, far leg (in shade), then near leg
  const armSwing = -s * 0.9;
  strokeLine(ctx, paint.shade, legW * 0.78, [0, shoulderY, Math.sin(-armSwing) * armLen * 0.5, shoulderY + Math.cos(armSwing) * armLen * 0.5, Math.sin(-armSwing + 0.25) * armLen, shoulderY + Math.cos(-armSwing + 0.25) * armLen]);
  const farFoot = leg(ctx, kid ? TROUSERS_FAR : TROUSERS_FAR, legW, -0.01, hipY, -0.02, -s);
  fillEllipse(ctx, SHOE, farFoot[0] + 0.025, farFoot[1] - 0.005, 0.048, 0.024);
  const nearFoot = leg(ctx, TROUSERS, legW, 0.01, hipY, -0.02, s);
  fillEllipse(ctx, SHOE, nearFoot[0] + 0.025, nearFoot[1] - 0.005, 0.048, 0.024);

  // torso: shirt with a shaded back, shorts/trousers top for the kid
  const tw = kid ? 0.17 : 0.18;
  if (kid) fillRoundRect(ctx, TROUSERS, -tw / 2, hipY - 0.06, tw, 0.11, 0.04);
  fillRoundRect(ctx, paint.shade, -tw / 2, shoulderY - 0.03, tw, hipY - shoulderY + 0.06, 0.065);
  fillRoundRect(ctx, paint.body, -tw / 2 + 0.03, shoulderY - 0.03, tw - 0.03, hipY - shoulderY + 0.06, 0.06);
  // neck and head
  fillRoundRect(ctx, skin, -0.02, headY + headR * 0.6, 0.045, shoulderY - headY - headR * 0.4, 0.01);
  // head: hair behind, face, then a fringe cap over the top; a small ear
  const hx = 0.012;
  fillCircle(ctx, hair, hx - headR * 0.16, headY - headR * 0.04, headR * 0.98);
  if (kid && variant > 0.5) fillCircles(ctx, hair, [hx - headR * 1.05, headY + headR * 0.2, headR * 0.32]);
  fillCircle(ctx, skin, hx + headR * 0.1, headY + headR * 0.06, headR * 0.9);
  fillEllipse(ctx, skin, hx + headR * 0.98, headY + headR * 0.14, headR * 0.16, headR * 0.14); // nose
  fillEllipse(ctx, hair, hx - headR * 0.02, headY - headR * 0.52, headR * 0.9, headR * 0.46, 0.12);
  fillEllipse(ctx, skin, hx - headR * 0.22, headY + headR * 0.12, headR * 0.16, headR * 0.2);
  eye(ctx, '#2a2226', hx + headR * 0.58, headY - headR * 0.02, headR * 0.13, false);
  fillEllipse(ctx, 'rgba(230,120,110,0.35)', hx + headR * 0.5, headY + headR * 0.35, headR * 0.16, headR * 0.1);

  // near arm with a hand
  const ax = Math.sin(armSwing) * armLen, ay = shoulderY + Math.cos(armSwing) * armLen;
  const ex = Math.sin(armSwing) * armLen * 0.5, ey = shoulderY + Math.cos(armSwing) * armLen * 0.5;
  const handX = ax + 0.02 * Math.abs(s), handY = ay - 0.01 * Math.abs(s);
  strokeLine(ctx, paint.body, legW * 0.8, [0.01, shoulderY + 0.01, ex, ey, handX, handY]);
  fillCircle(ctx, skin, handX, handY + 0.01, legW * 0.45);
}

const person: SpecBody = { aspect: 0.5, defaultColor: '#e0643f', draw: (a) => figure(a, false) };
const child: SpecBody = { aspect: 0.5, defaultColor: '#f2b63a', draw: (a) => figure(a, true) };

const robot: SpecBody = {
  aspect: 0.4,
  defaultColor: '#b7c1cc',
  accent: '#4fd8ff',
  draw({ ctx, paint, t, variant, moving }) {
    const s = moving ? wave(t, 1.6, variant) * 0.32 : 0;
    const bob = moving ? -Math.abs(wave(t, 1.6, variant + 0.25)) * 0.012 : 0;
    // legs: far then near, square feet
    const legs: [number, string][] = [[-s, paint.shade], [s, paint.body]];
    for (const [a, col] of legs) {
      const fx = Math.sin(a) * 0.34, fy = -0.36 + Math.cos(a) * 0.34 + bob;
      strokeLine(ctx, col, 0.09, [0, -0.36 + bob, fx, fy], 'butt');
      fillRoundRect(ctx, paint.line, fx - 0.06, Math.min(fy, -0.045) - 0.005, 0.13, 0.05, 0.015);
    }
    // far arm
    strokeLine(ctx, paint.shade, 0.07, [0, -0.64 + bob, Math.sin(-s * 1.1) * 0.27, -0.64 + Math.cos(s * 1.1) * 0.27 + bob], 'round');
    // torso with a light chest panel and buttons
    fillRoundRect(ctx, paint.shade, -0.19, -0.72 + bob, 0.38, 0.38, 0.05);
    fillRoundRect(ctx, paint.body, -0.16, -0.72 + bob, 0.35, 0.38, 0.05);
    fillRoundRect(ctx, paint.light, -0.06, -0.64 + bob, 0.19, 0.17, 0.03);
    const blink = (Math.floor(t * 2 + variant * 4) % 3) / 2;
    fillCircles(ctx, paint.accent, [-0.015, -0.555 + bob, 0.025]);
    fillCircles(ctx, blink > 0.4 ? '#ff6a4d' : paint.shade, [0.065, -0.555 + bob, 0.025]);
    // neck and head: visor with a glowing eye looking right
    fillRoundRect(ctx, paint.shade, -0.04, -0.78 + bob, 0.08, 0.08, 0.01);
    fillRoundRect(ctx, paint.body, -0.15, -0.93 + bob, 0.3, 0.2, 0.05);
    fillRoundRect(ctx, '#2c3440', -0.04, -0.88 + bob, 0.19, 0.08, 0.03);
    fillCircles(ctx, paint.accent, [0.085, -0.84 + bob, 0.024]);
    fillRoundRect(ctx, paint.shade, -0.17, -0.875 + bob, 0.05, 0.09, 0.02);
    // antenna with a bulb that blinks
    strokeLine(ctx, paint.line, 0.018, [0, -0.93 + bob, 0, -0.975 + bob]);
    fillCircle(ctx, wave(t, 1.3, variant) > 0 ? '#ff6a4d' : '#ffb3a3', 0, -0.975 + bob, 0.024);
    // near arm with a claw
    const ax = Math.sin(s * 1.1) * 0.27, ay = -0.64 + Math.cos(s * 1.1) * 0.27 + bob;
    strokeLine(ctx, paint.body, 0.075, [0.01, -0.64 + bob, ax, ay]);
    strokeSegments(ctx, paint.line, 0.025, [ax, ay + 0.02, ax + 0.03, ay + 0.06, ax, ay + 0.02, ax - 0.025, ay + 0.065]);
    fillCircle(ctx, paint.shade, 0.01, -0.64 + bob, 0.04);
  },
};

const snowman: SpecBody = {
  aspect: 0.7,
  defaultColor: '#f5f3ee',
  accent: '#d9473b',
  draw({ ctx, paint, t, variant }) {
    const balls: [number, number][] = [[-0.24, 0.24], [-0.56, 0.175], [-0.79, 0.13]];
    // arms: twigs from the middle ball
    const wavey = wave(t, 0.6, variant) * 0.03;
    strokeLine(ctx, '#6b4a2e', 0.022, [-0.12, -0.58, -0.26, -0.7 + wavey, -0.31, -0.76 + wavey]);
    strokeLine(ctx, '#6b4a2e', 0.022, [0.12, -0.58, 0.25, -0.66 - wavey, 0.31, -0.7 - wavey]);
    strokeSegments(ctx, '#6b4a2e', 0.016, [-0.26, -0.7 + wavey, -0.29, -0.64 + wavey, 0.25, -0.66 - wavey, 0.3, -0.62 - wavey]);
    for (const [y, r] of balls) {
      fillCircle(ctx, paint.shade, 0, y, r);
      fillCircle(ctx, paint.body, r * 0.09, y - r * 0.1, r * 0.9);
      fillEllipse(ctx, paint.light, r * 0.35, y - r * 0.45, r * 0.22, r * 0.14, -0.5);
    }
    // scarf
    fillRoundRect(ctx, paint.accent, -0.125, -0.7, 0.25, 0.055, 0.025);
    fillPoly(ctx, mix(paint.accent, '#1a1020', 0.2), [-0.08, -0.66, -0.02, -0.66, -0.05, -0.53, -0.11, -0.55]);
    // coal eyes, buttons, carrot nose
    fillCircles(ctx, '#25221f', [0.03, -0.82, 0.016, 0.085, -0.82, 0.016, 0.03, -0.6, 0.02, 0.035, -0.5, 0.02, 0.03, -0.3, 0.022]);
    fillPoly(ctx, '#f08a2c', [0.08, -0.795, 0.2, -0.77, 0.08, -0.765]);
    // top hat, slightly tilted
    ctx.translate(0, -0.9);
    ctx.rotate(0.12);
    fillRoundRect(ctx, '#2b2a30', -0.14, -0.012, 0.28, 0.035, 0.012);
    fillRoundRect(ctx, '#2b2a30', -0.09, -0.115, 0.18, 0.115, 0.015);
    fillRoundRect(ctx, paint.accent, -0.09, -0.035, 0.18, 0.028, 0.005);
    ctx.rotate(-0.12);
    ctx.translate(0, 0.9);
  },
};

export const PEOPLE = { person, child, robot, snowman } satisfies Partial<Record<SubjectKind, SpecBody>>;
