// How many of a subject a plan draws. A number said is kept (up to MAX_COUNT); a vague amount
// becomes a number in its range, picked from a seed made of what the shot means (the kinds it
// names), not of its words, so the parser stays a pure function of the prompt and English and
// French twins still give the same plan.
import type { Amount, Vague } from './lexicon.js';
import { MAX_COUNT } from './scene-plan.js';

/** A bare plural is a small group; "many", "a flock of" a crowd; "dozens", "des centaines" as many as stays legible. */
export const VAGUE_RANGES: Readonly<Record<Vague, readonly [number, number]>> = {
  group: [3, 5],
  many: [8, 14],
  dozens: [18, 24],
};

/** FNV-1a: a small, stable string hash (the plan must not change between runs or machines). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function resolveAmount(amount: Amount, seed: string): number {
  if (typeof amount === 'number') return Math.min(MAX_COUNT, Math.max(1, Math.round(amount)));
  const [lo, hi] = VAGUE_RANGES[amount];
  return lo + (hash(seed) % (hi - lo + 1));
}
