// The public prompt set (prompt-set.json) and the one judge of it: which facts a plan gets wrong.
// Shared by the test (one case per prompt), the score script (how many prompts are fully right,
// before and after a parser change) and the parse-time bench. Only the first shot is checked.
import { readFileSync } from 'node:fs';

export type CountFact = number | [number, number];

export interface SubjectFact {
  kind: string;
  count?: CountFact;
  color?: string | null;
  motion?: string | null;
  pose?: string | null;
}

export interface Facts {
  subjects?: SubjectFact[];
  /** Kinds that must not be drawn ("dozens of balloons" is no hot-air balloon). */
  noSubjects?: string[];
  /** No subject may carry a pose (a boat "sitting" in a harbour has no body). */
  noPose?: boolean;
  setting?: string;
  features?: string[];
  time?: string;
  weather?: { kind: string; intensity?: string };
  camera?: { move: string; direction?: string | null };
  moonPhase?: string;
  effects?: string[];
  style?: string[];
}

export interface PromptCase {
  /** issue: reported by users; new: tried before the parser changed; after: tried once it was done, scored before any fix. */
  origin: 'issue' | 'new' | 'after';
  prompt: string;
  expect: Facts;
}

export function loadPromptSet(): PromptCase[] {
  const url = new URL('./prompt-set.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { prompts: PromptCase[] }).prompts;
}

/** The shape of a plan's first shot this judge reads; plans from older parsers simply lack the new fields. */
interface ShotLike {
  setting: string;
  timeOfDay: string;
  weather: { kind: string; intensity: string };
  camera: { move: string; direction: string | null };
  style: string[];
  effects: string[];
  features?: string[];
  moonPhase?: string | null;
  subjects: { kind: string; count: number; color: string | null; motion: string | null; pose?: string | null }[];
}

const countOk = (want: CountFact, got: number) => (typeof want === 'number' ? got === want : got >= want[0] && got <= want[1]);
const show = (x: unknown) => JSON.stringify(x);
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Every fact the shot gets wrong, one readable line each; empty when the plan is fully right. */
export function judge(shot: ShotLike, facts: Facts): string[] {
  const wrong: string[] = [];
  const expectEq = (what: string, want: unknown, got: unknown) => {
    if (want !== undefined && show(want) !== show(got)) wrong.push(`${what}: want ${show(want)}, got ${show(got)}`);
  };
  expectEq('setting', facts.setting, shot.setting);
  expectEq('time', facts.time, shot.timeOfDay);
  if (facts.weather) {
    expectEq('weather', facts.weather.kind, shot.weather.kind);
    expectEq('weather intensity', facts.weather.intensity, shot.weather.intensity);
  }
  if (facts.camera) {
    expectEq('camera move', facts.camera.move, shot.camera.move);
    if ('direction' in facts.camera) expectEq('camera direction', facts.camera.direction, shot.camera.direction);
  }
  expectEq('moon phase', facts.moonPhase, shot.moonPhase ?? null);
  if (facts.features && !sameSet(facts.features, shot.features ?? [])) wrong.push(`features: want ${show(facts.features)}, got ${show(shot.features ?? [])}`);
  if (facts.style && !sameSet(facts.style, shot.style)) wrong.push(`style: want ${show(facts.style)}, got ${show(shot.style)}`);
  for (const e of facts.effects ?? []) if (!shot.effects.includes(e)) wrong.push(`effects: want ${e} among ${show(shot.effects)}`);
  for (const want of facts.subjects ?? []) {
    const got = shot.subjects.find((s) => s.kind === want.kind);
    if (!got) {
      wrong.push(`subject ${want.kind}: missing (got ${show(shot.subjects.map((s) => s.kind))})`);
      continue;
    }
    if (want.count !== undefined && !countOk(want.count, got.count)) wrong.push(`subject ${want.kind} count: want ${show(want.count)}, got ${got.count}`);
    for (const key of ['color', 'motion', 'pose'] as const) {
      if (want[key] !== undefined) expectEq(`subject ${want.kind} ${key}`, want[key], got[key] ?? null);
    }
  }
  for (const kind of facts.noSubjects ?? []) if (shot.subjects.some((s) => s.kind === kind)) wrong.push(`subject ${kind}: should not be there`);
  if (facts.noPose) for (const s of shot.subjects) if (s.pose) wrong.push(`subject ${s.kind}: has pose ${s.pose}, but no body`);
  return wrong;
}
