import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { runStorageContract } from '../blob-store.contract.js';
import { LocalBlobStore } from './local.blob-store.js';

const roots: string[] = [];
const newRoot = () => {
  const root = mkdtempSync(join(tmpdir(), 'melies-blobs-'));
  roots.push(root);
  return root;
};
afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

runStorageContract('local', async () => new LocalBlobStore(newRoot()));

it('leaves no temp file behind after a failed put', async () => {
  const root = newRoot();
  const store = new LocalBlobStore(root);
  const failing = Readable.from((async function* () { yield Buffer.alloc(100); throw new Error('cut'); })());
  await expect(store.put('v/x.mp4', failing)).rejects.toThrow('cut');
  expect(readdirSync(join(root, '.tmp'))).toEqual([]);
});

it('check() passes on a usable folder and names the folder when it cannot be written', async () => {
  const root = newRoot();
  await expect(new LocalBlobStore(join(root, 'blobs')).check()).resolves.toBeUndefined();
  writeFileSync(join(root, 'a-file'), 'x');
  await expect(new LocalBlobStore(join(root, 'a-file', 'blobs')).check()).rejects.toThrow(`local storage folder ${join(root, 'a-file', 'blobs')} is not writable`);
});
