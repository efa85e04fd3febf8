// Reference images through the real HTTP API (issue 12): the server's decoded-pixel cap refuses a
// tiny file that would decode to a huge bitmap, however it arrives (multipart upload, JSON data
// URL, fetched image_url, a remix keeping its parent's reference), with a 400 naming the limit and
// the image's size, and nothing stored; a raised cap lets it through and the sketch engine renders
// it; with no size asked, the video takes the card size closest to the image's aspect. On SQLite
// and PostgreSQL, since these create videos.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { makeConfig, type ConfigInput } from '../../src/config/config.js';
import { openPostgres } from '../../src/db/database.js';
import { postgresUrl, testDatabases } from '../../src/db/test-databases.js';
import { probeBytes } from '../helpers/media.js';
import { sizedPng } from '../helpers/images.js';
import { waitFor } from '../helpers/server.js';
import { dropSchema } from '../../src/db/migrator.js';

const backends = (await testDatabases()).map((t) => t.name);

interface Place { dataDir: string; schema: string | null }

function place(db: 'sqlite' | 'postgres'): Place {
  return { dataDir: mkdtempSync(join(tmpdir(), 'melies-refs-')), schema: db === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : null };
}

/** A server on `p` (the same data and schema across restarts). */
function start(p: Place, over: ConfigInput = {}): Promise<RunningServer> {
  return startServer(makeConfig({
    port: 0, dataDir: p.dataDir, logLevel: 'silent', searchPath: process.env.PATH ?? '',
    ...(p.schema ? { databaseUrl: `${postgresUrl}?schema=${p.schema}` } : {}),
    jobs: { pollIntervalMs: 50, retryBaseMs: 50, shutdownGraceSeconds: 5 },
    sketch: { x264Preset: 'ultrafast' },
    ...over,
  }));
}

async function dispose(p: Place): Promise<void> {
  rmSync(p.dataDir, { recursive: true, force: true });
  if (p.schema) {
    const admin = await openPostgres(postgresUrl, { max: 1 });
    await dropSchema(admin, p.schema);
    await admin.destroy();
  }
}

async function call(base: string, path: string, init: { method?: string; json?: unknown; form?: FormData } = {}) {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET'),
    headers: init.json !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: init.form ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined),
  });
  const text = await res.text();
  let json: any = text;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json };
}

function upload(fields: Record<string, string>, image: Buffer, name = 'ref.png'): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('input_reference', new Blob([image], { type: 'image/png' }), name);
  return form;
}

const dataUrl = (png: Buffer) => ({ image_url: `data:image/png;base64,${png.toString('base64')}` });
const done = (base: string, id: string) => waitFor(() => call(base, `/v1/videos/${id}`), (r) => r.json.status === 'completed' || r.json.status === 'failed', 120_000, 100);

function expectCapRefusal(r: { status: number; json: any }, size: string): void {
  expect(r.status, JSON.stringify(r.json)).toBe(400);
  expect(r.json.error).toMatchObject({ type: 'invalid_request_error', param: 'input_reference', code: 'image_too_large' });
  expect(r.json.error.message).toContain(size);
  expect(r.json.error.message).toContain('16.8 million pixels (4096x4096)');
}

/** Stored reference images (the blob store keeps them under inputs/). */
function storedInputs(p: Place): string[] {
  const root = join(p.dataDir, 'blobs', 'inputs');
  return existsSync(root) ? readdirSync(root) : [];
}

