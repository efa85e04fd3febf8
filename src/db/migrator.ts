// Running the migrations (migrations.ts holds them): bringing a database up to date under
// PostgreSQL's advisory lock, checking a schema is current without changing it (distributed mode),
// and dropping a throwaway schema under the same lock.
import { Migrator, PostgresAdapter, sql, type Kysely, type MigrationProvider } from 'kysely';
import { migrations } from './migrations.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; safe to call on every start and from several processes. */
export async function migrateToLatest(db: Kysely<any>, opts: { schema?: string; /** Stop after this migration (tests of a later one's data step). */ upTo?: string } = {}): Promise<string[]> {
  const run = async (on: Kysely<any>) => {
    // With a non-default PostgreSQL schema the bookkeeping tables must live in it too, or Kysely
    // finds another schema's lock table and skips creating its own.
    const migrator = new Migrator({ db: on, provider, ...(opts.schema ? { migrationTableSchema: opts.schema } : {}) });
    const { error, results } = opts.upTo ? await migrator.migrateTo(opts.upTo) : await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  };
  if (!isPostgres(db)) return run(db);
  // On PostgreSQL, one process migrates at a time (servers and workers starting together), on one
  // connection holding an advisory lock. Kysely's migrator reads the catalogue of every schema,
  // which fails ("schema … does not exist") if another schema is dropped meanwhile: dropSchema
  // takes the same lock.
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${SCHEMA_LOCK})`.execute(conn);
    try {
      return await run(conn);
    } finally {
      await sql`select pg_advisory_unlock(${SCHEMA_LOCK})`.execute(conn);
    }
  });
}

export class SchemaMismatchError extends Error {
  constructor(message: string) { super(message); this.name = 'SchemaMismatchError'; }
}

/**
 * For processes that must not migrate (distributed mode: `melies migrate` does it, once): throws
 * SchemaMismatchError, saying what to run, when the database is behind this code or ahead of it.
 */
export async function assertSchemaCurrent(db: Kysely<any>, opts: { schema?: string } = {}): Promise<void> {
  if (!isPostgres(db)) return checkSchema(db, opts);
  // Read under the schema lock, shared: many processes may check at once, none while a migration
  // (or a throwaway schema's drop, which breaks Kysely's catalogue read) holds it exclusively.
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock_shared(${SCHEMA_LOCK})`.execute(trx);
    return checkSchema(trx, opts);
  });
}

async function checkSchema(db: Kysely<any>, opts: { schema?: string }): Promise<void> {
  const known = Object.keys(migrations).sort();
  // Kysely's own view first: it knows a database that never migrated (no bookkeeping table); any
  // other failure (connection, permissions) is reported as itself, not as "run melies migrate".
  const infos = await new Migrator({ db, provider, ...(opts.schema ? { migrationTableSchema: opts.schema } : {}) }).getMigrations();
  let applied: string[] = [];
  if (infos.some((m) => m.executedAt)) {
    const table = opts.schema ? sql`${sql.id(opts.schema)}.kysely_migration` : sql`kysely_migration`;
    applied = (await sql<{ name: string }>`select name from ${table} order by name`.execute(db)).rows.map((r) => r.name);
  }
  const pending = known.filter((m) => !applied.includes(m));
  const unknown = applied.filter((m) => !known.includes(m));
  if (unknown.length) {
    throw new SchemaMismatchError(`the database schema is newer than this Méliès (it has ${unknown.join(', ')}, which this version does not know): upgrade this process to the version the other servers run`);
  }
  if (pending.length) {
    const at = applied.at(-1) ?? 'empty';
    throw new SchemaMismatchError(`the database schema is out of date (at ${at}; this version needs ${known.at(-1)}): run \`melies migrate\` once, then start the servers and workers`);
  }
}

/** The advisory lock key for schema changes on PostgreSQL ("mélies" as a number). */
const SCHEMA_LOCK = 0x6d656c696573;

/** PostgreSQL or not (SQLite): for the few things only one of them can do. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Drops a PostgreSQL schema (a test's throwaway one), never while another process migrates. */
export async function dropSchema(db: Kysely<any>, schema: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SCHEMA_LOCK})`.execute(trx);
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(trx);
  });
}
