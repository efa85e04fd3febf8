// Extensions (issue 15 §1) in ffmpeg: the source's last frame (an engine's first frame for the new
// clip) and the join of source + new clip into one clean H.264 stream at the source's size and fps:
// by copying both streams when they share their H.264 parameter sets (the same encoder with the
// same settings, as sketch's continuation is), else by re-encoding.
import { writeFile } from 'node:fs/promises';
import { probe } from './probe.js';
import { runTool } from './run.js';

/** Writes the last decoded frame of `input` as a PNG (lossless: it becomes the next clip's first frame). */
export async function extractLastFrame(ffmpeg: string, input: string, output: string, signal?: AbortSignal): Promise<void> {
  // Seeking to the last second and letting each frame overwrite the file leaves the very last one,
  // whatever the container says the duration is.
  await runTool(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y', '-sseof', '-1', '-i', input, '-map', '0:v:0',
    '-update', '1', '-c:v', 'png', '-f', 'image2', output,
  ], { signal });
}

export interface JoinOptions {
  width: number;
  height: number;
  fps: number;
  /**
   * Drop the new clip's first frame: an engine given the source's last frame as its first frame
   * repeats it, which would show as a frozen frame at the join.
   */
  dropFirstFrame: boolean;
  preset?: string;
}

/**
 * `first` then `second`, re-encoded as one H.264 yuv420p stream: the two files come from different
 * encoders (and the source carries a signed manifest), so copying streams across the join is not
 * safe. Both parts are brought to the target size (fitted, never stretched) and frame rate (an
 * uploaded source may be another size or rate than the new part is made at). The source's sound is
 * kept, with silence under a silent new part; a source without sound gives a silent video (a new
 * part's sound alone would start mid-way).
 */
export async function joinClips(bins: { ffmpeg: string; ffprobe: string }, first: string, second: string, output: string, opts: JoinOptions, signal?: AbortSignal): Promise<void> {
  const [a, b] = await Promise.all([probe(bins.ffprobe, first, signal), probe(bins.ffprobe, second, signal)]);
  if (!a.video || !b.video) throw new Error('a part of the extension has no video stream');
  const audio = a.hasAudio;
  const { width: W, height: H, fps } = opts;
  const fit = `scale=${W}:${H}:force_original_aspect_ratio=decrease,pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p`;
  const drop = opts.dropFirstFrame ? 'trim=start_frame=1,setpts=PTS-STARTPTS,' : '';
  const dropAudio = opts.dropFirstFrame ? `atrim=start=${(1 / fps).toFixed(6)},asetpts=PTS-STARTPTS,` : '';
  // One sample format, rate and layout on both sides of the concat.
  const sound = 'aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo';
  const newSeconds = Math.max(0, b.durationSeconds - (opts.dropFirstFrame ? 1 / fps : 0));
  const graph = [
    `[0:v:0]fps=fps=${fps}:eof_action=pass,${fit}[v0]`,
    // The rate first, then the drop: trimming first leaves ffmpeg's fps filter a gap it fills with
    // one extra frame (measured on ffmpeg 4.1), which would be the very repeat being removed.
    `[1:v:0]fps=fps=${fps}:eof_action=pass,${drop}${fit}[v1]`,
    ...(audio ? [`[0:a:0]${sound}[a0]`, b.hasAudio ? `[1:a:0]${dropAudio}aresample=async=1,${sound}[a1]` : `anullsrc=r=48000:cl=stereo,atrim=duration=${newSeconds.toFixed(6)},${sound}[a1]`] : []),
    audio ? '[v0][a0][v1][a1]concat=n=2:v=1:a=1[v][a]' : '[v0][v1]concat=n=2:v=1:a=0[v]',
  ].join(';');
  await runTool(bins.ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y', '-i', first, '-i', second, '-filter_complex', graph,
    '-map', '[v]', ...(audio ? ['-map', '[a]', '-c:a', 'aac', '-b:a', '160k'] : ['-an']),
    '-c:v', 'libx264', '-preset', opts.preset ?? 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-r', String(fps),
    '-movflags', '+faststart', '-f', 'mp4', output,
  ], { signal });
}

/** The H.264 sequence and picture parameter sets of a file's video stream (hex), or null when it has none. */
export async function parameterSets(ffmpeg: string, file: string, signal?: AbortSignal): Promise<string | null> {
  const { stdout } = await runTool(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-i', file, '-map', '0:v:0', '-c:v', 'copy', '-bsf:v', 'h264_mp4toannexb', '-frames:v', '1', '-f', 'h264', 'pipe:1',
  ], { signal });
  const starts: number[] = [];
  for (let p = 0; p + 3 <= stdout.length; p++) if (stdout[p] === 0 && stdout[p + 1] === 0 && stdout[p + 2] === 1) starts.push(p + 3);
  const sets: string[] = [];
  starts.forEach((start, k) => {
    let end = k + 1 < starts.length ? starts[k + 1]! - 3 : stdout.length;
    while (end > start && stdout[end - 1] === 0) end--; // the next 4-byte start code's leading zero
    const type = stdout[start]! & 0x1f;
    if (type === 7 || type === 8) sets.push(`${type}:${stdout.subarray(start, end).toString('hex')}`);
  });
  return sets.length ? [...new Set(sets)].sort().join(',') : null;
}

/**
 * Whether `first` and `second` can be joined without re-encoding: both H.264 yuv420p at the same
 * size and frame rate, silent, with identical parameter sets, so one MP4 sample description (the
 * first file's) decodes both parts exactly.
 */
export async function joinableByCopy(bins: { ffmpeg: string; ffprobe: string }, first: string, second: string, signal?: AbortSignal): Promise<boolean> {
  const [a, b] = await Promise.all([probe(bins.ffprobe, first, signal), probe(bins.ffprobe, second, signal)]);
  if (!a.video || !b.video || a.hasAudio || b.hasAudio) return false;
  const same = (k: 'codec' | 'pixFmt' | 'width' | 'height' | 'fps' | 'profile') => a.video![k] === b.video![k];
  if (a.video.codec !== 'h264' || !(['codec', 'pixFmt', 'width', 'height', 'fps', 'profile'] as const).every(same)) return false;
  const [pa, pb] = await Promise.all([parameterSets(bins.ffmpeg, first, signal), parameterSets(bins.ffmpeg, second, signal)]);
  return pa !== null && pa === pb;
}

/** `first` then `second` as one MP4 by stream copy (check joinableByCopy first): no generation loss, and no encode. */
export async function joinByCopy(ffmpeg: string, first: string, second: string, output: string, listFile: string, signal?: AbortSignal): Promise<void> {
  const quote = (path: string) => `'${path.replace(/'/g, "'\\''")}'`;
  await writeFile(listFile, `ffconcat version 1.0\nfile ${quote(first)}\nfile ${quote(second)}\n`);
  await runTool(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', listFile, '-map', '0:v:0', '-c', 'copy', '-an',
    '-movflags', '+faststart', '-f', 'mp4', output,
  ], { signal });
}
