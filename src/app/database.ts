// Opening the app's database from DATABASE_URL: a SQLite file in the data directory by default,
// PostgreSQL (optionally in its own schema) when the URL says so. On SQLite, the one process that
// owns the file can know every change to the account tables (db/change-watch.ts): `changes` is
// given then, and the principal cache is built on it; PostgreSQL gets none (other processes).
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../config/config.js';
import { SqliteChangeWatch, type ChangeWatch } from '../db/change-watch.js';
import { openPostgres, openSqlite, type Database } from '../db/database.js';
import { PRINCIPAL_TABLES } from '../services/accounts/principal-cache.js';

export async function openDatabase(config: Config): Promise<{ db: Database; schema?: string; changes?: ChangeWatch }> {
  const url = config.databaseUrl;
  if (url?.startsWith('postgres')) {
    // `?schema=name` keeps Méliès in its own PostgreSQL schema (created if missing), e.g. beside
    // other apps in one database, or one throwaway schema per test server.
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? undefined;
    if (!schema) return { db: await openPostgres(url, { max: config.databasePoolSize }) };
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`DATABASE_URL: schema '${schema}' must be a lower-case SQL identifier`);
    parsed.searchParams.delete('schema');
    const setup = await openPostgres(parsed.toString(), { max: 1 });
    try { await sql`create schema if not exists ${sql.id(schema)}`.execute(setup); } finally { await setup.destroy(); }
    return { db: await openPostgres(parsed.toString(), { searchPath: schema, max: config.databasePoolSize }), schema };
  }
  const file = url?.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\//, '') : join(config.dataDir, 'melies.db');
  const changes = new SqliteChangeWatch(PRINCIPAL_TABLES);
  return { db: await openSqlite(file, { watch: changes }), changes };
}
