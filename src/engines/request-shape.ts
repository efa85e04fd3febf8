// A request as far as engines care before anything is sent: the facts a card (or a combination
// rule no card can express) decides on. Used to refuse bad requests up front and to decide whether
// an operator's fallback can honour a request the primary model could not take.
import { allowsSeconds, allowsSize, type ModelCard } from '../domain/model-card.js';

export interface RequestShape {
  seconds: number;
  width: number;
  height: number;
  fps: number;
  hasImage: boolean;
  hasNegativePrompt: boolean;
  /** In UTF-16 code units, as providers count. */
  promptLength: number;
}

/** True when the card allows every part of the request (a seed is not required to be honoured). */
export function cardHonours(card: ModelCard, r: RequestShape): boolean {
  return card.available
    && allowsSeconds(card, r.seconds)
    && allowsSize(card, r.width, r.height)
    && card.fps.includes(r.fps)
    && (!r.hasImage || card.inputs.includes('image'))
    && (!r.hasNegativePrompt || card.negativePrompt);
}

export function shapeOf(v: { seconds: number; width: number; height: number; fps: number; prompt: string; negativePrompt?: string | null; inputReferenceKey?: string | null }): RequestShape {
  return {
    seconds: v.seconds, width: v.width, height: v.height, fps: v.fps, hasImage: Boolean(v.inputReferenceKey),
    hasNegativePrompt: Boolean(v.negativePrompt), promptLength: v.prompt.length,
  };
}
