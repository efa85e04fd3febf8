// Caps how many jobs one engine runs at once, whatever the number of queue workers. A process
// with GPU servers runs extra workers for them (app/comfyui.ts); a CPU-bound engine such as
// sketch must not take all of those at once on a small machine. The cap is this process's by
// default (a CPU's cores are per machine); with `shared`, it is one semaphore in the Coordination
// store for every process that names it (a provider's limit across all workers).
import type { Coordination } from '../coordination/coordination.js';
import { holdSlot } from '../coordination/hold-slot.js';
import type { Engine, EngineContext, EngineJob, SubmitResult } from './engine.js';

export interface SharedLimit {
  coordination: Coordination;
  /** The semaphore's name in the store (default: the engine id). */
  name?: string;
  /** A holder that died frees its slot after this (default 60 s; renewed while the job submits). */
  ttlMs?: number;
  /** How often a waiting job looks for a slot freed by another process (default 500 ms). */
  retryMs?: number;
}

export function limitConcurrency<E extends Engine>(engine: E, limit: number, shared?: SharedLimit): E {
  const submit = shared ? sharedSubmit(engine, limit, shared) : localSubmit(engine, limit);
  return new Proxy(engine, { get: (target, prop, receiver) => (prop === 'submit' ? submit : Reflect.get(target, prop, receiver)) });
}

function sharedSubmit(engine: Engine, limit: number, shared: SharedLimit) {
  const name = `limit:${shared.name ?? engine.id}`;
  return async (job: EngineJob, ctx: EngineContext): Promise<SubmitResult> => {
    const slot = await holdSlot(shared.coordination, name, limit, { ttlMs: shared.ttlMs ?? 60_000, retryMs: shared.retryMs ?? 500, signal: ctx.signal });
    try {
      return await engine.submit(job, ctx);
    } finally {
      await slot.release();
    }
  };
}

function localSubmit(engine: Engine, limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const take = (signal: AbortSignal) => new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    if (running < limit) { running++; return resolve(); }
    const go = () => { signal.removeEventListener('abort', onAbort); running++; resolve(); };
    const onAbort = () => { waiting.splice(waiting.indexOf(go), 1); reject(signal.reason); };
    signal.addEventListener('abort', onAbort, { once: true });
    waiting.push(go);
  });
  const give = () => { running--; waiting.shift()?.(); };
  return async (job: EngineJob, ctx: EngineContext): Promise<SubmitResult> => {
    await take(ctx.signal);
    try {
      return await engine.submit(job, ctx);
    } finally {
      give();
    }
  };
}
