// Web sessions. The cookie carries a random token; only its SHA-256 is stored (the row id), so a
// database leak does not hand out live sessions. `public_id` names a session in lists.
import type { Database } from './database.js';

export interface SessionRow {
  id: string;
  publicId: string;
  userId: string;
  csrfToken: string;
  userAgent: string | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export class SessionRepo {
  constructor(private readonly db: Database, private readonly now: () => number = Date.now) {}

  async insert(s: SessionRow): Promise<void> {
    await this.db.insertInto('sessions').values({
      id: s.id, public_id: s.publicId, user_id: s.userId, csrf_token: s.csrfToken, user_agent: s.userAgent,
      created_at: s.createdAt, last_seen_at: s.lastSeenAt, expires_at: s.expiresAt,
    }).execute();
  }

  /** The live session with this id, or null (expired ones count as gone). */
  async get(id: string): Promise<SessionRow | null> {
    const r = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).where('expires_at', '>', this.now()).executeTakeFirst();
    return r ? { id: r.id, publicId: r.public_id, userId: r.user_id, csrfToken: r.csrf_token, userAgent: r.user_agent, createdAt: Number(r.created_at), lastSeenAt: Number(r.last_seen_at), expiresAt: Number(r.expires_at) } : null;
  }

  async listForUser(userId: string): Promise<SessionRow[]> {
    const rows = await this.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where('expires_at', '>', this.now()).orderBy('last_seen_at', 'desc').execute();
    return rows.map((r) => ({ id: r.id, publicId: r.public_id, userId: r.user_id, csrfToken: r.csrf_token, userAgent: r.user_agent, createdAt: Number(r.created_at), lastSeenAt: Number(r.last_seen_at), expiresAt: Number(r.expires_at) }));
  }

  async touch(id: string, at: number): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteForUser(userId: string): Promise<number> {
    const res = await this.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
