// A PostgreSQL connection cut while it is checked out of the pool (inside a transaction) must not
// take the process down: pg emits 'error' on that client, which the pool does not listen to while
// the client is lent out. A child process holds a transaction open, this test terminates its
// backend, and the child must see its transaction fail, run a fresh query, and exit 0.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openPostgres } from './database.js';
import { postgresUrl, testDatabases } from './test-databases.js';

const hasPostgres = (await testDatabases()).some((d) => d.name === 'postgres');
const databaseModule = fileURLToPath(new URL('./database.ts', import.meta.url));

describe.skipIf(!hasPostgres)('a PostgreSQL connection lost mid-transaction', () => {
  it('fails that transaction and nothing else: the process lives on and queries again', async () => {
    const app = `melies-conn-loss-${randomBytes(4).toString('hex')}`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      const { openPostgres } = await import(${JSON.stringify(databaseModule)});
      const { sql } = await import('kysely');
      const db = await openPostgres(${JSON.stringify(`${postgresUrl}?application_name=${app}`)}, { max: 2 });
      let failed = 'no';
      try {
        await db.transaction().execute(async (trx) => {
          await sql\`select 1\`.execute(trx);
          console.log('holding');
          await new Promise((r) => setTimeout(r, 1500)); // the connection is cut meanwhile
          await sql\`select 1\`.execute(trx);
        });
      } catch { failed = 'yes'; }
      const after = await sql\`select 41 + 1 as n\`.execute(db);
      console.log('failed=' + failed + ' after=' + after.rows[0].n);
      await db.destroy();
    `], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { out += String(d); });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const admin = await openPostgres(postgresUrl, { max: 1 });
    try {
      for (let i = 0; i < 200 && !out.includes('holding'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain('holding');
      const cut = await sql<{ n: number }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = ${app}`.execute(admin);
      expect(cut.rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await admin.destroy();
    }
    expect({ code: await exited, out: out.trim().split('\n').at(-1) }).toEqual({ code: 0, out: 'failed=yes after=42' });
  }, 30_000);
});
