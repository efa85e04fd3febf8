// The composer's controls follow the chosen model's card: only the durations, sizes, fps and inputs
// that model allows. Switching model keeps as much of the user's choice as the new card allows.
import type { ModelCard, Video } from './types';

export type Aspect = '16:9' | '9:16' | '1:1';
export const ASPECTS: readonly Aspect[] = ['16:9', '9:16', '1:1'];

export interface Draft {
  model: string;
  prompt: string;
  negativePrompt: string;
  seconds: number;
  size: string;
  fps: number;
  /** Blank means "let the server pick a random seed". */
  seed: string;
  variations: 1 | 2 | 4;
}

// Common frame sizes per aspect, offered when a card allows a range rather than a fixed list.
const STANDARD: Record<Aspect, string[]> = {
  '16:9': ['640x360', '854x480', '1280x720', '1920x1080'],
  '9:16': ['360x640', '480x854', '720x1280', '1080x1920'],
  '1:1': ['512x512', '720x720', '1024x1024', '1080x1080'],
};

export function parseSize(size: string): { width: number; height: number } | null {
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}

/** The aspect a size belongs to, within 2% (854x480 is 16:9). */
export function aspectOf(size: string): Aspect | null {
  const s = parseSize(size);
  if (!s) return null;
  const r = s.width / s.height;
  const near = (x: number) => Math.abs(r - x) / x < 0.02;
  return near(16 / 9) ? '16:9' : near(9 / 16) ? '9:16' : near(1) ? '1:1' : null;
}

export function allowsSize(card: ModelCard, size: string): boolean {
  if (card.sizes.includes(size)) return true;
  const s = parseSize(size);
  const r = card.size_range;
  if (!s || !r) return false;
  return s.width >= r.min_width && s.width <= r.max_width && s.height >= r.min_height && s.height <= r.max_height &&
    s.width * s.height <= r.max_pixels && s.width % r.multiple_of === 0 && s.height % r.multiple_of === 0;
}

export function secondsOptions(card: ModelCard): number[] {
  if (Array.isArray(card.seconds)) return [...card.seconds].sort((a, b) => a - b);
  const out: number[] = [];
  for (let s = card.seconds.min; s <= card.seconds.max && out.length < 120; s += card.seconds.step) out.push(s);
  return out;
}

/** Sizes offered for one aspect, smallest first: the card's presets plus standard sizes it allows. */
export function sizesFor(card: ModelCard, aspect: Aspect): string[] {
  const set = new Set(card.sizes.filter((s) => aspectOf(s) === aspect));
  if (card.size_range) for (const s of STANDARD[aspect]) if (allowsSize(card, s)) set.add(s);
  const area = (s: string) => { const p = parseSize(s)!; return p.width * p.height; };
  return [...set].sort((a, b) => area(a) - area(b));
}

export function aspectsFor(card: ModelCard): Aspect[] {
  return ASPECTS.filter((a) => sizesFor(card, a).length > 0);
}

const nearest = (options: number[], want: number) =>
  options.reduce((best, o) => (Math.abs(o - want) < Math.abs(best - want) ? o : best), options[0]!);

/**
 * Makes a draft fit a card: the nearest allowed duration and fps, a size of the same aspect and
 * closest area (or the card's default), the seed kept only where the card takes one.
 */
export function conform(draft: Draft, card: ModelCard): Draft {
  const seconds = nearest(secondsOptions(card), draft.seconds);
  const fps = card.fps.includes(draft.fps) ? draft.fps : nearest(card.fps, draft.fps);
  let size = draft.size;
  if (!allowsSize(card, size)) {
    const aspect = aspectOf(size);
    const candidates = aspect ? sizesFor(card, aspect) : [];
    const want = parseSize(size);
    if (candidates.length && want) {
      const area = want.width * want.height;
      size = candidates.reduce((best, s) => {
        const p = parseSize(s)!, b = parseSize(best)!;
        return Math.abs(p.width * p.height - area) < Math.abs(b.width * b.height - area) ? s : best;
      }, candidates[0]!);
    } else size = card.default_size;
  }
  return {
    ...draft,
    model: card.id,
    seconds,
    fps,
    size,
    seed: card.seed ? draft.seed : '',
    negativePrompt: card.negative_prompt ? draft.negativePrompt : '',
  };
}

export function defaultDraft(card: ModelCard): Draft {
  return { model: card.id, prompt: '', negativePrompt: '', seconds: card.default_seconds, size: card.default_size, fps: card.default_fps, seed: '', variations: 1 };
}

/** A video's settings as a composer draft ("Reuse settings"). */
export function draftFromVideo(v: Pick<Video, 'model' | 'prompt' | 'negative_prompt' | 'seconds' | 'size' | 'fps' | 'seed'>): Draft {
  return { model: v.model, prompt: v.prompt, negativePrompt: v.negative_prompt ?? '', seconds: Number(v.seconds), size: v.size, fps: v.fps, seed: String(v.seed), variations: 1 };
}

export const acceptsImage = (card: ModelCard) => card.inputs.includes('image');
/** The "Last frame" drop zone shows only for models whose card takes one. */
export const acceptsLastFrame = (card: ModelCard) => card.last_frame === true;

/**
 * How many seconds an extension of a `sourceSeconds` video may add on this card: its own durations
 * that keep the stitched total within its limit (none when it cannot extend, or the video is
 * already as long as it may get).
 */
export function extensionSeconds(card: ModelCard, sourceSeconds: number): number[] {
  if (!card.extend) return [];
  const room = (card.extend_limits?.max_total_seconds ?? Infinity) - sourceSeconds;
  return secondsOptions(card).filter((s) => s <= room);
}

/** Dollars for the whole request, or null when the model has no price (local engines). */
export function estimateCostUsd(card: ModelCard, seconds: number, variations: number): number | null {
  return card.price_per_second_usd == null ? null : card.price_per_second_usd * seconds * variations;
}

export interface RenderHistory {
  seconds: number;
  fps: number;
  size: string;
  startedAt: number;
  completedAt: number;
}

/**
 * Render time from this model's own recent videos on this server (median rate), or null until
 * there is history: the studio shows nothing rather than a made-up number. Engines on this machine
 * take time in proportion to frames times pixels; a cloud API's time hardly depends on either, so
 * only the duration scales it there.
 */
export function estimateRenderSeconds(card: ModelCard, history: RenderHistory[], want: { seconds: number; fps: number; size: string }, variations: number): number | null {
  const work = (h: { seconds: number; fps: number; size: string }) => {
    if (card.kind === 'cloud') return h.seconds;
    const s = parseSize(h.size);
    return s ? h.seconds * h.fps * s.width * s.height : 0;
  };
  const rates = history.filter((h) => h.completedAt > h.startedAt && work(h) > 0).map((h) => (h.completedAt - h.startedAt) / work(h)).sort((a, b) => a - b);
  if (!rates.length || work(want) === 0) return null;
  const median = rates[Math.floor(rates.length / 2)]!;
  // Variations share the server's workers; here they run about one after another.
  return Math.max(1, Math.round(median * work(want) * variations));
}

/** The seeds of N variations: consecutive from a chosen seed, or all left to the server. */
export function variationSeeds(seed: string, variations: number): (number | undefined)[] {
  const base = seed.trim() === '' ? undefined : Number(seed);
  return Array.from({ length: variations }, (_, i) => (base === undefined ? undefined : (base + i) % 4294967296));
}

export function randomSeed(): string {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return String(a[0]);
}
