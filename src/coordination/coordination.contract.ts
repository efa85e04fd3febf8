// The contract every Coordination passes (memory, Redis). `open` gives two handles on one shared
// store: two processes' connections for Redis, the same object for memory (one process is all it
// serves). `advance` lets time pass on the store's clock: a fake clock's step, or a real wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coordination } from './coordination.js';

export interface CoordinationTarget {
  open(): Promise<{ a: Coordination; b: Coordination; close(): Promise<void> }>;
  advance(ms: number): Promise<void>;
  /** Tests may run side by side (they use distinct keys): only when `advance` is a real wait. */
  concurrent?: boolean;
}

// Leases and windows long enough that a busy machine's pause between two steps of a test never
// lets one run out by accident; `advance` then goes well past them.
const TTL = 4000;

export function runCoordinationContract(name: string, target: CoordinationTarget): void {
  (target.concurrent ? describe.concurrent : describe)(`Coordination contract: ${name}`, () => {
    let a: Coordination;
    let b: Coordination;
    let close: () => Promise<void>;
    beforeAll(async () => { ({ a, b, close } = await target.open()); });
    afterAll(async () => close());

    it('counts hits in a fixed window across both handles, and starts again when it ends', async () => {
      expect(await a.hit('rate:k1', TTL)).toMatchObject({ count: 1 });
      expect((await b.hit('rate:k1', TTL)).count).toBe(2);
      const third = await a.hit('rate:k1', TTL);
      expect(third.count).toBe(3);
      expect(third.resetInMs).toBeGreaterThan(0);
      expect(third.resetInMs).toBeLessThanOrEqual(TTL);
      expect((await b.hit('rate:k1', TTL, 0)).count).toBe(3); // reading does not count
      expect((await b.hit('rate:other', TTL)).count).toBe(1);
      await target.advance(TTL + 100);
      expect((await b.hit('rate:k1', TTL)).count).toBe(1);
    });

    it('keeps a sliding log: what came before, removal of one entry, and entries leaving the window', async () => {
      const first = await a.logAppend('log:x', TTL);
      expect(first.earlier).toEqual([]);
      await target.advance(10);
      const second = await b.logAppend('log:x', TTL);
      expect(second.earlier).toEqual([first.at]);
      expect(second.at).toBeGreaterThanOrEqual(first.at);
      expect((await a.logRead('log:x', TTL)).times).toEqual([first.at, second.at]);
      await a.logRemove('log:x', first.id);
      expect((await b.logRead('log:x', TTL)).times).toEqual([second.at]);
      await target.advance(TTL + 100);
      const read = await a.logRead('log:x', TTL);
      expect(read.times).toEqual([]);
      expect(read.now).toBeGreaterThan(second.at);
      expect((await a.logAppend('log:x', TTL)).earlier).toEqual([]);
    });

    it('gives a semaphore\'s slots to `capacity` holders across both handles, and the next one when a slot is released', async () => {
      expect(await a.tryAcquire('sem:two', 'h1', 2, TTL)).toBe(true);
      expect(await b.tryAcquire('sem:two', 'h2', 2, TTL)).toBe(true);
      expect(await a.tryAcquire('sem:two', 'h3', 2, TTL)).toBe(false);
      // A holder asking again keeps its slot (renewed), without taking a second one.
      expect(await b.tryAcquire('sem:two', 'h1', 2, TTL)).toBe(true);
      expect((await a.holders('sem:two')).sort()).toEqual(['h1', 'h2']);
      await b.release('sem:two', 'h1');
      expect(await a.tryAcquire('sem:two', 'h3', 2, TTL)).toBe(true);
      expect((await b.holders('sem:two')).sort()).toEqual(['h2', 'h3']);
      // A running job re-attached after a restart holds even over the capacity.
      await a.renew('sem:two', 'resumed', TTL);
      expect((await b.holders('sem:two')).sort()).toEqual(['h2', 'h3', 'resumed']);
      expect(await b.tryAcquire('sem:two', 'h4', 2, TTL)).toBe(false);
    });

    it('never gives a semaphore of 1 to two holders acquiring at once', async () => {
      for (let round = 0; round < 5; round++) {
        const tries = Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).tryAcquire('sem:one', `r${round}-h${i}`, 1, TTL).then((ok) => (ok ? `r${round}-h${i}` : null)));
        const winners = (await Promise.all(tries)).filter((w) => w !== null);
        expect(winners).toHaveLength(1);
        expect(await a.holders('sem:one')).toEqual(winners);
        await b.release('sem:one', winners[0]!);
      }
      expect(await a.holders('sem:one')).toEqual([]);
    });

    it('takes the slot of a holder that stops renewing (it died) once its lease runs out, not before', async () => {
      expect(await a.tryAcquire('sem:lease', 'dies', 1, TTL)).toBe(true);
      expect(await b.tryAcquire('sem:lease', 'waits', 1, TTL)).toBe(false);
      await target.advance(TTL / 2);
      await a.renew('sem:lease', 'dies', TTL); // still alive: a fresh lease
      await target.advance(TTL / 2 + 100);
      expect(await b.tryAcquire('sem:lease', 'waits', 1, TTL)).toBe(false);
      expect(await b.holders('sem:lease')).toEqual(['dies']);
      // Then it stops renewing.
      await target.advance(TTL + 100);
      expect(await b.holders('sem:lease')).toEqual([]);
      expect(await b.tryAcquire('sem:lease', 'waits', 1, TTL)).toBe(true);
      expect(await a.tryAcquire('sem:lease', 'dies', 1, TTL)).toBe(false);
    });

    it('shares flags with a time to live; onlyIfAbsent lets exactly one setter win', async () => {
      expect(await a.getFlag('flag:f')).toBeNull();
      expect(await a.setFlag('flag:f', 'open', TTL)).toBe(true);
      const seen = await b.getFlag('flag:f');
      expect(seen?.value).toBe('open');
      expect(seen!.ttlMs).toBeGreaterThan(0);
      expect(seen!.ttlMs).toBeLessThanOrEqual(TTL);
      const racers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).setFlag('flag:trial', `t${i}`, TTL, { onlyIfAbsent: true })));
      expect(racers.filter(Boolean)).toHaveLength(1);
      expect(await b.setFlag('flag:f', 'again', TTL, { onlyIfAbsent: true })).toBe(false);
      await target.advance(TTL + 100);
      expect(await b.getFlag('flag:f')).toBeNull();
      expect(await b.setFlag('flag:f', 'again', TTL, { onlyIfAbsent: true })).toBe(true);
      await a.delete('flag:f');
      expect(await b.getFlag('flag:f')).toBeNull();
    });

    it('shares a small map whose entries all live until its last write plus the TTL', async () => {
      expect(await a.mapGetAll('map:m')).toEqual({});
      await a.mapSet('map:m', 'model-a', '{"message":"gone"}', TTL);
      await b.mapSet('map:m', 'model-b', 'x', TTL);
      expect(await a.mapGetAll('map:m')).toEqual({ 'model-a': '{"message":"gone"}', 'model-b': 'x' });
      await target.advance(TTL + 100);
      expect(await b.mapGetAll('map:m')).toEqual({});
    });
  });
}
