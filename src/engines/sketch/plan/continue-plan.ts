// Extensions for the sketch engine (issue 15 §1): the source's scene plan carried on. The new
// prompt is read as the storyboard's next line (its world — setting, time, weather, style,
// subjects — carries over unless it says otherwise) and its shots are appended after the source's,
// the first one crossfading from the last source shot, which keeps running underneath: the first
// new frame is that shot one frame later, so the join shows no cut and no repeated frame.
import { parsePrompt } from './parse-prompt.js';
import type { ScenePlan, ShotPlan } from './scene-plan.js';

/** A stored plan this version of the engine can continue (plans are stored JSON, read back as unknown). */
export function isScenePlan(plan: unknown): plan is ScenePlan {
  const p = plan as ScenePlan | null;
  return !!p && typeof p === 'object' && p.version === 1 && Array.isArray(p.shots) && p.shots.length > 0 &&
    p.shots.every((s) => typeof s?.start === 'number' && typeof s?.seconds === 'number' && typeof s?.setting === 'string');
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The source's plan followed by `seconds` more made from `prompt`, or null when the source's plan
 * cannot be read or does not end where the source video does (`sourceSeconds`, when given).
 */
export function continuePlan(source: unknown, prompt: string, seconds: number, sourceSeconds?: number): ScenePlan | null {
  if (!isScenePlan(source)) return null;
  const last = source.shots[source.shots.length - 1]!;
  const from = round3(last.start + last.seconds);
  if (sourceSeconds !== undefined && Math.abs(from - sourceSeconds) > 1e-6) return null;
  const next = parsePrompt(prompt, seconds, last);
  const added: ShotPlan[] = next.shots.map((s, i) => ({
    ...s, index: source.shots.length + i, start: round3(from + s.start), transition: i === 0 ? 'crossfade' : s.transition,
  }));
  return { version: 1, shots: [...source.shots, ...added], understood: [...source.understood, ...next.understood], ignored: [...source.ignored, ...next.ignored] };
}
