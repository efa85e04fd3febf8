// A request as far as engines care before anything is sent: the facts a card (or a combination
// rule no card can express) decides on. Used to refuse bad requests up front and to decide whether
// an operator's fallback can honour a request the primary model could not take.
import { requestRefusal, type CardRequest, type ModelCard } from '../domain/model-card.js';

export interface RequestShape extends CardRequest {
  /** In UTF-16 code units, as providers count. */
  promptLength: number;
  /** How many characters the video is made with (their looks go to the engine as references). */
  characters?: number;
}

/** True when the card allows every part of the request, by the API's own rules (a seed need not be honoured). */
export function cardHonours(card: ModelCard, r: RequestShape): boolean {
  return card.available && requestRefusal(card, r) === null;
}

export function shapeOf(v: { seconds: number; width: number; height: number; fps: number; prompt: string; negativePrompt?: string | null; inputReferenceKey?: string | null; sourceVideo?: boolean; lastFrameKey?: string | null }, characters = 0): RequestShape {
  return {
    seconds: v.seconds, width: v.width, height: v.height, fps: v.fps, hasImage: Boolean(v.inputReferenceKey), hasVideo: Boolean(v.sourceVideo),
    hasNegativePrompt: Boolean(v.negativePrompt), promptLength: v.prompt.length, ...(characters ? { characters } : {}),
    ...(v.lastFrameKey ? { hasLastFrame: true } : {}),
  };
}
