// Short forms of prompts for links and labels: cut at a word boundary, never leaving a dangling
// comma, space or quote, and closed with an ellipsis inside the quotes ("…overhead, ”" was the bug).
// Matching ignores case and accents, as the server's library search does (db/search-fold.ts).

const TRAILING = /[\s,;:.!?\-–—'"“”‘’«»(\[{]+$/u;

/** At most `max` characters of `text` (plus "…" when cut), on one line. */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let cut = flat.slice(0, max);
  // Back to the last space, unless that would throw away more than half: one huge word is cut inside.
  const space = flat[max] === ' ' ? max : cut.lastIndexOf(' ');
  if (space > max / 2) cut = cut.slice(0, space);
  return `${cut.replace(TRAILING, '')}…`;
}

/** An excerpt in curly quotes: “a lighthouse at dusk…”. */
export const quoted = (text: string, max: number) => `“${excerpt(text, max)}”`;

const LETTERS: Record<string, string> = {
  'ß': 'ss', 'ẞ': 'ss', 'æ': 'ae', 'Æ': 'ae', 'œ': 'oe', 'Œ': 'oe', 'ø': 'o', 'Ø': 'o', 'đ': 'd', 'Đ': 'd',
  'ð': 'd', 'Ð': 'd', 'ł': 'l', 'Ł': 'l', 'þ': 'th', 'Þ': 'th', 'ı': 'i', 'ħ': 'h', 'Ħ': 'h',
};
const SPECIAL = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');

/** The same folding as the server's search: lower case, no accents, œ → oe. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').replace(SPECIAL, (c) => LETTERS[c]!).toLowerCase();
}

/** Whether every word of a search appears in the text, ignoring case and accents. */
export function matchesWords(text: string, query: string): boolean {
  const hay = fold(text);
  return fold(query).split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}
