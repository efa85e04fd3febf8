// A fixed-window request counter per principal. The counts live in the Coordination store: this
// process's memory by default, Redis when several API servers must share one limit per key.
import type { Coordination } from '../coordination/coordination.js';
import { MemoryCoordination } from '../coordination/memory/memory.coordination.js';

export class RateLimiter {
  constructor(private readonly limit: number, private readonly windowMs: number, private readonly store: Coordination = new MemoryCoordination()) {}

  /** Counts one request; resolves 0 if allowed, else milliseconds until the window resets. */
  async take(id: string): Promise<number> {
    const w = await this.store.hit(`rate:${id}`, this.windowMs);
    return w.count > this.limit ? Math.max(1, w.resetInMs) : 0;
  }
}
