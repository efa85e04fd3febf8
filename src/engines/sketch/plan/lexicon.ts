// The vocabulary the prompt parser understands, and the one normal form that prompts and
// vocabulary are compared in. The words themselves are plain data in lexicon.en.ts and
// lexicon.fr.ts; this module merges both languages into a single phrase index, so an English word
// and its French twin map to the very same Term — that is what makes twin prompts give the same
// plan. It also cuts a text into Items (matched phrases, stopwords, unknown words), settling the
// few words whose meaning depends on a neighbour ("un chat noir" vs "film noir", "no clouds"), for
// parse-prompt.ts, which decides what each Item attaches to. Each subject form also knows its
// grammatical number (number.ts), so a bare plural draws a group.
import type {
  CameraMove, ColorName, Direction, Effect, Feature, Framing, Intensity, MoonPhase, Motion, Pose, Setting, Style, SubjectKind, TimeOfDay, WeatherKind,
} from './scene-plan.js';
import { phraseNumber, type FoldedNumberRules, type GrammaticalNumber, type NumberRules } from './number.js';
import { MAX_COUNT } from './scene-plan.js';
import { EN } from './lexicon.en.js';
import { FR } from './lexicon.fr.js';

export type Size = 'small' | 'large';

/**
 * How many a count word asks for: a number, or a vague amount the parser turns into a seeded
 * number (quantity.ts): 'group' a few ("some"), 'many' ("a flock of", "une foule de"), 'dozens'.
 */
export type Vague = 'group' | 'many' | 'dozens';
export type Amount = number | Vague;

/**
 * Where a colour or size word looks for its noun: English puts adjectives first ("red balloon" →
 * next), French puts colours after ("ballon rouge" → prev). A word both languages share
 * ("orange", "violet") gets `near`: whichever side the noun is on.
 */
export type NounSide = 'next' | 'prev' | 'near';

/** One meaning of a phrase. A phrase may carry several ("starry night" = night + stars). */
export type Term =
  /** `implied`: a hint from a subject ("polar bear" → snowfield) that a named setting overrides. */
  | { t: 'setting'; v: Setting; implied?: boolean }
  | { t: 'time'; v: TimeOfDay; implied?: boolean }
  | { t: 'weather'; v: WeatherKind; intensity?: Intensity }
  | { t: 'intensity'; v: Intensity }
  /** `number`: the form's grammatical number ("cats" many, "sheep" either); set when the index is built. */
  | { t: 'subject'; v: SubjectKind; count?: Amount; color?: ColorName; motion?: Motion; number?: GrammaticalNumber }
  | { t: 'color'; v: ColorName; noun: NounSide }
  | { t: 'size'; v: Size; noun: NounSide }
  | { t: 'count'; v: Amount }
  | { t: 'motion'; v: Motion }
  | { t: 'pose'; v: Pose }
  /** A place standing in the setting; `setting`: the one it implies when the prompt names none (harbour → sea). */
  | { t: 'feature'; v: Feature; setting?: Setting }
  | { t: 'moon'; v: MoonPhase }
  | { t: 'direction'; v: Direction }
  /** `dir`: the direction the move itself says ("la caméra descend" = tilt down). */
  | { t: 'move'; v: CameraMove; dir?: Direction }
  /** The word "camera" itself: a direction right after it is the camera's ("camera moving left"). */
  | { t: 'camera' }
  | { t: 'framing'; v: Framing }
  | { t: 'style'; v: Style }
  | { t: 'effect'; v: Effect }
  | { t: 'transition' }
  /** "no", "without", "sans": the next recognised phrase is dropped ("no clouds"). */
  | { t: 'negation' }
  /** A false friend swallowed whole so its parts are not misread ("hot dog", "en train de"). */
  | { t: 'none' }
  /** French "noir"/"rose" right after a noun are colours ("chat noir"); elsewhere they mean `otherwise`. */
  | { t: 'colorAfterNoun'; v: ColorName; otherwise: Term[] }
  /** "stars" is a subject when counted ("three stars"), otherwise the starry-sky effect. */
  | { t: 'countable'; v: SubjectKind; otherwise: Term[] }
  /**
   * A verb that moves the camera when the camera is its subject ("la caméra avance" = push-in,
   * "the camera rises" = tilt up) and means `otherwise` elsewhere ("un renard avance").
   */
  | { t: 'afterCamera'; move: CameraMove; dir?: Direction; otherwise: Term[] };

