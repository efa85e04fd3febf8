// The subject library's public face: one spec (box aspect, default colour, draw) per subject kind,
// and paintFor to colour it. Drawings live in the kind files; this file wraps each in save/restore.
import { SUBJECT_KINDS, type SubjectKind } from '../plan/scene-plan.js';
import { AIR } from './air.js';
import { ANIMALS } from './animals.js';
import { BIRDS } from './birds.js';
import { BOATS } from './boats.js';
import { BUILDINGS } from './buildings.js';
import { FARM } from './farm.js';
import { FLYERS } from './flyers.js';
import { OUTDOORS } from './outdoors.js';
import { PEOPLE } from './people.js';
import { PLANTS } from './plants.js';
import { SEA } from './sea.js';
import { SKY } from './sky.js';
import { VEHICLES } from './vehicles.js';
import type { SpecBody, SubjectSpec } from './types.js';

export type { DrawArgs, SubjectPaint, SubjectSpec } from './types.js';
export { NAMED_COLORS, paintFor } from './paint.js';

// Typed as a full record: a kind missing here is a compile error.
const BODIES: Record<SubjectKind, SpecBody> = {
  ...PEOPLE, ...ANIMALS, ...FARM, ...BIRDS, ...FLYERS, ...SEA, ...VEHICLES, ...BOATS, ...AIR, ...BUILDINGS, ...OUTDOORS, ...PLANTS, ...SKY,
};

function build(): Record<SubjectKind, SubjectSpec> {
  const out = {} as Record<SubjectKind, SubjectSpec>;
  for (const kind of SUBJECT_KINDS) {
    const body = BODIES[kind];
    const inner = body.draw;
    out[kind] = {
      ...body,
      kind,
      draw(args) {
        const { ctx } = args;
        ctx.save();
        try {
          inner(args);
        } finally {
          ctx.restore();
        }
      },
    };
  }
  return out;
}

/** Every subject kind's spec. Each draw saves and restores the context around itself. */
export const SUBJECTS: Record<SubjectKind, SubjectSpec> = build();
