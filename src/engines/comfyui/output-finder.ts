// Finds the video a finished prompt saved. ComfyUI has no `videos` key: core SaveVideo/SaveWEBM
// put it under `images` with `animated: [true]`, VideoHelperSuite under `gifs`, others elsewhere
// (CU `PreviewVideo.as_dict`, CV). So every list in every node's outputs is scanned and the best
// file is picked by extension and type.

export interface OutputFile {
  filename: string;
  subfolder: string;
  type: string;
  /** The node that saved it and the output list it was found in, for messages. */
  node: string;
  key: string;
}

/** Formats ffmpeg reads, best first: an MP4 only needs remuxing, the others are re-encoded. */
const VIDEO_RANK: Record<string, number> = { mp4: 60, m4v: 58, mov: 56, mkv: 54, webm: 52, avi: 50, gif: 30 };
/** Animated WebP/PNG: ffmpeg cannot decode animated WebP, so these are reported, not used. */
const ANIMATED_IMAGE = new Set(['webp', 'png', 'apng']);

/** A file name's extension, lower case, without the dot; '' when it has none. */
export const fileExtension = (name: string): string => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';

function entries(outputs: unknown): OutputFile[] {
  const found: OutputFile[] = [];
  if (!outputs || typeof outputs !== 'object') return found;
  for (const [node, ui] of Object.entries(outputs as Record<string, unknown>)) {
    if (!ui || typeof ui !== 'object') continue;
    for (const [key, list] of Object.entries(ui as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        const f = item as { filename?: unknown; subfolder?: unknown; type?: unknown };
        if (typeof f?.filename !== 'string' || !f.filename) continue;
        found.push({ filename: f.filename, subfolder: typeof f.subfolder === 'string' ? f.subfolder : '', type: typeof f.type === 'string' ? f.type : 'output', node, key });
      }
    }
  }
  return found;
}

export type OutputScan =
  | { kind: 'video'; file: OutputFile }
  /** Only animated images the pipeline cannot read (e.g. SaveAnimatedWEBP). */
  | { kind: 'unreadable'; files: OutputFile[] }
  | { kind: 'none'; files: OutputFile[] };

export function findVideoOutput(outputs: unknown): OutputScan {
  const files = entries(outputs);
  let best: OutputFile | null = null;
  let bestScore = -1;
  for (const f of files) {
    const rank = VIDEO_RANK[fileExtension(f.filename)];
    if (rank === undefined) continue;
    // Saved outputs beat previews in temp/ (a workflow may preview and save the same video).
    const score = rank + (f.type === 'output' ? 100 : 0);
    if (score > bestScore) { best = f; bestScore = score; }
  }
  if (best) return { kind: 'video', file: best };
  const animated = files.filter((f) => ANIMATED_IMAGE.has(fileExtension(f.filename)) && (f.key === 'images' || f.key === 'gifs'));
  if (animated.length && hasAnimatedFlag(outputs, animated)) return { kind: 'unreadable', files: animated };
  return { kind: 'none', files };
}

function hasAnimatedFlag(outputs: unknown, files: OutputFile[]): boolean {
  const o = outputs as Record<string, Record<string, unknown>>;
  return files.some((f) => {
    const flags = o[f.node]?.animated;
    return f.key === 'gifs' || (Array.isArray(flags) && flags.some(Boolean));
  });
}