type Words<K extends string> = Record<K, readonly string[]>;

/** One language's vocabulary. Records are total so every value has words in every language. */
export interface LanguageLexicon {
  /** Side of the noun for plain colour words in this language. */
  colorSide: 'next' | 'prev';
  settings: Words<Setting>;
  times: Words<TimeOfDay>;
  weather: Words<WeatherKind>;
  intensities: Words<Intensity>;
  subjects: Words<SubjectKind>;
  colors: Words<ColorName>;
  /** Size words before their noun ("small cat", "petit chat")… */
  sizes: Words<Size>;
  /** …and after it ("chat géant"), French only. */
  sizesAfterNoun?: Partial<Words<Size>>;
  counts: Readonly<Record<string, Amount>>;
  motions: Words<Motion>;
  /** Pose words; sleeping, sitting and standing also hold the body still. */
  poses: Words<Pose>;
  features: Words<Feature>;
  /** Phrases naming the moon with its phase ("full moon", "pleine lune"). */
  moonPhases: Words<MoonPhase>;
  /** Verbs that move the camera right after the word "camera" (see the afterCamera term). */
  cameraVerbs: ReadonlyArray<readonly [string, CameraMove, Direction?]>;
  /** How this language marks plurals beyond its regular endings (number.ts). */
  number: NumberRules;
  directions: Words<Direction>;
  cameraMoves: Words<CameraMove>;
  framings: Words<Framing>;
  styles: Words<Style>;
  effects: Words<Effect>;
  transitions: readonly string[];
  negations: readonly string[];
  blocked: readonly string[];
  stopwords: readonly string[];
  /** Phrases with several meanings or a preset (count, colour, motion, implied setting). */
  phrases: ReadonlyArray<readonly [string, readonly Term[]]>;
}

/** Lowercase, accents and ligatures stripped: "Crépuscule" and "crepuscule" compare equal. */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

export interface Token {
  word: string;
  /** Punctuation starts a new clause; phrases never span one and modifiers never cross one. */
  clause: number;
}

// Apostrophes and hyphens are not listed, so they split words ("l'océan" → l ocean,
// "close-up" → close up) without ending a clause.
const TOKEN = /[\p{L}\p{N}]+|[.,;:!?()[\]{}"«»…–—|/\n]/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let clause = 0;
  for (const m of fold(text.replace(/&/g, ' and ')).matchAll(TOKEN)) {
    const word = m[0];
    if (/^[\p{L}\p{N}]/u.test(word)) tokens.push({ word, clause });
    else if (tokens.length > 0 && tokens[tokens.length - 1]!.clause === clause) clause++;
  }
  return tokens;
}

export interface Lexicon {
  phrases: ReadonlyMap<string, readonly Term[]>;
  /** Longest phrase, in words: the matcher tries this many words first. */
  maxWords: number;
  stopwords: ReadonlySet<string>;
  /** Phrases given two different meanings; the first wins. A test keeps this empty. */
  conflicts: readonly string[];
}

const NIGHT: Term = { t: 'time', v: 'night', implied: true };

/**
 * The setting a feature implies when the prompt names none: a harbour is at sea, a village in the
 * countryside, rooftops and markets in a town, crops in a meadow. A hill, ice (sea or snowfield,
 * said by its word) and fire go anywhere.
 */
const FEATURE_SETTING: Partial<Record<Feature, Setting>> = {
  harbour: 'sea', village: 'meadow', rooftops: 'city', market: 'city', hill: 'meadow', ice: 'sea', wheat: 'meadow', tulips: 'meadow',
  sunflowers: 'meadow', 'neon-signs': 'city',
};

