// /v1/files (issue 15 §4) through the official openai SDK, unchanged, on SQLite and PostgreSQL:
// upload (multipart `file` + `purpose`), list with the SDK's cursor pager, retrieve, content,
// delete; each user sees only their own files; the bytes decide the type (a `.png` holding text is
// refused); size caps per kind; the plan's file storage cap; and a video made from
// `input_reference: {file_id}` that keeps its own copy of the image when the file is deleted.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrameRgb } from '../../src/media/frames.js';
import { accountBackends, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer, type Caller } from '../helpers/accounts.js';
import { bins, noisyRedPng, solidPng, tempFile } from '../helpers/media.js';

const IMAGE_CAP = 1024 * 1024;
const FILE_CAP = 2 * 1024 * 1024;
const ONE_SECOND = { model: 'sketch', prompt: 'waves under a blue sky', seconds: '1', size: '320x180' } as const;

for (const db of await accountBackends()) {
  describe(`files on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    let alice: Caller;
    let bob: Caller;
    let a: OpenAI;
    let b: OpenAI;
    let blue: Buffer;

    const sdk = (c: Caller) => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: c.auth.key!, maxRetries: 0 });
    const firstFrame = async (client: OpenAI, id: string) => {
      const file = tempFile(await (await client.videos.downloadContent(id)).arrayBuffer());
      return decodeFrameRgb(bins.ffmpeg, file, 0, { width: 320, height: 180 });
    };
    const blobOf = (id: string) => join(server.dataDir, 'blobs', 'files', id);

    beforeAll(async () => {
      server = await startAccountServer(db, { uploads: { maxBytes: IMAGE_CAP, fileMaxBytes: FILE_CAP } });
      admin = await setupAdmin(server);
      alice = await keyFor(await newMember(server, admin, 'pro'));
      bob = await keyFor(await newMember(server, admin, 'pro'));
      a = sdk(alice);
      b = sdk(bob);
      blue = await solidPng('#0000ff', 64, 36);
    });
    afterAll(async () => server?.stop());

    it('uploads, lists (paged), retrieves, downloads and deletes a file', async () => {
      const up = await a.files.create({ file: await toFile(blue, 'blue.png', { type: 'image/png' }), purpose: 'vision' });
      expect(up).toMatchObject({ object: 'file', bytes: blue.length, filename: 'blue.png', purpose: 'vision', status: 'processed' });
      expect(up).not.toHaveProperty('expires_at'); // kept until deleted (OpenAI's schema has no null here)
      expect(up.id).toMatch(/^file-[0-9a-f]{32}$/);
      expect(up.created_at).toBeGreaterThan(1_700_000_000);
      expect(existsSync(blobOf(up.id))).toBe(true);

      expect(await a.files.retrieve(up.id)).toEqual(up);
      const content = await a.files.content(up.id);
      expect(content.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await content.arrayBuffer()).equals(blue)).toBe(true);

      const more: string[] = [];
      for (const color of ['#ff0000', '#00ff00']) {
        more.push((await a.files.create({ file: await toFile(await solidPng(color, 32, 32), `${color.slice(1)}.png`), purpose: 'user_data' })).id);
      }
      const page = await a.files.list({ limit: 2 });
      expect(page.data.map((f) => f.id)).toEqual([more[1], more[0]]);
      expect(page.has_more).toBe(true);
      const all: string[] = [];
      for await (const f of a.files.list({ limit: 1, order: 'asc' })) all.push(f.id);
      expect(all).toEqual([up.id, ...more]);
      expect((await a.files.list({ purpose: 'vision' })).data.map((f) => f.id)).toEqual([up.id]);
      const brief = await a.files.create({ file: await toFile(blue, 'brief.png'), purpose: 'user_data', expires_after: { anchor: 'created_at', seconds: 3600 } });
      expect(brief.expires_at).toBe(brief.created_at + 3600);
      await a.files.delete(brief.id);

      expect(await a.files.delete(more[0]!)).toEqual({ id: more[0], object: 'file', deleted: true });
      expect(existsSync(blobOf(more[0]!))).toBe(false);
      await expect(a.files.retrieve(more[0]!)).rejects.toMatchObject({ status: 404 });
      await expect(a.files.content(more[0]!)).rejects.toMatchObject({ status: 404 });
      await expect(a.files.delete(more[0]!)).rejects.toMatchObject({ status: 404 });
      expect((await a.files.list()).data.map((f) => f.id)).toEqual([more[1], up.id]);
    });

    it('keeps each user to their own files: anyone else\'s id reads as unknown', async () => {
      const mine = await a.files.create({ file: await toFile(blue, 'mine.png'), purpose: 'vision' });
      await expect(b.files.retrieve(mine.id)).rejects.toMatchObject({ status: 404, code: 'not_found' });
      await expect(b.files.content(mine.id)).rejects.toMatchObject({ status: 404 });
      await expect(b.files.delete(mine.id)).rejects.toMatchObject({ status: 404 });
      expect((await b.files.list()).data).toEqual([]);
      // Paging after someone else's id gives nothing of theirs.
      expect((await bob.get(`/v1/files?after=${mine.id}`)).json.data).toEqual([]);
      await expect(b.videos.create({ ...ONE_SECOND, input_reference: { file_id: mine.id } } as never))
        .rejects.toMatchObject({ status: 400, code: 'file_not_found', param: 'input_reference.file_id' });
      await expect(b.videos.create({ ...ONE_SECOND, input_reference: { file_id: 'file-00000000000000000000000000000000' } } as never))
        .rejects.toMatchObject({ status: 400, code: 'file_not_found' });
      expect(await a.files.retrieve(mine.id)).toMatchObject({ id: mine.id });
    });

    it('judges a file by its bytes, requires a purpose it can serve, and caps sizes per kind', async () => {
      await expect(a.files.create({ file: await toFile(Buffer.from('hello, I am not a picture at all'), 'photo.png', { type: 'image/png' }), purpose: 'vision' }))
        .rejects.toMatchObject({ status: 400, code: 'unsupported_file_type', param: 'file' });
      await expect(a.files.create({ file: await toFile(blue, 'blue.png'), purpose: 'fine-tune' }))
        .rejects.toMatchObject({ status: 400, param: 'purpose' });
      const noPurpose = new FormData();
      noPurpose.append('file', new Blob([new Uint8Array(blue)]), 'blue.png');
      const r = await fetch(`${server.url}/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${alice.auth.key}` }, body: noPurpose });
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).error).toMatchObject({ code: 'missing_required_parameter', param: 'purpose' });
      expect((await alice.post('/v1/files', { purpose: 'vision' })).status).toBe(415);

      // An image larger than the reference-image cap could never be used: refused at upload.
      const big = await noisyRedPng(1200, 800);
      expect(big.length).toBeGreaterThan(IMAGE_CAP);
      await expect(a.files.create({ file: await toFile(big, 'big.png'), purpose: 'vision' })).rejects.toMatchObject({ status: 413, code: 'file_too_large' });
      // Anything over the file cap is cut off as it streams in.
      const huge = Buffer.alloc(FILE_CAP + 4096);
      huge.write('\u0000\u0000\u0000\u0018ftypisom', 0, 'latin1');
      await expect(a.files.create({ file: await toFile(huge, 'huge.mp4'), purpose: 'user_data' })).rejects.toMatchObject({ status: 413, code: 'file_too_large' });
      expect((await a.files.list()).data.some((f) => f.filename === 'photo.png' || f.filename === 'big.png' || f.filename === 'huge.mp4')).toBe(false);
    });

    it('makes a video from input_reference {file_id} (multipart and JSON), which keeps its own copy when the file is deleted', async () => {
      const file = await a.files.create({ file: await toFile(blue, 'first-frame.png', { type: 'image/png' }), purpose: 'vision' });
      // SDK 6.49 sends multipart: `input_reference[file_id]`.
      const v = await a.videos.create({ ...ONE_SECOND, input_reference: { file_id: file.id } } as never);
      const done = await waitStatus(alice, v.id, (s) => s === 'completed' || s === 'failed', 90_000);
      expect(done.status).toBe('completed');
      const rgb = await firstFrame(a, v.id);
      expect(rgb[2]!).toBeGreaterThan(200);
      expect(rgb[0]!).toBeLessThan(60);
      const json = await alice.post('/v1/videos', { ...ONE_SECOND, input_reference: { file_id: file.id } });
      expect(json.status, JSON.stringify(json.json)).toBe(200);

      // Deleting the file does not touch the videos made from it: the remix copies the video's own reference.
      await a.files.delete(file.id);
      expect(existsSync(blobOf(file.id))).toBe(false);
      expect((await waitStatus(alice, json.json.id, (s) => s === 'completed' || s === 'failed', 90_000)).status).toBe('completed');
      const remix = await a.videos.remix(v.id, { prompt: 'waves under a blue sky, once more' });
      expect((await waitStatus(alice, remix.id, (s) => s === 'completed' || s === 'failed', 90_000)).status).toBe('completed');
      expect((await firstFrame(a, remix.id))[2]!).toBeGreaterThan(200);
      await expect(a.videos.create({ ...ONE_SECOND, input_reference: { file_id: file.id } } as never)).rejects.toMatchObject({ status: 400, code: 'file_not_found' });

      // An MP4 is kept (for extensions and edits), but it is not an image.
      const mp4 = Buffer.from(await (await a.videos.downloadContent(v.id)).arrayBuffer());
      const movie = await a.files.create({ file: await toFile(mp4, 'clip.mp4'), purpose: 'user_data' });
      expect(movie.bytes).toBe(mp4.length);
      expect((await a.files.content(movie.id)).headers.get('content-type')).toBe('video/mp4');
      await expect(a.videos.create({ ...ONE_SECOND, input_reference: { file_id: movie.id } } as never))
        .rejects.toMatchObject({ status: 400, code: 'unsupported_file_type', param: 'input_reference.file_id' });
    });

    it('counts files against the plan\'s storage cap: 429 insufficient_quota past it, room again after a delete', async () => {
      const cap = blue.length * 2 + 10;
      const plan = await admin.put('/api/admin/plans/tight', { label: 'Tight', seconds_per_day: 600, seconds_per_month: 6000, max_concurrent: 2, max_file_bytes: cap });
      expect(plan.json.max_file_bytes).toBe(cap);
      expect((await admin.put('/api/admin/plans/tight', { max_file_bytes: -1 })).status).toBe(400);
      const carol = sdk(await keyFor(await newMember(server, admin, 'tight')));
      const upload = async () => carol.files.create({ file: await toFile(blue, 'blue.png', { type: 'image/png' }), purpose: 'vision' });
      const first = await upload();
      await upload();
      await expect(upload()).rejects.toMatchObject({ status: 429, code: 'insufficient_quota' });
      expect((await carol.files.list()).data).toHaveLength(2);
      const carolKey = (carol as unknown as { apiKey: string }).apiKey;
      const usage = await (await fetch(`${server.url}/api/usage`, { headers: { authorization: `Bearer ${carolKey}` } })).json() as any;
      expect(usage.files).toEqual({ used_bytes: blue.length * 2, limit_bytes: cap });
      await carol.files.delete(first.id);
      expect((await upload()).bytes).toBe(blue.length);
      // null = unlimited
      await admin.put('/api/admin/plans/tight', { max_file_bytes: null });
      await upload();
    });
  });
}

