// A disk that fills up and a store that refuses to delete, on a real filesystem: a small tmpfs
// mounted over the server's blob folder (this needs root, as CI and these machines have). Before:
// creates on a full disk answered a bare 500 and /readyz stayed 200; a DELETE on a read-only store
// answered 500 yet removed the row and left the files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { noisyRedPng } from '../helpers/media.js';
import { accountBackends, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer, type Caller } from '../helpers/accounts.js';

const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!canMount && process.env.CI === 'true') throw new Error('CI=true but this machine cannot mount a tmpfs (needs root): the storage fault tests would not run');

const oneSecond = { prompt: 'a red balloon', seconds: '1', size: '320x180', fps: 12 };

/** Lists every file under a folder, relative to it (what is really on the disk). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

for (const db of await accountBackends()) {
  describe.runIf(canMount)(`storage faults on ${db}`, () => {
    let server: AccountServer | null = null;
    let blobs = '';

    /** A server whose blob folder is a tmpfs of `mb` megabytes, keeping `minFreeMb` free. */
    async function start(mb: number, minFreeMb: number): Promise<{ member: Caller; admin: Caller }> {
      server = await startAccountServer(db, { storage: { minFreeMb } });
      blobs = join(server.dataDir, 'blobs');
      mkdirSync(blobs, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', blobs]);
      const admin = await setupAdmin(server);
      return { admin, member: await keyFor(await newMember(server, admin, 'pro')) };
    }
    afterEach(async () => {
      if (blobs) execFileSync('umount', [blobs]);
      blobs = '';
      await server?.stop();
      server = null;
    });

    it('refuses new videos with 507 "storage is full" and reports it in /readyz while the disk is nearly full', async () => {
      const { member } = await start(16, 8);
      expect((await fetch(`${server!.url}/readyz`)).status).toBe(200);
      writeFileSync(join(blobs, 'filler'), Buffer.alloc(10 * 1024 * 1024)); // 6 MB left, 8 must stay free
      const ready = await fetch(`${server!.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as any).reason).toMatch(/storage is full/);
      const r = await member.post('/v1/videos', oneSecond);
      expect(r.status).toBe(507);
      expect(r.json.error).toMatchObject({ code: 'storage_full', type: 'server_error', message: expect.stringMatching(/storage is full/) });
      expect(r.headers.get('retry-after')).toBe('600');
      expect((await member.get('/v1/videos')).json.data).toEqual([]);
      execFileSync('rm', [join(blobs, 'filler')]);
      expect((await fetch(`${server!.url}/readyz`)).status).toBe(200);
      const again = await member.post('/v1/videos', oneSecond);
      expect(again.status).toBe(200);
      expect((await waitStatus(member, again.json.id, (s) => s === 'completed' || s === 'failed')).status).toBe('completed');
    });

    it('answers a write that runs out of space with 507 and leaves no partial file', async () => {
      const { member } = await start(2, 0);
      try {
        writeFileSync(join(blobs, 'filler'), Buffer.alloc(4 * 1024 * 1024)); // more than fits: ENOSPC
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      const form = new FormData();
      form.set('prompt', 'a red balloon');
      form.set('seconds', '1');
      form.set('size', '320x180');
      form.set('input_reference', new Blob([await noisyRedPng(128, 128)], { type: 'image/png' }), 'ref.png');
      const r = await fetch(`${server!.url}/v1/videos`, { method: 'POST', headers: { authorization: `Bearer ${member.auth.key}` }, body: form });
      const json = await r.json() as any;
      expect(r.status, JSON.stringify(json)).toBe(507);
      expect(json.error.code).toBe('storage_full');
      expect(filesUnder(blobs)).toEqual(['filler']);
      expect((await member.get('/v1/videos')).json.data).toEqual([]);
    });

    it('fails a video whose finished file no longer fits with storage_full, refunds it, and keeps no part of it', async () => {
      const { member } = await start(2, 0);
      try {
        writeFileSync(join(blobs, 'filler'), Buffer.alloc(4 * 1024 * 1024)); // the disk is now full
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      // Accepted (it stores nothing yet), rendered in the scratch folder, then refused by the store.
      const made = await member.post('/v1/videos', oneSecond);
      expect(made.status).toBe(200);
      const failed = await waitStatus(member, made.json.id, (s) => s === 'completed' || s === 'failed');
      expect(failed.status).toBe('failed');
      expect(failed.error.code).toBe('storage_full');
      expect(failed.error.message).toMatch(/ran out of storage/);
      expect(failed.error.message).not.toMatch(/ENOSPC|\//);
      expect(filesUnder(blobs)).toEqual(['filler']);
      expect((await member.get('/api/usage')).json.day.used_seconds).toBe(0);
    });

    it('deletes at once for the owner when the store is read-only, and the sweeper removes the files later', async () => {
      const { member } = await start(64, 0);
      const made = (await member.post('/v1/videos', oneSecond)).json;
      await waitStatus(member, made.id, (s) => s === 'completed');
      const before = filesUnder(blobs);
      expect(before.length).toBe(3); // video, thumbnail, spritesheet
      execFileSync('mount', ['-o', 'remount,ro', blobs]);
      const del = await member.del(`/v1/videos/${made.id}`);
      expect(del.status).toBe(200);
      expect(del.json).toEqual({ id: made.id, object: 'video.deleted', deleted: true });
      expect((await member.get(`/v1/videos/${made.id}`)).status).toBe(404);
      expect((await member.get(`/v1/videos/${made.id}/content`)).status).toBe(404);
      expect((await member.get('/v1/videos')).json.data).toEqual([]);
      expect((await member.del(`/v1/videos/${made.id}`)).status).toBe(404);
      // Nothing was lost track of: the files are there, and so is the row that names them.
      expect(filesUnder(blobs)).toEqual(before);
      const conn = await server!.openDb();
      const tomb = await conn.selectFrom('videos').select(['id', 'deleted_at']).where('id', '=', made.id).executeTakeFirst();
      expect(tomb?.deleted_at).toBeGreaterThan(0);
      expect(await server!.stack.videos.sweepDeleted()).toEqual({ removed: 0, left: 1 });
      execFileSync('mount', ['-o', 'remount,rw', blobs]);
      expect(await server!.stack.videos.sweepDeleted()).toEqual({ removed: 1, left: 0 });
      expect(filesUnder(blobs)).toEqual([]);
      expect(await conn.selectFrom('videos').select('id').where('id', '=', made.id).executeTakeFirst()).toBeUndefined();
      await conn.destroy();
    });
  });
}
