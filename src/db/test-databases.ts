// Test helper: the databases every repository and queue suite runs on. SQLite always; PostgreSQL
// when DATABASE_URL is set or a server answers on 127.0.0.1:5432 (required when CI=true, so a
// missing server fails loudly instead of silently skipping half the suite). Each PostgreSQL test
// database is a fresh schema, dropped on close.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openPostgres, openSqlite, type Database } from './database.js';
import { dropSchema, migrateToLatest } from './migrator.js';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** A fresh database, migrated unless `migrate: false`; `schema` is PostgreSQL's throwaway schema. */
  open(opts?: { migrate?: boolean }): Promise<{ db: Database; schema?: string; close(): Promise<void> }>;
}

const PG_URL = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : 'postgres://postgres@127.0.0.1:5432/test';

async function postgresAnswers(): Promise<boolean> {
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: PG_URL, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async open(opts = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'melies-db-'));
    const db = await openSqlite(join(dir, 'test.db'));
    if (opts.migrate !== false) await migrateToLatest(db);
    return { db, close: async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); } };
  },
};

const postgres: TestDatabase = {
  name: 'postgres',
  async open(opts = {}) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = await openPostgres(PG_URL, { max: 1 });
    await sql`create schema ${sql.id(schema)}`.execute(admin);
    const db = await openPostgres(PG_URL, { searchPath: schema, max: 5 });
    if (opts.migrate !== false) await migrateToLatest(db, { schema });
    return {
      db,
      schema,
      close: async () => {
        await db.destroy();
        await dropSchema(admin, schema);
        await admin.destroy();
      },
    };
  },
};

export const postgresUrl = PG_URL;

export async function testDatabases(): Promise<TestDatabase[]> {
  if (await postgresAnswers()) return [sqlite, postgres];
  if (process.env.CI === 'true') throw new Error(`CI=true but PostgreSQL does not answer at ${PG_URL}`);
  return [sqlite];
}
