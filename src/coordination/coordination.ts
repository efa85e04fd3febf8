// State that must be the same for every process of one installation: request and failed-sign-in
// counts, provider and GPU slots, circuit breakers, retired models. One process keeps it in memory
// (memory/); N API servers and M workers share it through Redis (redis/). The primitives are the
// smallest that cover those consumers; the consumers keep their own rules (limits, state machines).
//
// Time: each implementation has one clock, and every time it returns or compares is on it: the
// memory one takes `now` (tests move it), the Redis one uses the Redis server's TIME, so processes
// whose clocks disagree still agree on windows and leases.

export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** Until this window ends and the count starts again from 0. */
  resetInMs: number;
}

export interface LogAppend {
  /** This entry's id (to take it back with logRemove) and its time. */
  id: string;
  at: number;
  /** Times of the entries still in the window before this one, oldest first. */
  earlier: number[];
}

export interface Flag {
  value: string;
  /** Until the flag disappears by itself. */
  ttlMs: number;
}

export interface Coordination {
  // (a) Counts in a time window.
  /** Fixed window: adds `amount` (1; 0 only reads) to `key`; the window starts with its first hit. */
  hit(key: string, windowMs: number, amount?: number): Promise<WindowCount>;
  /** Sliding window: records one entry now and says what was in the window before it, atomically. */
  logAppend(key: string, windowMs: number): Promise<LogAppend>;
  /** The entries' times in the window, oldest first, and the clock's now. */
  logRead(key: string, windowMs: number): Promise<{ now: number; times: number[] }>;
  logRemove(key: string, id: string): Promise<void>;

  // (b) A semaphore with leases: `capacity` holders at most, each holding for `ttlMs` unless it
  // renews; a holder that dies (stops renewing) loses its slot when its lease runs out.
  /** Takes a slot for `holder` if one is free (true), or renews it if `holder` has one already. */
  tryAcquire(name: string, holder: string, capacity: number, ttlMs: number): Promise<boolean>;
  /**
   * Holds (or holds again) a slot for `holder` whatever the capacity: for a job already running
   * (paid for, on the GPU) that must never be held back, even if that briefly goes over.
   */
  renew(name: string, holder: string, ttlMs: number): Promise<void>;
  release(name: string, holder: string): Promise<void>;
  /** The holders whose lease has not run out. */
  holders(name: string): Promise<string[]>;

  // (c) Small shared values with a time to live.
  /** Sets a flag; with onlyIfAbsent, only when none is set (false: someone else's is). */
  setFlag(key: string, value: string, ttlMs: number, opts?: { onlyIfAbsent?: boolean }): Promise<boolean>;
  getFlag(key: string): Promise<Flag | null>;
  /** A field of a small map; the whole map lives `ttlMs` after its last write. */
  mapSet(key: string, field: string, value: string, ttlMs: number): Promise<void>;
  mapGetAll(key: string): Promise<Record<string, string>>;

  /** Forgets counters, logs, semaphores, flags or maps by key. */
  delete(...keys: string[]): Promise<void>;
  close(): Promise<void>;
}
