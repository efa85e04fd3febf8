// Daily spend caps with three workers: three SpendCaps, each on its own connection pool (as three
// processes are) over one PostgreSQL schema, racing. The cap check is one conditional UPDATE of the
// day's total (db/spend.repo.ts), so PostgreSQL's row lock serialises them: never a cent past the cap.
// (SQLite serves one process only: app/ refuses several processes on it.)
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../db/database.js';
import { SpendRepo } from '../db/spend.repo.js';
import { postgresUrl, testDatabases } from '../db/test-databases.js';
import { ApiError } from '../domain/errors.js';
import { newVideoId } from '../domain/ids.js';
import type { ModelCard } from '../domain/model-card.js';
import { SpendCaps } from './spend-caps.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
// $0.10 a second: a 10 s video reserves $1.
const card = { id: 'runway/gen4_turbo', engine: 'runway', pricePerSecondUsd: 0.1 } as ModelCard;

const postgres = (await testDatabases()).find((t) => t.name === 'postgres');

describe.skipIf(!postgres)('spend caps across three workers (postgres)', () => {
  let close: () => Promise<void>;
  const pools: Database[] = [];
  let workers: SpendCaps[];
  let ledger: SpendRepo;
  beforeAll(async () => {
    const first = await postgres!.open();
    close = first.close;
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(first.db);
    pools.push(first.db, ...(await Promise.all([1, 2].map(() => openPostgres(postgresUrl, { searchPath: rows[0]!.schema, max: 5 })))));
    workers = pools.map((db) => new SpendCaps({ spend: new SpendRepo(db), capMicrosFor: () => 7_000_000, now: () => NOW }));
    ledger = new SpendRepo(pools[0]!);
  });
  afterAll(async () => {
    for (const db of pools.slice(1)) await db.destroy();
    await close();
  });

  it('thirty reservations racing from three workers against a $7 cap admit exactly seven', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      workers[i % 3]!.admit(newVideoId(), 10, [card]).then(() => 'admitted', (err: unknown) => {
        if (err instanceof ApiError && err.status === 429) return 'refused';
        throw err;
      })));
    expect(results.filter((r) => r === 'admitted')).toHaveLength(7);
    expect(await ledger.spentOn('runway', NOW)).toBe(7_000_000);
  });

  it('one video reserved by three workers at once is counted once', async () => {
    const before = await ledger.spentOn('runway-same', NOW);
    const same = { ...card, engine: 'runway-same' } as ModelCard;
    const id = newVideoId();
    const open = pools.map((db) => new SpendCaps({ spend: new SpendRepo(db), capMicrosFor: () => null, now: () => NOW }));
    await Promise.all(open.map((w) => w.reserve(id, same, 10).catch(() => null)));
    expect(await ledger.spentOn('runway-same', NOW)).toBe(before + 1_000_000);
  });
});
