// Where things are in a shot: the horizon and ground lines of each setting, and the subjects'
// positions, sizes and paths over the shot. Deterministic from the plan and the seed.
import type { Direction, Motion, PlannedSubject, Setting, ShotPlan, SubjectKind } from '../plan/scene-plan.js';
import { SUBJECT_INFO } from '../plan/scene-plan.js';
import { between, type Rng } from '../prng.js';

/** Fractions of the frame height (before camera moves). */
export interface Ground {
  /** Where sky meets land or water. */
  horizon: number;
  /** The line ground subjects stand on. */
  ground: number;
  /** Top of the water surface, when the setting has water in view. */
  water: number | null;
}

export const GROUNDS: Record<Setting, Ground> = {
  sea: { horizon: 0.55, ground: 0.86, water: 0.55 },
  beach: { horizon: 0.5, ground: 0.84, water: 0.5 },
  city: { horizon: 0.62, ground: 0.86, water: null },
  forest: { horizon: 0.6, ground: 0.86, water: null },
  mountains: { horizon: 0.62, ground: 0.87, water: null },
  desert: { horizon: 0.6, ground: 0.86, water: null },
  savanna: { horizon: 0.6, ground: 0.86, water: null },
  snowfield: { horizon: 0.6, ground: 0.86, water: null },
  lake: { horizon: 0.5, ground: 0.88, water: 0.56 },
  meadow: { horizon: 0.6, ground: 0.86, water: null },
  space: { horizon: 0.82, ground: 0.9, water: null },
  underwater: { horizon: 0.02, ground: 0.9, water: null },
  interior: { horizon: 0.7, ground: 0.9, water: null },
};

/** Height of each kind relative to a standing person (1), so a house dwarfs a cat. */
const SIZE: Partial<Record<SubjectKind, number>> = {
  child: 0.7, cat: 0.35, dog: 0.5, horse: 1.1, cow: 0.95, sheep: 0.6, rabbit: 0.3, fox: 0.45, deer: 1, bear: 1, elephant: 1.6,
  bird: 0.3, owl: 0.35, duck: 0.3, swan: 0.45, penguin: 0.55, butterfly: 0.18, bee: 0.12, fish: 0.3, whale: 1.4, dolphin: 0.7,
  jellyfish: 0.5, octopus: 0.6, crab: 0.22, turtle: 0.45, dragon: 1.6, car: 0.75, bus: 1.2, bicycle: 0.7, train: 1.1, boat: 0.7,
  sailboat: 1.3, ship: 1.6, plane: 0.7, helicopter: 0.7, rocket: 1.4, ufo: 0.7, balloon: 0.55, 'hot-air-balloon': 1.3, kite: 0.6,
  lighthouse: 2.6, house: 1.8, castle: 2.6, tower: 3, bridge: 1.3, windmill: 2.4, tent: 0.9, cliff: 2.2, campfire: 0.45,
  snowman: 0.9, robot: 1.1, umbrella: 0.9, tree: 2.2, 'pine-tree': 2.4, 'palm-tree': 2.4, flower: 0.3, mushroom: 0.3,
  sun: 1.2, moon: 1, star: 0.4, planet: 2.2,
};

/** Screen speed of each motion, in frame heights per second. */
const SPEED: Record<Motion, number> = {
  flying: 0.11, walking: 0.05, running: 0.11, swimming: 0.06, sailing: 0.035, driving: 0.14, falling: 0.1, rising: 0.07, drifting: 0.025, spinning: 0, still: 0,
};

export interface SubjectInstance {
  kind: SubjectKind;
  planned: PlannedSubject;
  /** Height in pixels at zoom 1. */
  height: number;
  /** Where it starts and ends (world pixels at the subjects' plane), and how it eases between. */
  from: { x: number; y: number };
  to: { x: number; y: number };
  /** Size multiplier at the end (toward the camera grows, away shrinks). */
  grow: number;
  facing: 1 | -1;
  motion: Motion;
  variant: number;
  /** Radians per second (spinning). */
  spin: number;
  /** Vertical bob amplitude (pixels) and frequency (Hz): flight, waves. */
  bob: { amp: number; freq: number; phase: number };
  /** Parallax depth: 1 = the subjects' plane; celestial bodies sit far back. */
  depth: number;
  /** Drawn before (behind) instances with a higher order. */
  order: number;
}

