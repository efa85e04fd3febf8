// How many prompts of the public set (test/sketch/prompt-set.json) the sketch parser reads fully
// right: `npx tsx scripts/sketch-prompt-score.ts [path/to/parse-prompt.ts] [--verbose]`. The path lets the same
// set score another checkout's parser (e.g. the one before issue 16) for a before/after figure.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { judge, loadPromptSet } from '../test/sketch/prompt-set.js';

const modulePath = resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'src/engines/sketch/plan/parse-prompt.ts');
const { parsePrompt } = (await import(pathToFileURL(modulePath).href)) as typeof import('../src/engines/sketch/plan/parse-prompt.js');
const set = loadPromptSet();
let right = 0;
const byOrigin = { issue: [0, 0], new: [0, 0], after: [0, 0] };
for (const c of set) {
  const wrong = judge(parsePrompt(c.prompt, 4).shots[0]!, c.expect);
  byOrigin[c.origin][1]++;
  if (wrong.length === 0) {
    right++;
    byOrigin[c.origin][0]++;
  } else if (process.argv.includes('--verbose')) {
    process.stdout.write(`✗ ${c.prompt}\n    ${wrong.join('\n    ')}\n`);
  }
}
process.stdout.write(`${modulePath}\n${right} of ${set.length} prompts fully right (issue failures ${byOrigin.issue[0]}/${byOrigin.issue[1]}, tries before the change ${byOrigin.new[0]}/${byOrigin.new[1]}, tries after it ${byOrigin.after[0]}/${byOrigin.after[1]})\n`);
