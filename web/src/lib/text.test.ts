import { describe, expect, it } from 'vitest';
import { excerpt, fold, matchesWords, quoted } from './text';

describe('prompt excerpts', () => {
  it('cuts at a word boundary and closes the quote without a dangling comma or space', () => {
    const prompt = 'a lighthouse on a cliff at dusk, light rain, seagulls wheeling overhead, waves crashing on the rocks below';
    // Cut at 80 characters this used to read “…seagulls wheeling overhead, ”.
    expect(prompt.slice(0, 73)).toMatch(/overhead, $/);
    expect(quoted(prompt, 73)).toBe('“a lighthouse on a cliff at dusk, light rain, seagulls wheeling overhead…”');
    expect(quoted(prompt, 80)).toBe('“a lighthouse on a cliff at dusk, light rain, seagulls wheeling overhead, waves…”');
    expect(excerpt(prompt, 74)).toBe('a lighthouse on a cliff at dusk, light rain, seagulls wheeling overhead…');
  });

  it('leaves short text whole, flattens lines, and cuts a single huge word inside', () => {
    expect(quoted('a red balloon', 80)).toBe('“a red balloon”');
    expect(excerpt('shot 1: the sea\nshot 2: the sky', 80)).toBe('shot 1: the sea shot 2: the sky');
    expect(excerpt('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}…`);
    expect(excerpt('he said "stop" and "go" now', 19)).toBe('he said "stop" and…');
  });
});

describe('search folding', () => {
  it('matches words whatever their case and accents, like the server', () => {
    expect(fold('Un champ de BLÉ, Œuvre')).toBe('un champ de ble, oeuvre');
    expect(matchesWords('Un champ de blé', 'ble')).toBe(true);
    expect(matchesWords('CRÈME brûlée', 'creme BRULEE')).toBe(true);
    expect(matchesWords('a blue boat', 'ble')).toBe(false);
    expect(matchesWords('anything', '  ')).toBe(true);
  });
});
