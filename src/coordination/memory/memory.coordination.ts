// Coordination for one process (embedded mode): plain maps, expiry checked when a key is read, and
// expired keys swept when the map grows, so a scanner's many addresses do not pile up.
import { randomUUID } from 'node:crypto';
import type { Coordination, Flag, LogAppend, WindowCount } from '../coordination.js';

type Entry =
  | { kind: 'count'; count: number; expiresAt: number }
  | { kind: 'log'; entries: { id: string; at: number }[]; expiresAt: number }
  | { kind: 'slots'; holders: Map<string, number>; expiresAt: number }
  | { kind: 'flag'; value: string; expiresAt: number }
  | { kind: 'map'; fields: Map<string, string>; expiresAt: number };

export class MemoryCoordination implements Coordination {
  private readonly entries = new Map<string, Entry>();
  private sweepAt = 10_000;

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowMs: number, amount = 1): Promise<WindowCount> {
    const now = this.now();
    let e = this.get(key, 'count', now);
    if (!e) e = this.put(key, { kind: 'count', count: 0, expiresAt: now + windowMs });
    e.count += amount;
    return { count: e.count, resetInMs: e.expiresAt - now };
  }

  async logAppend(key: string, windowMs: number): Promise<LogAppend> {
    const now = this.now();
    const e = this.log(key, windowMs, now);
    const earlier = e.entries.map((x) => x.at);
    const id = randomUUID();
    e.entries.push({ id, at: now });
    e.expiresAt = now + windowMs;
    return { id, at: now, earlier };
  }

  async logRead(key: string, windowMs: number): Promise<{ now: number; times: number[] }> {
    const now = this.now();
    return { now, times: this.get(key, 'log', now) ? this.log(key, windowMs, now).entries.map((x) => x.at) : [] };
  }

  async logRemove(key: string, id: string): Promise<void> {
    const e = this.get(key, 'log', this.now());
    if (!e) return;
    const i = e.entries.findIndex((x) => x.id === id);
    if (i >= 0) e.entries.splice(i, 1);
  }

  async tryAcquire(name: string, holder: string, capacity: number, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const e = this.slots(name, now);
    if (!e.holders.has(holder) && e.holders.size >= capacity) return false;
    this.hold(e, holder, now + ttlMs);
    return true;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<void> {
    const now = this.now();
    this.hold(this.slots(name, now), holder, now + ttlMs);
  }

  async release(name: string, holder: string): Promise<void> {
    this.get(name, 'slots', this.now())?.holders.delete(holder);
  }

  async holders(name: string): Promise<string[]> {
    return [...this.slots(name, this.now()).holders.keys()];
  }

  async setFlag(key: string, value: string, ttlMs: number, opts: { onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    const now = this.now();
    if (opts.onlyIfAbsent && this.get(key, 'flag', now)) return false;
    this.put(key, { kind: 'flag', value, expiresAt: now + ttlMs });
    return true;
  }

  async getFlag(key: string): Promise<Flag | null> {
    const now = this.now();
    const e = this.get(key, 'flag', now);
    return e ? { value: e.value, ttlMs: e.expiresAt - now } : null;
  }

  async mapSet(key: string, field: string, value: string, ttlMs: number): Promise<void> {
    const now = this.now();
    const e = this.get(key, 'map', now) ?? this.put(key, { kind: 'map', fields: new Map(), expiresAt: 0 });
    e.fields.set(field, value);
    e.expiresAt = now + ttlMs;
  }

  async mapGetAll(key: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.get(key, 'map', this.now())?.fields ?? []);
  }

  async delete(...keys: string[]): Promise<void> {
    for (const k of keys) this.entries.delete(k);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  /** The live entry of that kind, or undefined (an expired one is dropped). */
  private get<K extends Entry['kind']>(key: string, kind: K, now: number): Extract<Entry, { kind: K }> | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now || e.kind !== kind) {
      this.entries.delete(key);
      return undefined;
    }
    return e as Extract<Entry, { kind: K }>;
  }

  private put<E extends Entry>(key: string, e: E): E {
    this.entries.set(key, e);
    if (this.entries.size > this.sweepAt) {
      const now = this.now();
      for (const [k, x] of this.entries) if (x.expiresAt <= now) this.entries.delete(k);
      this.sweepAt = Math.max(10_000, 2 * this.entries.size);
    }
    return e;
  }

  private log(key: string, windowMs: number, now: number): Extract<Entry, { kind: 'log' }> {
    const e = this.get(key, 'log', now) ?? this.put(key, { kind: 'log', entries: [], expiresAt: now + windowMs });
    const from = e.entries.findIndex((x) => x.at > now - windowMs);
    if (from !== 0) e.entries.splice(0, from === -1 ? e.entries.length : from);
    return e;
  }

  private slots(name: string, now: number): Extract<Entry, { kind: 'slots' }> {
    const e = this.get(name, 'slots', now) ?? this.put(name, { kind: 'slots', holders: new Map(), expiresAt: now });
    for (const [h, until] of e.holders) if (until <= now) e.holders.delete(h);
    return e;
  }

  private hold(e: Extract<Entry, { kind: 'slots' }>, holder: string, until: number): void {
    e.holders.set(holder, until);
    e.expiresAt = Math.max(e.expiresAt, until);
  }
}
