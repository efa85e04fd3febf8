// FileService on SQLite and PostgreSQL with a store that can refuse: a delete is all-or-nothing
// (the file is gone for every read at once; a refused blob leaves a tombstone the sweeper finishes,
// never a row without bytes), expired files disappear and are swept, and the plan cap counts only
// what the owner still sees.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan, Principal } from '../domain/account.js';
import type { Database } from '../db/database.js';
import { FileRepo } from '../db/file.repo.js';
import { testDatabases } from '../db/test-databases.js';
import { UserRepo } from '../db/user.repo.js';
import { AuditRepo } from '../db/audit.repo.js';
import { LocalBlobStore } from '../storage/local/local.blob-store.js';
import { AuditLog } from './accounts/audit-log.js';
import { FileService } from './file.service.js';

// A 1x1 PNG is below the 16-pixel floor; this header says 32x32 and is all the sniffer reads.
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([0, 0, 0, 32, 0, 0, 0, 32, 8, 2, 0, 0, 0]), Buffer.alloc(64)]);
const plan: Plan = { id: 'p', label: 'P', secondsPerDay: null, secondsPerMonth: null, maxConcurrent: null, maxSeconds: null, maxPixels: null, allowedModels: null, priority: 0, usdBudgetMonthMicros: null, updatedAt: 0, maxFileBytes: png.length * 2 };

for (const target of await testDatabases()) {
  describe(`FileService on ${target.name}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let dir: string;
    let store: LocalBlobStore & { refuseDeletes?: boolean };
    let now = 1_800_000_000_000;
    let files: FileService;
    const who: Principal = { userId: `usr_${Math.random().toString(36).slice(2, 10)}`, role: 'member', scopes: ['videos:read', 'videos:write'], plan, via: 'key' };
    const upload = async (expiresAfterSeconds: number | null = null) => {
      const path = join(dir, 'upload');
      writeFileSync(path, png);
      return files.upload(who, { path, bytes: png.length, filename: 'a.png', purpose: 'vision', expiresAfterSeconds });
    };

    beforeAll(async () => {
      ({ db, close } = await target.open());
      dir = mkdtempSync(join(tmpdir(), 'melies-files-'));
      const local = new LocalBlobStore(join(dir, 'blobs'));
      store = Object.assign(Object.create(local), {
        delete: async (key: string) => { if (store.refuseDeletes) throw new Error('read-only store'); return local.delete(key); },
      });
      files = new FileService({
        files: new FileRepo(db), storage: store, audit: new AuditLog(new AuditRepo(db)), now: () => now,
        transact: (fn) => db.transaction().execute((trx) => fn({ users: new UserRepo(trx), files: new FileRepo(trx) })),
        imageLimits: { maxBytes: 1024 * 1024, maxPixels: 4096 * 4096 },
      });
    });
    afterAll(async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('deletes all or nothing: a refused blob leaves a tombstone the sweeper finishes', async () => {
      const f = await upload();
      expect(await store.stat(f.blobKey)).not.toBeNull();
      store.refuseDeletes = true;
      await files.delete(who, f.id);
      await expect(files.get(who, f.id)).rejects.toMatchObject({ status: 404 });
      expect(await store.stat(f.blobKey)).not.toBeNull();
      expect((await files.sweep()).left).toBeGreaterThanOrEqual(1);
      store.refuseDeletes = false;
      expect((await files.sweep()).removed).toBeGreaterThanOrEqual(1);
      expect(await store.stat(f.blobKey)).toBeNull();
      expect((await new FileRepo(db).listDeleted(100)).some((x) => x.id === f.id)).toBe(false);
    });

    it('hides and sweeps expired files, and counts only live ones against the plan', async () => {
      const brief = await upload(3600);
      await upload();
      await expect(upload()).rejects.toMatchObject({ status: 429, code: 'insufficient_quota' });
      now += 3600 * 1000;
      await expect(files.get(who, brief.id)).rejects.toMatchObject({ status: 404 });
      await upload(); // the expired file no longer counts
      expect((await files.list(who, {})).data).toHaveLength(2);
      await files.sweep();
      expect(await store.stat(brief.blobKey)).toBeNull();
    });
  });
}
