// The people side of sharing (issue 14): public profiles (handles), reports of public videos,
// notifications to authors, and operator settings changed at run time.
import type { Selectable } from 'kysely';
import type { Profile } from '../domain/sharing.js';
import type { Database } from './database.js';
import type { NotificationsTable, ReportsTable } from './schema.js';

export type ReportStatus = 'open' | 'dismissed' | 'actioned';
export interface Report { id: string; videoId: string; reporterId: string; reason: string; status: ReportStatus; createdAt: number; resolvedBy: string | null; resolvedAt: number | null }

export type NotificationKind = 'video.remixed' | 'publication.approved' | 'publication.rejected' | 'publication.taken_down';
export interface Notification { id: string; userId: string; kind: NotificationKind; videoId: string | null; actorId: string | null; message: string; createdAt: number; readAt: number | null }

const toReport = (r: Selectable<ReportsTable>): Report => ({
  id: r.id, videoId: r.video_id, reporterId: r.reporter_id, reason: r.reason, status: r.status as ReportStatus, createdAt: Number(r.created_at),
  resolvedBy: r.resolved_by, resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
});

const toNotification = (r: Selectable<NotificationsTable>): Notification => ({
  id: r.id, userId: r.user_id, kind: r.kind as NotificationKind, videoId: r.video_id, actorId: r.actor_id, message: r.message,
  createdAt: Number(r.created_at), readAt: r.read_at === null ? null : Number(r.read_at),
});

export class ProfileRepo {
  constructor(private readonly db: Database) {}

  async get(userId: string): Promise<Profile | null> {
    const r = await this.db.selectFrom('profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return r ? { userId: r.user_id, handle: r.handle, displayName: r.display_name } : null;
  }

  async getByHandle(handle: string): Promise<Profile | null> {
    const r = await this.db.selectFrom('profiles').selectAll().where('handle', '=', handle).executeTakeFirst();
    return r ? { userId: r.user_id, handle: r.handle, displayName: r.display_name } : null;
  }

  async many(userIds: string[]): Promise<Map<string, Profile>> {
    const ids = [...new Set(userIds)];
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('profiles').selectAll().where('user_id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.user_id, { userId: r.user_id, handle: r.handle, displayName: r.display_name }]));
  }

  /** False when the handle is taken by someone else (the unique index decides, not a read before). */
  async save(p: Profile, now: number): Promise<boolean> {
    try {
      await this.db.insertInto('profiles').values({ user_id: p.userId, handle: p.handle, display_name: p.displayName, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ handle: p.handle, display_name: p.displayName, updated_at: now })).execute();
      return true;
    } catch (err) {
      if (/unique|duplicate/i.test(String((err as Error).message))) return false;
      throw err;
    }
  }
}

export class ReportRepo {
  constructor(private readonly db: Database) {}

  async insert(r: Report): Promise<void> {
    await this.db.insertInto('reports').values({
      id: r.id, video_id: r.videoId, reporter_id: r.reporterId, reason: r.reason, status: r.status, created_at: r.createdAt, resolved_by: null, resolved_at: null,
    }).execute();
  }

  async get(id: string): Promise<Report | null> {
    const r = await this.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toReport(r) : null;
  }

  async list(status: ReportStatus, limit = 200): Promise<Report[]> {
    return (await this.db.selectFrom('reports').selectAll().where('status', '=', status).orderBy('created_at', 'asc').limit(limit).execute()).map(toReport);
  }

  async countOpenBy(reporterId: string, videoId: string): Promise<number> {
    const r = await this.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('reporter_id', '=', reporterId).where('video_id', '=', videoId).where('status', '=', 'open').executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Closes one report, or every open report of a video (a takedown answers them all). */
  async resolve(where: { id: string } | { videoId: string }, status: Exclude<ReportStatus, 'open'>, by: string, now: number): Promise<number> {
    let q = this.db.updateTable('reports').set({ status, resolved_by: by, resolved_at: now }).where('status', '=', 'open');
    q = 'id' in where ? q.where('id', '=', where.id) : q.where('video_id', '=', where.videoId);
    return Number((await q.executeTakeFirst()).numUpdatedRows);
  }
}

export class NotificationRepo {
  constructor(private readonly db: Database) {}

  async insert(n: Notification): Promise<void> {
    await this.db.insertInto('notifications').values({
      id: n.id, user_id: n.userId, kind: n.kind, video_id: n.videoId, actor_id: n.actorId, message: n.message, created_at: n.createdAt, read_at: null,
    }).execute();
  }

  async list(userId: string, limit = 50): Promise<{ data: Notification[]; unread: number }> {
    const rows = await this.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    const unread = await this.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
    return { data: rows.map(toNotification), unread: Number(unread?.n ?? 0) };
  }

  async exists(userId: string, kind: NotificationKind, videoId: string): Promise<boolean> {
    return Boolean(await this.db.selectFrom('notifications').select('id').where('user_id', '=', userId).where('kind', '=', kind).where('video_id', '=', videoId).executeTakeFirst());
  }

  async markRead(userId: string, ids: string[] | null, now: number): Promise<void> {
    let q = this.db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null);
    if (ids) {
      if (!ids.length) return;
      q = q.where('id', 'in', ids);
    }
    await q.execute();
  }
}

export class SettingsRepo {
  constructor(private readonly db: Database) {}

  async get(name: string): Promise<string | null> {
    return (await this.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst())?.value ?? null;
  }

  async set(name: string, value: string, now: number): Promise<void> {
    await this.db.insertInto('settings').values({ name, value, updated_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: now })).execute();
  }
}
