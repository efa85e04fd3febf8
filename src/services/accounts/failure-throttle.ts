// Slows down guessing: failed sign-ins are counted per account and per address, unknown or revoked
// API keys per address, over a sliding window. Past the limit every attempt is refused with a 429
// and Retry-After, a correct password included (otherwise a throttled guesser still learns when it
// hits). A sign-in counts as a failure from the moment it starts (begin), so sixty parallel
// guesses cannot all pass the check before the first one fails; a success takes its count back
// and clears the account's. The counts live in the Coordination store: this process's memory, or
// Redis so that every API server counts the same guesses. Behind a proxy, MELIES_TRUST_PROXY makes
// the address the client's, not the proxy's.
import type { Coordination } from '../../coordination/coordination.js';
import { MemoryCoordination } from '../../coordination/memory/memory.coordination.js';
import { ApiError } from '../../domain/errors.js';

export interface ThrottleLimits {
  /** Failures allowed per account in the window. */
  perAccount: number;
  /** Failures allowed per address in the window (sign-ins and unknown keys together). */
  perAddress: number;
  windowMs: number;
}

type Who = { account?: string; address?: string | null };

export class FailureThrottle {
  constructor(private readonly limits: ThrottleLimits, private readonly store: Coordination = new MemoryCoordination()) {}

  /**
   * An attempt that counts as a failure unless `succeeded()` is called: recorded and checked in one
   * step of the store (429 past the limit, and then it does not count), so concurrent attempts,
   * on this server or another, see each other.
   */
  async begin(who: Who, what: string): Promise<{ succeeded(): Promise<void> }> {
    const recorded = await Promise.all(this.keys(who).map(async ([key, limit]) => ({ key, limit, entry: await this.store.logAppend(key, this.limits.windowMs) })));
    const wait = Math.max(0, ...recorded.map((r) => this.waitFor(r.entry.earlier, r.limit, r.entry.at)));
    if (wait > 0) {
      await Promise.all(recorded.map((r) => this.store.logRemove(r.key, r.entry.id)));
      throw this.tooMany(wait, what);
    }
    return {
      succeeded: async () => {
        for (const r of recorded) {
          if (r.key.startsWith('throttle:account:')) await this.store.delete(r.key);
          else await this.store.logRemove(r.key, r.entry.id);
        }
      },
    };
  }

  /** `limit` failures before `now` in the window: wait until the oldest of those leaves it. */
  private waitFor(times: number[], limit: number, now: number): number {
    if (times.length < limit) return 0;
    return Math.max(0, times[times.length - limit]! + this.limits.windowMs - now);
  }

  private tooMany(wait: number, what: string): ApiError {
    const seconds = Math.max(1, Math.ceil(wait / 1000));
    return new ApiError(429, `Too many ${what}. Try again in ${seconds} s.`, {
      code: 'too_many_attempts', type: 'rate_limit_error', headers: { 'retry-after': String(seconds) },
    });
  }

  private keys(who: Who): [string, number][] {
    const out: [string, number][] = [];
    if (who.account) out.push([`throttle:account:${who.account}`, this.limits.perAccount]);
    if (who.address) out.push([`throttle:address:${who.address}`, this.limits.perAddress]);
    return out;
  }
}
