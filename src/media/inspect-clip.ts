// An uploaded clip checked before anything is queued (the source of an extension or edit): what
// ffprobe says it is, and proof that its last second decodes, since that is where an extension
// starts. A file that only looks like an MP4 (truncated, another codec inside, no picture) is
// refused at the request, not found out later in the queue.
import { probe } from './probe.js';
import { runTool } from './run.js';

export interface ClipFacts {
  durationSeconds: number;
  width: number;
  height: number;
  /** Frames per second as the stream states it (29.97 stays 29.97). */
  fps: number;
  hasAudio: boolean;
}

/** The clip's facts, or null when it is not a video ffmpeg can decode to its end. */
export async function inspectClip(bins: { ffmpeg: string; ffprobe: string }, path: string, signal?: AbortSignal): Promise<ClipFacts | null> {
  let p;
  try {
    p = await probe(bins.ffprobe, path, signal);
  } catch {
    return null;
  }
  const v = p.video;
  if (!v || v.width <= 0 || v.height <= 0 || !(p.durationSeconds > 0) || !(v.fps > 0)) return null;
  try {
    // -xerror: a decoding error ends ffmpeg with a failure instead of a warning and a partial read.
    const { stderr } = await runTool(bins.ffmpeg, ['-hide_banner', '-nostats', '-loglevel', 'error', '-xerror', '-sseof', '-1', '-i', path, '-map', '0:v:0', '-f', 'null', '-'], { signal });
    if (stderr.trim()) return null;
  } catch {
    return null;
  }
  return { durationSeconds: p.durationSeconds, width: v.width, height: v.height, fps: v.fps, hasAudio: p.hasAudio };
}
