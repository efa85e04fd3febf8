// How much room is left on the disk that holds a folder: what an unprivileged writer can still use
// (statfs bavail, not bfree, which counts the blocks reserved for root).
import { statfs } from 'node:fs/promises';

export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return Number(s.bavail) * Number(s.bsize);
}
