// Waiting for a semaphore slot and keeping it: tries, and while full waits for a release in this
// process (woken at once) or another one (seen on the next try, every `retryMs`); once held, the
// lease is renewed every third of its TTL until released, so only a holder that died loses it.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Coordination } from './coordination.js';

export interface HeldSlot {
  readonly holder: string;
  release(): Promise<void>;
}

const releases = new WeakMap<Coordination, EventEmitter>();
function releasesOf(c: Coordination): EventEmitter {
  let e = releases.get(c);
  if (!e) releases.set(c, (e = new EventEmitter().setMaxListeners(0)));
  return e;
}

export async function holdSlot(c: Coordination, name: string, capacity: number, opts: { ttlMs: number; retryMs: number; signal: AbortSignal }): Promise<HeldSlot> {
  const holder = randomUUID();
  const wake = releasesOf(c);
  for (;;) {
    if (opts.signal.aborted) throw opts.signal.reason;
    if (await c.tryAcquire(name, holder, capacity, opts.ttlMs)) break;
    await new Promise<void>((resolve) => {
      const done = () => { clearTimeout(timer); wake.off(name, done); opts.signal.removeEventListener('abort', done); resolve(); };
      const timer = setTimeout(done, opts.retryMs);
      wake.on(name, done);
      opts.signal.addEventListener('abort', done, { once: true });
    });
  }
  const renew = setInterval(() => { void c.renew(name, holder, opts.ttlMs).catch(() => {}); }, Math.max(1, Math.floor(opts.ttlMs / 3)));
  renew.unref();
  let released = false;
  return {
    holder,
    async release() {
      if (released) return;
      released = true;
      clearInterval(renew);
      // A release that cannot reach the store is not an error: the lease runs out by itself.
      await c.release(name, holder).catch(() => {});
      wake.emit(name);
    },
  };
}
