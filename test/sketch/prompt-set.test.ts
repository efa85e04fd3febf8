// Every prompt of the public set (prompt-set.json) gives a plan showing the facts listed for it.
import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../../src/engines/sketch/plan/parse-prompt.js';
import { judge, loadPromptSet } from './prompt-set.js';

const set = loadPromptSet();

describe('the public prompt set', () => {
  it('has at least 80 prompts, at least 30 of them tried before the parser changed', () => {
    expect(set.length).toBeGreaterThanOrEqual(80);
    expect(set.filter((c) => c.origin === 'new').length).toBeGreaterThanOrEqual(30);
  });

  it.each(set.map((c) => [c.prompt, c] as const))('%s', (prompt, c) => {
    const wrong = judge(parsePrompt(prompt, 4).shots[0]!, c.expect);
    expect(wrong, `"${prompt}" is misread:\n  ${wrong.join('\n  ')}`).toEqual([]);
  });
});
