// The provider's receipt is written through passing database faults, and not forever.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { durableWrite } from './durable-write.js';

describe('durableWrite', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('tries again while the database is away, then returns what the write returned', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const retries: number[] = [];
    const written = durableWrite(async () => {
      if (++calls < 4) throw new Error('Connection terminated unexpectedly');
      return 'recorded';
    }, (_err, attempt) => retries.push(attempt));
    await vi.runAllTimersAsync();
    await expect(written).resolves.toBe('recorded');
    expect(calls).toBe(4);
    expect(retries).toEqual([1, 2, 3]);
  });

  it('gives up with the last error once the database stays away', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const written = durableWrite(async () => { calls++; throw new Error(`down ${calls}`); });
    const outcome = written.catch((err: Error) => err.message);
    await vi.runAllTimersAsync();
    expect(await outcome).toBe('down 9');
    expect(calls).toBe(9); // the first try and eight more, about half a minute in all
  });
});
