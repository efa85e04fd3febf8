// For the canary tests (a secret that must never come back out): a transcript of every exchange
// with the server, and a dump of every row of every table in its SQLite database.
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
