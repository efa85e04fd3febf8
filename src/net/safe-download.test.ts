// The result downloader: private addresses are refused unless they are the operator's configured
// origin; redirects are followed but credentials never leave their origin; size caps hold.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeDownload } from './safe-download.js';

type Seen = { path: string; auth: string | undefined };
function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => { seen.push({ path: req.url ?? '', auth: req.headers.authorization }); handler(req, res); });
  return { server, seen, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const storage = serve((req, res) => { res.writeHead(200, { 'content-length': '11' }); res.end('hello video'); });
const api = serve((req, res) => {
  if (req.url === '/big') { res.writeHead(200); res.end(Buffer.alloc(5000)); return; }
  res.writeHead(302, { location: req.url === '/same' ? '/file' : `${storage.url()}/file` });
  res.end();
});
beforeAll(async () => {
  await new Promise<void>((r) => storage.server.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => api.server.listen(0, '127.0.0.1', r));
});
const dirs: string[] = [];
afterAll(() => {
  storage.server.close();
  api.server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const file = () => {
  const d = mkdtempSync(join(tmpdir(), 'melies-dl-'));
  dirs.push(d);
  return join(d, 'out.mp4');
};
const base = { signal: new AbortController().signal, timeoutMs: 5000, maxBytes: 1024, headers: { authorization: 'Bearer secret' } };

describe('safeDownload', () => {
  it('refuses a result URL on a private address that the operator did not configure', async () => {
    const r = await safeDownload(`${storage.url()}/file`, file(), { ...base, trustedOrigins: [], allowPrivateNetworks: false });
    expect(r.ok).toBe(false);
    expect(storage.seen).toHaveLength(0);
  });

  it('holds a result URL off the configured origins to web ports, as safeFetch does, without connecting', async () => {
    const r = await safeDownload('http://93.184.216.34:6379/file', file(), { ...base, trustedOrigins: [], allowPrivateNetworks: false });
    expect(r).toMatchObject({ ok: false, status: null, message: expect.stringMatching(/port 6379/) });
    expect((await safeDownload('http://user:pw@93.184.216.34/file', file(), { ...base, trustedOrigins: [], allowPrivateNetworks: false })).ok).toBe(false);
  });

  it('follows a redirect off the configured origin only if the next hop is allowed, and drops credentials there', async () => {
    const refused = await safeDownload(`${api.url()}/redirect`, file(), { ...base, trustedOrigins: [api.url()], allowPrivateNetworks: false });
    expect(refused.ok).toBe(false);
    expect(storage.seen).toHaveLength(0);
    expect(api.seen.at(-1)!.auth).toBe('Bearer secret');
    const out = file();
    const ok = await safeDownload(`${api.url()}/redirect`, out, { ...base, trustedOrigins: [api.url()], allowPrivateNetworks: true });
    expect(ok).toEqual({ ok: true, bytes: 11 });
    expect(readFileSync(out, 'utf8')).toBe('hello video');
    expect(storage.seen.at(-1)!.auth).toBeUndefined();
  });

  it('keeps credentials on a same-origin redirect, refuses other schemes, and caps the size', async () => {
    await safeDownload(`${api.url()}/same`, file(), { ...base, trustedOrigins: [api.url()], allowPrivateNetworks: false });
    expect(api.seen.at(-1)).toEqual({ path: '/file', auth: 'Bearer secret' });
    expect((await safeDownload('file:///etc/passwd', file(), { ...base, trustedOrigins: [], allowPrivateNetworks: true })).ok).toBe(false);
    const big = await safeDownload(`${api.url()}/big`, file(), { ...base, trustedOrigins: [api.url()], allowPrivateNetworks: false });
    expect(big).toMatchObject({ ok: false, message: expect.stringMatching(/limit/) });
  });
});
