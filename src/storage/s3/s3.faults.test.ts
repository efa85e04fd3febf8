// S3 misbehaving: a proxy in front of a real s3rver answers 500s or holds requests. The store
// must retry transient errors, fail clearly on persistent ones without leaving an object behind,
// and give up on a silent server at its request timeout instead of hanging.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, startS3Server, type FaultProxy, type S3TestServer } from '../../../test/helpers/s3-server.js';
import { S3BlobStore, type S3BlobStoreOptions } from './s3.blob-store.js';

const MIB = 1024 * 1024;
let s3: S3TestServer;
const proxies: FaultProxy[] = [];
const stores: S3BlobStore[] = [];

beforeAll(async () => { s3 = await startS3Server(); });
afterAll(async () => { await s3?.stop(); });
afterEach(async () => {
  for (const s of stores.splice(0)) s.destroy();
  for (const p of proxies.splice(0)) await p.stop();
});

/** A store that talks to s3rver through a fresh fault proxy. */
async function proxiedStore(extra: Partial<S3BlobStoreOptions> = {}): Promise<{ store: S3BlobStore; proxy: FaultProxy }> {
  const proxy = await startFaultProxy(s3.endpoint);
  proxies.push(proxy);
  return { store: storeVia(proxy, extra), proxy };
}

function storeVia(proxy: FaultProxy, extra: Partial<S3BlobStoreOptions> = {}): S3BlobStore {
  const store = new S3BlobStore({
    endpoint: proxy.endpoint,
    bucket: s3.bucket,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    prefix: `f-${randomBytes(4).toString('hex')}`,
    ...extra,
  });
  stores.push(store);
  return store;
}
const isPart = (r: { method: string; url: string }) => r.method === 'PUT' && /[?&]partNumber=/.test(r.url);

describe('S3 answering 500s', () => {
  it('gets a put through transient 500s thanks to the SDK retries', async () => {
    const { store, proxy } = await proxiedStore({ maxAttempts: 3 });
    proxy.failNext(2);
    const data = randomBytes(50_000);
    // A stream source: the retries resend bytes the store already read from it.
    await store.put('v/video.mp4', Readable.from([data.subarray(0, 20_000), data.subarray(20_000)]));
    expect(proxy.requests.map((r) => r.fault)).toEqual(['status', 'status', 'none']);
    expect(await s3.readObject(`${store.prefix}/v/video.mp4`)).toEqual(data);
  });

  it('gets a multipart put through a transient 500 on one part', async () => {
    const { store, proxy } = await proxiedStore({ partSizeBytes: 5 * MIB, queueSize: 1 });
    proxy.failNext(1, { match: (r) => isPart(r) && /partNumber=2/.test(r.url) });
    const big = randomBytes(11 * MIB);
    await store.put('v/big.mp4', big);
    expect(proxy.requests.filter((r) => /partNumber=2/.test(r.url)).map((r) => r.fault)).toEqual(['status', 'none']);
    // Buffer.equals: a deep toEqual over 11 MiB takes minutes.
    expect((await s3.readObject(`${store.prefix}/v/big.mp4`))?.equals(big)).toBe(true);
  }, 60_000);

  it('rejects a put clearly when the 500s persist, and leaves no object', async () => {
    const { store, proxy } = await proxiedStore({ maxAttempts: 3 });
    proxy.failNext(1_000);
    const err = await store.put('v/video.mp4', Buffer.from('x')).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`S3 put of "v/video.mp4" failed (bucket "${s3.bucket}" at ${proxy.endpoint}): InternalError: injected fault (HTTP 500), HTTP 500, after 3 attempts`);
    expect(proxy.requests).toHaveLength(3);
    expect(await s3.listObjects(`${store.prefix}/`)).toEqual([]);
  });

  it('keeps the old object and aborts the upload when the parts of a multipart overwrite keep failing', async () => {
    const { store, proxy } = await proxiedStore({ partSizeBytes: 5 * MIB, queueSize: 2, maxAttempts: 2 });
    await store.put('v/video.mp4', Buffer.from('old'));
    proxy.failNext(1_000, { match: isPart });
    await expect(store.put('v/video.mp4', randomBytes(12 * MIB))).rejects.toThrow(/S3 put of "v\/video.mp4" failed .*InternalError/);
    expect(proxy.requests.some((r) => r.method === 'DELETE' && /[?&]uploadId=/.test(r.url))).toBe(true);
    expect(proxy.requests.some((r) => r.method === 'POST' && /[?&]uploadId=/.test(r.url))).toBe(false);
    expect(await s3.listObjects(`${store.prefix}/`)).toEqual([`${store.prefix}/v/video.mp4`]);
    expect((await s3.readObject(`${store.prefix}/v/video.mp4`))?.toString()).toBe('old');
  }, 60_000);

  it('retries reads and stats, and reports a persistent failure as an error, not as a missing blob', async () => {
    const { store, proxy } = await proxiedStore({ maxAttempts: 3 });
    await store.put('r/x.txt', Buffer.from('0123456789'));
    proxy.failNext(2);
    expect(await text(await store.get('r/x.txt', { start: 3, end: 5 }))).toBe('345');
    proxy.failNext(1_000);
    await expect(store.stat('r/x.txt')).rejects.toThrow(/S3 stat of "r\/x.txt" failed .*HTTP 500/);
    await expect(store.get('r/x.txt')).rejects.toThrow(/S3 get of "r\/x.txt" failed .*InternalError/);
  });
});

describe('S3 answering slowly', () => {
  it('a put fails at the request timeout instead of hanging', async () => {
    const { store, proxy } = await proxiedStore({ requestTimeoutMs: 300, maxAttempts: 2 });
    proxy.delayNext(1_000, 600_000);
    const err = await store.put('s/video.mp4', Buffer.from('x')).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^S3 put of "s\/video.mp4" failed .*: TimeoutError: .*300 ms requestTimeout.*after 2 attempts$/);
    expect(proxy.requests.map((r) => r.fault)).toEqual(['delay', 'delay']);
    expect(await s3.listObjects(`${store.prefix}/`)).toEqual([]);
  }, 30_000);

  it('a get fails at the request timeout; a server slower than usual but inside it is fine', async () => {
    const { store, proxy } = await proxiedStore({ requestTimeoutMs: 300, maxAttempts: 1 });
    await store.put('s/x.txt', Buffer.from('hello'));
    proxy.delayNext(1, 600_000);
    await expect(store.get('s/x.txt')).rejects.toThrow(/S3 get of "s\/x.txt" failed .*TimeoutError/);
    const patient = storeVia(proxy, { requestTimeoutMs: 20_000 });
    await patient.put('s/y.txt', Buffer.from('hello'));
    proxy.delayNext(1, 200);
    expect(await text(await patient.get('s/y.txt'))).toBe('hello');
    expect(proxy.requests.at(-1)?.fault).toBe('delay');
  }, 30_000);
});