function habitatY(kind: SubjectKind, g: Ground, rng: Rng, setting: Setting): number {
  const h = SUBJECT_INFO[kind].habitat;
  if (kind === 'sun' || kind === 'moon' || kind === 'star') return between(rng, 0.14, 0.3);
  if (h === 'sky') return between(rng, 0.18, Math.max(0.3, g.horizon - 0.12));
  if (h === 'space') return between(rng, 0.25, 0.6);
  if (h === 'water') return g.water !== null ? Math.min(g.ground, g.water + between(rng, 0.12, 0.22)) : g.ground;
  if (h === 'underwater') return setting === 'underwater' ? between(rng, 0.3, 0.75) : g.water !== null ? Math.min(0.95, g.water + 0.3) : between(rng, 0.3, 0.75);
  return g.ground;
}

function directionOf(s: PlannedSubject, motion: Motion): Direction {
  if (s.direction) return s.direction;
  if (motion === 'rising') return 'up';
  if (motion === 'falling') return 'down';
  return 'right';
}

/** Kinds too far away to be measured against the others (sky bodies) or that are the set itself (a cliff). */
const UNSCALED = new Set<SubjectKind>(['sun', 'moon', 'star', 'planet', 'cliff']);

/**
 * Where member i of a group of n goes across the width: stratified slots with a seeded jitter, so a
 * group reads as a spread-out crowd (not a row of clones, not a pile) and never leaves the frame.
 */
function groupSlot(i: number, n: number, rng: Rng): number {
  return 0.08 + (0.84 * (i + between(rng, 0.1, 0.9))) / n;
}

/**
 * Lays out every subject of a shot: groups spread across the frame, main subject near the centre.
 * Every planned subject is drawn exactly `count` times (close-ups too); keepInFrame (below) then
 * moves them inside the first frame's view.
 */
export function layoutSubjects(shot: ShotPlan, W: number, H: number, rng: Rng): SubjectInstance[] {
  const g = GROUNDS[shot.setting];
  const framing = shot.camera.framing;
  const personHeight = H * (framing === 'close-up' ? 0.5 : framing === 'medium' ? 0.3 : 0.19);
  const out: SubjectInstance[] = [];
  const cliff = shot.subjects.find((s) => s.kind === 'cliff');
  let order = 0;
  // The main subject is boosted to stay legible, but only so far past its true size (person = 1):
  // 2.5x alone, 1.5x next to other subjects, so a bird is never as big as the house it flies over.
  const others = shot.subjects.slice(1).some((s) => !UNSCALED.has(s.kind));
  const boostCap = others ? 1.5 : 2.5;
  shot.subjects.forEach((s, si) => {
    const info = SUBJECT_INFO[s.kind];
    const motion: Motion = s.motion ?? info.motion;
    const dir = directionOf(s, motion);
    const sizeBoost = s.size === 'large' ? 1.6 : s.size === 'small' ? 0.6 : 1;
    const isMain = si === 0;
    const count = Math.max(1, Math.round(s.count));
    // Big groups shrink so two dozen still read as separate things; members vary in size (depth).
    const groupScale = count === 1 ? 1 : count <= 3 ? 0.8 : Math.max(0.42, 0.8 * Math.sqrt(4 / count));
    const rows = info.habitat === 'ground' && count > 5 ? (count > 12 ? 3 : 2) : 1;
    for (let i = 0; i < count; i++) {
      const celestial = s.kind === 'sun' || s.kind === 'moon' || s.kind === 'planet' || s.kind === 'star';
      // Groups spread over the width; a lone main subject sits near the centre, others off to the sides.
      const slot = count === 1 ? (isMain ? 0.5 + between(rng, -0.08, 0.08) : between(rng, 0.15, 0.85)) : groupSlot(i, count, rng);
      let x = slot * W;
      let y = habitatY(s.kind, g, rng, shot.setting) * H;
      // Ground crowds stand in rows: further rows higher up and smaller.
      const row = rows > 1 ? Math.floor(rng() * rows) : 0;
      if (row > 0) y -= row * 0.045 * H;
      const depthJitter = celestial ? 1 : count > 1 ? between(rng, 0.72, 1.12) * (1 - 0.16 * row) : between(rng, 0.85, 1.1);
      let height = Math.min(H * 0.9, personHeight * (SIZE[s.kind] ?? 1) * sizeBoost * groupScale * depthJitter);
      if (framing === 'close-up' && isMain && count === 1) height = Math.min(H * 0.78, Math.max(height, H * 0.55));
      // The main subject is what the shot is about: never a speck, however small its kind, but
      // never more than half again its true size next to the other subjects either.
      else if (isMain && s.size !== 'small') height = Math.max(height, Math.min(height * boostCap, H * (count === 1 ? (framing === 'medium' ? 0.35 : 0.22) : 0.13)));
      if (s.kind === 'cliff') { x = W * 0.28; y = H * 0.98; height = H * 0.5; }
      else if (cliff && info.habitat === 'ground') { x = W * (0.22 + (0.12 * i) / Math.max(1, count / 3)); y = H * 0.48; } // on the cliff top
      if (celestial) height = H * (s.kind === 'planet' ? 0.4 : s.kind === 'star' ? 0.08 : 0.2) * (count > 1 ? groupScale : 1);
      // Travel over the whole shot, centred on the slot so the subject stays in view; slower on a
      // cliff top, and a close-up keeps its subject in frame.
      const calm = (info.habitat === 'ground' && cliff && s.kind !== 'cliff') || (framing === 'close-up' && isMain) ? 0.2 : 1;
      const travel = SPEED[motion] * H * shot.seconds * calm;
      const dx = dir === 'left' ? -travel : dir === 'right' ? travel : 0;
      const dy = dir === 'up' ? -travel : dir === 'down' ? travel : 0;
      out.push({
        kind: s.kind,
        planned: s,
        height,
        from: { x: x - dx / 2, y: y - dy / 2 },
        to: { x: x + dx / 2, y: y + dy / 2 },
        grow: dir === 'toward' ? 1.8 : dir === 'away' ? 0.5 : 1,
        facing: dir === 'left' ? -1 : 1,
        motion,
        variant: rng(),
        spin: motion === 'spinning' && s.kind !== 'windmill' && s.kind !== 'planet' ? between(rng, 1.5, 3) * (rng() < 0.5 ? -1 : 1) : 0,
        bob: motion === 'flying' || motion === 'drifting' || motion === 'swimming' || info.habitat === 'water'
          ? { amp: height * (info.habitat === 'water' ? 0.04 : 0.12), freq: between(rng, 0.25, 0.6), phase: rng() * Math.PI * 2 }
          : { amp: 0, freq: 0, phase: 0 },
        depth: celestial ? 0.06 : 1,
        order: celestial ? -100 + order : s.kind === 'cliff' ? -50 : info.habitat === 'sky' ? 10 + order : order,
      });
      order++;
    }
  });
  return out.sort((a, b) => a.order - b.order || a.to.y - b.to.y);
}

