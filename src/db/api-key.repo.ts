// API keys: only the SHA-256 of the secret is stored (keys are 32 random bytes, so a fast hash is
// enough), with a display prefix. Every request looks its key up here — no cache — so a
// revocation takes effect on the very next request.
import type { Selectable } from 'kysely';
import type { ApiKeyRecord, Scope } from '../domain/account.js';
import type { Database } from './database.js';
import type { ApiKeysTable } from './schema.js';

const toKey = (r: Selectable<ApiKeysTable>): ApiKeyRecord => ({
  id: r.id, userId: r.user_id, name: r.name, prefix: r.prefix, scopes: JSON.parse(r.scopes) as Scope[],
  createdAt: Number(r.created_at), expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at), revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

export class ApiKeyRepo {
  constructor(private readonly db: Database, private readonly now: () => number = Date.now) {}

  async insert(key: ApiKeyRecord, hash: string): Promise<void> {
    await this.db.insertInto('api_keys').values({
      id: key.id, user_id: key.userId, name: key.name, prefix: key.prefix, hash, scopes: JSON.stringify(key.scopes),
      created_at: key.createdAt, expires_at: key.expiresAt, last_used_at: null, revoked_at: null,
    }).execute();
  }

  async getByHash(hash: string): Promise<ApiKeyRecord | null> {
    const r = await this.db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
    return r ? toKey(r) : null;
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const r = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toKey(r) : null;
  }

  async listForUser(userId: string): Promise<ApiKeyRecord[]> {
    return (await this.db.selectFrom('api_keys').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute()).map(toKey);
  }

  async revoke(id: string): Promise<ApiKeyRecord | null> {
    await this.db.updateTable('api_keys').set({ revoked_at: this.now() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    return this.get(id);
  }

  /** Revokes every live key of a user (suspension): they stay dead when the account comes back. */
  async revokeAllOf(userId: string): Promise<number> {
    const r = await this.db.updateTable('api_keys').set({ revoked_at: this.now() }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Last-used time, written at most once a minute per key so busy keys do not write on every call. */
  async touch(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at - 60_000)])).execute();
  }
}
