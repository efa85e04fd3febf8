// One circuit breaker per cloud engine. After `failureThreshold` consecutive provider faults (5xx,
// timeouts, unreachable, unreadable answers) the circuit opens: no call reaches the provider until
// `cooldownMs` has passed. Then one trial call is let through (half-open): success closes the
// circuit, failure opens it for another cooldown. Any real answer (2xx, 4xx, 429) counts as alive.
//
//   closed ──N faults──▶ open ──cooldown──▶ half_open ──ok──▶ closed
//                          ▲                    │
//                          └──────fault─────────┘

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  /** When an open circuit lets a trial call through (ms since the epoch), else null. */
  retryAt: number | null;
}

export type Admission = { ok: true; trial: boolean } | { ok: false; retryAfterMs: number };

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly opts: BreakerOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Asks to make one call. A refused call must not be made; an admitted one must end in success() or failure(). */
  admit(): Admission {
    if (this.openedAt === null) return { ok: true, trial: false };
    const retryAt = this.openedAt + this.opts.cooldownMs;
    const now = this.now();
    if (now < retryAt) return { ok: false, retryAfterMs: retryAt - now };
    if (this.trialInFlight) return { ok: false, retryAfterMs: Math.min(1000, this.opts.cooldownMs) };
    this.trialInFlight = true;
    return { ok: true, trial: true };
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures++;
    if (this.trialInFlight || this.failures >= this.opts.failureThreshold) this.openedAt = this.now();
    this.trialInFlight = false;
  }

  snapshot(): BreakerSnapshot {
    const state: BreakerState = this.openedAt === null ? 'closed' : this.now() < this.openedAt + this.opts.cooldownMs ? 'open' : 'half_open';
    return { state, consecutiveFailures: this.failures, retryAt: this.openedAt === null ? null : this.openedAt + this.opts.cooldownMs };
  }
}
