// The S3 store against a real S3-protocol server (s3rver on a loopback port, signatures checked):
// the storage contract, multipart, prefixes, presigned URLs and the readiness check.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStorageContract } from '../blob-store.contract.js';
import { startFaultProxy, startS3Server, type S3TestServer } from '../../../test/helpers/s3-server.js';
import { S3BlobStore, type S3BlobStoreOptions } from './s3.blob-store.js';

const MIB = 1024 * 1024;
let s3: S3TestServer;
const stores: S3BlobStore[] = [];

beforeAll(async () => { s3 = await startS3Server(); });
afterAll(async () => {
  for (const s of stores) s.destroy();
  await s3?.stop();
});

function storeFor(server: { endpoint: string; bucket: string }, extra: Partial<S3BlobStoreOptions> = {}): S3BlobStore {
  const store = new S3BlobStore({
    endpoint: server.endpoint,
    bucket: server.bucket,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    prefix: `t-${randomBytes(4).toString('hex')}`,
    ...extra,
  });
  stores.push(store);
  return store;
}

const readAll = async (s: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// Each contract test gets its own prefix in the shared bucket.
runStorageContract('s3 (s3rver)', async () => storeFor(s3));

describe('S3BlobStore', () => {
  it('stores keys under the prefix, and only there', async () => {
    const store = storeFor(s3, { prefix: 'instance-a/' });
    await store.put('videos/v1/video.mp4', Buffer.from('x'));
    expect(await s3.listObjects('instance-a/')).toEqual(['instance-a/videos/v1/video.mp4']);
    expect(await storeFor(s3, { prefix: 'instance-b' }).stat('videos/v1/video.mp4')).toBeNull();
    await store.delete('videos/v1/video.mp4');
    expect(await s3.listObjects('instance-a/')).toEqual([]);
  });

  it('uploads a blob larger than a part as multipart, and reads it back whole and by range', async () => {
    const proxy = await startFaultProxy(s3.endpoint);
    const store = storeFor({ endpoint: proxy.endpoint, bucket: s3.bucket }, { partSizeBytes: 5 * MIB, queueSize: 2 });
    try {
      const big = randomBytes(12 * MIB + 123);
      // From a stream of odd-sized chunks, so parts are cut across chunk boundaries.
      const chunks = Array.from({ length: Math.ceil(big.length / 777_777) }, (_, i) => big.subarray(i * 777_777, (i + 1) * 777_777));
      const res = await store.put('big/video.mp4', Readable.from(chunks));
      expect(res).toEqual({ bytes: big.length, sha256: sha(big) });
      const parts = proxy.requests.filter((r) => r.method === 'PUT' && /[?&]partNumber=/.test(r.url));
      expect(parts).toHaveLength(3);
      expect(proxy.requests.some((r) => r.method === 'POST' && /[?&]uploads/.test(r.url))).toBe(true);
      expect(sha(await readAll(await store.get('big/video.mp4')))).toBe(sha(big));
      const start = 5 * MIB - 10;
      expect(await readAll(await store.get('big/video.mp4', { start, end: start + 19 }))).toEqual(big.subarray(start, start + 20));
      expect((await store.stat('big/video.mp4'))?.bytes).toBe(big.length);
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  it('sends a blob that fits in one part as a single PutObject', async () => {
    const proxy = await startFaultProxy(s3.endpoint);
    const store = storeFor({ endpoint: proxy.endpoint, bucket: s3.bucket }, { partSizeBytes: 5 * MIB });
    try {
      await store.put('small.bin', Readable.from([randomBytes(1000), randomBytes(1000)]));
      expect(proxy.requests.map((r) => r.method)).toEqual(['PUT']);
      expect(proxy.requests[0]!.url).not.toMatch(/uploadId|partNumber/);
    } finally {
      await proxy.stop();
    }
  });

  it('aborts the multipart upload and leaves the old object when the source fails after a part went up', async () => {
    const proxy = await startFaultProxy(s3.endpoint);
    const store = storeFor({ endpoint: proxy.endpoint, bucket: s3.bucket }, { partSizeBytes: 5 * MIB, queueSize: 1 });
    try {
      await store.put('m/video.mp4', Buffer.from('the old video'));
      const source = Readable.from((async function* () {
        yield randomBytes(6 * MIB);
        // Wait until the first part is really on the server before breaking.
        while (!proxy.requests.some((r) => /[?&]partNumber=1/.test(r.url))) await new Promise((r) => setTimeout(r, 20));
        yield randomBytes(1 * MIB);
        throw new Error('render crashed');
      })());
      await expect(store.put('m/video.mp4', source)).rejects.toThrow('render crashed');
      expect(proxy.requests.some((r) => r.method === 'DELETE' && /[?&]uploadId=/.test(r.url))).toBe(true);
      expect(proxy.requests.some((r) => r.method === 'POST' && /[?&]uploadId=/.test(r.url))).toBe(false);
      expect((await s3.readObject(`${store.prefix}/m/video.mp4`))?.toString()).toBe('the old video');
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  it('stores a content type from the extension', async () => {
    const store = storeFor(s3);
    await store.put('v/thumb.png', Buffer.from('png'));
    const url = await store.presignedUrl('v/thumb.png', { expiresInSeconds: 60 });
    expect((await fetch(url)).headers.get('content-type')).toBe('image/png');
  });
});

describe('presigned URLs', () => {
  it('download the object with a plain fetch, honouring the client Range and the filename', async () => {
    const store = storeFor(s3);
    const data = randomBytes(4096);
    await store.put('videos/v1/video.mp4', data);
    const url = await store.presignedUrl('videos/v1/video.mp4', { expiresInSeconds: 60, filename: 'video_abc.mp4' });
    expect(url).toContain(`${s3.endpoint}/${s3.bucket}/`);
    const full = await fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-disposition')).toBe('inline; filename="video_abc.mp4"');
    expect(Buffer.from(await full.arrayBuffer())).toEqual(data);
    const part = await fetch(url, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(data.subarray(100, 200));
    const open = await fetch(url, { headers: { range: 'bytes=4000-' } });
    expect(Buffer.from(await open.arrayBuffer())).toEqual(data.subarray(4000));
  });

  it('stop working once expired', async () => {
    const store = storeFor(s3);
    await store.put('x/video.mp4', Buffer.from('secret'));
    const url = await store.presignedUrl('x/video.mp4', { expiresInSeconds: 1 });
    // S3 dates signatures to the second, so "1 s" ends somewhere in the next two: poll.
    let res = await fetch(url);
    for (let i = 0; i < 100 && res.status === 200; i++) {
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 100));
      res = await fetch(url);
    }
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/expired/i);
  });

  it('are refused when tampered with (s3rver checks the signature)', async () => {
    const store = storeFor(s3);
    await store.put('a/video.mp4', Buffer.from('a'));
    await store.put('b/video.mp4', Buffer.from('b'));
    const url = await store.presignedUrl('a/video.mp4', { expiresInSeconds: 60 });
    expect((await fetch(url.replace('/a/video.mp4', '/b/video.mp4'))).status).toBe(403);
  });

  it('use the public endpoint when one is set', async () => {
    const store = storeFor(s3, { publicEndpoint: 'https://media.example.org' });
    expect(await store.presignedUrl('a/video.mp4', { expiresInSeconds: 60 })).toMatch(new RegExp(`^https://media\\.example\\.org/${s3.bucket}/`));
  });
});

describe('check()', () => {
  it('passes on a live server with the bucket', async () => {
    await expect(storeFor(s3).check()).resolves.toBeUndefined();
  });

  it('names the endpoint and the bucket when the bucket is missing', async () => {
    const err = await storeFor({ endpoint: s3.endpoint, bucket: 'no-such-bucket' }).check().catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/bucket "no-such-bucket" does not exist/);
    expect((err as Error).message).toContain(s3.endpoint);
  });

  it('names the endpoint and the bucket when the server is down', async () => {
    const other = await startS3Server({ bucket: 'gone' });
    const store = storeFor(other);
    try {
      await expect(store.check()).resolves.toBeUndefined();
    } finally {
      await other.stop();
    }
    const unreachable = new RegExp(`^S3 at ${other.endpoint} is unreachable \\(bucket "gone"\\): `);
    // A store that was connected (its pooled connection dies with the server) and a fresh one.
    await expect(store.check()).rejects.toThrow(unreachable);
    const fresh = storeFor(other, { maxAttempts: 1 });
    await expect(fresh.check()).rejects.toThrow(new RegExp(`${unreachable.source}.*ECONNREFUSED`));
  });

  it('refuses a part size below S3\'s minimum at construction', () => {
    expect(() => storeFor(s3, { partSizeBytes: MIB })).toThrow(/at least 5 MiB/);
  });
});
