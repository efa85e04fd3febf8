// The contract every BlobStore implementation passes (local now, S3 later): call
// runStorageContract(name, makeStore) from the implementation's test file.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BlobNotFoundError, type BlobStore } from './blob-store.js';

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

export function runStorageContract(name: string, makeStore: () => Promise<BlobStore>): void {
  describe(`BlobStore contract: ${name}`, () => {
    it('puts a buffer and reports its size and sha256', async () => {
      const store = await makeStore();
      const data = Buffer.from('hello, méliès');
      const res = await store.put('videos/a/video.mp4', data);
      expect(res).toEqual({ bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
      expect(await readAll(await store.get('videos/a/video.mp4'))).toEqual(data);
      expect((await store.stat('videos/a/video.mp4'))?.bytes).toBe(data.length);
    });

    it('puts from a stream and from a file', async () => {
      const store = await makeStore();
      const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
      const r1 = await store.put('s/stream.bin', Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
      expect(r1.bytes).toBe(big.length);
      const dir = mkdtempSync(join(tmpdir(), 'blob-src-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      writeFileSync(join(dir, 'f.bin'), big);
      const r2 = await store.put('s/file.bin', { file: join(dir, 'f.bin') });
      expect(r2.sha256).toBe(r1.sha256);
    });

    it('reads inclusive byte ranges', async () => {
      const store = await makeStore();
      await store.put('r/x.txt', Buffer.from('0123456789'));
      expect(await text(await store.get('r/x.txt', { start: 2, end: 5 }))).toBe('2345');
      expect(await text(await store.get('r/x.txt', { start: 9, end: 9 }))).toBe('9');
    });

    it('overwrites atomically and keeps the old blob when a put fails midway', async () => {
      const store = await makeStore();
      await store.put('o/x.bin', Buffer.from('old'));
      await store.put('o/x.bin', Buffer.from('newer'));
      expect(await text(await store.get('o/x.bin'))).toBe('newer');
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1024, 1));
          this.destroy(new Error('source broke'));
        },
      });
      await expect(store.put('o/x.bin', failing)).rejects.toThrow(/source broke/);
      await expect(store.put('o/fresh.bin', Readable.from((async function* () { yield Buffer.from('part'); throw new Error('boom'); })()))).rejects.toThrow();
      expect(await text(await store.get('o/x.bin'))).toBe('newer');
      expect(await store.stat('o/fresh.bin')).toBeNull();
    });

    it('reports missing blobs and deletes idempotently', async () => {
      const store = await makeStore();
      expect(await store.stat('nope/x')).toBeNull();
      await expect(store.get('nope/x')).rejects.toBeInstanceOf(BlobNotFoundError);
      await store.put('d/x', Buffer.from('x'));
      await store.delete('d/x');
      await store.delete('d/x');
      expect(await store.stat('d/x')).toBeNull();
    });

    it('refuses keys that could escape the store', async () => {
      const store = await makeStore();
      for (const key of ['../etc/passwd', '/abs', 'a/../../b', '', 'a//b', 'a/./b']) {
        await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(/invalid blob key/);
      }
    });
  });
}
