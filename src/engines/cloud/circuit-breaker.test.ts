import { describe, expect, it } from 'vitest';
import { MemoryCoordination } from '../../coordination/memory/memory.coordination.js';
import { CircuitBreaker } from './circuit-breaker.js';

describe('circuit breaker', () => {
  const make = () => {
    let now = 1000;
    const b = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 500, now: () => now });
    return { b, tick: (ms: number) => { now += ms; } };
  };

  it('opens after N consecutive failures and refuses until the cooldown ends', async () => {
    const { b, tick } = make();
    await b.failure(); await b.failure();
    expect(await b.admit()).toEqual({ ok: true, trial: false });
    await b.failure();
    expect((await b.snapshot()).state).toBe('open');
    expect(await b.admit()).toEqual({ ok: false, retryAfterMs: 500 });
    tick(499);
    expect(await b.admit()).toEqual({ ok: false, retryAfterMs: 1 });
  });

  it('a success in between resets the count', async () => {
    const { b } = make();
    await b.failure(); await b.failure(); await b.success(); await b.failure(); await b.failure();
    expect((await b.snapshot()).state).toBe('closed');
  });

  it('lets exactly one trial through after the cooldown; success closes, failure reopens', async () => {
    const { b, tick } = make();
    await b.failure(); await b.failure(); await b.failure();
    tick(500);
    expect((await b.snapshot()).state).toBe('half_open');
    expect(await b.admit()).toEqual({ ok: true, trial: true });
    expect((await b.admit()).ok).toBe(false); // the trial is still out
    await b.failure();
    expect((await b.snapshot()).state).toBe('open');
    expect((await b.admit()).ok).toBe(false);
    tick(500);
    expect(await b.admit()).toEqual({ ok: true, trial: true });
    await b.success();
    expect(await b.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0, retryAt: null });
    expect(await b.admit()).toEqual({ ok: true, trial: false });
  });

  it('is one circuit for every worker sharing a store: faults seen by two add up, and only one of them makes the trial', async () => {
    let now = 1000;
    const store = new MemoryCoordination(() => now);
    const opts = { failureThreshold: 3, cooldownMs: 500, now: () => now, coordination: store, name: 'runway' };
    const [w1, w2] = [new CircuitBreaker(opts), new CircuitBreaker(opts)];
    const other = new CircuitBreaker({ ...opts, name: 'luma' });
    await w1.failure(); await w2.failure(); await w1.failure();
    expect((await w2.admit()).ok).toBe(false);
    expect((await other.admit()).ok).toBe(true);
    now += 500;
    const gates = await Promise.all([w1.admit(), w2.admit(), w1.admit(), w2.admit()]);
    expect(gates.filter((g) => g.ok)).toEqual([{ ok: true, trial: true }]);
    await w2.success();
    expect((await w1.snapshot()).state).toBe('closed');
  });
});
