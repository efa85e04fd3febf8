// The audit log: append-only. This repository can add and read events, nothing else — there is no
// update or delete, so no code path can rewrite history.
import type { Selectable } from 'kysely';
import type { AuditEvent } from '../domain/account.js';
import type { Database } from './database.js';
import type { AuditEventsTable } from './schema.js';

const toEvent = (r: Selectable<AuditEventsTable>): AuditEvent => ({
  id: r.id, at: Number(r.at), actorUserId: r.actor_user_id, actorKeyId: r.actor_key_id, action: r.action, targetType: r.target_type,
  targetId: r.target_id, details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>), ip: r.ip,
});

export class AuditRepo {
  constructor(private readonly db: Database) {}

  async append(e: AuditEvent): Promise<void> {
    await this.db.insertInto('audit_events').values({
      id: e.id, at: e.at, actor_user_id: e.actorUserId, actor_key_id: e.actorKeyId, action: e.action, target_type: e.targetType,
      target_id: e.targetId, details: e.details === null ? null : JSON.stringify(e.details), ip: e.ip,
    }).execute();
  }

  /** Newest first; ids sort by time, so `after` is a plain cursor. */
  async list(opts: { after?: string; limit: number }): Promise<{ data: AuditEvent[]; hasMore: boolean }> {
    let q = this.db.selectFrom('audit_events').selectAll();
    if (opts.after) q = q.where('id', '<', opts.after);
    const rows = await q.orderBy('id', 'desc').limit(opts.limit + 1).execute();
    return { data: rows.slice(0, opts.limit).map(toEvent), hasMore: rows.length > opts.limit };
  }

  /** Every event, oldest first, a page at a time (for the JSONL export). */
  async *all(pageSize = 500): AsyncGenerator<AuditEvent> {
    let after = '';
    for (;;) {
      const rows = await this.db.selectFrom('audit_events').selectAll().where('id', '>', after).orderBy('id').limit(pageSize).execute();
      for (const r of rows) yield toEvent(r);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.id;
    }
  }
}
