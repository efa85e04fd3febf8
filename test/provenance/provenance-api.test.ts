// Signed provenance end to end (issue 14 §4), on SQLite and PostgreSQL: every finished video's MP4
// carries a C2PA manifest that the library's own reader calls Trusted against the instance CA; a
// flipped byte, a trim and a re-encode each fail POST /api/verify with a clear reason; the sidecar
// verifies with node:crypto against the instance certificate; a remix carries its parent as an
// ingredient; a licence change re-signs the stored file; a plan's watermark is on the frames.
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/media/probe.js';
import { accountBackends, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer, type Caller } from '../helpers/accounts.js';
import { bins, tempFile } from '../helpers/media.js';
import { activeManifest, assertionOf, instanceCa, readWithLibrary } from './c2pa-reader.js';

const SMALL = { prompt: 'a lighthouse on a cliff at dusk, waves below', model: 'sketch', seconds: '2', size: '320x180', seed: 7 };

async function download(c: Caller, id: string): Promise<Buffer> {
  const headers: Record<string, string> = c.auth.key ? { authorization: `Bearer ${c.auth.key}` } : { cookie: c.auth.cookie! };
  const res = await fetch(`${c.base}/v1/videos/${id}/content`, { headers });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function verifyRaw(base: string, bytes: Buffer): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}/api/verify`, { method: 'POST', headers: { 'content-type': 'video/mp4' }, body: bytes });
  return { status: res.status, json: await res.json() };
}

async function make(c: Caller, body: Record<string, unknown> = SMALL, path = '/v1/videos'): Promise<any> {
  const r = await c.post(path, body);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  const v = await waitStatus(c, r.json.id, (s) => s === 'completed' || s === 'failed', 120_000);
  expect(v.status, JSON.stringify(v.error)).toBe('completed');
  return v;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const db of await accountBackends()) {
  describe(`signed provenance on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    let member: Caller;
    let ca: string;
    let video: any;
    let signed: Buffer;

    beforeAll(async () => {
      server = await startAccountServer(db);
      admin = await setupAdmin(server);
      member = await keyFor(await newMember(server, admin, 'pro'));
      ca = instanceCa(server.dataDir);
      video = await make(member);
      signed = await download(member, video.id);
    }, 180_000);
    afterAll(async () => { await server?.stop(); });

    it('signs a finished sketch video: the library\'s own reader says Trusted, with what made it', async () => {
      const store = await readWithLibrary(signed, ca);
      expect(store.validation_state).toBe('Trusted');
      const m = activeManifest(store);
      const created = assertionOf(m, 'c2pa.actions.v2').actions.find((a: any) => a.action === 'c2pa.created');
      // The sketch engine draws with formulas and learned nothing: IPTC's algorithmicMedia.
      expect(created.digitalSourceType).toBe('http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia');
      expect(created.softwareAgent).toEqual({ name: 'Méliès', version: JSON.parse(readFileSync('package.json', 'utf8')).version });
      const gen = assertionOf(m, 'io.melies.generation');
      expect(gen).toMatchObject({ video_id: video.id, engine: 'sketch', model: 'sketch', kind: 'procedural', seed: 7, author: { id: member.userId }, training: 'not-allowed' });
      expect(gen.prompt_sha256).toBe(createHash('sha256').update(SMALL.prompt).digest('hex'));
      expect(assertionOf(m, 'cawg.training-mining').entries['cawg.ai_training']).toEqual({ use: 'notAllowed' });
      expect(m.signature_info.common_name).toMatch(/^Melies instance signer/);
      // The stored file is the signed one, and still a normal MP4.
      const row = await member.get(`/v1/videos/${video.id}`);
      expect(row.status).toBe(200);
      const p = await probe(bins.ffprobe, tempFile(signed));
      expect(p.video).toMatchObject({ codec: 'h264', width: 320, height: 180 });
      expect(p.durationSeconds).toBeCloseTo(2, 0);
      const untouched = await verifyRaw(server.url, signed);
      expect(untouched.status).toBe(200);
      expect(untouched.json).toMatchObject({ state: 'trusted', valid: true, made_here: true, video_id: video.id, altered: false, engine: 'sketch', model: 'sketch', sha256: sha256(signed) });
      expect(untouched.json.signer).toMatch(/^Melies instance signer/);
    });

    it('says clearly why a flipped byte, a trim and a re-encode fail', async () => {
      const flipped = Buffer.from(signed);
      const at = flipped.indexOf(Buffer.from('mdat')) + 2000;
      flipped[at] = flipped[at]! ^ 0xff;
      const f = await verifyRaw(server.url, flipped);
      expect(f.json).toMatchObject({ state: 'invalid', valid: false, altered: true, made_here: false });
      expect(f.json.reason).toMatch(/^altered after signing/);

      const src = tempFile(signed, 'signed.mp4');
      const trimmed = join(src, '..', 'trim.mp4');
      execFileSync(bins.ffmpeg, ['-v', 'error', '-y', '-ss', '0.5', '-i', src, '-t', '1', '-c', 'copy', trimmed]);
      const reencoded = join(src, '..', 'reenc.mp4');
      execFileSync(bins.ffmpeg, ['-v', 'error', '-y', '-i', src, '-c:v', 'libx264', '-preset', 'ultrafast', reencoded]);
      for (const file of [trimmed, reencoded]) {
        const r = await verifyRaw(server.url, readFileSync(file));
        expect(r.json).toMatchObject({ state: 'no_manifest', valid: false, made_here: false, video_id: null });
        expect(r.json.reason).toBe('no C2PA manifest: stripped or re-encoded, or not made by Méliès');
      }
      // Multipart works too, and nothing at all is a 400 in the envelope.
      const form = new FormData();
      form.append('file', new Blob([signed], { type: 'video/mp4' }), 'x.mp4');
      const mp = await fetch(`${server.url}/api/verify`, { method: 'POST', body: form });
      expect(((await mp.json()) as { state: string }).state).toBe('trusted');
      const empty = await verifyRaw(server.url, Buffer.alloc(0));
      expect(empty.status).toBe(400);
      expect(empty.json.error.param).toBe('file');
    });

    it('serves a sidecar JWS that verifies with node:crypto against the instance certificate', async () => {
      const r = await member.get(`/v1/videos/${video.id}/provenance`);
      expect(r.status).toBe(200);
      const header = JSON.parse(Buffer.from(r.json.protected, 'base64url').toString());
      expect(header.alg).toBe('ES256');
      const leaf = new X509Certificate(readFileSync(join(server.dataDir, 'signing', 'signer.crt')));
      expect(Buffer.from(header.x5c[0], 'base64').equals(leaf.raw)).toBe(true);
      const ok = verify('sha256', Buffer.from(`${r.json.protected}.${r.json.payload}`), { key: createPublicKey(leaf.publicKey.export({ format: 'pem', type: 'spki' })), dsaEncoding: 'ieee-p1363' }, Buffer.from(r.json.signature, 'base64url'));
      expect(ok).toBe(true);
      const claims = JSON.parse(Buffer.from(r.json.payload, 'base64url').toString());
      expect(claims as unknown).toEqual(r.json.claims);
      expect(claims).toMatchObject({ video_id: video.id, mp4: { sha256: sha256(signed), bytes: signed.length }, training_mining: 'not-allowed', generation: { engine: 'sketch', model: 'sketch', seed: 7 } });
      // Another member cannot read it.
      const other = await keyFor(await newMember(server, admin, 'pro'));
      expect((await other.get(`/v1/videos/${video.id}/provenance`)).status).toBe(404);
    });

    it('carries the parent as an ingredient of a remix, and re-signs on a licence change', async () => {
      const remix = await make(member, { prompt: 'the same lighthouse at night' }, `/v1/videos/${video.id}/remix`);
      const bytes = await download(member, remix.id);
      const store = await readWithLibrary(bytes, ca);
      expect(store.validation_state).toBe('Trusted');
      const m = activeManifest(store);
      expect(m.ingredients).toHaveLength(1);
      expect(m.ingredients[0]).toMatchObject({ title: `${video.id}.mp4`, relationship: 'inputTo' });
      const v = await verifyRaw(server.url, bytes);
      expect(v.json.ingredients).toEqual([{ title: `${video.id}.mp4`, video_id: video.id, author: { handle: null, display_name: null } }]);

      // Published with AI training allowed: the stored MP4 is re-signed, the row moves to it, the old file goes.
      const before = (await server.stack.videos.get({ userId: member.userId!, scopes: ['videos:read'] } as never, remix.id)).output!;
      const after = await server.stack.provenance.resignTraining(remix.id, 'allowed');
      expect(after.output!.videoKey).not.toBe(before.videoKey);
      expect(after.provenance?.training).toBe('allowed');
      const resigned = await download(member, remix.id);
      expect(sha256(resigned)).toBe(after.output!.sha256);
      expect(resigned.length).toBe(after.output!.bytes);
      const rs = await readWithLibrary(resigned, ca);
      expect(rs.validation_state).toBe('Trusted');
      const rm = activeManifest(rs);
      expect(assertionOf(rm, 'cawg.training-mining').entries['cawg.ai_training']).toEqual({ use: 'allowed' });
      expect(rm.ingredients[0]).toMatchObject({ relationship: 'parentOf' });
      const rv = await verifyRaw(server.url, resigned);
      expect(rv.json).toMatchObject({ state: 'trusted', training: 'allowed', made_here: true, video_id: remix.id });
      expect(rv.json.ingredients.map((i: any) => i.video_id)).toEqual([video.id]); // lineage survives the re-sign
      await expect(server.stack.provenance.resignTraining(remix.id, 'allowed')).resolves.toMatchObject({ output: { sha256: after.output!.sha256 } });
      const { existsSync } = await import('node:fs');
      expect(existsSync(join(server.dataDir, 'blobs', before.videoKey))).toBe(false);
    });

    it("burns a plan's watermark into its videos, and only those", async () => {
      expect((await admin.put('/api/admin/plans/branded', { label: 'Branded', seconds_per_day: 600, seconds_per_month: 6000, max_seconds: 20, max_pixels: 1920 * 1080, watermark: 'made with Méliès' })).json.watermark).toBe('made with Méliès');
      expect((await admin.put('/api/admin/plans/branded', { watermark: 'x\ny' })).status).toBe(400);
      const branded = await keyFor(await newMember(server, admin, 'branded'));
      const marked = await make(branded);
      const plain = signed; // the same prompt, seed and size, on a plan without one
      const frame = async (mp4: Buffer) => execFileSync(bins.ffmpeg, ['-v', 'error', '-i', tempFile(mp4), '-vf', 'select=eq(n\\,12)', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
      const [a, b] = [await frame(await download(branded, marked.id)), await frame(plain)];
      const diff = (x0: number, y0: number, x1: number, y1: number) => {
        let d = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) d += Math.abs(a[y * 320 + x]! - b[y * 320 + x]!);
        return d / ((x1 - x0) * (y1 - y0));
      };
      expect(diff(200, 150, 314, 174)).toBeGreaterThan(10); // the bottom-right plate
      expect(diff(0, 0, 100, 60)).toBeLessThan(3); // elsewhere: the same picture
      const store = await readWithLibrary(await download(branded, marked.id), ca);
      expect(store.validation_state).toBe('Trusted');
      expect(assertionOf(activeManifest(store), 'io.melies.generation').watermark_plan).toBe('branded');
    });
  });
}
