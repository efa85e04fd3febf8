// Poses for the kinds that have bodies: sleeping, sitting, jumping, dancing. The drawings in
// subjects/ draw one standing, walking body per kind; a pose is a transform of that drawing (lie it
// down, fold it, hop it, sway it) plus a few strokes of its own (bent legs, Z's), so every body kind
// takes every pose without a second drawing each.
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { PlannedSubject, Pose, SubjectKind } from '../plan/scene-plan.js';
import type { SubjectPaint } from '../subjects/index.js';
import { closedEyes } from '../subjects/kit.js';

/** Upright bodies: lying down turns them a quarter turn; sitting folds their legs. */
const UPRIGHT = new Set<SubjectKind>(['person', 'child', 'robot', 'penguin']);
/** Four-legged bodies: lying down flattens them; sitting drops their haunches. */
const FOUR_LEGGED = new Set<SubjectKind>(['cat', 'dog', 'horse', 'cow', 'sheep', 'rabbit', 'fox', 'deer', 'bear', 'elephant']);

/** The pose to draw, or null for the drawing as it is (no body, standing, or none asked). */
export function poseOf(s: PlannedSubject): Exclude<Pose, 'standing'> | null {
  const p = s.pose;
  if (!p || p === 'standing') return null;
  return UPRIGHT.has(s.kind) || FOUR_LEGGED.has(s.kind) ? p : null;
}

/** Poses that stay in place: the body does not travel whatever its usual motion. */
export const STILL_POSES: ReadonlySet<Pose> = new Set(['sleeping', 'sitting']);

const JUMP_HZ = 1.1;
const DANCE_HZ = 1.4;

/**
 * Vertical offset of the whole body, in box heights (negative = up): a jump is a hop cycle of
 * |sin|, each jumper on its own beat, a dance a small bounce. Both start on the ground and the
 * hops grow in over the first quarter second, so the first frame shows where everyone stands.
 */
export function poseLift(pose: Pose | null, t: number, variant: number): number {
  if (pose === 'jumping') return -0.45 * Math.min(1, t * 4) * Math.abs(Math.sin(Math.PI * (JUMP_HZ * t + variant)));
  if (pose === 'dancing') return -0.06 * Math.abs(Math.sin(Math.PI * 2 * DANCE_HZ * t));
  return 0;
}

/** Box of the posed drawing at rest, in box units of the standing drawing (x about 0, feet at y 0). */
export function poseBounds(pose: Pose | null, kind: SubjectKind, aspect: number): { left: number; right: number; top: number; bottom: number } {
  const standing = { left: -aspect / 2, right: aspect / 2, top: -1, bottom: 0 };
  if (!pose || pose === 'jumping' || pose === 'dancing') return standing;
  if (pose === 'sleeping') {
    return UPRIGHT.has(kind) ? { left: -0.5, right: 0.5, top: -aspect, bottom: 0 } : { left: -aspect * 0.54, right: aspect * 0.54, top: -0.6, bottom: 0 };
  }
  // sitting
  return UPRIGHT.has(kind) ? { left: -aspect / 2, right: Math.max(aspect / 2, 0.3), top: -0.7, bottom: 0 } : { left: -aspect / 2, right: aspect / 2, top: -1.05, bottom: 0 };
}

/**
 * Draws `drawBody` (the kind's drawing, box units, facing right, feet on y = 0) in the pose. The
 * context is already scaled to box units and flipped for facing; it is restored on return.
 */
export function drawPosed(ctx: SKRSContext2D, pose: Pose, kind: SubjectKind, aspect: number, paint: SubjectPaint, t: number, variant: number, drawBody: () => void): void {
  ctx.save();
  const upright = UPRIGHT.has(kind);
  if (pose === 'sleeping') {
    closedEyes.add(ctx);
    try {
      drawSleeper(ctx, upright, aspect, drawBody);
    } finally {
      closedEyes.delete(ctx);
    }
    ctx.restore();
    drawZs(ctx, paint, t, variant, upright ? 0.1 : aspect * 0.3, upright ? -aspect - 0.05 : -0.65);
    return;
  }
  if (pose === 'sitting') {
    if (upright) {
      // The upper body, lowered onto a seat, with its thighs forward and shins down.
      const hip = kind === 'child' ? -0.34 : kind === 'penguin' ? -0.3 : -0.42;
      const drop = kind === 'child' ? 0.22 : 0.3;
      ctx.save();
      ctx.beginPath();
      ctx.rect(-2, -2, 4, 2 + hip);
      ctx.clip();
      ctx.translate(0, drop);
      drawBody();
      ctx.restore();
      const y = hip + drop;
      ctx.fillStyle = paint.shade;
      ctx.beginPath();
      ctx.roundRect(-0.14, y + 0.02, 0.28, -y - 0.02, 0.03);
      ctx.fill();
      ctx.strokeStyle = '#3e4a66';
      ctx.lineWidth = 0.08;
      ctx.lineCap = 'round';
      ctx.beginPath();
      ctx.moveTo(0, y);
      ctx.lineTo(0.22, y);
      ctx.lineTo(0.24, -0.03);
      ctx.stroke();
    } else {
      // Haunches down, chest up: a turn about the back feet.
      ctx.translate(-aspect * 0.35, 0);
      ctx.rotate(-0.38);
      ctx.translate(aspect * 0.35, 0);
      drawBody();
    }
    ctx.restore();
    return;
  }
  if (pose === 'dancing') {
    // A sway about the feet, one way then the other, on the beat.
    ctx.rotate(0.2 * Math.sin(Math.PI * 2 * DANCE_HZ * 0.5 * t + variant * 6));
  }
  drawBody();
  ctx.restore();
}

/** The body lying down: an upright one a quarter turn onto its back, a four-legged one with legs folded under. */
function drawSleeper(ctx: SKRSContext2D, upright: boolean, aspect: number, drawBody: () => void): void {
  if (upright) {
    // The head goes to the back, the figure lies along the ground.
    ctx.translate(0.5, -aspect / 2);
    ctx.rotate(-Math.PI / 2);
  } else {
    // Flattened onto the ground, a little longer.
    ctx.scale(1.08, 0.6);
  }
  drawBody();
}

/** Three Z's rising and fading over a sleeper's head. */
function drawZs(ctx: SKRSContext2D, paint: SubjectPaint, t: number, variant: number, x: number, y: number): void {
  ctx.save();
  ctx.strokeStyle = paint.light;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (let k = 0; k < 3; k++) {
    const life = (t * 0.5 + variant + k / 3) % 1;
    const s = 0.06 + 0.06 * life;
    const zx = x + 0.12 * life, zy = y - 0.3 * life;
    ctx.globalAlpha = Math.min(1, (1 - life) * 2) * 0.9;
    ctx.lineWidth = s * 0.25;
    ctx.beginPath();
    ctx.moveTo(zx, zy - s);
    ctx.lineTo(zx + s, zy - s);
    ctx.lineTo(zx, zy);
    ctx.lineTo(zx + s, zy);
    ctx.stroke();
  }
  ctx.restore();
}
