// Per-engine concurrency: how many provider jobs this process keeps in flight at once. A submit
// claims a slot (or is told to wait); the job keeps it while polled and gives it back when it ends.
// Slots are keyed by video id, so a resumed job (after a restart) re-claims its own slot on its
// first poll even if that briefly goes over the limit: an already-paid job is never held back.
// A slot not touched for `staleMs` (its job was lost with its worker's lease) is reclaimed.

export class JobSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly capacity: number, private readonly staleMs: number, private readonly now: () => number = Date.now) {}

  tryClaim(key: string): boolean {
    this.sweep();
    if (this.held.has(key)) { this.held.set(key, this.now()); return true; }
    if (this.held.size >= this.capacity) return false;
    this.held.set(key, this.now());
    return true;
  }

  touch(key: string): void {
    this.held.set(key, this.now());
  }

  release(key: string): void {
    this.held.delete(key);
  }

  inUse(): number {
    this.sweep();
    return this.held.size;
  }

  private sweep(): void {
    const cutoff = this.now() - this.staleMs;
    for (const [k, at] of this.held) if (at < cutoff) this.held.delete(k);
  }
}