/** Night sights: they make it night unless the prompt names a time of day. */
const NIGHT_EFFECTS: ReadonlySet<Effect> = new Set(['stars', 'aurora', 'fireworks', 'fireflies']);

const featureTerms = (v: Feature): Term[] => {
  const setting = FEATURE_SETTING[v];
  const term: Term = setting ? { t: 'feature', v, setting } : { t: 'feature', v };
  return v === 'neon-signs' ? [term, NIGHT] : [term];
};

const sameTerms = (a: readonly Term[], b: readonly Term[]) => JSON.stringify(a) === JSON.stringify(b);

export function buildLexicon(languages: readonly LanguageLexicon[]): Lexicon {
  const phrases = new Map<string, Term[]>();
  const conflicts: string[] = [];
  const stopwords = new Set<string>();
  const add = (phrase: string, terms: readonly Term[]) => {
    const key = tokenize(phrase).map((t) => t.word).join(' ');
    const known = phrases.get(key);
    if (!known) return void phrases.set(key, [...terms]);
    if (sameTerms(known, terms)) return;
    // A noun both languages share may differ in number ("bus": one in English, either in French): either.
    const unnumbered = (ts: readonly Term[]) => ts.map((x) => (x.t === 'subject' ? { ...x, number: undefined } : x));
    if (sameTerms(unnumbered(known), unnumbered(terms))) {
      return void phrases.set(key, known.map((x) => (x.t === 'subject' ? { ...x, number: 'either' } : x)));
    }
    // A colour or size both languages share ("orange", "immense") finds its noun on either side.
    const k = known[0]!;
    const shared = known.length === 1 && terms.length === 1 && modifierKey(k) !== null && modifierKey(k) === modifierKey(terms[0]!);
    if (shared && (k.t === 'color' || k.t === 'size')) phrases.set(key, [{ ...k, noun: 'near' }]);
    else conflicts.push(key);
  };
  const addAll = <K extends string>(words: Partial<Words<K>>, term: (v: K) => Term[]) => {
    for (const [v, list] of Object.entries(words) as [K, readonly string[]][]) for (const w of list) add(w, term(v));
  };
  for (const lang of languages) {
    // Every subject word of the language, so "cats" is known as the plural of "cat".
    const nouns = new Set<string>();
    for (const list of Object.values<readonly string[]>(lang.subjects)) for (const w of list) for (const t of tokenize(w)) nouns.add(t.word);
    for (const [phrase] of lang.phrases) for (const t of tokenize(phrase)) nouns.add(t.word);
    const rules: FoldedNumberRules = {
      endings: lang.number.endings, irregular: new Set(lang.number.irregular.map(fold)), invariant: new Set(lang.number.invariant.map(fold)),
    };
    const numbered = (phrase: string, terms: readonly Term[]): Term[] =>
      terms.map((term) => {
        if (term.t === 'subject' && term.number === undefined) return { ...term, number: phraseNumber(tokenize(phrase).map((t) => t.word), nouns, rules) };
        if (term.t === 'colorAfterNoun' || term.t === 'countable' || term.t === 'afterCamera') return { ...term, otherwise: numbered(phrase, term.otherwise) };
        return term;
      });
    for (const [phrase, terms] of lang.phrases) add(phrase, numbered(phrase, terms));
    addAll(lang.settings, (v) => [{ t: 'setting', v }]);
    addAll(lang.times, (v) => [{ t: 'time', v }]);
    addAll(lang.weather, (v) => [{ t: 'weather', v }]);
    addAll(lang.intensities, (v) => [{ t: 'intensity', v }]);
    // The moon is a night sight too.
    for (const [v, list] of Object.entries(lang.subjects) as [SubjectKind, readonly string[]][]) {
      for (const w of list) add(w, numbered(w, v === 'moon' ? [{ t: 'subject', v }, NIGHT] : [{ t: 'subject', v }]));
    }
    for (const [v, list] of Object.entries(lang.moonPhases) as [MoonPhase, readonly string[]][]) {
      for (const w of list) add(w, [{ t: 'subject', v: 'moon', number: 'one' }, { t: 'moon', v }, NIGHT]);
    }
    addAll(lang.features, featureTerms);
    // Sleeping, sitting or standing bodies stay where they are ("a sleeping fox" does not walk).
    addAll(lang.poses, (v) => (v === 'jumping' || v === 'dancing' ? [{ t: 'pose', v }] : [{ t: 'pose', v }, { t: 'motion', v: 'still' }]));
    addAll(lang.colors, (v) => [{ t: 'color', v, noun: lang.colorSide }]);
    addAll(lang.sizes, (v) => [{ t: 'size', v, noun: 'next' }]);
    addAll(lang.sizesAfterNoun ?? {}, (v) => [{ t: 'size', v, noun: 'prev' }]);
    for (const [w, n] of Object.entries(lang.counts)) add(w, [{ t: 'count', v: n }]);
    addAll(lang.motions, (v) => [{ t: 'motion', v }]);
    addAll(lang.directions, (v) => [{ t: 'direction', v }]);
    addAll(lang.cameraMoves, (v) => [{ t: 'move', v }]);
    addAll(lang.framings, (v) => [{ t: 'framing', v }]);
    // Neon glows at night, whether as a look or as signs.
    addAll(lang.styles, (v) => (v === 'neon' ? [{ t: 'style', v }, NIGHT] : [{ t: 'style', v }]));
    addAll(lang.effects, (v) => (NIGHT_EFFECTS.has(v) ? [{ t: 'effect', v }, NIGHT] : [{ t: 'effect', v }]));
    for (const w of lang.transitions) add(w, [{ t: 'transition' }]);
    for (const w of lang.negations) add(w, [{ t: 'negation' }]);
    for (const w of lang.blocked) add(w, [{ t: 'none' }]);
    for (const w of lang.stopwords) stopwords.add(fold(w));
  }
  // Camera verbs last: they wrap whatever else the word means ("avance" walks when no camera precedes it).
  for (const lang of languages) {
    for (const [verb, move, dir] of lang.cameraVerbs) {
      const key = tokenize(verb).map((t) => t.word).join(' ');
      const otherwise = phrases.get(key) ?? [];
      if (otherwise.some((t) => t.t === 'afterCamera')) continue;
      phrases.set(key, [{ t: 'afterCamera', move, ...(dir ? { dir } : {}), otherwise }]);
    }
  }
  let maxWords = 1;
  for (const key of phrases.keys()) maxWords = Math.max(maxWords, key.split(' ').length);
  return { phrases, maxWords, stopwords, conflicts };
}

