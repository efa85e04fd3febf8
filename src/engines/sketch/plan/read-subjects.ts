// Who is in a shot, and how many: subject words become planned subjects with their count, colour
// and size (parse-prompt.ts then gives them motions, poses and directions). Counts and colours
// attach to their noun (English adjectives before it, French colours after it); a noun with no
// count takes its number from its form or, for forms of either number ("sheep", "ours"), from its
// determiner or verb; vague amounts become seeded numbers (quantity.ts).
import { has, LEXICON, termOf, type Amount, type Item, type TermOf } from './lexicon.js';
import type { GrammaticalNumber } from './number.js';
import { resolveAmount } from './quantity.js';
import { SUBJECT_INFO, type PlannedSubject, type Setting, type SubjectKind } from './scene-plan.js';

/** "the cat" after "a cat" in the same shot is the same cat, not a second one. */
const DEFINITE = new Set(['the', 'this', 'le', 'la', 'les', 'l', 'du', 'au', 'aux', 'ce', 'cet', 'cette']);
/** How far (in items) a modifier looks for its noun, and how many unknown words it may skip. */
const WINDOW = 6;
const MAX_UNKNOWN = 2;
/** Words before a noun of either number ("sheep", "ours") that make it plural or singular. */
const PLURAL_DETERMINERS = new Set(['these', 'those', 'both', 'les', 'des', 'ces', 'mes', 'tes', 'ses', 'nos', 'vos', 'leurs', 'aux']);
const SINGULAR_DETERMINERS = new Set(['a', 'an', 'this', 'that', 'un', 'une', 'le', 'la', 'l', 'ce', 'cet', 'cette', 'mon', 'ma', 'son', 'sa']);
const PLURAL_VERBS = new Set(['are', 'were', 'sont', 'etaient']);
const SINGULAR_VERBS = new Set(['is', 'was', 'est', 'etait']);

export interface Subject {
  plan: PlannedSubject;
  /** The setting this subject suggests when the prompt names none ("lighthouse" → sea). */
  setting: Setting | null;
  /** Colour/motion that came with the noun ("goldfish" → orange) and that an explicit word overrides. */
  presetColor: boolean;
  presetMotion: boolean;
}

/** The noun a modifier belongs to, looking `step` items at a time; null past another noun-ish word. */
function findNoun(items: readonly Item[], from: number, step: 1 | -1): Item | null {
  const clause = items[from]!.clause;
  let unknown = 0;
  for (let j = from + step, n = 0; j >= 0 && j < items.length && n < WINDOW; j += step, n++) {
    const it = items[j]!;
    if (it.clause !== clause) return null;
    if (it.kind === 'stop') continue;
    if (it.kind === 'unknown') {
      if (++unknown > MAX_UNKNOWN) return null;
      continue;
    }
    if (has(it, 'subject', 'countable')) return it;
    // Other adjectives of the same noun ("three small red balloons") are stepped over.
    if (it.terms.length > 0 && it.terms.every((t) => t.t === 'color' || t.t === 'size' || t.t === 'intensity')) continue;
    return null;
  }
  return null;
}

/** Counts go before their noun in both languages ("three balloons", "trois ballons"). */
export function attachCounts(items: Item[]): Map<Item, Amount> {
  const counts = new Map<Item, Amount>();
  items.forEach((item, i) => {
    const count = termOf(item, 'count');
    if (!count) return;
    const noun = findNoun(items, i, 1);
    if (!noun || counts.has(noun)) return;
    counts.set(noun, count.v);
    item.used = true;
    const countable = termOf(noun, 'countable');
    // "three stars" are things, not a starry sky; still a night sight.
    if (countable) noun.terms = [{ t: 'subject', v: countable.v }, ...countable.otherwise.filter((x) => x.t === 'time' && x.implied)];
  });
  return counts;
}

