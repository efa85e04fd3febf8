// Fault switchboard shared by every provider fake: tests queue faults for a route ("create",
// "poll", "download", … or "*" for any) and the fake serves them instead of (or before) its normal
// answer. Generic faults are rendered by the shared server in the provider's own error shape;
// semantic ones (content policy, model not found, expired output, …) are handed to the provider's
// handler, which answers where and how the real provider would.

export type Fault =
  /** An HTTP error status with the provider's error body (and Retry-After seconds, if given). */
  | { kind: 'http'; status: number; retryAfterS?: number; message?: string }
  /** The provider's 429 with Retry-After. */
  | { kind: 'rate_limit'; retryAfterS: number }
  /** Answer normally, after a delay. */
  | { kind: 'slow'; ms: number }
  /** HTTP 200 with a body that is not JSON (a proxy's page, a truncated answer). */
  | { kind: 'malformed' }
  /** Close the connection without answering. */
  | { kind: 'drop' }
  /**
   * The provider does the work (a create makes its job) but its answer never reaches the caller:
   * the connection is closed instead, after `afterMs` (0 when absent), as when a proxy drops it or
   * the caller's process dies while it waits.
   */
  | { kind: 'lost_answer'; afterMs?: number }
  | { kind: 'content_policy' }
  | { kind: 'model_not_found' }
  | { kind: 'auth' }
  | { kind: 'billing' }
  /** The next download of a result URL fails as an expired signed URL does (403). */
  | { kind: 'expired_output' }
  /** The create is accepted; the job then fails at the provider with this failure text. */
  | { kind: 'task_failed'; failure: string };

export const GENERIC_FAULTS = new Set(['http', 'rate_limit', 'slow', 'malformed', 'drop']);

export class Switchboard {
  private readonly queued = new Map<string, Fault[]>();
  private readonly standing = new Map<string, Fault>();

  /** Serves `fault` on the next `times` requests to `route`. */
  once(route: string, fault: Fault, times = 1): this {
    const list = this.queued.get(route) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.queued.set(route, list);
    return this;
  }

  /** Serves `fault` on every request to `route` until cleared (e.g. the provider is down). */
  always(route: string, fault: Fault): this {
    this.standing.set(route, fault);
    return this;
  }

  clear(): void {
    this.queued.clear();
    this.standing.clear();
  }

  /** The fault for this request, if any: queued ones first, then standing ones ("*" matches all). */
  take(route: string): Fault | null {
    for (const key of [route, '*']) {
      const list = this.queued.get(key);
      if (list?.length) return list.shift()!;
    }
    return this.standing.get(route) ?? this.standing.get('*') ?? null;
  }
}
