// ffprobe as data: the facts tests and jobs check about a file (codec, size, duration, frames, tags).
import { runTool } from './run.js';

export interface ProbeResult {
  formatName: string;
  durationSeconds: number;
  video: {
    codec: string;
    profile: string | null;
    pixFmt: string;
    width: number;
    height: number;
    fps: number;
    frames: number | null;
  } | null;
  hasAudio: boolean;
  tags: Record<string, string>;
}

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  side_data_list?: Array<{ rotation?: number }>;
  tags?: Record<string, string>;
}

function rate(r: string | undefined): number {
  if (!r) return 0;
  const [n, d] = r.split('/').map(Number);
  return d ? n! / d : Number(n);
}

export async function probe(ffprobe: string, file: string, signal?: AbortSignal): Promise<ProbeResult> {
  const { stdout } = await runTool(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { signal });
  const json = JSON.parse(stdout.toString()) as { format?: { format_name?: string; duration?: string; tags?: Record<string, string> }; streams?: RawStream[] };
  const streams = json.streams ?? [];
  const v = streams.find((s) => s.codec_type === 'video');
  // A phone's portrait clip is often stored landscape with a display rotation, which ffmpeg applies
  // when it decodes: the size reported is the one shown (and decoded), not the one stored.
  const rotation = Number(v?.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? v?.tags?.rotate ?? 0);
  const turned = Math.abs(rotation) % 180 === 90;
  return {
    formatName: json.format?.format_name ?? '',
    durationSeconds: Number(json.format?.duration ?? 0),
    video: v
      ? {
          codec: v.codec_name ?? '',
          profile: v.profile ?? null,
          pixFmt: v.pix_fmt ?? '',
          width: (turned ? v.height : v.width) ?? 0,
          height: (turned ? v.width : v.height) ?? 0,
          fps: rate(v.avg_frame_rate) || rate(v.r_frame_rate),
          frames: v.nb_frames ? Number(v.nb_frames) : null,
        }
      : null,
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
    tags: json.format?.tags ?? {},
  };
}
