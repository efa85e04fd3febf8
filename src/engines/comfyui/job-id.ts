// The provider job id Méliès stores for a ComfyUI job: which server, which prompt, and which
// submission this is (1, or 2 after the server lost the first), so a restarted Méliès re-attaches
// to the right prompt on the right server and knows whether it may submit again.
//   "<submission>:<prompt_id>@<server url>"   e.g. "1:5b0c…-…@http://gpu-1:8188"
import { createHash } from 'node:crypto';

export interface ComfyJobRef {
  submission: number;
  promptId: string;
  server: string;
}

export function encodeJobId(ref: ComfyJobRef): string {
  return `${ref.submission}:${ref.promptId}@${ref.server}`;
}

export function decodeJobId(id: string): ComfyJobRef | null {
  const m = /^(\d{1,3}):([0-9a-f-]{36})@(https?:\/\/.+)$/i.exec(id);
  if (!m) return null;
  return { submission: Number(m[1]), promptId: m[2]!.toLowerCase(), server: m[3]! };
}

/**
 * The prompt id of a video's n-th submission: a name-based UUID (v5 layout), so a Méliès killed
 * between ComfyUI accepting a prompt and storing its id finds that prompt again instead of paying
 * for the GPU twice. Lower-case canonical form, as newer servers require (CS `post_prompt`).
 */
export function promptIdFor(videoId: string, submission: number): string {
  const b = createHash('sha1').update(`melies:comfyui:${videoId}:${submission}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
