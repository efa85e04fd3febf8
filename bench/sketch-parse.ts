// Parse time of the sketch engine's prompt parser (issue 16: under 5 ms a prompt) over the public
// prompt set, test/sketch/prompt-set.json. Run: npm run bench:parse (MELIES_BENCH_ROUNDS=200 by
// default). Each round parses every prompt once, in a shuffled order so no prompt always runs warm
// after its twin; mean and p99 are over every single parse. Loading the parser (which builds the
// phrase index once per process) is timed on its own. MELIES_BENCH_PARSER=path/to/parse-prompt.ts
// times another checkout's parser on the same set (before/after).
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadPromptSet } from '../test/sketch/prompt-set.js';
import { loadavg } from './common.js';

const ROUNDS = Number(process.env.MELIES_BENCH_ROUNDS ?? 200);
const prompts = loadPromptSet().map((c) => c.prompt);

const t0 = performance.now();
const parserUrl = process.env.MELIES_BENCH_PARSER
  ? pathToFileURL(resolve(process.env.MELIES_BENCH_PARSER)).href
  : new URL('../src/engines/sketch/plan/parse-prompt.js', import.meta.url).href;
const { parsePrompt } = (await import(parserUrl)) as typeof import('../src/engines/sketch/plan/parse-prompt.js');
const loadMs = performance.now() - t0;

// A fixed shuffle (a small LCG): the bench is repeatable run to run.
let state = 12345;
const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
const times: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = prompts.map((p) => [next(), p] as const).sort((a, b) => a[0] - b[0]).map(([, p]) => p);
  for (const prompt of order) {
    const start = performance.now();
    parsePrompt(prompt, 4);
    times.push(performance.now() - start);
  }
}
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
process.stdout.write(
  `sketch parser: ${prompts.length} prompts × ${ROUNDS} rounds = ${times.length} parses (load avg ${loadavg()})\n` +
  `  load (phrase index build): ${loadMs.toFixed(1)} ms once\n` +
  `  per parse: mean ${(mean * 1000).toFixed(0)} µs, median ${(at(0.5) * 1000).toFixed(0)} µs, p99 ${(at(0.99) * 1000).toFixed(0)} µs, max ${(times.at(-1)! * 1000).toFixed(0)} µs (goal: under 5 ms)\n`,
);
