import { describe, expect, it } from 'vitest';
import { continuePlan } from './continue-plan.js';
import { editPlan } from './edit-plan.js';
import { parsePrompt } from './parse-prompt.js';
import { MAX_COUNT } from './scene-plan.js';

describe('continuing a scene plan (extensions)', () => {
  it('appends the new shots after the source, crossfading in, in the same world unless told otherwise', () => {
    const source = parsePrompt('a lighthouse on a cliff at dusk\na boat sails past [2s]', 6);
    const next = continuePlan(source, 'light rain begins to fall', 4)!;
    expect(next.shots.slice(0, source.shots.length)).toEqual(source.shots);
    const added = next.shots.at(-1)!;
    expect(added).toMatchObject({ index: source.shots.length, start: 6, seconds: 4, transition: 'crossfade', setting: 'sea', timeOfDay: 'dusk', weather: { kind: 'rain', intensity: 'light' } });
    expect(next.shots.reduce((s, x) => s + x.seconds, 0)).toBe(10);
    expect(continuePlan(next, 'at night', 2)!.shots.at(-1)).toMatchObject({ start: 10, setting: 'sea', timeOfDay: 'night' });
  });

  it('refuses what is not a scene plan', () => {
    expect(continuePlan(null, 'x', 4)).toBeNull();
    expect(continuePlan({ version: 2, shots: [] }, 'x', 4)).toBeNull();
    // A plan that does not end where its video does cannot be carried on from there.
    expect(continuePlan(parsePrompt('a fox', 4), 'x', 4, 110)).toBeNull();
    expect(continuePlan(parsePrompt('a fox', 4), 'x', 4, 4)).not.toBeNull();
  });
});

describe('editing a scene plan', () => {
  const source = parsePrompt('two birds over a meadow at noon', 4);

  it('replaces time, weather and style in every shot, adds effects and more of a subject', () => {
    const night = editPlan(source, 'make it night, add rain')!;
    expect(night.shots[0]).toMatchObject({ timeOfDay: 'night', weather: { kind: 'rain' }, setting: 'meadow' });
    const birds = editPlan(source, 'three more birds')!;
    expect(birds.shots[0]!.subjects.find((s) => s.kind === 'bird')!.count).toBe(5);
    expect(editPlan(source, 'in watercolor')!.shots[0]!.style).toEqual(['watercolor']);
    expect(editPlan(source, 'add a balloon')!.shots[0]!.subjects.map((s) => s.kind)).toContain('balloon');
  });

  it('adds features, takes a new moon phase, and caps counts at MAX_COUNT', () => {
    const edited = editPlan(source, 'add a market and a full moon')!.shots[0]!;
    expect(edited).toMatchObject({ features: ['market'], moonPhase: 'full', setting: 'meadow' });
    expect(edited.subjects.map((s) => s.kind)).toContain('moon');
    expect(editPlan(source, 'thirty more birds')!.shots[0]!.subjects.find((s) => s.kind === 'bird')!.count).toBe(MAX_COUNT);
  });

  it('leaves the plan as it was when the change names nothing it knows', () => {
    expect(editPlan(source, 'blorp')!.shots).toEqual(source.shots);
  });
});