export function makeSubjects(items: readonly Item[], counts: ReadonlyMap<Item, Amount>, inherited: readonly PlannedSubject[]) {
  const subjects: Subject[] = [];
  const amounts: Amount[] = [];
  const byItem = new Map<Item, Subject>();
  const firstOfKind = new Map<SubjectKind, Subject>();
  items.forEach((item, i) => {
    const s = termOf(item, 'subject');
    if (!s) return;
    item.used = true;
    const before = items[i - 1];
    if (before?.kind === 'stop' && DEFINITE.has(before.text) && !counts.has(item)) {
      const earlier = firstOfKind.get(s.v);
      if (earlier) {
        byItem.set(item, earlier);
        return;
      }
    }
    const implied = item.terms.find((t): t is TermOf<'setting'> => t.t === 'setting' && t.implied === true);
    amounts.push(counts.get(item) ?? s.count ?? amountOfNumber(items, i, s.number ?? 'one'));
    const subject: Subject = {
      plan: { kind: s.v, count: 1, color: s.color ?? null, motion: s.motion ?? null, direction: null, size: null },
      setting: implied?.v ?? SUBJECT_INFO[s.v].setting ?? null,
      presetColor: s.color !== undefined,
      presetMotion: s.motion !== undefined,
    };
    subjects.push(subject);
    byItem.set(item, subject);
    if (!firstOfKind.has(s.v)) firstOfKind.set(s.v, subject);
  });
  // The seed is what the shot names, not its words: twins in English and French draw as many.
  const cast = subjects.map((x) => x.plan.kind).join(',');
  subjects.forEach((x, n) => {
    x.plan.count = resolveAmount(amounts[n]!, `${cast}|${n}|${x.plan.kind}`);
  });
  // A shot that names nobody keeps the previous shot's cast (a copy: shots are independent data).
  if (subjects.length === 0) {
    for (const plan of inherited) subjects.push({ plan: { ...plan }, setting: null, presetColor: false, presetMotion: false });
  }
  return { subjects, byItem };
}

/**
 * How many a noun without a count asks for: a plural form a small group, a singular one; a form of
 * either number ("sheep", "fish", "ours") follows its determiner or its verb ("some sheep", "des
 * ours", "fish swim", "the sheep are") and is one when nothing says otherwise.
 */
function amountOfNumber(items: readonly Item[], i: number, number: GrammaticalNumber): Amount {
  if (number !== 'either') return number === 'many' ? 'group' : 1;
  const item = items[i]!;
  const before = items[i - 1];
  if (before?.kind === 'stop' && before.clause === item.clause) {
    if (PLURAL_DETERMINERS.has(before.text)) return 'group';
    if (SINGULAR_DETERMINERS.has(before.text)) return 1;
  }
  for (let j = i + 1; j < items.length && j <= i + 2 && items[j]!.clause === item.clause; j++) {
    const next = items[j]!;
    if (next.kind === 'stop') {
      if (PLURAL_VERBS.has(next.text)) return 'group';
      if (SINGULAR_VERBS.has(next.text)) return 1;
      continue;
    }
    // An English verb in its plain form whose -s form the lexicon knows agrees with a plural ("fish swim", "jellyfish drift").
    if (has(next, 'motion', 'pose') && !/s$/.test(next.text) && (LEXICON.phrases.has(`${next.text}s`) || LEXICON.phrases.has(`${next.text}es`))) return 'group';
    // A French verb in -ent agrees with a plural ("les ours dorment").
    if (/[^m]ent$/.test(next.text) && (next.kind === 'unknown' || has(next, 'motion', 'pose'))) return 'group';
    break;
  }
  return 1;
}

export function attachAdjectives(items: Item[], byItem: ReadonlyMap<Item, Subject>): void {
  items.forEach((item, i) => {
    const mod = termOf(item, 'color') ?? termOf(item, 'size');
    if (!mod) return;
    let noun: Item | null;
    if (mod.noun === 'next') noun = findNoun(items, i, 1) ?? findNoun(items, i, -1);
    else if (mod.noun === 'prev') noun = findNoun(items, i, -1) ?? findNoun(items, i, 1);
    else noun = (i > 0 && has(items[i - 1]!, 'subject') ? items[i - 1]! : null) ?? findNoun(items, i, 1) ?? findNoun(items, i, -1);
    const subject = noun ? byItem.get(noun) : undefined;
    if (!subject) return;
    if (mod.t === 'color' && (subject.plan.color === null || subject.presetColor)) {
      subject.plan.color = mod.v;
      subject.presetColor = false;
      item.used = true;
    } else if (mod.t === 'size' && subject.plan.size === null) {
      subject.plan.size = mod.v;
      item.used = true;
    }
  });
}
