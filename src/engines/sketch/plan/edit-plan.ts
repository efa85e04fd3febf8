// Edits for the sketch engine (issue 15 §2): the source's scene plan with a change, re-rendered
// with the same seed, so everything the change does not touch stays as it was. The change is read
// like a shot ("make it night", "add rain", "three more birds", "in watercolor"): what it names
// replaces the setting, time, weather or style of every shot; effects are added; subjects are added
// (to a subject of the same kind and colour, as more of them), and so are features ("add a
// market"); a moon phase named replaces the old one. Words it does not know are ignored, as in
// any prompt, and listed in the plan's `ignored`.
import { isScenePlan } from './continue-plan.js';
import { readChange } from './parse-prompt.js';
import { MAX_COUNT, type PlannedSubject, type ScenePlan } from './scene-plan.js';

function addSubjects(have: readonly PlannedSubject[], added: readonly PlannedSubject[]): PlannedSubject[] {
  const out = have.map((s) => ({ ...s }));
  for (const a of added) {
    const same = out.find((s) => s.kind === a.kind && (a.color === null || s.color === a.color));
    if (same) same.count = Math.min(MAX_COUNT, same.count + a.count);
    else out.push({ ...a });
  }
  return out;
}

/** The changed plan, or null when the source's plan cannot be read. Unchanged when the prompt names nothing the engine knows. */
export function editPlan(source: unknown, prompt: string): ScenePlan | null {
  if (!isScenePlan(source)) return null;
  const c = readChange(prompt.replace(/\s+/g, ' '));
  const shots = source.shots.map((s) => ({
    ...s,
    setting: c.setting ?? s.setting,
    timeOfDay: c.timeOfDay ?? s.timeOfDay,
    weather: c.weather ? { ...c.weather } : s.weather,
    style: c.style.length > 0 ? [...c.style] : s.style,
    effects: [...new Set([...s.effects, ...c.effects])],
    features: [...new Set([...(s.features ?? []), ...c.features])],
    moonPhase: c.moonPhase ?? s.moonPhase ?? null,
    subjects: addSubjects(s.subjects, c.subjects),
  }));
  return { version: 1, shots, understood: [...source.understood, ...c.understood], ignored: [...source.ignored, ...c.ignored] };
}
