// Opens a Kysely database on SQLite (embedded mode) or PostgreSQL. app/ decides which; this file
// only knows how to open each well: WAL and a busy timeout for SQLite, int8 as numbers for pg.
import { Kysely, SqliteDialect, PostgresDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { findNul, nulRefused } from '../domain/text-guard.js';
import type { SqliteChangeWatch } from './change-watch.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;

/** `watch`: sees this database's writes (and other connections' commits), for exact in-memory caches. */
export async function openSqlite(file: string, opts: { watch?: SqliteChangeWatch } = {}): Promise<Database> {
  const { default: SQLite } = await import('better-sqlite3');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets the API read while a job writes; NORMAL sync is durable across process crashes.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  cacheStatements(sqlite);
  opts.watch?.attach(sqlite);
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }), plugins: opts.watch ? [opts.watch] : [] });
}

/** How many distinct SQL texts keep their compiled statement (Kysely builds a few hundred at most). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver compiles every query anew (`prepare`), which costs more than running it:
 * 75 µs against 8 µs for the `select *` behind GET /v1/videos/{id} (bench/api.ts). Compiled
 * statements are kept per SQL text instead. Safe because the driver runs one query at a time per
 * connection (a stream holds the connection until it ends), and SQLite recompiles a kept
 * statement by itself after a schema change. Least recently used texts go first, so queries built
 * with a varying number of parameters (`in (?, ?, …)`) cannot grow it without bound.
 */
function cacheStatements(sqlite: import('better-sqlite3').Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, ReturnType<typeof prepare>>();
  (sqlite as { prepare: (source: string) => ReturnType<typeof prepare> }).prepare = (source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source); // re-inserted below: Map order is the recency order
    } else {
      stmt = prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, stmt);
    return stmt;
  };
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
    // The pool listens for errors only on idle connections. One checked out (inside a transaction,
    // or between a query's end and its release) whose server goes away emits 'error' on the client
    // itself, and with no listener that kills the process (a worker died so in CI when every
    // connection was cut). The query in flight is rejected anyway, and the pool drops a client
    // that can no longer query when it comes back, so the event needs no more than a listener.
    client.on('error', () => {});
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      if (Array.isArray(args[1]) && findNul(args[1])) throw nulRefused(null);
      return query(...args);
    };
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
