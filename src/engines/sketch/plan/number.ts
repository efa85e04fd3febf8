// Grammatical number of the lexicon's subject words, worked out once when the index is built, so
// "seagulls", "chevaux" or "children" draw a group and "seagull" draws one, without a list of
// plural patches. A word is plural when a regular ending turns a known word of the same language
// into it ("gull" → "gulls", "pony" → "ponies", "cheval" → "chevaux"), or when the language lists it
// as irregular ("children", "geese", "gens"). Some forms are both ("sheep", "fish", French
// "ours", "brebis"): they are `either`, and the prompt's grammar decides (parse-prompt.ts).
export type GrammaticalNumber = 'one' | 'many' | 'either';

export interface NumberRules {
  /** Which regular plural endings the language has. */
  endings: 'en' | 'fr';
  /** Plurals no ending rule finds ("children", "geese", "gens"). */
  irregular: readonly string[];
  /** Forms that are singular and plural at once ("sheep", "fish"). */
  invariant: readonly string[];
}

/** The singulars a word could be the regular plural of. */
function singularsOf(word: string, endings: NumberRules['endings']): string[] {
  const out: string[] = [];
  const cut = (suffix: string, add = '') => {
    if (word.length > suffix.length + 1 && word.endsWith(suffix)) out.push(word.slice(0, -suffix.length) + add);
  };
  if (endings === 'en') {
    if (!word.endsWith('ss')) cut('s');
    cut('es');
    cut('ies', 'y');
    cut('ves', 'f');
    cut('ves', 'fe');
    cut('men', 'man'); // fishermen, snowmen
    cut('i', 'us'); // octopi
  } else {
    cut('s');
    cut('x'); // oiseaux, cheveux
    cut('aux', 'al'); // chevaux
  }
  return out;
}

/** NumberRules with its word lists in the lexicon's normal form (lexicon.ts folds them). */
export interface FoldedNumberRules {
  endings: NumberRules['endings'];
  irregular: ReadonlySet<string>;
  invariant: ReadonlySet<string>;
}

/** The number of one word, given every subject word of its language (`known`); all in normal form. */
export function wordNumber(word: string, known: ReadonlySet<string>, rules: FoldedNumberRules): GrammaticalNumber {
  if (rules.irregular.has(word)) return 'many';
  if (rules.invariant.has(word)) return 'either';
  if (singularsOf(word, rules.endings).some((s) => known.has(s))) return 'many';
  // A French noun ending in s, x or z that is no regular plural is the same in both numbers (ours, brebis, lys).
  if (rules.endings === 'fr' && /[sxz]$/.test(word)) return 'either';
  return 'one';
}

/** A phrase is plural when any of its words is ("hot air balloons", "poissons rouges", "ours polaires"). */
export function phraseNumber(words: readonly string[], known: ReadonlySet<string>, rules: FoldedNumberRules): GrammaticalNumber {
  const numbers = words.map((w) => wordNumber(w, known, rules));
  if (numbers.includes('many')) return 'many';
  // French adjectives agree: "ours polaire" is one bear, "ours" alone either.
  if (numbers.includes('either')) return numbers.length > 1 && rules.endings === 'fr' ? 'one' : 'either';
  return 'one';
}
