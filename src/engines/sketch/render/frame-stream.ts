// The main-thread side of the render worker: an async stream of I420 frames with back-pressure.
// Frames live in a few slots of one SharedArrayBuffer; a slot goes back to the worker when the
// consumer asks for the next frame, so at most `slots` frames exist at once however long the video,
// and drawing the next frames overlaps with encoding this one.
import { Worker } from 'node:worker_threads';
import { i420Bytes } from '../../../media/i420/i420.js';
import type { FrameRendererOptions } from './frame-renderer.js';
import type { WorkerData, WorkerMessage, WorkerRequest } from './render.worker.js';

export class BackdropError extends Error {}

function startWorker(data: WorkerData): Worker {
  if (import.meta.url.endsWith('.ts')) {
    // Running from source (tests, dev): the worker is TypeScript too.
    const entry = new URL('./render.worker.ts', import.meta.url).href;
    return new Worker(new URL('./worker-shim.mjs', import.meta.url), { workerData: { ...data, __entry: entry } });
  }
  return new Worker(new URL('./render.worker.js', import.meta.url), { workerData: data });
}

/**
 * Yields every frame in order, as I420 (yuv420p) bytes. A yielded buffer is only valid until the next one is requested:
 * write it out (and wait for the write) before asking for more.
 */
export async function* renderFrames(opts: FrameRendererOptions, control: { signal?: AbortSignal; slots?: number } = {}): AsyncGenerator<Buffer> {
  const count = control.slots ?? 3;
  const frameBytes = i420Bytes(opts.width, opts.height);
  const shared = new SharedArrayBuffer(frameBytes * count);
  const worker = startWorker({ ...opts, slots: shared });
  const queue: Array<{ index: number; slot: number }> = [];
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => { wake?.(); wake = null; };
  const giveSlot = (slot: number) => worker.postMessage({ type: 'slot', slot } satisfies WorkerRequest);

  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'ready') for (let s = 0; s < count; s++) giveSlot(s);
    else if (m.type === 'frame') queue.push(m);
    else if (m.type === 'done') done = true;
    else failure = m.stage === 'backdrop' ? new BackdropError(m.message) : new Error(`sketch renderer failed: ${m.message}`);
    notify();
  });
  worker.on('error', (err) => { failure ??= err; notify(); });
  worker.on('exit', (code) => { if (!done && !failure) failure = new Error(`sketch render worker exited with code ${code}`); notify(); });
  const onAbort = () => { failure ??= control.signal!.reason instanceof Error ? control.signal!.reason : new Error('aborted'); notify(); };
  control.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    let expected = opts.firstFrame ?? 0;
    for (;;) {
      if (failure) throw failure;
      const item = queue.shift();
      if (item) {
        if (item.index !== expected++) throw new Error(`render worker sent frame ${item.index} out of order`);
        yield Buffer.from(shared, item.slot * frameBytes, frameBytes);
        giveSlot(item.slot);
        continue;
      }
      if (done) return;
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    control.signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}
