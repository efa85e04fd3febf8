// Downloads a finished prompt's video (GET /view) and makes it what the card promised: latent
// nodes make `step·n + 1` frames (Wan 121 for 5 s at 24 fps), so the extra frames are cut, and a
// file that is not H.264 is encoded once here, trimmed, rather than twice. The job runner then
// only remuxes it, tags it and cuts the previews, as for every engine.
import { join } from 'node:path';
import { EngineError } from '../../domain/errors.js';
import type { MediaBinaries } from '../../media/binaries.js';
import { needsReencode } from '../../media/finalize.js';
import { probe } from '../../media/probe.js';
import { runTool } from '../../media/run.js';
import type { EngineJob } from '../engine.js';
import type { ComfyClient } from './comfyui.client.js';
import { fileExtension, findVideoOutput } from './output-finder.js';

export async function fetchOutput(opts: {
  client: ComfyClient;
  outputs: unknown;
  job: EngineJob;
  workDir: string;
  media: MediaBinaries;
  signal: AbortSignal;
  timeoutMs: number;
  where: string;
}): Promise<string> {
  const { job, media, signal } = opts;
  const scan = findVideoOutput(opts.outputs);
  if (scan.kind === 'unreadable') {
    throw new EngineError('engine_bad_output', `The ${job.model} workflow on ${opts.where} saved only animated images (${scan.files.map((f) => f.filename).join(', ')}), which cannot be read as video: save with SaveVideo (MP4) or SaveWEBM instead.`);
  }
  if (scan.kind === 'none') {
    const saved = scan.files.length ? ` It saved ${scan.files.slice(0, 3).map((f) => f.filename).join(', ')}.` : '';
    throw new EngineError('engine_bad_output', `The ${job.model} workflow on ${opts.where} finished without saving a video.${saved} Add a SaveVideo node.`);
  }
  const ext = fileExtension(scan.file.filename) || 'bin';
  const raw = join(opts.workDir, `comfyui-output.${ext}`);
  await opts.client.download(scan.file, raw, { signal, timeoutMs: opts.timeoutMs });

  const p = await probe(media.ffprobe, raw, signal).catch((err) => {
    throw new EngineError('engine_bad_output', `The video ${scan.file.filename} from ${opts.where} cannot be read: ${(err as Error).message}`);
  });
  const v = p.video;
  if (!v) throw new EngineError('engine_bad_output', `The file ${scan.file.filename} from ${opts.where} has no video stream.`);
  const wanted = job.seconds * job.fps;
  const frames = v.frames ?? Math.round(p.durationSeconds * (v.fps || job.fps));
  const longer = frames > wanted;
  const reshaped = v.width !== job.width || v.height !== job.height || Math.abs(v.fps - job.fps) > 0.01;
  // The same test the runner's finalize applies, so a file it would re-encode anyway (odd
  // dimensions, say) is encoded here, once, with the trim.
  if (!longer && !reshaped && !needsReencode(p)) return raw;

  const filters = [
    ...(Math.abs(v.fps - job.fps) > 0.01 ? [`fps=${job.fps}`] : []),
    ...(v.width !== job.width || v.height !== job.height ? [`scale=${job.width}:${job.height}`] : []),
  ];
  const out = join(opts.workDir, 'comfyui-conformed.mp4');
  await runTool(media.ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y', '-i', raw, '-map', '0:v:0', '-frames:v', String(wanted),
    ...(filters.length ? ['-vf', filters.join(',')] : []),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '17', '-pix_fmt', 'yuv420p', '-r', String(job.fps), '-an', out,
  ], { signal });
  return out;
}
