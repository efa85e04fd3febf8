import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDataUrl, isPrivateAddress, safeFetch } from './safe-fetch.js';

describe('safeFetch', () => {
  let server: Server;
  let base: string;
  let trickleClosed: Promise<void> = Promise.resolve();
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/img') { res.writeHead(200, { 'content-type': 'image/png' }); res.end(Buffer.from('PNGDATA')); }
      else if (req.url === '/redirect') { res.writeHead(302, { location: '/img' }); res.end(); }
      else if (req.url === '/big') { res.writeHead(200); res.end(Buffer.alloc(5000)); }
      else if (req.url === '/trickle') {
        res.writeHead(200);
        const t = setInterval(() => res.write('x'), 100);
        trickleClosed = new Promise((closed) => res.on('close', () => { clearInterval(t); closed(); }));
      }
      else { res.writeHead(404); res.end(); }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  const open = { allowPrivateNetworks: true, timeoutMs: 2000, maxBytes: 1000 };
  const guarded = { ...open, allowPrivateNetworks: false };

  it('fetches when private networks are allowed', async () => {
    expect(await safeFetch(`${base}/img`, open)).toEqual({ data: Buffer.from('PNGDATA'), contentType: 'image/png' });
  });

  it('refuses loopback, private and metadata addresses, odd ports and schemes', async () => {
    await expect(safeFetch(`${base}/img`, guarded)).rejects.toThrow(/port|private/);
    await expect(safeFetch('http://127.0.0.1/img', guarded)).rejects.toThrow(/private or loopback/);
    await expect(safeFetch('http://169.254.169.254/latest/meta-data', guarded)).rejects.toThrow(/private/);
    await expect(safeFetch('http://[::1]/x', guarded)).rejects.toThrow(/private/);
    await expect(safeFetch('http://localhost/x', guarded)).rejects.toThrow(/resolves to a private/);
    await expect(safeFetch('file:///etc/passwd', guarded)).rejects.toThrow(/http or https/);
    await expect(safeFetch('ftp://example.com/x', guarded)).rejects.toThrow(/http or https/);
    await expect(safeFetch('http://user:pw@example.com/x', guarded)).rejects.toThrow(/credentials/);
  });

  it('does not follow redirects, and caps size', async () => {
    await expect(safeFetch(`${base}/redirect`, open)).rejects.toThrow(/redirected/);
    await expect(safeFetch(`${base}/big`, open)).rejects.toThrow(/limit/);
    await expect(safeFetch(`${base}/missing`, open)).rejects.toThrow(/HTTP 404/);
    // A body that never ends: the whole fetch times out, and the connection is dropped, not read on.
    await expect(safeFetch(`${base}/trickle`, { ...open, timeoutMs: 500 })).rejects.toThrow(/did not finish within 500 ms/);
    await trickleClosed;
  });

  it('classifies addresses', () => {
    for (const a of ['10.1.2.3', '192.168.0.1', '172.20.0.1', '127.0.0.1', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '0.0.0.0', '::7f00:1', '2002:7f00:1::', 'fec0::1', '64:ff9b::a00:1']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '2606:4700::1111', '8.8.8.8']) expect(isPrivateAddress(a)).toBe(false);
  });

  it('decodes data URLs', () => {
    expect(decodeDataUrl('data:image/png;base64,' + Buffer.from('hi').toString('base64'))).toEqual({ data: Buffer.from('hi'), contentType: 'image/png' });
    expect(decodeDataUrl('data:,a%20b').data.toString()).toBe('a b');
    expect(() => decodeDataUrl('data:nocomma')).toThrow();
  });
});
