import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('circuit breaker', () => {
  const make = () => {
    let now = 1000;
    const b = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 500, now: () => now });
    return { b, tick: (ms: number) => { now += ms; } };
  };

  it('opens after N consecutive failures and refuses until the cooldown ends', () => {
    const { b, tick } = make();
    b.failure(); b.failure();
    expect(b.admit()).toEqual({ ok: true, trial: false });
    b.failure();
    expect(b.snapshot().state).toBe('open');
    expect(b.admit()).toEqual({ ok: false, retryAfterMs: 500 });
    tick(499);
    expect(b.admit()).toEqual({ ok: false, retryAfterMs: 1 });
  });

  it('a success in between resets the count', () => {
    const { b } = make();
    b.failure(); b.failure(); b.success(); b.failure(); b.failure();
    expect(b.snapshot().state).toBe('closed');
  });

  it('lets exactly one trial through after the cooldown; success closes, failure reopens', () => {
    const { b, tick } = make();
    b.failure(); b.failure(); b.failure();
    tick(500);
    expect(b.snapshot().state).toBe('half_open');
    expect(b.admit()).toEqual({ ok: true, trial: true });
    expect(b.admit().ok).toBe(false); // the trial is still out
    b.failure();
    expect(b.snapshot().state).toBe('open');
    expect(b.admit().ok).toBe(false);
    tick(500);
    expect(b.admit()).toEqual({ ok: true, trial: true });
    b.success();
    expect(b.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0, retryAt: null });
    expect(b.admit()).toEqual({ ok: true, trial: false });
  });
});
