// Plans (what a user may spend) and the usage ledger (what they spent). Usage is one debit row per
// video, written in the same transaction as the video row, refunded when the video fails.
import type { Selectable } from 'kysely';
import type { Plan } from '../domain/account.js';
import type { Database } from './database.js';
import type { PlansTable } from './schema.js';

const toPlan = (r: Selectable<PlansTable>): Plan => ({
  id: r.id, label: r.label,
  secondsPerDay: r.seconds_per_day, secondsPerMonth: r.seconds_per_month, maxConcurrent: r.max_concurrent,
  maxSeconds: r.max_seconds, maxPixels: r.max_pixels === null ? null : Number(r.max_pixels),
  allowedModels: r.allowed_models === null ? null : (JSON.parse(r.allowed_models) as string[]),
  priority: r.priority, usdBudgetMonthMicros: r.usd_budget_month_micros === null ? null : Number(r.usd_budget_month_micros),
  updatedAt: Number(r.updated_at),
  watermark: r.watermark ?? null,
  maxFileBytes: r.max_file_bytes === null ? null : Number(r.max_file_bytes),
});

export interface UsageTotals {
  seconds: number;
  usdMicros: number;
}

export class PlanRepo {
  constructor(private readonly db: Database) {}

  async get(id: string): Promise<Plan | null> {
    const r = await this.db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toPlan(r) : null;
  }

  async list(): Promise<Plan[]> {
    return (await this.db.selectFrom('plans').selectAll().orderBy('priority').orderBy('id').execute()).map(toPlan);
  }

  async upsert(p: Plan): Promise<Plan> {
    const row = {
      label: p.label, seconds_per_day: p.secondsPerDay, seconds_per_month: p.secondsPerMonth, max_concurrent: p.maxConcurrent,
      max_seconds: p.maxSeconds, max_pixels: p.maxPixels, allowed_models: p.allowedModels === null ? null : JSON.stringify(p.allowedModels),
      priority: p.priority, usd_budget_month_micros: p.usdBudgetMonthMicros, updated_at: p.updatedAt,
      watermark: p.watermark ?? null, max_file_bytes: p.maxFileBytes ?? null,
    };
    await this.db.insertInto('plans').values({ id: p.id, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    return (await this.get(p.id))!;
  }

  async debit(d: { videoId: string; userId: string; seconds: number; usdMicros: number; at: number }): Promise<void> {
    await this.db.insertInto('usage_debits').values({ video_id: d.videoId, user_id: d.userId, seconds: d.seconds, usd_micros: d.usdMicros, created_at: d.at, refunded_at: null }).execute();
  }

  /** What a user has spent since `since` (ms), refunds excluded. */
  async usageSince(userId: string, since: number): Promise<UsageTotals> {
    const r = await this.db.selectFrom('usage_debits')
      .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('seconds'), eb.val(0)).as('seconds'), eb.fn.coalesce(eb.fn.sum<number>('usd_micros'), eb.val(0)).as('usd')])
      .where('user_id', '=', userId).where('created_at', '>=', since).where('refunded_at', 'is', null)
      .executeTakeFirst();
    return { seconds: Number(r?.seconds ?? 0), usdMicros: Number(r?.usd ?? 0) };
  }

  async refund(videoId: string, at: number): Promise<void> {
    await this.db.updateTable('usage_debits').set({ refunded_at: at }).where('video_id', '=', videoId).where('refunded_at', 'is', null).execute();
  }
}
