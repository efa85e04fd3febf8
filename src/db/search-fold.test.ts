// Library search ignores case and accents on both databases: the folding itself, and migration
// 0008 filling the folded copy of prompts written before it existed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openPostgres, openSqlite, type Database } from './database.js';
import { dropSchema, migrateToLatest } from './migrator.js';
import { foldForSearch } from './search-fold.js';
import { postgresUrl, testDatabases } from './test-databases.js';
import { VideoRepo } from './video.repo.js';

describe('foldForSearch', () => {
  it('drops case and accents, and spells out letters Unicode does not decompose', () => {
    expect(foldForSearch('Un champ de BLÉ')).toBe('un champ de ble');
    expect(foldForSearch('Crème brûlée, façade, señor, Ångström, Dvořák')).toBe('creme brulee, facade, senor, angstrom, dvorak');
    expect(foldForSearch('Œuvre, Straße, Æther, Øresund, Łódź')).toBe('oeuvre, strasse, aether, oresund, lodz');
    expect(foldForSearch('ﬁne ２０２６')).toBe('fine 2026'); // compatibility forms too
    expect(foldForSearch('雨の東京')).toBe('雨の東京');
  });
});

/** A database migrated up to 0007, as an existing installation is before upgrading. */
async function openAt0007(name: 'sqlite' | 'postgres'): Promise<{ db: Database; schema?: string; close(): Promise<void> }> {
  const upTo = '0007_error_detail_tombstones';
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'melies-db-'));
    const db = await openSqlite(join(dir, 'test.db'));
    await migrateToLatest(db, { upTo });
    return { db, close: async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(postgresUrl, { max: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin);
  const db = await openPostgres(postgresUrl, { searchPath: schema, max: 2 });
  await migrateToLatest(db, { schema, upTo });
  return {
    db, schema,
    close: async () => { await db.destroy(); await dropSchema(admin, schema); await admin.destroy(); },
  };
}

for (const target of await testDatabases()) {
  describe(`migration 0008_prompt_search on ${target.name}`, () => {
    it('fills the folded prompt of rows written before it, so old videos are found without accents', async () => {
      const { db, schema, close } = await openAt0007(target.name);
      try {
        const row = (id: string, prompt: string, createdAt: number) => ({
          id, owner_id: 'usr_local', model: 'sketch', engine: 'sketch', status: 'completed', progress: 100, prompt, seconds: 2, width: 320, height: 180,
          fps: 24, seed: 1, favorite: 0, created_at: createdAt, updated_at: createdAt,
        });
        // More than one of the migration's 500-row batches.
        const many = Array.from({ length: 620 }, (_, i) => row(`video_${String(i).padStart(4, '0')}`, i % 2 ? `Un champ de BLÉ n°${i}` : `une forêt ${i}`, i));
        for (let i = 0; i < many.length; i += 100) await (db as any).insertInto('videos').values(many.slice(i, i + 100)).execute();
        await migrateToLatest(db, schema ? { schema } : {});
        const repo = new VideoRepo(db);
        const found = await repo.search({ text: 'ble', limit: 1000 });
        expect(found.data).toHaveLength(310);
        expect(found.data.every((v) => v.prompt.includes('BLÉ'))).toBe(true);
        expect((await repo.search({ text: 'FORET 619', limit: 10 })).data).toHaveLength(0);
        expect((await repo.search({ text: 'Forêt 618', limit: 10 })).data.map((v) => v.id)).toEqual(['video_0618']);
      } finally {
        await close();
      }
    });
  });
}
