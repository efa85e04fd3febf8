// Model cards: an engine's honest statement of what a model can do. The API refuses any request a
// card does not allow before an engine is ever called, and the studio builds its controls from it.
import { z } from 'zod';
import { parseSize } from './video.js';

export const SecondsRange = z.object({ min: z.number().int().positive(), max: z.number().int().positive(), step: z.number().int().positive() });

/** Any WxH inside these bounds (both sides multiples of `multipleOf`) is allowed, not just `sizes`. */
export const SizeRange = z.object({
  minWidth: z.number().int().positive(),
  maxWidth: z.number().int().positive(),
  minHeight: z.number().int().positive(),
  maxHeight: z.number().int().positive(),
  maxPixels: z.number().int().positive(),
  multipleOf: z.number().int().positive(),
});

/** Image formats Méliès recognises (domain/image-sniff.ts); a card lists those its model takes. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/**
 * What a model accepts as a reference image, from its provider's documentation (each card cites
 * its source beside the numbers). Every field but `types` is optional: absent means the provider
 * states no such limit, and the server's own caps (uploads.maxBytes, uploads.maxPixels) still apply.
 */
export const ImageInputLimits = z.object({
  types: z.array(z.enum(IMAGE_TYPES)).min(1),
  /** Largest file, in bytes, as stored (before any base64 the engine adds on the wire). */
  maxBytes: z.number().int().positive().optional(),
  /** How the engine sends the image when that is what limits `maxBytes`, e.g. "inline as a data URI, which Runway caps at 5 MB". */
  via: z.string().optional(),
  /** Smallest width and smallest height, in pixels. */
  minSide: z.number().int().positive().optional(),
  /** Largest width and largest height, in pixels. */
  maxSide: z.number().int().positive().optional(),
  /** Most decoded pixels (width × height). */
  maxPixels: z.number().int().positive().optional(),
  /** Narrowest and widest width ÷ height allowed (inclusive), e.g. 0.4 and 2.5 for 2:5 to 5:2. */
  minAspect: z.number().positive().optional(),
  maxAspect: z.number().positive().optional(),
  /** The image must be exactly the video's size (OpenAI's Sora refuses any other). */
  matchVideoSize: z.boolean().optional(),
});
export type ImageInputLimits = z.infer<typeof ImageInputLimits>;

/**
 * The largest file that fits a provider's cap on an inline base64 data URI of `uriBytes`: base64
 * turns every 3 bytes into 4 characters, after a header of up to 23 ("data:image/jpeg;base64,").
 */
export function fileBytesInDataUri(uriBytes: number): number {
  return Math.floor((uriBytes - 'data:image/jpeg;base64,'.length) / 4) * 3;
}

export const ModelCardSchema = z.object({
  id: z.string().min(1),
  engine: z.string().min(1),
  label: z.string(),
  description: z.string(),
  kind: z.enum(['procedural', 'local-model', 'cloud']),
  seconds: z.union([z.array(z.number().int().positive()).min(1), SecondsRange]),
  defaultSeconds: z.number().int().positive(),
  /** Sizes offered as presets; the first is the default unless `defaultSize` says otherwise. */
  sizes: z.array(z.string().regex(/^\d+x\d+$/)).min(1),
  defaultSize: z.string().regex(/^\d+x\d+$/),
  sizeRange: SizeRange.optional(),
  fps: z.array(z.number().int().positive()).min(1),
  defaultFps: z.number().int().positive(),
  inputs: z.array(z.enum(['text', 'image', 'video'])).min(1),
  /** Limits on the reference image, for models whose `inputs` include 'image'. */
  imageInput: ImageInputLimits.optional(),
  seed: z.boolean(),
  remix: z.boolean(),
  audio: z.boolean(),
  /** Takes a negative prompt (what to keep out); the studio shows the field only then. */
  negativePrompt: z.boolean().default(false),
  pricePerSecondUsd: z.number().nonnegative().optional(),
  available: z.boolean().default(true),
  /**
   * Extends a finished video (POST /v1/videos/extensions). Absent: true exactly when the model takes
   * a first frame (`inputs` has 'image'), since any such engine extends from the source's last frame.
   */
  extend: z.boolean().optional(),
  /**
   * How it extends: 'any' video (from its last frame, or sketch's own plan), or only its 'own'
   * provider's videos, through the provider's native extend call given the source's job id (Luma's
   * keyframes.frame0 {type: 'generation'}). Absent: 'any'.
   */
  extendFrom: z.enum(['any', 'own']).optional(),
  /** Tighter limits than OpenAI's on a chain of extensions (at most 6, 120 s in all), when the provider states them. */
  extendLimits: z.object({ maxExtensions: z.number().int().positive(), maxTotalSeconds: z.number().int().positive() }).optional(),
  /** Re-makes a finished video with a described change (POST /v1/videos/edits): video-to-video, or sketch's own plans. Absent: no. */
  edit: z.boolean().optional(),
  /**
   * Makes videos with characters (`characters: [{id}]`, issue 15 §3): the engine is given each
   * character's look as a reference (sketch: as its backdrop; Veo 3.1: reference images; ComfyUI
   * image-to-video templates: as the first frame). Absent: no.
   */
  characters: z.boolean().optional(),
  /**
   * Takes a last frame as well as a first (`last_frame`, a Méliès extension; issue 15 §5): the video
   * ends on that image. Set only where the provider's docs show a last-frame field. Absent: no.
   */
  lastFrame: z.boolean().optional(),
});

export type ModelCard = z.infer<typeof ModelCardSchema>;

/** OpenAI's limits on a chain of extensions (its video-generation guide): a card may only lower them. */
export const EXTEND_LIMITS = { maxExtensions: 6, maxTotalSeconds: 120 } as const;

