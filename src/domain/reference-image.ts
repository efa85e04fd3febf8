// Rules for a reference image (input_reference) that need no decoding: the server's own pixel cap,
// the limits a model card states from its provider's documentation, and the default video size a
// reference implies. Everything here works from the header facts image-sniff.ts reads, so a request
// is refused at create, naming the limit, before a byte is stored or an engine called.
import type { ImageInfo } from './image-sniff.js';
import type { ModelCard } from './model-card.js';
import { parseSize } from './video.js';

export interface ReferenceFacts extends ImageInfo {
  bytes: number;
}

export interface Refusal {
  param: string;
  code: string;
  message: string;
}

const PARAM = 'input_reference';
const TYPE_NAMES: Record<string, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP' };

/**
 * "7.2 MB" (decimal megabytes, as providers write their limits). Limits round down and sizes up,
 * so an image just over a limit never reads as equal to it.
 */
export function describeBytes(n: number, round: 'down' | 'up' = 'up'): string {
  const f = round === 'up' ? Math.ceil : Math.floor;
  if (n < 1_000_000) return `${Math.max(1, f(n / 1000))} KB`;
  return `${f(n / 10_000) / 100} MB`;
}

/** "16.8 million pixels (4096x4096)" for a square cap, else "2 million pixels". */
export function describePixels(n: number): string {
  const side = Math.sqrt(n);
  const text = `${(n / 1e6).toFixed(1)} million pixels`;
  return Number.isInteger(side) ? `${text} (${side}x${side})` : text;
}

function ratio(r: number): string {
  // 0.4 → "2:5", 2.5 → "5:2", 0.5 → "1:2": the smallest whole-number pair within a hair of r.
  for (let d = 1; d <= 20; d++) {
    const n = Math.round(r * d);
    if (n > 0 && Math.abs(n / d - r) < 1e-9) return `${n}:${d}`;
  }
  return r.toFixed(2);
}

/**
 * The server's cap on decoded pixels (uploads.maxPixels), and the per-side sanity bounds every
 * engine shares. A small file can decode to a huge bitmap: this is what keeps memory bounded.
 */
export function serverRefusal(img: ReferenceFacts, maxPixels: number): Refusal | null {
  const { width: w, height: h } = img;
  if (w < 16 || h < 16 || w > 8192 || h > 8192) {
    return { param: PARAM, code: 'invalid_image', message: `'input_reference' is ${w}x${h}; images must be between 16 and 8192 pixels on each side.` };
  }
  if (w * h > maxPixels) {
    return {
      param: PARAM, code: 'image_too_large',
      message: `'input_reference' is ${w}x${h} (${(w * h / 1e6).toFixed(1)} million pixels); this server takes reference images of at most ${describePixels(maxPixels)}. Scale it down and send it again.`,
    };
  }
  return null;
}

/** The first limit of the card's `imageInput` the image breaks, as the API refuses it, or null. */
export function cardImageRefusal(card: ModelCard, img: ReferenceFacts, video: { width: number; height: number }): Refusal | null {
  const l = card.imageInput;
  if (!l) return null;
  const { width: w, height: h } = img;
  const takes = `${card.id} takes reference images`;
  if (!l.types.includes(img.contentType as never)) {
    const names = l.types.map((t) => TYPE_NAMES[t] ?? t);
    return { param: PARAM, code: 'unsupported_image_type', message: `${card.id} takes ${names.join(' or ')} reference images; this one is ${TYPE_NAMES[img.contentType] ?? img.contentType}. Convert it and send it again.` };
  }
  if (l.maxBytes !== undefined && img.bytes > l.maxBytes) {
    return { param: PARAM, code: 'image_too_large', message: `${takes} up to ${describeBytes(l.maxBytes, 'down')}${l.via ? ` (sent ${l.via})` : ''}; this one is ${describeBytes(img.bytes)}.` };
  }
  if (l.minSide !== undefined && (w < l.minSide || h < l.minSide)) {
    return { param: PARAM, code: 'image_too_small', message: `${takes} at least ${l.minSide} pixels on each side; this one is ${w}x${h}.` };
  }
  if (l.maxSide !== undefined && (w > l.maxSide || h > l.maxSide)) {
    return { param: PARAM, code: 'image_too_large', message: `${takes} at most ${l.maxSide} pixels on each side; this one is ${w}x${h}.` };
  }
  if (l.maxPixels !== undefined && w * h > l.maxPixels) {
    return { param: PARAM, code: 'image_too_large', message: `${takes} of at most ${describePixels(l.maxPixels)}; this one is ${w}x${h}.` };
  }
  const aspect = w / h;
  if ((l.minAspect !== undefined && aspect < l.minAspect) || (l.maxAspect !== undefined && aspect > l.maxAspect)) {
    const lo = l.minAspect !== undefined ? ratio(l.minAspect) : null;
    const hi = l.maxAspect !== undefined ? ratio(l.maxAspect) : null;
    const range = lo && hi ? `between ${lo} and ${hi}` : lo ? `of at least ${lo}` : `of at most ${hi}`;
    return { param: PARAM, code: 'unsupported_image_aspect', message: `${takes} with a width:height ratio ${range}; this one is ${w}x${h} (${aspect.toFixed(2)}:1).` };
  }
  if (l.matchVideoSize && (w !== video.width || h !== video.height)) {
    return { param: PARAM, code: 'image_size_mismatch', message: `${card.id} needs the reference image to be exactly the video's size, ${video.width}x${video.height}; this one is ${w}x${h}. Crop or scale it, or ask for size ${w}x${h} if the model offers it.` };
  }
  return null;
}

/**
 * The card size that frames the image best when the request names none: the closest aspect ratio
 * (a landscape photo never becomes a portrait crop), then, among equals, an exact match for the
 * image, then the size nearest in pixels to `near`: the card's default (its usual cost), or for an
 * uploaded clip the clip itself (source-clip.ts), so a small clip is not blown up.
 */
export function sizeForImage(card: ModelCard, img: { width: number; height: number }, near: { width: number; height: number } = parseSize(card.defaultSize)!): { width: number; height: number } {
  const target = Math.log(img.width / img.height);
  const sizes = card.sizes.map(parseSize).filter((p): p is { width: number; height: number } => p !== null);
  const off = (p: { width: number; height: number }) => Math.abs(Math.log(p.width / p.height) - target);
  const best = Math.min(...sizes.map(off));
  // Within 1 % of the best ratio counts as the same (1280x720 and 854x480 are both 16:9).
  const framing = sizes.filter((p) => off(p) <= best + 0.01);
  const exact = framing.find((p) => p.width === img.width && p.height === img.height);
  if (exact) return exact;
  const cost = (p: { width: number; height: number }) => Math.abs(Math.log((p.width * p.height) / (near.width * near.height)));
  return framing.reduce((a, b) => (cost(b) < cost(a) ? b : a), framing[0] ?? parseSize(card.defaultSize)!);
}
