// Storyboards: cutting a prompt into shots and giving each shot its share of the video. A prompt
// is several shots either through inline markers ("shot 1: … shot 2: …", "plan 1 : …",
// "scène 2 :") or, without markers, one shot per non-empty line. A shot may ask for its length
// ("[3s]", "(2.5 sec)", "[3 secondes]"); the lengths are then fitted so the shots always add up to
// exactly the video's duration. What a shot *shows* is parse-prompt.ts's business.

export interface ShotText {
  /** The shot's text without its marker and duration tag. */
  text: string;
  /** The duration the shot asked for, in seconds, or null. */
  seconds: number | null;
}

export interface ShotTiming {
  start: number;
  seconds: number;
}

// A marker is "shot", "plan", "scene" or "scène" (any case), a number and a separator.
// The lookbehind stands in for \b, which does not understand accented letters.
const MARKER = /(?<![\p{L}\p{N}])(?:shot|plan|sc[eèé]ne)\s*(?:(?:#|n°|no\.?)\s*)?\d+\s*[:.)\-–—](?!\d)/giu;

const DURATION = /[[(]\s*(\d+(?:[.,]\d+)?)\s*(?:s|secs?|seconds?|secondes?)\.?\s*[\])]/giu;

// List bullets and numbers at the start of a line ("1.", "2)", "-", "•") are layout, not content.
const BULLET = /^\s*(?:[-*•·]|\d+[.)])\s+/u;

/**
 * Cuts a prompt into shot texts, in order. Shots with no letter or digit are dropped; the result
 * is empty when the whole prompt is, and the caller makes one default shot of it.
 */
export function splitStoryboard(prompt: string): ShotText[] {
  const text = prompt.normalize('NFC');
  const markers = [...text.matchAll(MARKER)];
  let pieces: string[];
  if (markers.length > 0) {
    pieces = markers.map((m, i) => text.slice(m.index + m[0].length, markers[i + 1]?.index ?? text.length));
    // Words before the first marker set the scene for the first shot ("Watercolor. Shot 1: …");
    // later shots inherit them through continuity.
    const preamble = text.slice(0, markers[0]!.index);
    if (hasContent(preamble)) pieces[0] = `${preamble.trim()} ${pieces[0]!}`;
  } else {
    pieces = text.split(/\r\n|\r|\n/).map((line) => line.replace(BULLET, ''));
  }
  const shots: ShotText[] = [];
  for (const piece of pieces) {
    let seconds: number | null = null;
    const rest = piece.replace(DURATION, (_tag, value: string) => {
      const n = Number(value.replace(',', '.'));
      if (seconds === null && Number.isFinite(n) && n > 0) seconds = n;
      return ' ';
    });
    if (hasContent(rest)) shots.push({ text: rest.replace(/\s+/g, ' ').trim(), seconds });
  }
  return shots;
}

function hasContent(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

const MAX_SHOT_SECONDS = 1e9;

/** Milliseconds are precise enough for a plan a person reads, and keep it tidy. */
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Gives each shot a start and a length so the lengths add up to exactly `totalSeconds`.
 * Asked-for lengths are kept when they fit and the rest is shared equally by the other shots; if
 * they do not fit (or every shot asked and the sum is off), all lengths are scaled
 * proportionally — a shot without one then counts as an average asked-for shot. The last shot
 * takes whatever remains, so floating-point rounding never leaves a gap or an overlap.
 */
export function assignDurations(askedSeconds: readonly (number | null)[], totalSeconds: number): ShotTiming[] {
  const total = Number.isFinite(totalSeconds) && totalSeconds > 0 ? totalSeconds : 0;
  // Nonsense lengths count as not asked; absurd ones are capped so their sum stays finite.
  const asked = askedSeconds.map((s) => (s !== null && Number.isFinite(s) && s > 0 ? Math.min(s, MAX_SHOT_SECONDS) : null));
  const n = Math.max(1, asked.length);
  const given = asked.filter((s): s is number => s !== null);
  const free = n - given.length;
  const sumGiven = given.reduce((a, b) => a + b, 0);
  let raw: number[];
  if (given.length === 0) {
    raw = Array.from({ length: n }, () => total / n);
  } else if (free > 0 && sumGiven < total) {
    raw = Array.from({ length: n }, (_, i) => asked[i] ?? (total - sumGiven) / free);
  } else {
    const average = sumGiven / given.length;
    const wanted = Array.from({ length: n }, (_, i) => asked[i] ?? average);
    const scale = total / wanted.reduce((a, b) => a + b, 0);
    raw = wanted.map((s) => s * scale);
  }
  const tidy = layOut(raw, total, round3);
  if (tidy.reduce((a, t) => a + t.seconds, 0) === total) return tidy;
  // Rarely (a rounding tie) no last length closes the sum. Lengths on the grid of total's last
  // binary digit always do: every sum and difference on that grid is exact.
  const unit = ulp(total);
  return layOut(raw, total, (x) => Math.round(x / unit) * unit);
}

/**
 * Consecutive shots from their wanted lengths, each rounded by `place`; the last shot takes the
 * remainder, in milliseconds when that still adds up exactly (6.666 + 3.334, rather than
 * 3.3339999999999996).
 */
function layOut(raw: readonly number[], total: number, place: (x: number) => number): ShotTiming[] {
  const timings: ShotTiming[] = [];
  let start = 0;
  for (let i = 0; i < raw.length - 1; i++) {
    const seconds = Math.max(0, Math.min(place(raw[i]!), total - start));
    timings.push({ start, seconds });
    start += seconds;
  }
  const rest = total - start;
  timings.push({ start, seconds: start + round3(rest) === total ? round3(rest) : rest });
  return timings;
}

/** The value of the last binary digit of x > 0. */
function ulp(x: number): number {
  let e = Math.floor(Math.log2(x));
  if (2 ** e > x) e--;
  else if (2 ** (e + 1) <= x) e++;
  return Math.max(Number.MIN_VALUE, 2 ** (e - 52));
}
