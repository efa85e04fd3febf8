// Operator pauses: one engine, or '*' for all generation, each with a message users see.
import type { Database } from './database.js';

export interface Pause {
  engine: string;
  message: string;
  createdBy: string | null;
  createdAt: number;
}

export class PauseRepo {
  constructor(private readonly db: Database) {}

  async set(p: Pause): Promise<void> {
    const row = { message: p.message, created_by: p.createdBy, created_at: p.createdAt };
    await this.db.insertInto('generation_pauses').values({ engine: p.engine, ...row }).onConflict((oc) => oc.column('engine').doUpdateSet(row)).execute();
  }

  async clear(engine: string): Promise<boolean> {
    const res = await this.db.deleteFrom('generation_pauses').where('engine', '=', engine).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async list(): Promise<Pause[]> {
    const rows = await this.db.selectFrom('generation_pauses').selectAll().orderBy('engine').execute();
    return rows.map((r) => ({ engine: r.engine, message: r.message, createdBy: r.created_by, createdAt: Number(r.created_at) }));
  }

  /** The pause that stops this engine ('*' first), or null. */
  async forEngine(engine: string): Promise<Pause | null> {
    const all = await this.db.selectFrom('generation_pauses').selectAll().where('engine', 'in', ['*', engine]).execute();
    const r = all.find((x) => x.engine === '*') ?? all[0];
    return r ? { engine: r.engine, message: r.message, createdBy: r.created_by, createdAt: Number(r.created_at) } : null;
  }
}
