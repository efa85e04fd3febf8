// Outbound fetches of client-supplied URLs (input_reference image_url now; webhooks later). These
// are an SSRF hole unless guarded: only http(s) on web ports, every resolved address checked
// against private/loopback/link-local ranges at connect time (so DNS tricks like
// 127.0.0.1.nip.io fail), no redirects, a timeout and a size cap. The guard itself (refuseTarget,
// guardedLookup) is exported so safe-download.ts holds provider result URLs to the same rules.
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export class FetchRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchRefused';
  }
}

export interface SafeFetchOptions {
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  maxBytes: number;
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
// IPv6: unspecified, loopback and IPv4-compatible (::/96), unique-local, link- and site-local,
// multicast, and the IPv4-embedding prefixes (NAT64, 6to4) that could smuggle a private IPv4.
for (const [net, prefix] of [['::', 96], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['2002::', 16]] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

const WEB_PORTS = new Set(['', '80', '443', '8080', '8443']);

/**
 * Why a URL must not be fetched, before any connection: a scheme other than http(s), credentials,
 * and (unless private networks are allowed) a port other than the web's or a literal private
 * address. Names are checked again at connect time by guardedLookup. Null when it may be tried.
 */
export function refuseTarget(url: URL, opts: { allowPrivate: boolean }): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username || url.password) return 'must not contain credentials';
  if (opts.allowPrivate) return null;
  // Other ports are where internal services listen (Redis, Docker, admin panels).
  if (!WEB_PORTS.has(url.port)) return `uses port ${url.port}; only 80, 443, 8080 and 8443 are allowed`;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isPrivateAddress(host)) return 'points at a private or loopback address';
  return null;
}

/**
 * A DNS lookup for http(s).get that refuses, at connect time, a name resolving to any private
 * address (so DNS tricks like 127.0.0.1.nip.io fail), unless private networks are allowed.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as Array<{ address: string; family: number }>;
      if (!allowPrivate && list.some((a) => isPrivateAddress(a.address))) {
        return callback(Object.assign(new FetchRefused('resolves to a private or loopback address'), { code: 'EPRIVATE' }), '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as any)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** Fetches a URL's body (GET), refusing anything that could reach inside the server's network. */
export async function safeFetch(rawUrl: string, opts: SafeFetchOptions): Promise<{ data: Buffer; contentType: string }> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new FetchRefused('is not a valid URL');
  }
  const refused = refuseTarget(url, { allowPrivate: opts.allowPrivateNetworks });
  if (refused) throw new FetchRefused(refused);

  const client = url.protocol === 'https:' ? https : http;
  return new Promise((settle, fail) => {
    // `timeout` below only fires on an idle socket; this bounds the whole exchange, so a server
    // trickling a byte at a time cannot hold a request (and its memory) open.
    const deadline = setTimeout(() => req.destroy(new FetchRefused(`did not finish within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    const resolve = (v: { data: Buffer; contentType: string }) => { clearTimeout(deadline); settle(v); };
    const reject = (err: Error) => { clearTimeout(deadline); fail(err); };
    const req = client.get(url, { lookup: guardedLookup(opts.allowPrivateNetworks), timeout: opts.timeoutMs, headers: { 'user-agent': 'Melies/0.1 (+input_reference fetch)', accept: 'image/*' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        return reject(new FetchRefused(`redirected (HTTP ${status}); give the final URL instead`));
      }
      if (status !== 200) {
        res.resume();
        return reject(new FetchRefused(`answered HTTP ${status}`));
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > opts.maxBytes) {
        res.destroy();
        return reject(new FetchRefused(`is ${declared} bytes, over the ${opts.maxBytes}-byte limit`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > opts.maxBytes) {
          res.destroy();
          reject(new FetchRefused(`is over the ${opts.maxBytes}-byte limit`));
        } else chunks.push(c);
      });
      res.on('end', () => resolve({ data: Buffer.concat(chunks), contentType: String(res.headers['content-type'] ?? '') }));
      res.on('error', (err) => reject(new FetchRefused(`could not be read: ${err.message}`)));
    });
    req.on('timeout', () => req.destroy(new FetchRefused(`did not answer within ${opts.timeoutMs} ms`)));
    req.on('error', (err) => reject(err instanceof FetchRefused ? err : new FetchRefused(`could not be fetched: ${(err as NodeJS.ErrnoException).code ?? err.message}`)));
  });
}

/** Decodes a `data:` URL (base64 or percent-encoded). */
export function decodeDataUrl(url: string): { data: Buffer; contentType: string } {
  const m = /^data:([^,]*?),(.*)$/s.exec(url);
  if (!m) throw new FetchRefused('is not a valid data: URL');
  const meta = m[1]!;
  const isBase64 = /;base64$/i.test(meta);
  const contentType = meta.replace(/;base64$/i, '') || 'text/plain';
  try {
    return { data: isBase64 ? Buffer.from(m[2]!, 'base64') : Buffer.from(decodeURIComponent(m[2]!), 'utf8'), contentType };
  } catch {
    throw new FetchRefused('is a data: URL whose content cannot be decoded');
  }
}
