// Test helper: shot plans built directly (not through the parser), so render tests can ask for
// any vocabulary the plan contract has, and frames of one shot rendered at any moment.
import { createCanvas } from '@napi-rs/canvas';
import type { PlannedSubject, ScenePlan, ShotPlan, SubjectKind } from './plan/scene-plan.js';
import { FrameRenderer } from './render/frame-renderer.js';
import type { Frame } from './test-pixels.js';
import { ShotRenderer } from './render/shot-renderer.js';

export function shotOf(o: Partial<ShotPlan> = {}): ShotPlan {
  return {
    index: 0, text: '', start: 0, seconds: 2, transition: 'cut', setting: 'meadow', timeOfDay: 'noon',
    weather: { kind: 'clear', intensity: 'moderate' }, subjects: [], camera: { move: 'static', direction: null, framing: 'wide' },
    style: [], effects: [], ...o,
  };
}

export function subjectOf(kind: SubjectKind, count = 1, o: Partial<PlannedSubject> = {}): PlannedSubject {
  return { kind, count, color: null, motion: null, direction: null, size: null, ...o };
}

export function planOf(shot: ShotPlan): ScenePlan {
  return { version: 1, shots: [shot], understood: [], ignored: [] };
}

/** Frames of one shot through the whole frame pipeline (grading included). */
export async function shotFrames(shot: ShotPlan, o: { width?: number; height?: number; fps?: number; seed?: number } = {}) {
  const width = o.width ?? 320, height = o.height ?? 180, fps = o.fps ?? 12;
  const r = await FrameRenderer.create({ plan: planOf(shot), width, height, fps, seed: o.seed ?? 7 });
  return { r, frame: (i: number): Frame => ({ data: r.render(i), width, height }) };
}

/** One shot drawn at time t by its ShotRenderer, with the renderer for its placements. */
export function drawShot(shot: ShotPlan, t: number, o: { width?: number; height?: number; seed?: number } = {}): { frame: Frame; renderer: ShotRenderer } {
  const width = o.width ?? 320, height = o.height ?? 180;
  const renderer = new ShotRenderer(shot, width, height, o.seed ?? 7, null);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  renderer.draw(ctx, t);
  return { frame: { data: ctx.getImageData(0, 0, width, height).data, width, height }, renderer };
}

/** Hue (degrees), saturation and value (0..1) of an RGB pixel. */
export function hsv(r: number, g: number, b: number): { h: number; s: number; v: number } {
  const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min;
  let h = 0;
  if (d > 0) {
    if (max === r) h = 60 * (((g - b) / d) % 6);
    else if (max === g) h = 60 * ((b - r) / d + 2);
    else h = 60 * ((r - g) / d + 4);
  }
  return { h: (h + 360) % 360, s: max ? d / max : 0, v: max / 255 };
}

export function hueDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}
