// Slows down guessing: failed sign-ins are counted per account and per address, unknown or revoked
// API keys per address, over a sliding window. Past the limit every attempt is refused with a 429
// and Retry-After, a correct password included (otherwise a throttled guesser still learns when it
// hits). A sign-in counts as a failure from the moment it starts (begin), so sixty parallel
// guesses cannot all pass the check before the first one fails; a success takes its count back
// and clears the account's. Kept in this process's memory: one server is one process; several API
// servers share it through Redis (the distributed issue). Behind a proxy, MELIES_TRUST_PROXY makes
// the address the client's, not the proxy's.
import { ApiError } from '../../domain/errors.js';

export interface ThrottleLimits {
  /** Failures allowed per account in the window. */
  perAccount: number;
  /** Failures allowed per address in the window (sign-ins and unknown keys together). */
  perAddress: number;
  windowMs: number;
}

export class FailureThrottle {
  /** key → failure times, oldest first, each younger than the window. */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits, private readonly now: () => number = Date.now) {}

  /** Milliseconds until this account/address may try again, or 0. */
  waitMs(who: { account?: string; address?: string | null }): number {
    const now = this.now();
    let wait = 0;
    for (const [key, limit] of this.keys(who)) {
      const times = this.recent(key, now);
      if (times.length >= limit) wait = Math.max(wait, times[times.length - limit]! + this.limits.windowMs - now);
    }
    return wait;
  }

  /** Throws the 429 when `waitMs` is not 0. */
  check(who: { account?: string; address?: string | null }, what: string): void {
    const wait = this.waitMs(who);
    if (wait <= 0) return;
    const seconds = Math.max(1, Math.ceil(wait / 1000));
    throw new ApiError(429, `Too many ${what}. Try again in ${seconds} s.`, {
      code: 'too_many_attempts', type: 'rate_limit_error', headers: { 'retry-after': String(seconds) },
    });
  }

  failed(who: { account?: string; address?: string | null }): void {
    this.record(who);
  }

  /**
   * An attempt that counts as a failure unless `succeeded()` is called: checked (429 past the
   * limit) and recorded at once, so concurrent attempts see each other.
   */
  begin(who: { account?: string; address?: string | null }, what: string): { succeeded(): void } {
    this.check(who, what);
    const at = this.record(who);
    return {
      succeeded: () => {
        if (who.account) this.failures.delete(`account:${who.account}`);
        if (who.address) {
          const times = this.failures.get(`address:${who.address}`);
          const i = times?.lastIndexOf(at) ?? -1;
          if (i >= 0) times!.splice(i, 1);
        }
      },
    };
  }

  private record(who: { account?: string; address?: string | null }): number {
    const now = this.now();
    for (const [key] of this.keys(who)) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.set(key, times);
    }
    if (this.failures.size > 50_000) this.prune(now);
    return now;
  }

  private keys(who: { account?: string; address?: string | null }): [string, number][] {
    const out: [string, number][] = [];
    if (who.account) out.push([`account:${who.account}`, this.limits.perAccount]);
    if (who.address) out.push([`address:${who.address}`, this.limits.perAddress]);
    return out;
  }

  private recent(key: string, now: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const from = times.findIndex((t) => t > now - this.limits.windowMs);
    const kept = from === -1 ? [] : from === 0 ? times : times.slice(from);
    if (kept.length === 0) this.failures.delete(key);
    else if (kept !== times) this.failures.set(key, kept);
    return kept;
  }

  private prune(now: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, now);
  }
}
