// The per-process limit: never more submits at once than the limit; a waiting job that is
// cancelled stops waiting.
import { describe, expect, it } from 'vitest';
import type { Engine, EngineContext, EngineJob, SubmitResult } from './engine.js';
import { limitConcurrency } from './concurrency-limit.js';

/** An engine whose submits finish when the test says, counting how many run at once. */
function gatedEngine() {
  const state = { running: 0, most: 0, done: 0, gates: [] as (() => void)[] };
  const engine = {
    id: 'gated', models: () => [],
    async submit(): Promise<SubmitResult> {
      state.running++;
      state.most = Math.max(state.most, state.running);
      await new Promise<void>((r) => state.gates.push(r));
      state.running--;
      state.done++;
      return { kind: 'completed', file: '/dev/null' } as SubmitResult;
    },
  } as unknown as Engine;
  return { engine, state };
}

const until = async (check: () => boolean) => {
  const end = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};
const ctx = (signal = new AbortController().signal) => ({ workDir: '', signal, attempt: 1, reportProgress: () => {} }) as EngineContext;
const job = {} as EngineJob;

describe('concurrency limit', () => {
  it('runs at most the limit at once, and a cancelled waiter stops waiting', async () => {
    const { engine, state } = gatedEngine();
    const limited = limitConcurrency(engine, 2);
    const runs = Array.from({ length: 6 }, () => limited.submit(job, ctx()));
    const cancel = new AbortController();
    const cancelled = limited.submit(job, ctx(cancel.signal)).then(() => 'ran', () => 'cancelled');
    await until(() => state.running === 2);
    cancel.abort(new Error('cancelled'));
    expect(await cancelled).toBe('cancelled');
    while (state.done < 6) {
      await until(() => state.gates.length > 0);
      state.gates.shift()!();
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(runs);
    expect(state.most).toBe(2);
  });
});