function modifierKey(t: Term): string | null {
  return t.t === 'color' || t.t === 'size' ? `${t.t}:${t.v}` : null;
}

export const LEXICON: Lexicon = buildLexicon([EN, FR]);

export interface Item {
  /** The prompt words this item covers, in normal form ("hot air balloon"). */
  text: string;
  /** Index of its first word among the shot's words: distances between items are in words. */
  pos: number;
  clause: number;
  kind: 'term' | 'stop' | 'unknown';
  /** Meanings: one per facet of the phrase; empty when negated. */
  terms: Term[];
  /** Set by the parser when the item changed the plan (→ `understood`, else `ignored`). */
  used: boolean;
}

export type TermOf<K extends Term['t']> = Extract<Term, { t: K }>;

/** The item's meaning of kind t, if it has one. */
export const termOf = <K extends Term['t']>(item: Item, t: K): TermOf<K> | undefined =>
  item.terms.find((x): x is TermOf<K> => x.t === t);

/** Whether the item has a meaning of one of these kinds. */
export const has = (item: Item, ...ts: Term['t'][]): boolean => item.terms.some((x) => ts.includes(x.t));

/**
 * Cuts a text into items, matching the longest known phrase first ("hot air balloon" before
 * "balloon"), then settles the meanings that depend on neighbours (French "noir" after a noun)
 * and drops negated phrases.
 */
