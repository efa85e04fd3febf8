// Plans and quotas. A plan's per-request limits (duration, pixels, models) are checked first; then,
// inside one transaction that holds the user's lock, the spend so far (today, this month, dollars)
// and the running jobs are counted and the video row and its debit are written together. So 50
// concurrent creates against 3 remaining seconds' worth make exactly as many videos as fit.
import { ApiError } from '../../domain/errors.js';
import type { Plan, Principal } from '../../domain/account.js';
import type { ModelCard } from '../../domain/model-card.js';
import { priceMicros, usd } from '../../domain/price.js';
import type { Video } from '../../domain/video.js';
import type { PlanRepo, UsageTotals } from '../../db/plan.repo.js';
import type { UserRepo } from '../../db/user.repo.js';
import type { VideoRepo } from '../../db/video.repo.js';

export interface QuotaRepos {
  users: UserRepo;
  plans: PlanRepo;
  videos: VideoRepo;
}

export const dayStart = (now: number) => { const d = new Date(now); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()); };
export const monthStart = (now: number) => { const d = new Date(now); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); };
export const nextDay = (now: number) => dayStart(now) + 86400_000;
export const nextMonth = (now: number) => { const d = new Date(now); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1); };

/** "in 3 h 12 min" — how long until a reset, for messages. */
export function untilWords(from: number, to: number): string {
  const min = Math.max(1, Math.ceil((to - from) / 60_000));
  if (min < 60) return `in ${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `in ${h} h ${min % 60} min`;
  return `in ${Math.round(h / 24)} days`;
}

/** "2026-11-21T00:00:00Z (in 3 h 12 min)": when a limit resets, for 429 messages. */
export function resetWords(now: number, at: number): string {
  return `${new Date(at).toISOString().replace('.000Z', 'Z')} (${untilWords(now, at)})`;
}

// Retrying cannot help until the allowance resets (hours away): tell the openai SDK not to.
export const NO_RETRY = { 'x-should-retry': 'false' };

/** The price formula under the name services/video.service.ts knows it by. */
export const costMicros = priceMicros;

/** Limits on one request, checked before anything is written: 403 plan_limit naming the limit. */
export function checkRequestAgainstPlan(plan: Plan, card: ModelCard, v: { seconds: number; width: number; height: number }): void {
  const deny = (message: string, param: string) => new ApiError(403, message, { code: 'plan_limit', param });
  if (plan.allowedModels !== null && !plan.allowedModels.includes(card.id)) {
    throw deny(`Your plan (${plan.label}) does not include the model ${card.id}. It includes: ${plan.allowedModels.join(', ') || 'no models'}.`, 'model');
  }
  if (plan.maxSeconds !== null && v.seconds > plan.maxSeconds) {
    throw deny(`Your plan (${plan.label}) allows videos of up to ${plan.maxSeconds} seconds; this one asks for ${v.seconds}.`, 'seconds');
  }
  if (plan.maxPixels !== null && v.width * v.height > plan.maxPixels) {
    throw deny(`Your plan (${plan.label}) allows frames of up to ${plan.maxPixels.toLocaleString('en')} pixels (e.g. 1280x720); ${v.width}x${v.height} is larger.`, 'size');
  }
}

/**
 * Inside the caller's transaction: refuses with 429 if the video would go over the plan's running
 * jobs, seconds per day or month, or monthly dollar budget; otherwise writes the video and its debit.
 */
/** `seconds`: what the video costs the plan; an extension pays for its new seconds only, not its source's. */
export async function admitVideo(tx: QuotaRepos, who: Principal, plan: Plan, video: Video, usdMicros: number, now: number, seconds = video.seconds): Promise<void> {
  await tx.users.lock(who.userId);
  if (plan.maxConcurrent !== null) {
    const active = (await tx.videos.listActiveIds(who.userId)).length;
    if (active >= plan.maxConcurrent) {
      throw new ApiError(429, `Your plan (${plan.label}) runs ${plan.maxConcurrent} video${plan.maxConcurrent === 1 ? '' : 's'} at a time and ${active} ${active === 1 ? 'is' : 'are'} queued or rendering. Wait for one to finish, or cancel one.`, { code: 'too_many_concurrent_jobs', type: 'rate_limit_error', headers: { 'retry-after': '10' } });
    }
  }
  const over = (window: string, used: UsageTotals, limit: number | null, resetsAt: number, unit: 'seconds') => {
    if (limit === null || used.seconds + seconds <= limit) return;
    throw new ApiError(429, `You have used ${used.seconds} of your ${limit} ${unit} of video ${window} on the ${plan.label} plan, and this video needs ${seconds}. ` +
      `The allowance resets at ${resetWords(now, resetsAt)}.`, { code: 'insufficient_quota', type: 'rate_limit_error', headers: NO_RETRY });
  };
  const today = await tx.plans.usageSince(who.userId, dayStart(now));
  over('today', today, plan.secondsPerDay, nextDay(now), 'seconds');
  const month = await tx.plans.usageSince(who.userId, monthStart(now));
  over('this month', month, plan.secondsPerMonth, nextMonth(now), 'seconds');
  if (usdMicros > 0 && plan.usdBudgetMonthMicros !== null && month.usdMicros + usdMicros > plan.usdBudgetMonthMicros) {
    throw new ApiError(429, `This video would cost ${usd(usdMicros)}; your plan (${plan.label}) has ${usd(Math.max(0, plan.usdBudgetMonthMicros - month.usdMicros))} left of its ${usd(plan.usdBudgetMonthMicros)} monthly budget for paid engines. ` +
      `It resets at ${resetWords(now, nextMonth(now))}.`, { code: 'insufficient_quota', type: 'rate_limit_error', headers: NO_RETRY });
  }
  await tx.videos.insert(video);
  await tx.plans.debit({ videoId: video.id, userId: who.userId, seconds, usdMicros, at: now });
}

export interface UsageSummary {
  plan: Plan | null;
  day: { usedSeconds: number; limitSeconds: number | null; resetsAt: number };
  month: { usedSeconds: number; limitSeconds: number | null; resetsAt: number };
  concurrent: { active: number; limit: number | null };
  usdMonth: { usedMicros: number; limitMicros: number | null };
}

export async function usageSummary(r: QuotaRepos, userId: string, plan: Plan | null, now: number): Promise<UsageSummary> {
  const [day, month, active] = await Promise.all([r.plans.usageSince(userId, dayStart(now)), r.plans.usageSince(userId, monthStart(now)), r.videos.listActiveIds(userId)]);
  return {
    plan,
    day: { usedSeconds: day.seconds, limitSeconds: plan?.secondsPerDay ?? null, resetsAt: nextDay(now) },
    month: { usedSeconds: month.seconds, limitSeconds: plan?.secondsPerMonth ?? null, resetsAt: nextMonth(now) },
    concurrent: { active: active.length, limit: plan?.maxConcurrent ?? null },
    usdMonth: { usedMicros: month.usdMicros, limitMicros: plan?.usdBudgetMonthMicros ?? null },
  };
}
