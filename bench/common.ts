// What every benchmark shares: summaries of repeated runs, the machine's load, CPU time of child
// processes, and the sketch benchmarks' prompts (so the encoder-floor run measures the same shots).
import { readFileSync } from 'node:fs';
import os from 'node:os';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const range = (xs: number[], unit = 1) => `${(Math.min(...xs) / unit).toFixed(2)}–${(Math.max(...xs) / unit).toFixed(2)}`;
export const loadavg = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/**
 * CPU ms used by finished child processes and their own children (Linux /proc), so a run can also
 * be weighed in CPU time: on a shared machine, wall time also counts other people's work. NaN
 * where /proc is missing.
 */
export function childrenCpuMs(): number {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(')').pop()!.trim().split(' ');
    return (Number(f[13]) + Number(f[14])) * 10; // cutime + cstime, in ticks of 10 ms (USER_HZ 100)
  } catch {
    return NaN;
  }
}

// Three kinds of shot: still land (the common case), animated water with a sweeping beam, and
// everything moving at once (rain over a zoom).
export const SKETCH_PROMPTS = [
  'a fox walking through a meadow at noon',
  'a lighthouse on a cliff at dusk',
  'a lighthouse on a cliff at dusk, light rain, slow zoom in',
];
