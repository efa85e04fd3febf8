// The principals behind recently used API keys and sessions, kept in memory so a request with a
// key costs no read of users, keys and plans. Exact, not "fresh enough": an entry holds only while
// the database says no user, key, session or plan row changed since it was read (db/change-watch.ts),
// so a revocation, suspension, role or plan change, sign-out or deletion fails on the very next
// request, as it did with no cache. Expiry is checked against the clock on every use.
//
// Built only where that can be known (SQLite, one process: app/stack.ts); with PostgreSQL there may be
// other API servers whose writes arrive no sooner than a broadcast would, so every request reads.
import type { Principal } from '../../domain/account.js';
import type { ChangeWatch, WatchedTables } from '../../db/change-watch.js';

/** Every table a principal is made from, and the columns that change without changing it. */
export const PRINCIPAL_TABLES: WatchedTables = {
  users: {},
  plans: {},
  api_keys: { ignoreUpdatesOf: ['last_used_at'] },
  sessions: { ignoreUpdatesOf: ['last_seen_at'] },
};

export interface CachedPrincipal {
  principal: Principal;
  /** When the key or session stops working by itself (ms), or null. */
  expiresAt: number | null;
  /** Its last-used (key) or last-seen (session) time as last written, to keep those writes once a minute. */
  touchedAt: number | null;
}

interface Entry extends CachedPrincipal {
  version: string;
}

/** Enough for every key and session in use on a busy instance; the least recently used go first. */
const MAX_ENTRIES = 10_000;

export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly changes: ChangeWatch, private readonly maxEntries = MAX_ENTRIES) {}

  /** Take this before reading the rows a principal is made from, and give it to set(). */
  version(): string {
    return this.changes.version();
  }

  /** The principal for this credential hash, if nothing it depends on changed and it has not expired. */
  get(hash: string, now: number): CachedPrincipal | null {
    const e = this.entries.get(hash);
    if (!e) return null;
    if (e.version !== this.changes.version() || (e.expiresAt !== null && e.expiresAt <= now)) {
      this.entries.delete(hash);
      return null;
    }
    this.entries.delete(hash); // re-inserted: Map order is the recency order
    this.entries.set(hash, e);
    return e;
  }

  set(hash: string, version: string, value: CachedPrincipal): void {
    this.entries.delete(hash);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { ...value, version });
  }

  /** A key's last-used (or a session's last-seen) time was written: not a change of principal. */
  touched(hash: string, at: number): void {
    const e = this.entries.get(hash);
    if (e) e.touchedAt = at;
  }
}