/** A rectangle in world pixels of one layer. */
export interface Box { left: number; top: number; right: number; bottom: number }

/**
 * Moves (or, for ground things too tall to fit, shrinks) each subject so its box at the first
 * frame lies inside `visible(depth)`, the world rectangle the first frame shows at that depth.
 * `boxAt` gives a subject's box at the first frame. A ground subject keeps its feet where they
 * are and gets shorter when its top is cut; anything else slides in (from and to together, so its
 * path is unchanged). Things near the top edge were cropped before this.
 */
export function keepInFrame(subjects: SubjectInstance[], visible: (depth: number) => Box, boxAt: (s: SubjectInstance) => Box, H: number): void {
  const margin = H * 0.015;
  for (const s of subjects) {
    if (s.kind === 'cliff') continue; // the cliff is the set: it leaves the frame on purpose
    const v = visible(s.depth);
    let b = boxAt(s);
    const vw = v.right - v.left - 2 * margin, vh = v.bottom - v.top - 2 * margin;
    // Too big for the view: scale about the feet so it fits (keeping its aspect).
    const over = Math.max((b.right - b.left) / vw, (b.bottom - b.top) / vh);
    if (over > 1) {
      s.height /= over;
      b = boxAt(s);
    }
    const onGround = SUBJECT_INFO[s.kind].habitat === 'ground' && s.depth === 1;
    if (onGround && b.top < v.top + margin) {
      const k = (b.bottom - (v.top + margin)) / (b.bottom - b.top);
      if (k >= 0.6) { s.height *= k; b = boxAt(s); }
    }
    const dx = b.left < v.left + margin ? v.left + margin - b.left : b.right > v.right - margin ? v.right - margin - b.right : 0;
    const dy = b.top < v.top + margin ? v.top + margin - b.top : b.bottom > v.bottom - margin ? v.bottom - margin - b.bottom : 0;
    s.from = { x: s.from.x + dx, y: s.from.y + dy };
    s.to = { x: s.to.x + dx, y: s.to.y + dy };
  }
}
