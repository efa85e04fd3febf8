// One circuit breaker per cloud engine. After `failureThreshold` consecutive provider faults (5xx,
// timeouts, unreachable, unreadable answers) the circuit opens: no call reaches the provider until
// `cooldownMs` has passed. Then one trial call is let through (half-open): success closes the
// circuit, failure opens it for another cooldown. Any real answer (2xx, 4xx, 429) counts as alive.
//
//   closed ──N faults──▶ open ──cooldown──▶ half_open ──ok──▶ closed
//                          ▲                    │
//                          └──────fault─────────┘
//
// The state lives in the Coordination store (this process's memory, or Redis so that every worker
// stops calling a failing provider together), as three keys under `breaker:<engine>`:
//   failures  the consecutive faults (a counter, forgotten an hour after the first)
//   tripped   set when the circuit opens, for cooldown + HALF_OPEN_MS: while more than
//             HALF_OPEN_MS of it is left the circuit is open, after that half-open
//   trial     who makes the one trial call (set only if absent; it expires if its holder dies)
// A circuit nobody tried for HALF_OPEN_MS after its cooldown closes by itself.
// If the store cannot be reached the breaker steps aside (admits, forgets) rather than fail the
// call: above all, a provider's answer to a create must never be lost to the breaker's bookkeeping.
import type { Coordination } from '../../coordination/coordination.js';
import { MemoryCoordination } from '../../coordination/memory/memory.coordination.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
  /** Where the state lives (default: this process's memory, on `now`'s clock). */
  coordination?: Coordination;
  /** Its keys' name in the store, e.g. the engine id. */
  name?: string;
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  /** When an open circuit lets a trial call through (ms since the epoch), else null. */
  retryAt: number | null;
}

export type Admission = { ok: true; trial: boolean } | { ok: false; retryAfterMs: number };

const HALF_OPEN_MS = 60 * 60_000;
const FAILURE_WINDOW_MS = 60 * 60_000;
// A trial call whose process died frees the trial after this (the next caller becomes the trial).
const TRIAL_MS = 2 * 60_000;

export class CircuitBreaker {
  private readonly store: Coordination;
  private readonly key: string;
  private readonly now: () => number;

  constructor(private readonly opts: BreakerOptions) {
    this.now = opts.now ?? Date.now;
    this.store = opts.coordination ?? new MemoryCoordination(this.now);
    this.key = `breaker:${opts.name ?? 'default'}`;
  }

  /** Asks to make one call. A refused call must not be made; an admitted one must end in success() or failure(). */
  async admit(): Promise<Admission> {
    return this.admitOnce().catch(() => ({ ok: true, trial: false }));
  }

  private async admitOnce(): Promise<Admission> {
    const openFor = await this.openFor();
    if (openFor === null) return { ok: true, trial: false };
    if (openFor > 0) return { ok: false, retryAfterMs: openFor };
    if (await this.store.setFlag(`${this.key}:trial`, '1', TRIAL_MS, { onlyIfAbsent: true })) return { ok: true, trial: true };
    return { ok: false, retryAfterMs: Math.min(1000, this.opts.cooldownMs) };
  }

  async success(): Promise<void> {
    await this.store.delete(`${this.key}:failures`, `${this.key}:tripped`, `${this.key}:trial`).catch(() => {});
  }

  async failure(): Promise<void> {
    await this.failureOnce().catch(() => {});
  }

  private async failureOnce(): Promise<void> {
    // Once tripped the count stays at or past the threshold until a success, so a failed trial
    // (or any late failure) opens the circuit again.
    const { count } = await this.store.hit(`${this.key}:failures`, FAILURE_WINDOW_MS);
    if (count < this.opts.failureThreshold) return;
    await this.store.setFlag(`${this.key}:tripped`, '1', this.opts.cooldownMs + HALF_OPEN_MS);
    await this.store.delete(`${this.key}:trial`);
  }

  async snapshot(): Promise<BreakerSnapshot> {
    const read = await Promise.all([this.openFor(), this.store.hit(`${this.key}:failures`, FAILURE_WINDOW_MS, 0)]).catch(() => null);
    if (!read) return { state: 'closed', consecutiveFailures: 0, retryAt: null };
    const [openFor, failures] = read;
    const state: BreakerState = openFor === null ? 'closed' : openFor > 0 ? 'open' : 'half_open';
    return { state, consecutiveFailures: failures.count, retryAt: openFor === null ? null : this.now() + openFor };
  }

  /** Null: closed; > 0: open for that long; 0: half-open. */
  private async openFor(): Promise<number | null> {
    const tripped = await this.store.getFlag(`${this.key}:tripped`);
    return tripped ? Math.max(0, tripped.ttlMs - HALF_OPEN_MS) : null;
  }
}
