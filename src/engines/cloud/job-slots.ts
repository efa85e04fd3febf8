// Per-engine concurrency: how many provider jobs are in flight at once, counted in the
// Coordination store (this process's memory, or Redis so the limit holds across every worker). A
// submit claims a slot (or is told to wait); the job keeps it while polled (each poll renews the
// lease) and gives it back when it ends. Slots are keyed by video id, so a resumed job (after a
// restart, on any worker) re-claims its own slot on its first poll even if that briefly goes over
// the limit: an already-paid job is never held back. A slot not renewed for `staleMs` (its worker
// died) is taken back.
//
// Releases and renewals never throw: a store that is briefly unreachable must not turn a provider's
// answer into an error (the lease runs out by itself instead).
import type { Coordination } from '../../coordination/coordination.js';
import { MemoryCoordination } from '../../coordination/memory/memory.coordination.js';

export class JobSlots {
  private readonly store: Coordination;
  private readonly name: string;

  constructor(readonly capacity: number, private readonly staleMs: number, opts: { now?: () => number; coordination?: Coordination; name?: string } = {}) {
    this.store = opts.coordination ?? new MemoryCoordination(opts.now);
    this.name = `slots:${opts.name ?? 'default'}`;
  }

  tryClaim(key: string): Promise<boolean> {
    return this.store.tryAcquire(this.name, key, this.capacity, this.staleMs);
  }

  async touch(key: string): Promise<void> {
    await this.store.renew(this.name, key, this.staleMs).catch(() => {});
  }

  async release(key: string): Promise<void> {
    await this.store.release(this.name, key).catch(() => {});
  }

  async inUse(): Promise<number> {
    return (await this.store.holders(this.name)).length;
  }
}
