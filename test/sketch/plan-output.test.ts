// What `melies plan` prints (src/cli/main.ts: the registry's plan as JSON) shows the issue 16
// fields — features, moon phase, poses — next to what was understood and what was ignored.
import { describe, expect, it } from 'vitest';
import { configFromFlags } from '../../src/app/config.js';
import { createEngines } from '../../src/app/engines.js';

describe('the printed scene plan', () => {
  it('carries features, the moon phase and poses, and lists understood and ignored words', () => {
    const engines = createEngines(configFromFlags({}));
    const printed = JSON.parse(JSON.stringify(engines.plan('sketch', { prompt: 'a burning village under a full moon, a sleeping fox, zorglub', seconds: 4 })));
    expect(printed.shots[0]).toMatchObject({
      features: ['fire', 'village'], moonPhase: 'full', timeOfDay: 'night',
      subjects: expect.arrayContaining([expect.objectContaining({ kind: 'fox', pose: 'sleeping', motion: 'still' })]),
    });
    expect(printed.understood).toEqual(['burning', 'village', 'full moon', 'sleeping', 'fox']);
    expect(printed.ignored).toEqual(['zorglub']);
  });
});
