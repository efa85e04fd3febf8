// Scratch folders for job runs: <workRoot>/<videoId>/run-<attempt>-<pid>-<random>. A killed
// process leaves its run folder behind; these sweeps remove folders whose process is gone.
import { readdir, rm, rmdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { processAlive } from '../domain/process-alive.js';

const RUN = /^run-\d+-(\d+)-[0-9a-f]+$/;

export function newRunName(attempt: number): string {
  return `run-${attempt}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/**
 * Removes a video's run folders left by dead processes (and by earlier runs in this process,
 * which only ever has one live run per video), then the video's folder if it is empty.
 */
export async function sweepVideoWorkDir(workRoot: string, videoId: string): Promise<void> {
  const dir = join(workRoot, videoId);
  for (const name of await list(dir)) {
    const m = RUN.exec(name);
    const pid = m ? Number(m[1]) : NaN;
    if (!m || pid === process.pid || !processAlive(pid)) await rm(join(dir, name), { recursive: true, force: true });
  }
  await rmdir(dir).catch(() => {}); // only when nothing live is left in it
}

/** At worker start: sweep every video's scratch folder. */
export async function sweepWorkRoot(workRoot: string): Promise<void> {
  for (const videoId of await list(workRoot)) await sweepVideoWorkDir(workRoot, videoId);
}
