// Real small MP4s for the provider fakes: H.264 (and AAC when the provider's model has audio),
// the size, duration and frame rate a real provider would return for the request. Made once per
// shape with ffmpeg and cached, so a burst of fake jobs does not re-encode the same clip. The cache
// folder goes when the last fake server of the process stops (removeFakeMp4s, from FakeServer).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../../../src/media/run.js';
import { bins } from '../../helpers/media.js';

let dir: string | null = null;
const made = new Map<string, Promise<string>>();

/** Removes the cached clips (they are made again if asked for later). */
export function removeFakeMp4s(): void {
  made.clear();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
}

export interface ClipShape {
  width: number;
  height: number;
  seconds: number;
  fps?: number;
  audio?: boolean;
}

export function fakeMp4(shape: ClipShape): Promise<string> {
  const fps = shape.fps ?? 24;
  const key = `${shape.width}x${shape.height}-${shape.seconds}s-${fps}-${shape.audio ? 'a' : 'n'}`;
  let p = made.get(key);
  if (!p) {
    dir ??= mkdtempSync(join(tmpdir(), 'melies-fake-mp4-'));
    const file = join(dir, `${key}.mp4`);
    p = runTool(bins.ffmpeg, [
      '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${shape.width}x${shape.height}:rate=${fps}`,
      ...(shape.audio ? ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'] : []),
      '-t', String(shape.seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
      ...(shape.audio ? ['-c:a', 'aac', '-shortest'] : []), '-movflags', '+faststart', file,
    ]).then(() => file);
    made.set(key, p);
    p.catch(() => made.delete(key));
  }
  return p;
}
