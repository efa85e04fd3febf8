// Opens a Kysely database on SQLite (embedded mode) or PostgreSQL. app/ decides which; this file
// only knows how to open each well: WAL and a busy timeout for SQLite, int8 as numbers for pg.
import { Kysely, SqliteDialect, PostgresDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { findNul, nulRefused } from '../domain/text-guard.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;

export async function openSqlite(file: string): Promise<Database> {
  const { default: SQLite } = await import('better-sqlite3');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets the API read while a job writes; NORMAL sync is durable across process crashes.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
}

export async function openPostgres(url: string, opts: { searchPath?: string; max?: number } = {}): Promise<Database> {
  const pg = await import('pg');
  const Pool = pg.default.Pool;
  const types = pg.default.types;
  const pool = new Pool({
    connectionString: url,
    max: opts.max ?? 10,
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
    // BIGINT columns hold millisecond timestamps and sizes, all far below 2^53: read them as numbers.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? (v: string) => Number(v) : types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser,
    },
  });
  // An idle connection the server closed (a restart, a failover, pg_terminate_backend, a network
  // cut) is reported here; unhandled, it would crash the process. The pool drops it and opens a
  // fresh one for the next query, so there is nothing else to do.
  pool.on('error', () => {});
  // PostgreSQL refuses a NUL in text with an error that would surface as a 500. The API refuses
  // NUL at its edge; this catches whatever reaches the database another way, as the same 400.
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      if (Array.isArray(args[1]) && findNul(args[1])) throw nulRefused(null);
      return query(...args);
    };
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
