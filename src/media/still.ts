// A character's look: one still PNG, from the middle of an uploaded clip or from an uploaded image,
// fitted inside 1280 pixels (what reference-image inputs take, and small enough to send inline).
import { fitInside } from './finalize.js';
import { probe } from './probe.js';
import { runTool } from './run.js';

const LOOK_BOX = 1280;

/** The clip's middle frame as PNG, and what the clip is; throws MediaToolError when it cannot be read. */
export async function stillFromClip(bins: { ffmpeg: string; ffprobe: string }, input: string, output: string, signal?: AbortSignal): Promise<{ durationSeconds: number; width: number; height: number } | null> {
  const p = await probe(bins.ffprobe, input, signal);
  if (!p.video || p.video.width === 0 || p.video.height === 0) return null;
  const size = fitInside(p.video.width, p.video.height, LOOK_BOX);
  const at = Math.max(0, p.durationSeconds / 2);
  await runTool(bins.ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y', '-ss', at.toFixed(3), '-i', input, '-frames:v', '1',
    '-vf', `scale=${size.width}:${size.height}`, '-f', 'image2', '-c:v', 'png', output,
  ], { signal });
  return { durationSeconds: p.durationSeconds, width: size.width, height: size.height };
}

/** An uploaded image (PNG, JPEG, WebP) as PNG inside the look's box. */
export async function stillFromImage(ffmpeg: string, input: string, width: number, height: number, output: string, signal?: AbortSignal): Promise<{ width: number; height: number }> {
  const size = fitInside(width, height, LOOK_BOX);
  await runTool(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-frames:v', '1',
    '-vf', `scale=${size.width}:${size.height}`, '-f', 'image2', '-c:v', 'png', output,
  ], { signal });
  return size;
}
