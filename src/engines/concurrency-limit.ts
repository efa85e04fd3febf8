// Caps how many jobs one engine runs at once, whatever the number of queue workers. A process
// with GPU servers runs extra workers for them (app/comfyui.ts); a CPU-bound engine such as
// sketch must not take all of those at once on a small machine.
import type { Engine, EngineContext, EngineJob, SubmitResult } from './engine.js';

export function limitConcurrency<E extends Engine>(engine: E, limit: number): E {
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
  const submit = async (job: EngineJob, ctx: EngineContext): Promise<SubmitResult> => {
    await take(ctx.signal);
    try {
      return await engine.submit(job, ctx);
    } finally {
      give();
    }
  };
  return new Proxy(engine, { get: (target, prop, receiver) => (prop === 'submit' ? submit : Reflect.get(target, prop, receiver)) });
}
