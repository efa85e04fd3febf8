// Finds ffmpeg and ffprobe: an explicit path (FFMPEG_PATH / FFPROBE_PATH) wins, then the system's
// binaries on PATH, then the static builds shipped inside the @ffmpeg-installer npm packages, so a
// fresh `npm ci` works with nothing downloaded at install time.
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
}

function onPath(name: string, pathEnv: string | undefined): string | null {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function bundled(pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe'): string | null {
  try {
    const require = createRequire(import.meta.url);
    return (require(pkg) as { path: string }).path;
  } catch {
    return null;
  }
}

export function resolveMediaBinaries(opts: { ffmpegPath?: string | null; ffprobePath?: string | null; pathEnv?: string }): MediaBinaries {
  const ffmpeg = opts.ffmpegPath || onPath('ffmpeg', opts.pathEnv) || bundled('@ffmpeg-installer/ffmpeg');
  const ffprobe = opts.ffprobePath || onPath('ffprobe', opts.pathEnv) || bundled('@ffprobe-installer/ffprobe');
  if (!ffmpeg || !ffprobe) {
    throw new Error('ffmpeg/ffprobe not found: install ffmpeg, set FFMPEG_PATH and FFPROBE_PATH, or reinstall node_modules (the @ffmpeg-installer packages carry a build).');
  }
  return { ffmpeg, ffprobe };
}