export function scan(text: string, lexicon: Lexicon = LEXICON): Item[] {
  const tokens = tokenize(text);
  const items: Item[] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i]!;
    let matched = false;
    for (let len = Math.min(lexicon.maxWords, tokens.length - i); len >= 1 && !matched; len--) {
      const span = tokens.slice(i, i + len);
      if (span[span.length - 1]!.clause !== first.clause) continue;
      const key = span.map((t) => t.word).join(' ');
      const terms = lexicon.phrases.get(key);
      if (!terms) continue;
      items.push({ text: key, pos: i, clause: first.clause, kind: 'term', terms: [...terms], used: false });
      i += len;
      matched = true;
    }
    if (matched) continue;
    const word = first.word;
    const base = { text: word, pos: i, clause: first.clause, used: false };
    if (lexicon.stopwords.has(word)) items.push({ ...base, kind: 'stop', terms: [] });
    else if (/^\d+$/.test(word)) items.push({ ...base, kind: 'term', terms: [{ t: 'count', v: Math.max(1, Math.min(MAX_COUNT, Number(word))) }] });
    else items.push({ ...base, kind: 'unknown', terms: [] });
    i++;
  }
  settleColorAfterNoun(items);
  settleCameraVerbs(items);
  applyNegations(items);
  return items;
}

/** Words that may sit between a French noun and its colour ("ballons bleus et roses"), and how far back to look. */
const COLOR_LINKS = new Set(['et', 'tres', 'tout', 'toute']);
const COLOR_REACH = 6;

/** French "noir"/"rose" right after a noun are its colour; elsewhere the style or the flower. */
function settleColorAfterNoun(items: Item[]): void {
  items.forEach((item, i) => {
    const amb = termOf(item, 'colorAfterNoun');
    if (!amb) return;
    let afterNoun = false;
    for (let j = i - 1; j >= 0 && j >= i - COLOR_REACH && items[j]!.clause === item.clause; j--) {
      const prev = items[j]!;
      if ((prev.kind === 'stop' && COLOR_LINKS.has(prev.text)) || has(prev, 'color')) continue;
      afterNoun = has(prev, 'subject', 'countable');
      break;
    }
    item.terms = afterNoun ? [{ t: 'color', v: amb.v, noun: 'prev' }] : [...amb.otherwise];
  });
}

/** Words that may sit between "camera" and its verb ("the camera slowly rises", "la caméra se rapproche"). */
const CAMERA_REACH = 3;

/** A camera verb moves the camera when "camera" is just before it in its clause; elsewhere it means what it otherwise means. */
function settleCameraVerbs(items: Item[]): void {
  items.forEach((item, i) => {
    const verb = termOf(item, 'afterCamera');
    if (!verb) return;
    let afterCamera = false;
    for (let j = i - 1; j >= 0 && j >= i - CAMERA_REACH && items[j]!.clause === item.clause; j--) {
      const prev = items[j]!;
      if (has(prev, 'camera')) afterCamera = true;
      if (afterCamera || !(prev.kind === 'stop' || (prev.kind === 'unknown' && /(?:ly|ment)$/.test(prev.text)))) break;
    }
    item.terms = afterCamera ? [{ t: 'move', v: verb.move, ...(verb.dir ? { dir: verb.dir } : {}) }] : [...verb.otherwise];
  });
}

/** "no clouds", "sans pluie": the next recognised phrase in the clause is dropped. */
function applyNegations(items: Item[]): void {
  items.forEach((item, i) => {
    if (!has(item, 'negation')) return;
    for (let j = i + 1; j < items.length && j <= i + 3 && items[j]!.clause === item.clause; j++) {
      const next = items[j]!;
      if (next.kind !== 'term') continue;
      if (!has(next, 'negation')) {
        next.terms = [];
        item.used = true;
      }
      return;
    }
  });
}

