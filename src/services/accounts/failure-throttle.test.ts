// The throttle on a shared store: two API servers (two throttles over one store) count the same
// guesses, parallel guesses cannot all slip past the limit, and a success takes its count back.
import { describe, expect, it } from 'vitest';
import { MemoryCoordination } from '../../coordination/memory/memory.coordination.js';
import { ApiError } from '../../domain/errors.js';
import { FailureThrottle } from './failure-throttle.js';

const limits = { perAccount: 3, perAddress: 5, windowMs: 60_000 };
const refused = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof ApiError ? e : Promise.reject(e)));

describe('failure throttle', () => {
  it('lets exactly the limit through when guesses arrive at once on two servers, then answers 429 with Retry-After', async () => {
    let now = 1_000_000;
    const store = new MemoryCoordination(() => now);
    const [one, two] = [new FailureThrottle(limits, store), new FailureThrottle(limits, store)];
    const who = { account: 'a@example.org', address: '203.0.113.9' };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => refused((i % 2 ? one : two).begin(who, 'failed sign-ins'))));
    expect(results.filter((r) => r === null)).toHaveLength(3);
    const err = results.find((r) => r !== null)!;
    expect(err.status).toBe(429);
    expect(err.headers?.['retry-after']).toBe('60');
    // The window slides: once the first failures are a minute old, the account may try again.
    now += 60_001;
    expect(await refused(one.begin(who, 'failed sign-ins'))).toBeNull();
  });

  it('a success takes its own count back and clears the account, on the other server too', async () => {
    const store = new MemoryCoordination();
    const [one, two] = [new FailureThrottle(limits, store), new FailureThrottle(limits, store)];
    const who = { account: 'b@example.org', address: '198.51.100.1' };
    await one.begin(who, 'x');
    await two.begin(who, 'x');
    const good = await one.begin(who, 'x');
    expect(await refused(two.begin(who, 'x'))).toBeInstanceOf(ApiError);
    await good.succeeded();
    // The account starts again from zero; the address keeps the two real failures (2 + 3 ≤ 5).
    for (let i = 0; i < 3; i++) await two.begin(who, 'x');
    expect((await refused(one.begin({ address: who.address }, 'x')))?.status).toBe(429);
  });
});
