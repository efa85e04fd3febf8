// Downloads a cloud provider's result file to disk. The URL comes from the provider's answer, so it
// is not trusted (OWASP API10): the guard of safe-fetch.ts applies (http(s) on web ports, every
// resolved address checked against private and loopback ranges at connect time), except on origins
// the operator configured (a provider's API base, e.g. a LocalAI or another Méliès on the LAN).
// Redirects are followed (Google's file downloads redirect) but each hop is checked again, and
// headers (credentials) are dropped as soon as a hop leaves the origin they were meant for. Streams
// to the file with a size cap and a deadline.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, refuseTarget } from './safe-fetch.js';

export interface SafeDownloadOptions {
  headers?: Record<string, string>;
  signal: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  trustedOrigins: string[];
  /** The operator's MELIES_FETCH_ALLOW_PRIVATE: lifts the private-address check everywhere. */
  allowPrivateNetworks: boolean;
  maxRedirects?: number;
}

export type SafeDownloadResult = { ok: true; bytes: number } | { ok: false; status: number | null; message: string };

export async function safeDownload(rawUrl: string, file: string, opts: SafeDownloadOptions): Promise<SafeDownloadResult> {
  const deadline = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: null, message: 'the result URL is not a URL' };
  }
  const authOrigin = url.origin;
  for (let hop = 0; hop <= (opts.maxRedirects ?? 5); hop++) {
    // The operator's own origins may be anywhere (a LocalAI on :8080 of the LAN); any other hop is
    // held to the same rules as a user's image_url, ports included.
    const trusted = opts.allowPrivateNetworks || opts.trustedOrigins.includes(url.origin);
    const refused = refuseTarget(url, { allowPrivate: trusted });
    if (refused) return { ok: false, status: null, message: `the result URL ${refused}` };
    const headers = url.origin === authOrigin ? { ...opts.headers } : {};
    const r = await getOnce(url, file, headers, trusted, deadline, opts.maxBytes);
    if (r.kind === 'done') return { ok: true, bytes: r.bytes };
    if (r.kind === 'failed') {
      await rm(file, { force: true });
      if (opts.signal.aborted) throw opts.signal.reason;
      return { ok: false, status: r.status, message: r.message };
    }
    try {
      url = new URL(r.location, url);
    } catch {
      return { ok: false, status: null, message: 'a redirect pointed at something that is not a URL' };
    }
  }
  return { ok: false, status: null, message: 'too many redirects' };
}

type Hop = { kind: 'done'; bytes: number } | { kind: 'redirect'; location: string } | { kind: 'failed'; status: number | null; message: string };

function getOnce(url: URL, file: string, headers: Record<string, string>, trusted: boolean, signal: AbortSignal, maxBytes: number): Promise<Hop> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Hop>((settle) => {
    let settled = false;
    const done = (h: Hop) => { if (!settled) { settled = true; settle(h); } };
    if (signal.aborted) return done({ kind: 'failed', status: null, message: String((signal.reason as Error)?.message ?? 'aborted') });
    const req = client.get(url, { lookup: guardedLookup(trusted), headers: { 'user-agent': 'Melies/0.1 (+result download)', ...headers }, signal }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        return done({ kind: 'redirect', location: res.headers.location });
      }
      if (status !== 200) {
        res.resume();
        return done({ kind: 'failed', status, message: `HTTP ${status}` });
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        done({ kind: 'failed', status: null, message: `the file is ${declared} bytes, over the ${maxBytes}-byte limit` });
        return res.destroy();
      }
      const out = createWriteStream(file);
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          done({ kind: 'failed', status: null, message: `the file is over the ${maxBytes}-byte limit` });
          res.destroy();
          out.destroy();
        }
      });
      res.on('error', (err) => { out.destroy(); done({ kind: 'failed', status: null, message: `the download broke off: ${err.message}` }); });
      res.on('aborted', () => { out.destroy(); done({ kind: 'failed', status: null, message: 'the download broke off' }); });
      out.on('error', (err) => done({ kind: 'failed', status: null, message: `could not write the file: ${err.message}` }));
      out.on('finish', () => {
        if (declared && size !== declared) return done({ kind: 'failed', status: null, message: `the download ended at ${size} of ${declared} bytes` });
        done({ kind: 'done', bytes: size });
      });
      res.pipe(out);
    });
    req.on('error', (err) => done({ kind: 'failed', status: null, message: `could not be fetched: ${(err as NodeJS.ErrnoException).code ?? err.message}` }));
  });
}