export function canExtend(card: ModelCard): boolean {
  return card.extend ?? card.inputs.includes('image');
}

/** Extends only videos its own provider made, through the provider's native extend call. */
export function extendsNatively(card: ModelCard): boolean {
  return canExtend(card) && card.extendFrom === 'own';
}

export function canEdit(card: ModelCard): boolean {
  return card.edit ?? false;
}

export function canUseCharacters(card: ModelCard): boolean {
  return card.characters ?? false;
}

export function supportsLastFrame(card: ModelCard): boolean {
  return card.lastFrame ?? false;
}

export function extendLimitsOf(card: ModelCard): { maxExtensions: number; maxTotalSeconds: number } {
  return {
    maxExtensions: Math.min(EXTEND_LIMITS.maxExtensions, card.extendLimits?.maxExtensions ?? Infinity),
    maxTotalSeconds: Math.min(EXTEND_LIMITS.maxTotalSeconds, card.extendLimits?.maxTotalSeconds ?? Infinity),
  };
}

export function allowsSeconds(card: ModelCard, seconds: number): boolean {
  if (Array.isArray(card.seconds)) return card.seconds.includes(seconds);
  const { min, max, step } = card.seconds;
  return Number.isInteger(seconds) && seconds >= min && seconds <= max && (seconds - min) % step === 0;
}

export function describeSeconds(card: ModelCard): string {
  if (Array.isArray(card.seconds)) return card.seconds.map((s) => `'${s}'`).join(', ');
  const { min, max, step } = card.seconds;
  return step === 1 ? `any whole number from ${min} to ${max}` : `${min} to ${max} in steps of ${step}`;
}

export function allowsSize(card: ModelCard, width: number, height: number): boolean {
  if (card.sizes.includes(`${width}x${height}`)) return true;
  const r = card.sizeRange;
  if (!r) return false;
  return (
    width >= r.minWidth && width <= r.maxWidth && height >= r.minHeight && height <= r.maxHeight &&
    width * height <= r.maxPixels && width % r.multipleOf === 0 && height % r.multipleOf === 0
  );
}

export function describeSizes(card: ModelCard): string {
  const list = card.sizes.join(', ');
  const r = card.sizeRange;
  if (!r) return list;
  return `${list}, or any WxH from ${r.minWidth}x${r.minHeight} to ${r.maxWidth}x${r.maxHeight} ` +
    `(at most ${r.maxPixels} pixels, sides multiples of ${r.multipleOf})`;
}

/** What a card is asked to honour (engines/request-shape.ts builds it from a request or a video). */
export interface CardRequest {
  seconds: number;
  width: number;
  height: number;
  fps: number;
  hasImage: boolean;
  hasNegativePrompt: boolean;
  /** The request re-makes an existing video (an edit): what a video-to-video model needs. */
  hasVideo?: boolean;
  /** A `last_frame` image was given (issue 15 §5); absent means none. */
  hasLastFrame?: boolean;
}

/**
 * The first part of a request the card does not allow, as the API refuses it (param, message,
 * code), or null. One list for both the API's 400s and whether a fallback can take a request.
 */
export function requestRefusal(card: ModelCard, r: CardRequest): { param: string; message: string; code: string } | null {
  if (!card.inputs.includes('text') && !r.hasVideo) {
    return { param: 'model', code: 'unsupported_parameter', message: `The model ${card.id} only re-makes an existing video (video to video): send it to POST /v1/videos/edits with the video's id and the change you want.` };
  }
  if (!allowsSeconds(card, r.seconds)) {
    return { param: 'seconds', code: 'invalid_value', message: `Invalid value for 'seconds': ${r.seconds} is not supported by ${card.id}; allowed: ${describeSeconds(card)}.` };
  }
  if (!allowsSize(card, r.width, r.height)) {
    return { param: 'size', code: 'invalid_value', message: `Invalid value for 'size': ${r.width}x${r.height} is not supported by ${card.id}; allowed: ${describeSizes(card)}.` };
  }
  if (!card.fps.includes(r.fps)) {
    return { param: 'fps', code: 'invalid_value', message: `Invalid value for 'fps': ${r.fps} is not supported by ${card.id}; allowed: ${card.fps.join(', ')}.` };
  }
  if (r.hasNegativePrompt && !card.negativePrompt) {
    return { param: 'negative_prompt', code: 'unsupported_parameter', message: `The model ${card.id} does not take a negative prompt; leave 'negative_prompt' out.` };
  }
  if (r.hasImage && !card.inputs.includes('image')) {
    return { param: 'input_reference', code: 'unsupported_parameter', message: `The model ${card.id} does not accept an input image; leave 'input_reference' out.` };
  }
  if (r.hasLastFrame && !supportsLastFrame(card)) {
    return { param: 'last_frame', code: 'unsupported_parameter', message: `The model ${card.id} does not take a last frame; leave 'last_frame' out.` };
  }
  return null;
}

/** Checks a card is self-consistent; engines call it on their own cards in the contract suite. */
export function cardProblems(card: ModelCard): string[] {
  const problems: string[] = [];
  if (!allowsSeconds(card, card.defaultSeconds)) problems.push(`defaultSeconds ${card.defaultSeconds} is not allowed`);
  const d = parseSize(card.defaultSize);
  if (!d || !allowsSize(card, d.width, d.height)) problems.push(`defaultSize ${card.defaultSize} is not allowed`);
  if (!card.fps.includes(card.defaultFps)) problems.push(`defaultFps ${card.defaultFps} is not in fps`);
  for (const s of card.sizes) {
    const p = parseSize(s);
    if (!p || p.width % 2 || p.height % 2) problems.push(`size ${s} is not an even WxH`);
  }
  return problems;
}
