// Grammatical number of lexicon words (number.ts): regular endings against known words, the
// languages' short irregular and invariant lists, and how phrases combine their words.
import { describe, expect, it } from 'vitest';
import { phraseNumber, wordNumber, type FoldedNumberRules } from './number.js';
import { VAGUE_RANGES, resolveAmount } from './quantity.js';
import { MAX_COUNT } from './scene-plan.js';

const en: FoldedNumberRules = { endings: 'en', irregular: new Set(['children', 'geese']), invariant: new Set(['sheep', 'fish']) };
const fr: FoldedNumberRules = { endings: 'fr', irregular: new Set(['gens']), invariant: new Set() };
const enKnown = new Set(['gull', 'pony', 'wolf', 'fisherman', 'octopus', 'bus', 'albatross', 'child', 'goose', 'sheep', 'fish', 'jelly', 'hot', 'air', 'balloon']);
const frKnown = new Set(['cheval', 'oiseau', 'chat', 'ours', 'polaire', 'brebis', 'bateau', 'peche', 'personne']);

describe('grammatical number', () => {
  it.each([
    ['gulls', 'many'], ['ponies', 'many'], ['wolves', 'many'], ['fishermen', 'many'], ['octopi', 'many'], ['buses', 'many'], ['children', 'many'],
    ['geese', 'many'], ['gull', 'one'], ['bus', 'one'], ['albatross', 'one'], ['octopus', 'one'], ['sheep', 'either'], ['fish', 'either'],
    ['glass', 'one'], // not a plural of "glas"
  ])('English %s is %s', (word, number) => {
    expect(wordNumber(word, enKnown, en)).toBe(number);
  });

  it.each([
    ['chevaux', 'many'], ['oiseaux', 'many'], ['chats', 'many'], ['gens', 'many'], ['chat', 'one'], ['ours', 'either'], ['brebis', 'either'],
  ])('French %s is %s', (word, number) => {
    expect(wordNumber(word, frKnown, fr)).toBe(number);
  });

  it('a phrase is plural when one of its words is; a French adjective settles an invariant noun', () => {
    expect(phraseNumber(['hot', 'air', 'balloons'], enKnown, en)).toBe('many');
    expect(phraseNumber(['jellies'], enKnown, en)).toBe('many');
    expect(phraseNumber(['bateaux', 'de', 'peche'], frKnown, fr)).toBe('many');
    expect(phraseNumber(['ours', 'polaires'], frKnown, fr)).toBe('many');
    expect(phraseNumber(['ours', 'polaire'], frKnown, fr)).toBe('one');
    expect(phraseNumber(['ours'], frKnown, fr)).toBe('either');
  });
});

describe('amounts', () => {
  it('keeps said numbers between 1 and MAX_COUNT', () => {
    expect(resolveAmount(7, 'x')).toBe(7);
    expect(resolveAmount(0, 'x')).toBe(1);
    expect(resolveAmount(1000, 'x')).toBe(MAX_COUNT);
  });

  it('picks vague amounts in their range, the same for the same seed, spread over the range across seeds', () => {
    for (const [vague, [lo, hi]] of Object.entries(VAGUE_RANGES) as [keyof typeof VAGUE_RANGES, readonly [number, number]][]) {
      const picks = new Set<number>();
      for (let i = 0; i < 200; i++) {
        const n = resolveAmount(vague, `seed ${i}`);
        expect(n >= lo && n <= hi && n <= MAX_COUNT, `${vague} ${n}`).toBe(true);
        expect(resolveAmount(vague, `seed ${i}`)).toBe(n);
        picks.add(n);
      }
      expect(picks.size, vague).toBe(hi - lo + 1);
    }
  });
});
