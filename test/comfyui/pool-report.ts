// How well a run used the fake GPUs, from their own execution timelines: busy time, the longest
// idle gap while jobs were still waiting to start, and utilisation over the run. Shared by the
// pool scenario test and bench/comfyui-pool.ts.
import type { FakeComfyUI } from '../fakes/comfyui/fake-comfyui.server.js';

export interface PoolReport {
  gpus: { jobs: number; busyMs: number; longestWaitingGapMs: number }[];
  /** Busy GPU time over (GPUs × the span from the first start to the last end). */
  utilisation: number;
  spanMs: number;
  /** Mean execution time of one prompt on a fake GPU. */
  meanExecMs: number;
  summary: string;
}

/**
 * Samples, every few ms, how many jobs wait inside Méliès for a free GPU (the engine's status), so
 * idle GPU time can be matched against it: a GPU idle while a job waited is the scheduler's fault.
 */
export function sampleWaiting(read: () => Promise<number>, everyMs = 10): { stop(): { at: number; waiting: number }[] } {
  const samples: { at: number; waiting: number }[] = [];
  let on = true;
  void (async () => {
    while (on) {
      samples.push({ at: Date.now(), waiting: await read() });
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return { stop: () => { on = false; return samples; } };
}

/** The longest stretch a GPU sat idle while some job waited for one (from sampleWaiting). */
export function idleWhileWaiting(gpus: FakeComfyUI[], samples: { at: number; waiting: number }[]): number {
  let worst = 0;
  for (const g of gpus) {
    const ex = [...g.stats.executions].sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < ex.length; i++) {
      const from = ex[i - 1]!.endedAt, to = ex[i]!.startedAt;
      // Time in the gap during which a job was waiting (sample to next sample).
      let waited = 0;
      for (let j = 0; j < samples.length - 1; j++) {
        const a = Math.max(from, samples[j]!.at), b = Math.min(to, samples[j + 1]!.at);
        if (b > a && samples[j]!.waiting > 0) waited += b - a;
      }
      worst = Math.max(worst, waited);
    }
  }
  return worst;
}

export function poolReport(gpus: FakeComfyUI[], t0 = 0): PoolReport {
  const all = gpus.flatMap((g) => g.stats.executions);
  const firstStart = Math.min(...all.map((e) => e.startedAt));
  const lastStart = Math.max(...all.map((e) => e.startedAt));
  const lastEnd = Math.max(...all.map((e) => e.endedAt));
  const spanMs = lastEnd - firstStart;
  const per = gpus.map((g) => {
    const ex = [...g.stats.executions].sort((a, b) => a.startedAt - b.startedAt);
    let gap = ex.length ? ex[0]!.startedAt - firstStart : spanMs;
    for (let i = 1; i < ex.length; i++) {
      // Only gaps that open while some job had not started yet: after the last start, idling is fine.
      if (ex[i - 1]!.endedAt < lastStart) gap = Math.max(gap, ex[i]!.startedAt - ex[i - 1]!.endedAt);
    }
    return { jobs: ex.length, busyMs: ex.reduce((n, e) => n + (e.endedAt - e.startedAt), 0), longestWaitingGapMs: Math.max(0, gap) };
  });
  const busy = per.reduce((n, g) => n + g.busyMs, 0);
  const utilisation = busy / (gpus.length * spanMs);
  const meanExecMs = busy / all.length;
  const summary = `${all.length} prompts on ${gpus.length} GPUs in ${spanMs} ms (first start ${firstStart - t0} ms after t0), ` +
    `mean execution ${meanExecMs.toFixed(0)} ms, utilisation ${(utilisation * 100).toFixed(1)}%, jobs per GPU ${per.map((g) => g.jobs).join('/')}, ` +
    `longest idle gap while work waited ${Math.max(...per.map((g) => g.longestWaitingGapMs))} ms`;
  return { gpus: per, utilisation, spanMs, meanExecMs, summary };
}
