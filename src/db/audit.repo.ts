// The audit log: append-only. This repository can add and read events, nothing else — there is no
// update or delete, so no code path can rewrite history.
import type { Selectable } from 'kysely';
import type { AuditEvent } from '../domain/account.js';
import type { Database } from './database.js';
import type { AuditEventsTable } from './schema.js';

/** An event with the emails of its actor and, for a user target, of that user (null when unknown). */
export interface AuditEventView extends AuditEvent {
  actorEmail: string | null;
  targetEmail: string | null;
}

type ViewRow = Selectable<AuditEventsTable> & { actor_email: string | null; target_email: string | null };

const toEvent = (r: ViewRow): AuditEventView => ({
  id: r.id, at: Number(r.at), actorUserId: r.actor_user_id, actorKeyId: r.actor_key_id, action: r.action, targetType: r.target_type,
  targetId: r.target_id, details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>), ip: r.ip,
  actorEmail: r.actor_email ?? null, targetEmail: r.target_email ?? null,
});

export class AuditRepo {
  constructor(private readonly db: Database) {}

  async append(e: AuditEvent): Promise<void> {
    await this.db.insertInto('audit_events').values({
      id: e.id, at: e.at, actor_user_id: e.actorUserId, actor_key_id: e.actorKeyId, action: e.action, target_type: e.targetType,
      target_id: e.targetId, details: e.details === null ? null : JSON.stringify(e.details), ip: e.ip,
    }).execute();
  }

  /** Events joined to the users they name, so the log reads with emails next to ids. */
  private view() {
    return this.db.selectFrom('audit_events as e')
      .leftJoin('users as actor', 'actor.id', 'e.actor_user_id')
      .leftJoin('users as target', (j) => j.onRef('target.id', '=', 'e.target_id').on('e.target_type', '=', 'user'))
      .selectAll('e')
      .select(['actor.email as actor_email', 'target.email as target_email']);
  }

  /** Newest first; ids sort by time, so `after` is a plain cursor. */
  async list(opts: { after?: string; limit: number }): Promise<{ data: AuditEventView[]; hasMore: boolean }> {
    let q = this.view();
    if (opts.after) q = q.where('e.id', '<', opts.after);
    const rows = await q.orderBy('e.id', 'desc').limit(opts.limit + 1).execute();
    return { data: rows.slice(0, opts.limit).map(toEvent), hasMore: rows.length > opts.limit };
  }

  /** Every event, oldest first, a page at a time (for the JSONL export). */
  async *all(pageSize = 500): AsyncGenerator<AuditEventView> {
    let after = '';
    for (;;) {
      const rows = await this.view().where('e.id', '>', after).orderBy('e.id').limit(pageSize).execute();
      for (const r of rows) yield toEvent(r);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.id;
    }
  }
}
