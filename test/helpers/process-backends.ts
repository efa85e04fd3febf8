// Where a `melies` child process keeps its state, on SQLite or PostgreSQL: a throwaway data
// directory, and for PostgreSQL a throwaway schema the child reaches through DATABASE_URL. Tests
// that kill the child read what it left through Kysely on the same database, then dispose of both.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres, openSqlite, type Database } from '../../src/db/database.js';
import { postgresUrl, testDatabases } from '../../src/db/test-databases.js';
import { dropSchema } from '../../src/db/migrator.js';

export type BackendName = 'sqlite' | 'postgres';

export interface ProcessBackend {
  name: BackendName;
  dataDir: string;
  /** For the child's environment: DATABASE_URL on PostgreSQL, nothing on SQLite (its file is in dataDir). */
  env: Record<string, string>;
  /** A connection to the database the child uses (close it with destroy()). */
  open(): Promise<Database>;
  /** Drops the schema and removes the data directory. */
  dispose(): Promise<void>;
}

export async function processBackends(): Promise<BackendName[]> {
  return (await testDatabases()).map((t) => t.name);
}

export function processBackend(name: BackendName, prefix = 'melies-proc-'): ProcessBackend {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  if (name === 'sqlite') {
    return {
      name, dataDir, env: {},
      open: () => openSqlite(join(dataDir, 'melies.db')),
      async dispose() { rmSync(dataDir, { recursive: true, force: true }); },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    name, dataDir, env: { DATABASE_URL: `${postgresUrl}?schema=${schema}` },
    open: () => openPostgres(postgresUrl, { searchPath: schema, max: 1 }),
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      const admin = await openPostgres(postgresUrl, { max: 1 });
      try { await dropSchema(admin, schema); } finally { await admin.destroy(); }
    },
  };
}

/** Runs `fn` with a fresh connection to the backend's database, closed afterwards. */
export async function withDb<T>(b: ProcessBackend, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await b.open();
  try { return await fn(db); } finally { await db.destroy(); }
}
