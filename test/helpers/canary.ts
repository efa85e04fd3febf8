// For the canary tests (a secret that must never come back out): a transcript of every exchange
// with the server, and a dump of every row of every table in its database (SQLite or PostgreSQL).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import type { Database as Db } from '../../src/db/database.js';
import type { Caller } from './accounts.js';

export class Transcript {
  private readonly seen: string[] = [];

  /** Makes the call and keeps its status, headers and body, to search for canaries later. */
  async record(c: Caller, method: string, path: string, body?: unknown) {
    const r = await c.call(method, path, body);
    this.seen.push(`${method} ${path} ${r.status} ${JSON.stringify([...r.headers])} ${typeof r.json === 'string' ? r.json : JSON.stringify(r.json)}`);
    return r;
  }

  text(): string {
    return this.seen.join('\n');
  }
}

/** Every row of every table (job payloads included), as one searchable text, and the table names. */
export function dumpDatabase(dataDir: string): { tables: string[]; dump: string } {
  const db = new Database(join(dataDir, 'melies.db'), { readonly: true });
  try {
    const tables = (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((t) => t.name);
    return { tables, dump: tables.map((t) => JSON.stringify(db.prepare(`select * from "${t}"`).all())).join('\n') };
  } finally {
    db.close();
  }
}

/**
 * Every row of every table of the database `db` reaches (on PostgreSQL, the tables of its
 * search_path schema only), as one searchable text, and the table names.
 */
export async function dumpDb(db: Db, backend: 'sqlite' | 'postgres'): Promise<{ tables: string[]; dump: string }> {
  const names = backend === 'postgres'
    ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
    : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db);
  const tables = names.rows.map((r) => r.name);
  const dumps: string[] = [];
  for (const t of tables) dumps.push(JSON.stringify((await sql`select * from ${sql.table(t)}`.execute(db)).rows));
  return { tables, dump: dumps.join('\n') };
}
