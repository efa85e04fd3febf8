// A real S3-protocol server for tests: @20minutes/s3rver (fs-backed, checks SigV4 signatures and
// presigned-URL expiry) on 127.0.0.1 and a free port, in a temp folder removed on stop. Plus a
// tiny HTTP proxy that can put faults (500s, delays) in front of it. No vitest import here: the
// cluster test also runs it as its own OS process (s3-server.process.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

/** s3rver accepts only this fixed key pair. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The folder s3rver keeps its objects in. */
  directory: string;
  /** Keys in the bucket (all, or under a prefix), sorted. */
  listObjects(prefix?: string): Promise<string[]>;
  /** An object's bytes, or null when there is none. */
  readObject(key: string): Promise<Buffer | null>;
  /** An SDK client set up for this server, for tests that look behind the store. */
  client: S3Client;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverClass = new (opts: Record<string, unknown>) => S3rverInstance;

/** Settings s3rver needs from the SDK: path-style URLs and no aws-chunked checksum uploads. */
export function s3rverClient(endpoint: string, region = 'us-east-1'): S3Client {
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { ...S3RVER_CREDENTIALS },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

type KoaMiddleware = (ctx: { path: string; mountPath?: string; state: { vhost?: boolean } }, next: () => Promise<unknown>) => Promise<unknown>;

/**
 * Loads s3rver with one fix. For bucket-level requests (HeadBucket, ListObjectsV2) today's SDK
 * signs the path `/bucket/`, as AWS documents, but s3rver canonicalises it as `/bucket` and
 * answers 403 SignatureDoesNotMatch (jamhall/s3rver#567). Its authentication middleware builds
 * `'/' + bucket + mountPath` for virtual-host requests, so for that check only we present the
 * request as one with mountPath `/`. Signatures stay checked; nothing else in s3rver sees the change.
 */
function loadS3rver(): S3rverClass {
  const req = createRequire(import.meta.url);
  const authPath = req.resolve('@20minutes/s3rver/lib/middleware/authentication');
  if (!req.cache[authPath]) {
    const original = req(authPath) as () => KoaMiddleware;
    req.cache[authPath]!.exports = (): KoaMiddleware => {
      const auth = original();
      return (ctx, next) => {
        if (ctx.state.vhost || !/^\/[^/]+\/$/.test(ctx.path)) return auth(ctx, next);
        const mountPath = ctx.mountPath;
        ctx.state.vhost = true;
        ctx.mountPath = '/';
        return auth(ctx, () => {
          ctx.state.vhost = false;
          ctx.mountPath = mountPath;
          return next();
        });
      };
    };
  }
  return req('@20minutes/s3rver') as S3rverClass;
}

export async function startS3Server(opts: { bucket?: string; port?: number } = {}): Promise<S3TestServer> {
  const S3rver = loadS3rver();
  const bucket = opts.bucket ?? 'melies-test';
  const directory = mkdtempSync(join(tmpdir(), 'melies-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: opts.port ?? 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket }],
  });
  let addr: AddressInfo;
  try {
    addr = await server.run();
  } catch (err) {
    rmSync(directory, { recursive: true, force: true });
    throw err;
  }
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const client = s3rverClient(endpoint);
  let stopped = false;
  return {
    endpoint,
    bucket,
    region: 'us-east-1',
    ...S3RVER_CREDENTIALS,
    directory,
    client,
    async listObjects(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async readObject(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from(await res.Body!.transformToByteArray());
      } catch (err) {
        if ((err as Error).name === 'NoSuchKey') return null;
        throw err;
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      client.destroy();
      const closing = server.close();
      // A test that stops the server mid-download must not wait for that download to finish.
      server.httpServer?.closeAllConnections();
      await closing;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface ProxiedRequest {
  method: string;
  url: string;
  /** What the proxy did: passed it on, answered with an injected status, or held it first. */
  fault: 'none' | 'status' | 'delay';
}

type Match = (r: { method: string; url: string }) => boolean;
interface Rule {
  remaining: number;
  match: Match;
  status?: number;
  delayMs?: number;
}

export interface FaultProxy {
  endpoint: string;
  /** Every request seen, in arrival order. */
  requests: ProxiedRequest[];
  /** The next `count` matching requests get `status` (default 500, an S3 InternalError body). */
  failNext(count: number, opts?: { status?: number; match?: Match }): void;
  /** The next `count` matching requests are held `ms` before being passed on. */
  delayNext(count: number, ms: number, opts?: { match?: Match }): void;
  stop(): Promise<void>;
}

/** An HTTP proxy in front of `target` (an http:// endpoint) that injects faults on demand. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const up = new URL(target);
  const rules: Rule[] = [];
  const requests: ProxiedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    // Headers go through untouched: the client signed the proxy's Host, and s3rver checks it.
    const out = httpRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    const seen = { method: req.method ?? 'GET', url: req.url ?? '/' };
    const rule = rules.find((r) => r.remaining > 0 && r.match(seen));
    if (rule) rule.remaining -= 1;
    requests.push({ ...seen, fault: !rule ? 'none' : rule.status ? 'status' : 'delay' });
    if (rule?.status) {
      req.resume();
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>injected fault (HTTP ${rule.status})</Message></Error>`;
      res.writeHead(rule.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } else if (rule?.delayMs) {
      req.pause();
      const t = setTimeout(() => { timers.delete(t); forward(req, res); }, rule.delayMs);
      timers.add(t);
      // The client gave up (its timeout fired): drop the held request.
      res.on('close', () => { clearTimeout(t); timers.delete(t); });
    } else {
      forward(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const any: Match = () => true;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, opts = {}) {
      rules.push({ remaining: count, match: opts.match ?? any, status: opts.status ?? 500 });
    },
    delayNext(count, ms, opts = {}) {
      rules.push({ remaining: count, match: opts.match ?? any, delayMs: ms });
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closing;
    },
  };
}
