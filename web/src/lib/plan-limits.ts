// What the signed-in user's plan allows per video (GET /api/usage → plan): the longest duration,
// the largest frame, the models. The composer greys out what the server would refuse with a 403
// and says why, instead of offering it. No plan (local mode) means no limits.
import { allowsSize, parseSize, secondsOptions, sizesFor, aspectOf, type Draft } from './card-controls';
import type { ModelCard, Plan } from './types';

export type PlanLimits = Pick<Plan, 'label' | 'max_seconds' | 'max_pixels' | 'allowed_models'>;

const pixels = (n: number) => n.toLocaleString('en');

/** Why the plan refuses this duration, or null. */
export function secondsRefusal(plan: PlanLimits | null, seconds: number): string | null {
  return plan?.max_seconds != null && seconds > plan.max_seconds ? `over your plan's ${plan.max_seconds} s` : null;
}

/** Why the plan refuses this frame size, or null. */
export function sizeRefusal(plan: PlanLimits | null, size: string): string | null {
  const s = parseSize(size);
  return plan?.max_pixels != null && s && s.width * s.height > plan.max_pixels ? `over your plan's ${pixels(plan.max_pixels)} pixels` : null;
}

/** Why the plan refuses this model, or null. */
export function modelRefusal(plan: PlanLimits | null, model: string): string | null {
  return plan?.allowed_models != null && !plan.allowed_models.includes(model) ? 'not in your plan' : null;
}

/** One sentence naming the plan's per-video limits, or null when it has none. */
export function planSummary(plan: PlanLimits | null): string | null {
  if (!plan) return null;
  const parts: string[] = [];
  if (plan.max_seconds != null) parts.push(`videos up to ${plan.max_seconds} s`);
  if (plan.max_pixels != null) parts.push(`frames up to ${pixels(plan.max_pixels)} pixels`);
  if (plan.allowed_models != null) parts.push(plan.allowed_models.length ? `these engines: ${plan.allowed_models.join(', ')}` : 'no engines');
  if (!parts.length) return null;
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `Your plan (${plan.label}) allows ${list}. Choices beyond it are greyed out.`;
}

/**
 * Moves a draft inside the plan: the longest allowed duration at most the one chosen, and the
 * largest allowed frame of the same aspect at most the one chosen. Left as is when nothing fits
 * (the server's 403 then says why).
 */
export function fitToPlan(draft: Draft, card: ModelCard, plan: PlanLimits | null): Draft {
  if (!plan) return draft;
  let { seconds, size } = draft;
  if (secondsRefusal(plan, seconds)) {
    const ok = secondsOptions(card).filter((s) => !secondsRefusal(plan, s));
    if (ok.length) seconds = ok[ok.length - 1]!;
  }
  if (sizeRefusal(plan, size)) {
    const aspect = aspectOf(size);
    const ok = (aspect ? sizesFor(card, aspect) : card.sizes).filter((s) => allowsSize(card, s) && !sizeRefusal(plan, s));
    if (ok.length) size = ok[ok.length - 1]!;
  }
  return seconds === draft.seconds && size === draft.size ? draft : { ...draft, seconds, size };
}
