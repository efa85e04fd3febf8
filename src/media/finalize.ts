// Makes any engine's output a deliverable: H.264 yuv420p MP4 with the moov atom up front and our
// metadata in the container tags. Already-conforming H.264 is remuxed (fast, lossless); anything
// else is re-encoded. Thumbnail and spritesheet are cut from the finished file.
import { probe, type ProbeResult } from './probe.js';
import { runTool } from './run.js';

export type MetadataTags = Record<string, string>;

export function needsReencode(p: ProbeResult): boolean {
  return !p.video || p.video.codec !== 'h264' || p.video.pixFmt !== 'yuv420p' || p.video.width % 2 !== 0 || p.video.height % 2 !== 0;
}

/**
 * `overlay`: a PNG (a plan's watermark, media/watermark.ts) composited bottom-right, inset by
 * `overlayMargin` pixels; it forces a re-encode, as any change to the pixels does.
 */
export async function finalizeMp4(bins: { ffmpeg: string; ffprobe: string }, input: string, output: string, tags: MetadataTags, signal?: AbortSignal,
  opts: { overlay?: string; overlayMargin?: number } = {}): Promise<ProbeResult> {
  const info = await probe(bins.ffprobe, input, signal);
  if (!info.video) throw new Error('the engine produced a file with no video stream');
  const encode = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p'];
  const even = 'scale=trunc(iw/2)*2:trunc(ih/2)*2';
  const m = opts.overlayMargin ?? 0;
  const codec = opts.overlay
    ? [...encode, '-filter_complex', `[0:v:0]${even}[base];[base][1:v]overlay=W-w-${m}:H-h-${m}:format=auto[v]`]
    : needsReencode(info) ? [...encode, '-vf', even] : ['-c:v', 'copy'];
  const audio = info.hasAudio ? ['-c:a', 'aac', '-b:a', '160k'] : ['-an'];
  const meta = Object.entries(tags).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  await runTool(bins.ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y', '-i', input, ...(opts.overlay ? ['-i', opts.overlay] : []),
    '-map', opts.overlay ? '[v]' : '0:v:0', ...(info.hasAudio ? ['-map', '0:a:0'] : []), '-map_metadata', '-1',
    ...codec, ...audio, ...meta, '-movflags', '+faststart', '-f', 'mp4', output,
  ], { signal });
  return probe(bins.ffprobe, output, signal);
}

/** Largest WxH inside a box, keeping the aspect ratio, both even (for every codec's sake). */
export function fitInside(width: number, height: number, box: number): { width: number; height: number } {
  const scale = Math.min(1, box / Math.max(width, height));
  const even = (n: number) => Math.max(2, Math.round((n * scale) / 2) * 2);
  return { width: even(width), height: even(height) };
}

export async function makeThumbnail(ffmpeg: string, video: ProbeResult, input: string, output: string, signal?: AbortSignal): Promise<void> {
  const v = video.video!;
  const size = fitInside(v.width, v.height, 640);
  const at = Math.max(0, video.durationSeconds / 2 - 0.5 / (v.fps || 24));
  await runTool(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y', '-ss', at.toFixed(3), '-i', input, '-frames:v', '1',
    '-vf', `scale=${size.width}:${size.height}`, '-c:v', 'libwebp', '-quality', '80', '-f', 'webp', output,
  ], { signal });
}

export const SPRITESHEET = { columns: 5, rows: 5, tileBox: 256 } as const;

/**
 * A 5x5 grid of frames sampled evenly through the video (JPEG), for hover-scrubbing. The layout is
 * fixed so a client can compute tile positions from the video's size alone.
 */
export async function makeSpritesheet(ffmpeg: string, video: ProbeResult, input: string, output: string, signal?: AbortSignal): Promise<void> {
  const v = video.video!;
  const tiles = SPRITESHEET.columns * SPRITESHEET.rows;
  const total = v.frames ?? Math.max(1, Math.round(video.durationSeconds * (v.fps || 24)));
  const every = Math.max(1, Math.floor(total / tiles));
  const tile = fitInside(v.width, v.height, SPRITESHEET.tileBox);
  await runTool(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y', '-i', input,
    '-vf', `select=not(mod(n\\,${every})),scale=${tile.width}:${tile.height},tile=${SPRITESHEET.columns}x${SPRITESHEET.rows}`,
    '-vsync', 'vfr', '-frames:v', '1', '-q:v', '4', '-f', 'image2', '-c:v', 'mjpeg', output,
  ], { signal });
}
