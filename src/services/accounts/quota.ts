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

/** How much of a batch the plan's allowance takes now, in order: the first `fits` of `total` videos. */
export interface BatchFit {
  fits: number;
  total: number;
  /** Why the rest do not fit ("37 of 50 videos fit your plan today: …"), null when all do. */
  reason: string | null;
  /** The 429 code a refusal carries. */
  code: 'insufficient_quota' | 'too_many_concurrent_jobs' | null;
}

/**
 * Walks the batch in order against what is left today, this month and of the dollar budget. A
 * prefix, not the best subset: "the first 37 rows" is something a person can check and act on.
 * A batch is admitted as one job against the plan's concurrent jobs: it needs one free slot, then
 * all its videos are queued at once and take turns with everyone else's (the queue's fairness).
 */
export async function fitBatch(r: QuotaRepos, userId: string, plan: Plan, items: Array<{ seconds: number; usdMicros: number }>, now: number): Promise<BatchFit> {
  const total = items.length;
  if (plan.maxConcurrent !== null) {
    const active = (await r.videos.listActiveIds(userId)).length;
    if (active >= plan.maxConcurrent) {
      return { fits: 0, total, code: 'too_many_concurrent_jobs', reason: `Your plan (${plan.label}) runs ${plan.maxConcurrent} job${plan.maxConcurrent === 1 ? '' : 's'} at a time (a batch counts as one) and ${active} video${active === 1 ? ' is' : 's are'} queued or rendering. Wait for ${active === 1 ? 'it' : 'them'} to finish, or cancel ${active === 1 ? 'it' : 'them'}.` };
    }
  }
  const [today, month] = await Promise.all([r.plans.usageSince(userId, dayStart(now)), r.plans.usageSince(userId, monthStart(now))]);
  const left = {
    day: plan.secondsPerDay === null ? Infinity : plan.secondsPerDay - today.seconds,
    month: plan.secondsPerMonth === null ? Infinity : plan.secondsPerMonth - month.seconds,
    usd: plan.usdBudgetMonthMicros === null ? Infinity : plan.usdBudgetMonthMicros - month.usdMicros,
  };
  const startLeft = { ...left };
  let fits = 0;
  let stop: 'day' | 'month' | 'usd' | null = null;
  for (const it of items) {
    stop = it.seconds > left.day ? 'day' : it.seconds > left.month ? 'month' : it.usdMicros > 0 && it.usdMicros > left.usd ? 'usd' : null;
    if (stop) break;
    left.day -= it.seconds;
    left.month -= it.seconds;
    left.usd -= it.usdMicros;
    fits++;
  }
  if (!stop) return { fits, total, reason: null, code: null };
  const need = items.reduce((s, i) => s + i.seconds, 0);
  const head = `${fits} of ${total} videos fit your plan`;
  const reason = stop === 'usd'
    ? `${head}'s monthly budget for paid engines: ${usd(Math.max(0, startLeft.usd))} is left of ${usd(plan.usdBudgetMonthMicros!)} on the ${plan.label} plan, and the whole batch would cost ${usd(items.reduce((s, i) => s + i.usdMicros, 0))}. The budget resets at ${resetWords(now, nextMonth(now))}.`
    : `${head} ${stop === 'day' ? 'today' : 'this month'}: ${Math.max(0, stop === 'day' ? startLeft.day : startLeft.month)} of your ${stop === 'day' ? plan.secondsPerDay : plan.secondsPerMonth} seconds of video are left ${stop === 'day' ? 'today' : 'this month'} on the ${plan.label} plan, and the whole batch needs ${need}. The allowance resets at ${resetWords(now, stop === 'day' ? nextDay(now) : nextMonth(now))}.`;
  return { fits, total, reason, code: 'insufficient_quota' };
}

/**
 * Inside the caller's transaction, under the user's lock: the batch's videos and their debits are
 * written together, or none. All must fit unless `allowPartial`, which takes the first ones that do
 * (at least one). Returns how many were written.
 */
export async function admitBatch(tx: QuotaRepos, who: Principal, plan: Plan, items: Array<{ video: Video; usdMicros: number }>, now: number, opts: { allowPartial: boolean }): Promise<number> {
  await tx.users.lock(who.userId);
  const fit = await fitBatch(tx, who.userId, plan, items.map((i) => ({ seconds: i.video.seconds, usdMicros: i.usdMicros })), now);
  if (fit.reason && (fit.fits === 0 || !opts.allowPartial)) {
    const hint = fit.fits > 0 ? ` Nothing was created: send the first ${fit.fits}, or send the batch again with allow_partial to start those ${fit.fits} and skip the rest.` : ' Nothing was created.';
    throw new ApiError(429, `${fit.reason}${hint}`, {
      code: fit.code, type: 'rate_limit_error', headers: fit.code === 'too_many_concurrent_jobs' ? { 'retry-after': '10' } : NO_RETRY,
    });
  }
  for (const { video, usdMicros } of items.slice(0, fit.fits)) {
    await tx.videos.insert(video);
    await tx.plans.debit({ videoId: video.id, userId: who.userId, seconds: video.seconds, usdMicros, at: now });
  }
  return fit.fits;
}

export interface UsageSummary {
  plan: Plan | null;
  day: { usedSeconds: number; limitSeconds: number | null; resetsAt: number };
  month: { usedSeconds: number; limitSeconds: number | null; resetsAt: number };
  concurrent: { active: number; limit: number | null };
  usdMonth: { usedMicros: number; limitMicros: number | null };
  /** Bytes of uploaded files kept, against the plan's cap (filled in by AdminService). */
  files?: { usedBytes: number; limitBytes: number | null };
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

/** "7.2 MB", "1.5 GB" (decimal, as people read sizes). */
export function sizeWords(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} MB`;
  return `${Math.max(1, Math.ceil(n / 1e3))} KB`;
}

/**
 * Uploaded files count against the plan's `maxFileBytes` (null or absent = unlimited). Called with
 * the bytes already kept (read under the user's lock); the refusal is a 429 like every other
 * allowance, which retrying cannot help until files are deleted.
 */
export function checkFileStorage(plan: Plan, usedBytes: number, newBytes: number): void {
  const cap = plan.maxFileBytes ?? null;
  if (cap === null || usedBytes + newBytes <= cap) return;
  throw new ApiError(429, `Your plan (${plan.label}) keeps up to ${sizeWords(cap)} of files; ${usedBytes > 0 ? `you keep ${sizeWords(usedBytes)}` : 'you keep none yet'}, and this file is ${sizeWords(newBytes)}. ` +
    'Delete files you no longer need (DELETE /v1/files/{file_id}) and upload it again.', { code: 'insufficient_quota', type: 'rate_limit_error', param: 'file', headers: NO_RETRY });
}
