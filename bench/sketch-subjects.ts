// Benchmark of the sketch subject library: average time per draw of every subject kind on a
// 400x200 canvas (the subjects test used to assert "under 1 ms", which a loaded machine can miss;
// the figure lives here now). Run: npx tsx bench/sketch-subjects.ts
import { createCanvas } from '@napi-rs/canvas';
import { performance } from 'node:perf_hooks';
import { SUBJECT_KINDS } from '../src/engines/sketch/plan/scene-plan.js';
import { SUBJECTS, paintFor } from '../src/engines/sketch/subjects/index.js';
import { loadavg, median } from './common.js';

const H = 120;
const ROUNDS = 200;
const RUNS = Number(process.env.MELIES_BENCH_RUNS ?? 5);
const kinds = [...SUBJECT_KINDS];
const canvas = createCanvas(400, 200);
const ctx = canvas.getContext('2d');
ctx.translate(200, 170);
ctx.scale(H, H);
const paints = kinds.map((k) => paintFor(SUBJECTS[k], null));
const drawAll = (t: number) => kinds.forEach((k, j) => SUBJECTS[k].draw({ ctx, paint: paints[j]!, t, variant: 0.5, moving: true }));

for (let i = 0; i < 10; i++) drawAll(i * 0.1); // warm up
const perDraw: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const start = performance.now();
  for (let i = 0; i < ROUNDS; i++) drawAll(i * 0.04);
  perDraw.push((performance.now() - start) / (ROUNDS * kinds.length));
}
console.log(`load ${loadavg()}; ${kinds.length} subject kinds × ${ROUNDS} rounds × ${RUNS} runs`);
console.log(`ms per draw: median ${median(perDraw).toFixed(3)} (runs ${perDraw.map((x) => x.toFixed(3)).join(', ')})`);
