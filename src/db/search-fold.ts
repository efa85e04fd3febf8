// Text folded for library search: lower case, accents dropped ("Blé" → "ble"), the few Latin letters
// that Unicode does not decompose spelled out ("Œuvre" → "oeuvre"). The application folds both the
// stored copy of a prompt (videos.prompt_search) and the words searched for, so SQLite and
// PostgreSQL compare the same bytes: neither lower() nor unaccent behaves alike on both engines.

const LETTERS: Record<string, string> = {
  'ß': 'ss', 'ẞ': 'ss', 'æ': 'ae', 'Æ': 'ae', 'œ': 'oe', 'Œ': 'oe', 'ø': 'o', 'Ø': 'o', 'đ': 'd', 'Đ': 'd',
  'ð': 'd', 'Ð': 'd', 'ł': 'l', 'Ł': 'l', 'þ': 'th', 'Þ': 'th', 'ı': 'i', 'ħ': 'h', 'Ħ': 'h',
};
const SPECIAL = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');

export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').replace(SPECIAL, (c) => LETTERS[c]!).toLowerCase();
}
