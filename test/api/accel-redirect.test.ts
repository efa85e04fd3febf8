// /content in X-Accel-Redirect mode behind a real nginx (Debian's nginx-light): Méliès authorises
// and names the file, nginx sends the bytes with its own Range handling. A caller Méliès refuses
// gets Méliès's own error envelope through nginx, never the file; the internal location cannot be
// asked for directly. With CI=true a missing nginx fails the suite instead of skipping it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBackends, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer, type Caller } from '../helpers/accounts.js';
import { findNginx, startNginx, type Nginx } from '../helpers/nginx.js';

const PREFIX = '/protected/';
const hasNginx = findNginx() !== null;
if (!hasNginx && process.env.CI === 'true') throw new Error('nginx is required with CI=true: apt-get install -y nginx-light');

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

for (const db of await accountBackends()) {
  describe(`X-Accel-Redirect on ${db}`, () => {
    let server: AccountServer;
    let member: Caller;
    let other: Caller;
    let id: string;
    let file: string;
    let nginx: Nginx | null = null;

    beforeAll(async () => {
      server = await startAccountServer(db, { http: { accelRedirect: PREFIX } });
      const admin = await setupAdmin(server);
      member = await keyFor(await newMember(server, admin, 'pro'));
      other = await keyFor(await newMember(server, admin, 'pro'));
      const made = await member.post('/v1/videos', { prompt: 'a harbour at night', seconds: '1', size: '320x180' });
      id = made.json.id;
      await waitStatus(member, id, (s) => s === 'completed');
      const dir = join(server.dataDir, 'blobs', 'videos', id);
      file = join(dir, readdirSync(dir)[0]!, 'video.mp4');
      // Bigger than one read and with no two equal ranges, so a wrong offset cannot pass.
      writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251))]));
      if (hasNginx) nginx = await startNginx({ blobRoot: join(server.dataDir, 'blobs'), upstream: server.url, internalPrefix: PREFIX });
    });
    afterAll(async () => {
      await nginx?.stop();
      await server?.stop();
    });

    it('answers an authorised request with the header naming the file, and no body', async () => {
      const r = await fetch(`${server.url}/v1/videos/${id}/content`, { headers: { authorization: `Bearer ${member.auth.key}` } });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-accel-redirect')).toBe(`${PREFIX}${relative(join(server.dataDir, 'blobs'), file)}`);
      expect(r.headers.get('content-disposition')).toBe(`inline; filename="${id}.mp4"`);
      expect((await r.arrayBuffer()).byteLength).toBe(0);
      // Refusals are Méliès's own, with no header to follow.
      const refused = await fetch(`${server.url}/v1/videos/${id}/content`, { headers: { authorization: `Bearer ${other.auth.key}` } });
      expect(refused.status).toBe(404);
      expect(refused.headers.get('x-accel-redirect')).toBeNull();
    });

    it.skipIf(!hasNginx)('through nginx: a Range gives the right bytes as a 206, the whole file as a 200', async () => {
      const bytes = readFileSync(file);
      const auth = { authorization: `Bearer ${member.auth.key}` };
      const part = await fetch(`${nginx!.url}/v1/videos/${id}/content`, { headers: { ...auth, range: 'bytes=1000-200999' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 1000-200999/${bytes.length}`);
      expect(part.headers.get('content-type')).toBe('video/mp4');
      expect(part.headers.get('content-disposition')).toBe(`inline; filename="${id}.mp4"`);
      expect(part.headers.get('x-accel-redirect')).toBeNull();
      expect(sha(new Uint8Array(await part.arrayBuffer()))).toBe(sha(bytes.subarray(1000, 201000)));

      const whole = await fetch(`${nginx!.url}/v1/videos/${id}/content`, { headers: auth });
      expect(whole.status).toBe(200);
      expect(Number(whole.headers.get('content-length'))).toBe(bytes.length);
      expect(sha(new Uint8Array(await whole.arrayBuffer()))).toBe(sha(bytes));
      const thumbnail = await fetch(`${nginx!.url}/v1/videos/${id}/content?variant=thumbnail`, { headers: auth });
      expect(thumbnail.status).toBe(200);
      expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    });

    it.skipIf(!hasNginx)("through nginx: callers Méliès refuses get its envelope, never the file, and the internal location is closed", async () => {
      const anonymous = await fetch(`${nginx!.url}/v1/videos/${id}/content`, { headers: { range: 'bytes=0-99' } });
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as any).error.code).toBe('unauthorized');
      const revoked = await fetch(`${nginx!.url}/v1/videos/${id}/content`, { headers: { authorization: 'Bearer mls_not_a_real_key_at_all_000000000000000000' } });
      expect(revoked.status).toBe(401);
      expect(((await revoked.json()) as any).error.code).toBe('invalid_api_key');
      const notTheirs = await fetch(`${nginx!.url}/v1/videos/${id}/content`, { headers: { authorization: `Bearer ${other.auth.key}`, range: 'bytes=0-99' } });
      expect(notTheirs.status).toBe(404);
      expect(((await notTheirs.json()) as any).error).toMatchObject({ type: 'invalid_request_error', param: 'video_id' });
      const direct = await fetch(`${nginx!.url}${PREFIX}${relative(join(server.dataDir, 'blobs'), file)}`);
      expect(direct.status).toBe(404);
      expect(Buffer.from(await direct.arrayBuffer()).includes(readFileSync(file).subarray(0, 64))).toBe(false);
    });
  });
}
