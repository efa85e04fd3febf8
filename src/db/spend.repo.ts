// The spend ledger behind per-provider daily USD caps. A video that will cost money reserves its
// card price on one engine's UTC day before anything is sent; the reservation moves if a fallback
// makes the video, and is released if it never reached the provider or the provider failed it.
//
//   reserved ──submitted──▶ submitted ──settle──▶ charged
//      └────────┴──release──▶ released
//
// The cap check is one conditional UPDATE of the (engine, day) total, so concurrent reservations on
// SQLite or PostgreSQL can never add up past the cap.
import type { Database } from './database.js';

export interface SpendReservation {
  videoId: string;
  engine: string;
  model: string;
  usdMicros: number;
  /** Null: no cap, but the spend is still counted (for status and later caps). */
  capMicros: number | null;
  now: number;
}

export type ReserveResult =
  | { ok: true }
  | { ok: false; spentMicros: number; capMicros: number; day: string };

export interface SpendEntry {
  videoId: string;
  engine: string;
  model: string;
  day: string;
  usdMicros: number;
  state: 'reserved' | 'submitted' | 'charged' | 'released';
}

/** The UTC calendar day a timestamp falls on, as the ledger keys it. */
export function spendDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

class OverCap extends Error {
  constructor(readonly spentMicros: number, readonly capMicros: number) { super('over cap'); }
}

export class SpendRepo {
  constructor(private readonly db: Database) {}

  /** Idempotent per video: reserving again on the engine it already holds changes nothing. */
  async reserve(r: SpendReservation): Promise<ReserveResult> {
    try {
      await this.inTransaction(async (db) => {
        // Takes the video's ledger row first (a placeholder if it has none; a no-op update if it
        // has): another worker reserving the same video at the same moment waits here until this
        // transaction ends, then sees its result, so a video is never counted twice. The placeholder
        // ('released', $0) is overwritten below, or rolled back with the transaction.
        await db.insertInto('spend_ledger')
          .values({ video_id: r.videoId, engine: r.engine, model: r.model, day: spendDay(r.now), usd_micros: 0, state: 'released', created_at: r.now, updated_at: r.now })
          .onConflict((oc) => oc.column('video_id').doUpdateSet((eb) => ({ updated_at: eb.ref('spend_ledger.updated_at') }))).execute();
        const existing = await db.selectFrom('spend_ledger').selectAll().where('video_id', '=', r.videoId).executeTakeFirst();
        if (existing && existing.state !== 'released') {
          if (existing.engine === r.engine && existing.model === r.model) return;
          // Moving to another engine (a fallback): give the old day its money back first; if the new
          // reservation fails, the transaction puts it back.
          await db.updateTable('spend_days').set((eb) => ({ usd_micros: eb('usd_micros', '-', Number(existing.usd_micros)) }))
            .where('engine', '=', existing.engine).where('day', '=', existing.day).execute();
        }
        const day = spendDay(r.now);
        await db.insertInto('spend_days').values({ engine: r.engine, day, usd_micros: 0 }).onConflict((oc) => oc.columns(['engine', 'day']).doNothing()).execute();
        let q = db.updateTable('spend_days').set((eb) => ({ usd_micros: eb('usd_micros', '+', r.usdMicros) }))
          .where('engine', '=', r.engine).where('day', '=', day);
        if (r.capMicros !== null) q = q.where((eb) => eb(eb('usd_micros', '+', r.usdMicros), '<=', r.capMicros!));
        const res = await q.executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) {
          const row = await db.selectFrom('spend_days').select('usd_micros').where('engine', '=', r.engine).where('day', '=', day).executeTakeFirst();
          throw new OverCap(Number(row?.usd_micros ?? 0), r.capMicros!);
        }
        const values = { engine: r.engine, model: r.model, day, usd_micros: r.usdMicros, state: 'reserved', updated_at: r.now };
        await db.insertInto('spend_ledger').values({ video_id: r.videoId, created_at: r.now, ...values })
          .onConflict((oc) => oc.column('video_id').doUpdateSet(values)).execute();
      });
      return { ok: true };
    } catch (err) {
      if (err instanceof OverCap) return { ok: false, spentMicros: err.spentMicros, capMicros: err.capMicros, day: spendDay(r.now) };
      throw err;
    }
  }

  async markSubmitted(videoId: string, now: number): Promise<void> {
    await this.db.updateTable('spend_ledger').set({ state: 'submitted', updated_at: now })
      .where('video_id', '=', videoId).where('state', '=', 'reserved').execute();
  }

  async settle(videoId: string, now: number): Promise<void> {
    await this.db.updateTable('spend_ledger').set({ state: 'charged', updated_at: now })
      .where('video_id', '=', videoId).where('state', 'in', ['reserved', 'submitted']).execute();
  }

  /**
   * Gives the money back to the day it was counted on. `submitted` too when the provider failed the
   * job (they do not bill failures); a user's cancel of a submitted job keeps it (it may be billed).
   */
  async release(videoId: string, opts: { includeSubmitted: boolean; now: number }): Promise<boolean> {
    const states = opts.includeSubmitted ? ['reserved', 'submitted'] : ['reserved'];
    return this.inTransaction(async (db) => {
      const entry = await db.selectFrom('spend_ledger').selectAll().where('video_id', '=', videoId).where('state', 'in', states).executeTakeFirst();
      if (!entry) return false;
      const res = await db.updateTable('spend_ledger').set({ state: 'released', updated_at: opts.now })
        .where('video_id', '=', videoId).where('state', '=', entry.state).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) return false;
      await db.updateTable('spend_days').set((eb) => ({ usd_micros: eb('usd_micros', '-', Number(entry.usd_micros)) }))
        .where('engine', '=', entry.engine).where('day', '=', entry.day).execute();
      return true;
    });
  }

  async entry(videoId: string): Promise<SpendEntry | null> {
    const r = await this.db.selectFrom('spend_ledger').selectAll().where('video_id', '=', videoId).executeTakeFirst();
    return r ? { videoId: r.video_id, engine: r.engine, model: r.model, day: r.day, usdMicros: Number(r.usd_micros), state: r.state as SpendEntry['state'] } : null;
  }

  /** What an engine has spent (reserved, submitted or charged) on the UTC day of `now`. */
  async spentOn(engine: string, now: number): Promise<number> {
    const row = await this.db.selectFrom('spend_days').select('usd_micros').where('engine', '=', engine).where('day', '=', spendDay(now)).executeTakeFirst();
    return Number(row?.usd_micros ?? 0);
  }

  private async inTransaction<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this.db);
    return this.db.transaction().execute((trx) => fn(trx));
  }
}
