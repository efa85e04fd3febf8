// Shared by the CLI settings tests: a throwaway place for one backend's data (a folder for SQLite,
// a schema for PostgreSQL) given the way an operator would, as settings, and a free port.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openPostgres } from '../../src/db/database.js';
import { postgresUrl } from '../../src/db/test-databases.js';
import { dropSchema } from '../../src/db/migrator.js';

export interface Place {
  /** The working directory commands run in (its ./data must stay untouched). */
  cwd: string;
  dataDir: string;
  /** The settings that point at this backend's data, by environment name. */
  settings: Record<string, string>;
  /** How `melies` names the database it uses. */
  label: string;
  /** Whether migrations ran there (the database was really used). */
  migrated(): Promise<boolean>;
  drop(): Promise<void>;
}

export async function place(backend: 'sqlite' | 'postgres'): Promise<Place> {
  const cwd = mkdtempSync(join(tmpdir(), 'melies-cli-settings-'));
  const dataDir = join(cwd, 'elsewhere');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const pg = backend === 'postgres';
  const inSchema = async <T>(fn: (db: Awaited<ReturnType<typeof openPostgres>>) => Promise<T>): Promise<T> => {
    const db = await openPostgres(postgresUrl, { max: 1 });
    try { return await fn(db); } finally { await db.destroy(); }
  };
  return {
    cwd,
    dataDir,
    // Cleared explicitly, so a DATABASE_URL in the test runner's environment cannot leak in.
    settings: pg ? { DATABASE_URL: `${postgresUrl}?schema=${schema}`, MELIES_DATA_DIR: dataDir } : { DATABASE_URL: '', MELIES_DATA_DIR: dataDir },
    label: pg ? `PostgreSQL ${new URL(postgresUrl).host}${new URL(postgresUrl).pathname} (schema ${schema})` : `SQLite ${join(dataDir, 'melies.db')}`,
    async migrated() {
      if (!pg) {
        const { existsSync } = await import('node:fs');
        return existsSync(join(dataDir, 'melies.db'));
      }
      return inSchema(async (db) => {
        const r = await sql<{ n: string }>`select count(*) as n from information_schema.tables where table_schema = ${schema} and table_name = 'videos'`.execute(db);
        return Number(r.rows[0]!.n) === 1;
      });
    },
    async drop() {
      if (pg) await inSchema((db) => dropSchema(db, schema));
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

export { freePort } from '../../src/coordination/redis/test-redis.js';
