// Shared types of the subject library: the paint a drawing uses, its per-frame arguments, and the
// spec each subject kind provides (box aspect, default colour, draw function).
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { MoonPhase, Pose, SubjectKind } from '../plan/scene-plan.js';

/** Colours for one subject: body (main fill), shade (a darker tone for depth/far limbs), light (highlights), accent (details: beak, windows, flame), line (thin outlines/eyes). CSS colour strings. */
export interface SubjectPaint { body: string; shade: string; light: string; accent: string; line: string }

export interface DrawArgs {
  ctx: SKRSContext2D;
  paint: SubjectPaint;
  /** Seconds since the shot began: drives cyclic animation (wing flaps, leg swings, rotor, flames, tail wag, pulsing). */
  t: number;
  /** 0..1, fixed per subject instance: small deterministic variations (phase offsets, proportions). Never use Math.random. */
  variant: number;
  /** Whether the subject is moving (legs/wings animate) or still (at rest pose). */
  moving: boolean;
  /** The body's pose when one was asked. The renderer folds or lies the drawing down (render/pose.ts) and eye() closes a sleeper's eyes; drawers may read it for more. */
  pose?: Pose | null;
  /** For the moon: its phase; a crescent when absent. */
  moonPhase?: MoonPhase | null;
}

export interface SubjectSpec {
  kind: SubjectKind;
  /** Width ÷ height of the drawing's box. */
  aspect: number;
  /** Natural body colour (CSS) when the prompt names none. */
  defaultColor: string;
  /** Colour of details (beak, windows, flame, spots) that paintFor uses; a neutral default when absent. */
  accent?: string;
  /**
   * For water subjects: how far above the box bottom the water surface should cut the drawing, as a
   * fraction of the height (a boat's hull sits in the water up to here). Absent for everything else.
   */
  waterline?: number;
  /** Where a light source sits, in box units (lighthouse lamp, campfire, UFO lights): for beams and glows. */
  lamp?: { x: number; y: number };
  /**
   * Draws the subject facing RIGHT in a box of height 1 and width `aspect`, centred horizontally
   * on x = 0, standing on y = 0 (so x ∈ [-aspect/2, aspect/2], y ∈ [-1, 0]; up is negative y). The
   * caller translates/scales/flips the context; the drawer must leave ctx state as it found it (save/restore).
   */
  draw(args: DrawArgs): void;
}

/** What a kind file provides: a spec without the `kind` (the key in the record says it). */
export type SpecBody = Omit<SubjectSpec, 'kind'>;
