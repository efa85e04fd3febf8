// Outgoing webhook requests: a POST to a URL a user chose, so held to the same SSRF rules as
// safe-fetch.ts (http(s) on web ports, no credentials, every resolved address checked at connect
// time, which defeats DNS rebinding between registration and delivery), no redirects followed, one
// deadline for the whole exchange, and the answer's body read only up to a few KB and dropped.
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isPrivateAddress, refuseTarget } from './safe-fetch.js';

export interface PostResult {
  /** The HTTP status, or null when no answer came (refused, unreachable, timed out). */
  statusCode: number | null;
  /** Why it did not count as delivered, in words for the endpoint's owner; null on a 2xx. */
  error: string | null;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Why a webhook URL cannot be registered, or null. Checked again at every delivery (the name may
 * resolve elsewhere by then); this early check is for a clear 400 at registration. A name that
 * does not resolve right now is accepted: its deliveries fail, visibly, until it does.
 */
export async function refuseWebhookUrl(raw: string, opts: { allowPrivate: boolean }): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL';
  }
  const refused = refuseTarget(url, { allowPrivate: opts.allowPrivate });
  if (refused) return refused;
  if (opts.allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return null;
  try {
    const addresses = await dnsLookup(host, { all: true });
    if (addresses.some((a) => isPrivateAddress(a.address))) return 'resolves to a private or loopback address';
  } catch { /* unresolvable now: see above */ }
  return null;
}

/** POSTs `body` with `headers`; never throws. */
export function safePost(rawUrl: string, body: string, headers: Record<string, string>, opts: { allowPrivateNetworks: boolean; timeoutMs: number; signal?: AbortSignal }): Promise<PostResult> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return Promise.resolve({ statusCode: null, error: 'refused: the URL is not valid' });
  }
  const refused = refuseTarget(url, { allowPrivate: opts.allowPrivateNetworks });
  if (refused) return Promise.resolve({ statusCode: null, error: `refused: the URL ${refused}` });
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((settle) => {
    let done = false;
    const finish = (r: PostResult) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      opts.signal?.removeEventListener('abort', onAbort);
      settle(r);
    };
    const req = client.request(url, {
      method: 'POST',
      lookup: guardedLookup(opts.allowPrivateNetworks),
      // A fresh connection per delivery: a kept-alive socket would skip the address check.
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Melies-Webhooks/1', ...headers },
    }, (res) => {
      const status = res.statusCode ?? 0;
      let size = 0;
      res.on('data', (c: Buffer) => { size += c.length; if (size > MAX_ANSWER_BYTES) res.destroy(); });
      const settleWithStatus = () => {
        if (status >= 200 && status < 300) finish({ statusCode: status, error: null });
        else if (status >= 300 && status < 400) finish({ statusCode: status, error: `redirected (HTTP ${status}); redirects are not followed, register the final URL` });
        else finish({ statusCode: status, error: `answered HTTP ${status}` });
      };
      res.on('end', settleWithStatus);
      res.on('close', settleWithStatus);
      res.on('error', settleWithStatus);
    });
    // The whole exchange, not an idle socket: a receiver trickling bytes cannot hold a slot.
    const deadline = setTimeout(() => { req.destroy(); finish({ statusCode: null, error: `no answer within ${opts.timeoutMs} ms` }); }, opts.timeoutMs);
    const onAbort = () => { req.destroy(); finish({ statusCode: null, error: 'aborted: the server was stopping' }); };
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort);
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      finish({ statusCode: null, error: code === 'EPRIVATE' ? 'refused: the host resolves to a private or loopback address' : `could not connect: ${code || err.message}` });
    });
    req.end(body);
  });
}
