// Decoded-frame facts: per-frame hashes (to prove two renders are identical) and raw RGB frames
// (to measure pixels in tests and checks).
import { runTool } from './run.js';

/** MD5 of every decoded frame, in order (ffmpeg's framemd5 muxer). */
export async function frameHashes(ffmpeg: string, file: string): Promise<string[]> {
  const { stdout } = await runTool(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', file, '-map', '0:v:0', '-f', 'framemd5', '-']);
  return stdout.toString().split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()!.trim());
}

/** Decodes the frame at `index` (0-based) to packed RGB24. */
export async function decodeFrameRgb(ffmpeg: string, file: string, index: number, size: { width: number; height: number }): Promise<Buffer> {
  const { stdout } = await runTool(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-i', file, '-vf', `select=eq(n\\,${index})`, '-vsync', 'vfr',
    '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-',
  ]);
  if (stdout.length !== size.width * size.height * 3) throw new Error(`frame ${index} not found in ${file}`);
  return stdout;
}
