// The SQLite change watch on a real migrated database: which statements change its version. SQLite
// only, by design: PostgreSQL deployments get no watch (db/change-watch.ts says why), which the
// principal-cache suite checks on PostgreSQL (test/security/principal-cache.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteChangeWatch } from './change-watch.js';
import { openSqlite, type Database } from './database.js';
import { migrateToLatest } from './migrator.js';

describe('SqliteChangeWatch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'melies-watch-'));
  const watch = new SqliteChangeWatch({ users: {}, api_keys: { ignoreUpdatesOf: ['last_used_at'] } });
  let db: Database;
  let other: Database;
  const user = { id: 'usr_1', email: 'a@example.org', password_hash: null, role: 'member', plan_id: 'free', status: 'active', created_at: 1, updated_at: 1 };

  beforeAll(async () => {
    db = await openSqlite(join(dir, 'w.db'), { watch });
    await migrateToLatest(db);
    other = await openSqlite(join(dir, 'w.db'));
  });
  afterAll(async () => {
    await db.destroy();
    await other.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Whether running `step` changed the version. */
  const changes = async (step: () => Promise<unknown>) => {
    const before = watch.version();
    await step();
    return watch.version() !== before;
  };

  it('changes on every write to a watched table, by this connection or another', async () => {
    expect(await changes(() => db.insertInto('users').values(user as never).execute())).toBe(true);
    expect(await changes(() => db.updateTable('users').set({ role: 'admin' }).where('id', '=', 'usr_1').execute())).toBe(true);
    expect(await changes(() => db.insertInto('api_keys').values({ id: 'key_1', user_id: 'usr_1', name: 'k', prefix: 'mls_x', hash: 'h', scopes: '[]', created_at: 1, expires_at: null, last_used_at: null, revoked_at: null } as never).execute())).toBe(true);
    expect(await changes(() => db.updateTable('api_keys').set({ revoked_at: 2, last_used_at: 2 }).where('id', '=', 'key_1').execute())).toBe(true);
    expect(await changes(() => db.transaction().execute((trx) => trx.updateTable('users').set({ role: 'member' }).where('id', '=', 'usr_1').execute()))).toBe(true);
    expect(await changes(() => sql`update videos set progress = progress where 0`.execute(db))).toBe(true); // raw SQL: unknown, so counted
    expect(await changes(() => other.updateTable('plans').set({ label: 'Free of charge' }).where('id', '=', 'free').execute())).toBe(true); // any commit elsewhere
    expect(await changes(() => db.deleteFrom('api_keys').where('id', '=', 'key_1').execute())).toBe(true);
  });

  it('stays the same for reads, writes to other tables, and last-used times', async () => {
    expect(await changes(() => db.selectFrom('users').selectAll().execute())).toBe(false);
    expect(await changes(() => db.updateTable('plans').set({ label: 'Free' }).where('id', '=', 'free').execute())).toBe(false);
    expect(await changes(() => db.deleteFrom('sessions').where('id', '=', 'none').execute())).toBe(false);
    await db.insertInto('api_keys').values({ id: 'key_2', user_id: 'usr_1', name: 'k', prefix: 'mls_y', hash: 'h2', scopes: '[]', created_at: 1, expires_at: null, last_used_at: null, revoked_at: null } as never).execute();
    expect(await changes(() => db.updateTable('api_keys').set({ last_used_at: 5 }).where('id', '=', 'key_2').execute())).toBe(false);
    expect(await changes(() => other.selectFrom('users').selectAll().execute())).toBe(false);
    expect(await changes(() => sql`select 1`.execute(db))).toBe(false); // the readiness check
  });
});
