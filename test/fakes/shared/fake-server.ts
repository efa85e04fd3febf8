// The tiny HTTP server every provider fake runs on: routes by method and path, the provider's own
// auth check and error shape, the fault switchboard, an optional rate limit (a sliding window that
// answers the provider's 429 with Retry-After), and a log of every call so tests can count POSTs.
import { createReadStream, statSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GENERIC_FAULTS, Switchboard, type Fault } from './faults.js';
import { removeFakeMp4s } from './mp4.js';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  raw: string;
  /** The body as sent (an upload's file bytes survive here, not in `raw`). */
  bytes: Buffer;
  /** A semantic fault queued for this route, for the handler to render the provider's way. */
  fault: Fault | null;
  /** This server's own origin, for URLs in answers. */
  origin: string;
}

export interface FakeAnswer {
  status?: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** Streams this file (a result video). */
  file?: string;
}

export interface FakeRoute {
  name: string;
  method: string;
  /** '/v1/tasks/:id', or a RegExp with named groups. */
  path: string | RegExp;
  handle(req: FakeRequest, params: Record<string, string>): FakeAnswer | Promise<FakeAnswer>;
  /** Routes that need no credentials (a signed download URL). */
  public?: boolean;
}

export interface ProviderShape {
  name: string;
  authorize(req: FakeRequest): FakeAnswer | null;
  /** The provider's error answer for a status. */
  error(status: number, message: string, kind: Fault['kind'] | 'not_found'): FakeAnswer;
  routes: FakeRoute[];
  rateLimit?: { route: string; max: number; windowMs: number };
}

export interface CallRecord {
  route: string;
  method: string;
  path: string;
  /** The query string ('' or '?…'). */
  search: string;
  status: number;
  at: number;
  /** The parsed JSON body, if any: tests read what their own requests sent. */
  body: unknown;
}

function compile(path: string | RegExp): RegExp {
  if (path instanceof RegExp) return path;
  const src = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z_]+)/g, '(?<$1>[^/]+)');
  return new RegExp(`^${src}$`);
}

export class FakeServer {
  /** Fake servers running in this process: the shared clip cache goes when the last one stops. */
  private static running = 0;
  readonly faults = new Switchboard();
  readonly calls: CallRecord[] = [];
  url = '';
  private readonly server: http.Server;
  private readonly routes: Array<FakeRoute & { re: RegExp }>;
  private readonly admitted: number[] = [];

  private constructor(private readonly shape: ProviderShape) {
    this.routes = shape.routes.map((r) => ({ ...r, re: compile(r.path) }));
    this.server = http.createServer((req, res) => { void this.serve(req, res); });
  }

  static async start(shape: ProviderShape): Promise<FakeServer> {
    const s = new FakeServer(shape);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    FakeServer.running++;
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (--FakeServer.running === 0) removeFakeMp4s();
  }

  /** Requests that reached a route (whatever the answer). */
  count(route: string): number {
    return this.calls.filter((c) => c.route === route).length;
  }

  /** Requests to a route answered 2xx: for a create route, the jobs the provider really took. */
  accepted(route: string): number {
    return this.calls.filter((c) => c.route === route && c.status >= 200 && c.status < 300).length;
  }

  posts(): number {
    return this.calls.filter((c) => c.method === 'POST').length;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    let body: unknown;
    try { body = raw ? JSON.parse(raw) : undefined; } catch { body = undefined; }
    const method = req.method ?? 'GET';
    const match = this.routes.map((r) => ({ r, m: method === r.method ? r.re.exec(decodeURIComponent(url.pathname)) : null })).find((x) => x.m);
    const fr: FakeRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body, raw, bytes, fault: null, origin: this.url };
    const record = (status: number) => this.calls.push({ route: match?.r.name ?? '?', method, path: url.pathname, search: url.search, status, at: Date.now(), body });
    if (!match) {
      record(404);
      return this.send(res, this.shape.error(404, `no route for ${method} ${url.pathname}`, 'not_found'));
    }
    const denied = match.r.public ? null : this.shape.authorize(fr);
    if (denied) {
      record(denied.status ?? 401);
      return this.send(res, denied);
    }
    let fault = this.faults.take(match.r.name);
    if (fault?.kind === 'slow') {
      await new Promise((r) => setTimeout(r, (fault as { ms: number }).ms));
      fault = null;
    }
    if (fault?.kind === 'drop') {
      record(0);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'malformed') {
      record(200);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html');
      return;
    }
    if (fault && GENERIC_FAULTS.has(fault.kind)) {
      const f = fault as Extract<Fault, { kind: 'http' | 'rate_limit' }>;
      const status = f.kind === 'rate_limit' ? 429 : f.status;
      const answer = this.shape.error(status, f.kind === 'http' && f.message ? f.message : `fault injected: ${status}`, f.kind);
      const retryAfter = f.kind === 'rate_limit' ? f.retryAfterS : f.retryAfterS;
      record(status);
      return this.send(res, { ...answer, headers: { ...answer.headers, ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}) } });
    }
    const limit = this.shape.rateLimit;
    if (limit && limit.route === match.r.name) {
      const now = Date.now();
      while (this.admitted.length && this.admitted[0]! <= now - limit.windowMs) this.admitted.shift();
      if (this.admitted.length >= limit.max) {
        const retryAfterS = Math.max(1, Math.ceil((this.admitted[0]! + limit.windowMs - now) / 1000));
        const answer = this.shape.error(429, 'Too many requests: rate limit exceeded', 'rate_limit');
        record(429);
        return this.send(res, { ...answer, headers: { ...answer.headers, 'retry-after': String(retryAfterS) } });
      }
      this.admitted.push(now);
    }
    fr.fault = fault?.kind === 'lost_answer' ? null : fault;
    try {
      const answer = await match.r.handle(fr, { ...(match.m!.groups ?? {}) });
      if (fault?.kind === 'lost_answer') {
        if (fault.afterMs) await new Promise((r) => setTimeout(r, fault.afterMs));
        record(0);
        req.socket.destroy();
        return;
      }
      record(answer.status ?? 200);
      this.send(res, answer);
    } catch (err) {
      record(500);
      this.send(res, this.shape.error(500, `fake crashed: ${(err as Error).message}`, 'http'));
    }
  }

  private send(res: http.ServerResponse, a: FakeAnswer): void {
    const status = a.status ?? 200;
    if (a.file) {
      res.writeHead(status, { 'content-type': 'video/mp4', 'content-length': String(statSync(a.file).size), ...a.headers });
      createReadStream(a.file).pipe(res);
      return;
    }
    if (a.json !== undefined) {
      const text = JSON.stringify(a.json);
      res.writeHead(status, { 'content-type': 'application/json', ...a.headers });
      res.end(text);
      return;
    }
    res.writeHead(status, { 'content-type': 'text/plain', ...a.headers });
    res.end(a.text ?? '');
  }
}

/** An S3-style answer for an expired signed URL, as CDNs give it. */
export const EXPIRED_URL: FakeAnswer = {
  status: 403,
  text: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
  headers: { 'content-type': 'application/xml' },
};

export function bearer(req: FakeRequest): string | null {
  const h = req.headers.authorization;
  return typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7) : null;
}
