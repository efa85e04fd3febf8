// Small drawing helpers shared by the subject drawers: filled primitives, limbs as round strokes,
// eyes, four-legged gaits, the box fit, and `wave`, the cyclic timing behind every animation.
import type { SKRSContext2D } from '@napi-rs/canvas';

export type Ctx = SKRSContext2D;
export const TAU = Math.PI * 2;

/** sin of a cycle at `hz` with a phase in cycles (0..1). */
export const wave = (t: number, hz: number, phase = 0): number => Math.sin(TAU * (hz * t + phase));


export function fillEllipse(ctx: Ctx, fill: string, x: number, y: number, rx: number, ry: number, rot = 0): void {
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.ellipse(x, y, Math.abs(rx), Math.abs(ry), rot, 0, TAU);
  ctx.fill();
}

export function fillCircle(ctx: Ctx, fill: string, x: number, y: number, r: number): void {
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.arc(x, y, Math.abs(r), 0, TAU);
  ctx.fill();
}

/** Several circles in one path (one fill call): [x, y, r, x, y, r, ...]. */
export function fillCircles(ctx: Ctx, fill: string, xyr: readonly number[]): void {
  ctx.fillStyle = fill;
  ctx.beginPath();
  for (let i = 0; i + 2 < xyr.length; i += 3) {
    const x = xyr[i]!, y = xyr[i + 1]!, r = xyr[i + 2]!;
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, Math.abs(r), 0, TAU);
  }
  ctx.fill();
}

/** A closed polygon from a flat [x, y, x, y, ...] list. */
export function fillPoly(ctx: Ctx, fill: string, pts: readonly number[]): void {
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.moveTo(pts[0]!, pts[1]!);
  for (let i = 2; i + 1 < pts.length; i += 2) ctx.lineTo(pts[i]!, pts[i + 1]!);
  ctx.closePath();
  ctx.fill();
}

/** Adds a rounded rectangle subpath (no fill). */
export function rrPath(ctx: Ctx, x: number, y: number, w: number, h: number, r: number): void {
  const q = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.moveTo(x + q, y);
  ctx.arcTo(x + w, y, x + w, y + h, q);
  ctx.arcTo(x + w, y + h, x, y + h, q);
  ctx.arcTo(x, y + h, x, y, q);
  ctx.arcTo(x, y, x + w, y, q);
  ctx.closePath();
}

export function fillRoundRect(ctx: Ctx, fill: string, x: number, y: number, w: number, h: number, r: number): void {
  ctx.fillStyle = fill;
  ctx.beginPath();
  rrPath(ctx, x, y, w, h, r);
  ctx.fill();
}

export function fillRect(ctx: Ctx, fill: string, x: number, y: number, w: number, h: number): void {
  ctx.fillStyle = fill;
  ctx.fillRect(x, y, w, h);
}

/** A round-capped stroke through points [x, y, x, y, ...] (limbs, stems, strings). */
export function strokeLine(ctx: Ctx, color: string, width: number, pts: readonly number[], cap: 'round' | 'butt' = 'round'): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = cap;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  ctx.moveTo(pts[0]!, pts[1]!);
  for (let i = 2; i + 1 < pts.length; i += 2) ctx.lineTo(pts[i]!, pts[i + 1]!);
  ctx.stroke();
}

/** Several separate round-capped segments in one stroke: [x1, y1, x2, y2, ...]. */
export function strokeSegments(ctx: Ctx, color: string, width: number, segs: readonly number[]): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.beginPath();
  for (let i = 0; i + 3 < segs.length; i += 4) {
    ctx.moveTo(segs[i]!, segs[i + 1]!);
    ctx.lineTo(segs[i + 2]!, segs[i + 3]!);
  }
  ctx.stroke();
}

/**
 * A leg hanging from a hip at (x, y) to the ground line `ground`, swung by `angle` (radians, positive
 * = foot forward/right), with a knee that bends back while the foot is lifted. One stroke; returns the foot position.
 */
export function leg(ctx: Ctx, color: string, width: number, x: number, y: number, ground: number, angle: number, knee = 0.35): [number, number] {
  const len = ground - y;
  const upper = len * 0.5;
  const kx = x + Math.sin(angle) * upper;
  const ky = y + Math.cos(angle) * upper;
  const lift = Math.max(0, -angle) * knee; // trailing leg bends at the knee
  const lower = angle - lift * 1.6;
  const fx = kx + Math.sin(lower) * (len - upper);
  const fy = Math.min(ground, ky + Math.cos(lower) * (len - upper));
  strokeLine(ctx, color, width, [x, y, kx, ky, fx, fy]);
  return [fx, fy];
}

/**
 * Contexts drawing a sleeper: every eye() on them is a closed lid. The renderer's sleeping pose
 * (render/pose.ts) marks the context around the drawing, so each kind's eyes close without a
 * sleeping variant of every drawer.
 */
export const closedEyes = new WeakSet<Ctx>();

/** A dot eye with a tiny highlight (the highlight only when the eye is big enough to show it); a lid when asleep. */
export function eye(ctx: Ctx, color: string, x: number, y: number, r: number, glint = true): void {
  if (closedEyes.has(ctx)) {
    strokeLine(ctx, color, r * 0.45, [x - r, y, x, y + r * 0.4, x + r, y]);
    return;
  }
  fillCircle(ctx, color, x, y, r);
  if (glint && r >= 0.014) fillCircle(ctx, 'rgba(255,255,255,0.85)', x + r * 0.35, y - r * 0.35, r * 0.38);
}


/**
 * Four legs of a side-view animal: the far pair (in `far`) a little behind the near pair (in `near`),
 * diagonal pairs in step (a trot). `s` is the current swing angle; `hoof` paints a cap on each foot.
 */
export function quadLegs(
  ctx: Ctx, far: string, near: string, width: number,
  backX: number, frontX: number, topY: number, s: number, knee = 0.3, hoof?: string,
): void {
  const ground = -width * 0.5;
  const legs: [string, number, number][] = [
    [far, backX + 0.045, -s], [far, frontX + 0.045, s],
    [near, backX, s], [near, frontX, -s],
  ];
  for (const [col, x, a] of legs) {
    const [fx, fy] = leg(ctx, col, width, x, topY, ground, a, knee);
    if (hoof) fillRoundRect(ctx, hoof, fx - width * 0.55, fy - width * 0.15, width * 1.15, width * 0.65, width * 0.2);
  }
}

/**
 * Fits a drawing made in loose coordinates to its box: the content centre (cx, cy) lands on the box
 * centre (0, -0.5) and everything scales by `s`. Drawers call it first; the wrapper's restore undoes it.
 */
export function fit(ctx: Ctx, s: number, cx: number, cy: number): void {
  ctx.translate(0, -0.5);
  ctx.scale(s, s);
  ctx.translate(-cx, -cy);
}