describe.each(backends)('reference images on %s', (db) => {
  const p = place(db);
  let server: RunningServer;
  let images: Server;
  let imageBase: string;
  const huge = sizedPng(8192, 8192);

  beforeAll(async () => {
    images = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'image/png' }); res.end(huge); });
    await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
    imageBase = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
    server = await start(p, { fetch: { allowPrivateNetworks: true } });
  });
  afterAll(async () => {
    await server?.close();
    images?.close();
    await dispose(p);
  });

  it('refuses a small file that decodes beyond the pixel cap, however it arrives, and stores nothing', async () => {
    expect(huge.length).toBeLessThan(64 * 1024); // a few KB on disk, 256 MiB decoded
    const base = { prompt: 'a meadow', seconds: '1', size: '320x180' };
    expectCapRefusal(await call(server.url, '/v1/videos', { form: upload(base, huge) }), '8192x8192');
    expectCapRefusal(await call(server.url, '/v1/videos', { json: { ...base, input_reference: dataUrl(huge) } }), '8192x8192');
    expectCapRefusal(await call(server.url, '/v1/videos', { json: { ...base, input_reference: { image_url: `${imageBase}/huge.png` } } }), '8192x8192');
    // Just over the cap is refused too; at the cap is fine (checked below with a smaller server cap).
    expectCapRefusal(await call(server.url, '/v1/videos', { form: upload(base, sizedPng(4097, 4096)) }), '4097x4096');
    expect((await call(server.url, '/v1/videos')).json.data).toEqual([]);
    expect(storedInputs(p)).toEqual([]);
  });

  it('defaults the size to the card size closest to the image: a landscape photo is not cropped to portrait', async () => {
    const made: Array<[string, string]> = [];
    for (const [w, h, expected] of [[1600, 900, '1280x720'], [900, 1600, '720x1280'], [1000, 1000, '1024x1024'], [1750, 1000, '1792x1024'], [2000, 800, '1280x720']] as const) {
      const r = await call(server.url, '/v1/videos', { form: upload({ prompt: 'a meadow', seconds: '1', fps: '12' }, sizedPng(w, h)) });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json.size, `${w}x${h}`).toBe(expected);
      made.push([r.json.id, expected]);
    }
    // Without an image the card default stands; an explicit size always wins.
    expect((await call(server.url, '/v1/videos', { json: { prompt: 'a meadow', seconds: '1', fps: '12' } })).json.size).toBe('720x1280');
    const asked = await call(server.url, '/v1/videos', { json: { prompt: 'a meadow', seconds: '1', fps: '12', size: '320x180', input_reference: dataUrl(sizedPng(900, 1600)) } });
    expect(asked.json.size).toBe('320x180');
    // The first one really is a landscape video.
    const [id] = made[0]!;
    expect((await done(server.url, id)).json.status).toBe('completed');
    const video = Buffer.from(await (await fetch(`${server.url}/v1/videos/${id}/content`)).arrayBuffer());
    expect((await probeBytes(video)).video).toMatchObject({ width: 1280, height: 720 });
  });

  it('lets a raised cap through (and renders it), and refuses a remix whose inherited reference is now beyond the cap', async () => {
    const q = place(db);
    let raised: RunningServer | null = await start(q, { uploads: { maxPixels: 8192 * 8192 } });
    let lowered: RunningServer | null = null;
    try {
      const r = await call(raised.url, '/v1/videos', { form: upload({ prompt: 'a meadow at noon', seconds: '1', size: '320x180', fps: '12' }, huge) });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      const finished = await done(raised.url, r.json.id);
      expect(finished.json.status, JSON.stringify(finished.json.error)).toBe('completed');
      await raised.close();
      raised = null;
      // The operator lowers the cap again: the parent's reference is held to it on remix.
      lowered = await start(q);
      const remix = await call(lowered.url, `/v1/videos/${r.json.id}/remix`, { json: { prompt: 'the same meadow at night' } });
      expect(remix.status, JSON.stringify(remix.json)).toBe(400);
      expect(remix.json.error).toMatchObject({ param: 'input_reference', code: 'image_too_large' });
      expect(remix.json.error.message).toContain('8192x8192');
      expect(remix.json.error.message).toContain('4096x4096');
      expect((await call(lowered.url, '/v1/videos')).json.data).toHaveLength(1);
    } finally {
      await raised?.close();
      await lowered?.close();
      await dispose(q);
    }
  });
});
