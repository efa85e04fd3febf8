// What a cloud engine hands the job runner: the provider's file, checked to be a video of the size
// the card promised. Providers round sizes their own way (a "720p" that is 1248x704); the card is
// the contract, so a file of another size is scaled to fit and padded, never stretched.
import { EngineError } from '../../domain/errors.js';
import { probe } from '../../media/probe.js';
import { runTool } from '../../media/run.js';
import type { MediaBinaries } from '../../media/binaries.js';

export async function conformToRequest(media: MediaBinaries, file: string, want: { width: number; height: number }, out: string, signal: AbortSignal): Promise<string> {
  let info;
  try {
    info = await probe(media.ffprobe, file, signal);
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    // ffprobe's words name the file under the server's work folder: operators only.
    throw new EngineError('provider_bad_output', "The provider's file is not a readable video. Try again or pick another model.", { retryable: false, detail: (err as Error).message });
  }
  if (!info.video) throw new EngineError('provider_bad_output', 'The provider returned a file with no video stream. Try again or pick another model.', { retryable: false });
  if (info.video.width === want.width && info.video.height === want.height) return file;
  const { width: w, height: h } = want;
  await runTool(media.ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y', '-i', file,
    '-vf', `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'copy', out,
  ], { signal });
  return out;
}
