// Worker thread that renders frames for the sketch engine (as I420), so the main thread stays free to feed
// ffmpeg (and answer the API) while a frame is drawn. Frames go into slots of a SharedArrayBuffer
// the main thread owns: it hands a slot over, the worker fills it and hands it back. No buffer is
// allocated per frame on the main side, and the pipeline is bounded by the number of slots.
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { createI420Converter, i420Bytes } from '../../../media/i420/i420.js';
import { FrameRenderer, type FrameRendererOptions } from './frame-renderer.js';

export type WorkerRequest = { type: 'slot'; slot: number };
export type WorkerMessage =
  | { type: 'ready'; frames: number }
  | { type: 'frame'; index: number; slot: number }
  | { type: 'done' }
  | { type: 'error'; stage: 'backdrop' | 'render'; message: string };

export interface WorkerData extends FrameRendererOptions {
  slots: SharedArrayBuffer;
}

// Each readback allocates a fresh 8 MB array (at 1080p) that V8 does not weigh when deciding to
// collect. Left alone, memory climbs by gigabytes and every new page costs a fault; a young-
// generation collection every few frames (the arrays die young) keeps the same memory in use,
// which is both flat and several times faster. Every 4th frame rather than every 2nd: ~5% less
// CPU in this thread (collections were ~10% of it) for ~25 MB more peak RSS at 1080p.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
const collect = () => gc({ type: 'minor' });
const COLLECT_EVERY = 4;

const port = parentPort!;
const opts = workerData as WorkerData;
// Frames leave as I420 (what the encoder wants): a third of the bytes, converted with SIMD here
// far more cheaply than ffmpeg would.
const frameBytes = i420Bytes(opts.width, opts.height);
const slots = new Uint8Array(opts.slots);
const converter = createI420Converter(opts.width, opts.height);

let renderer: FrameRenderer;
try {
  renderer = await FrameRenderer.create(opts);
} catch (err) {
  // Report and end quietly: a thrown error could reach the main thread before this message.
  port.postMessage({ type: 'error', stage: 'backdrop', message: (err as Error).message } satisfies WorkerMessage);
  process.exit(0);
}
// Whatever decoding the reference image left behind (a JPEG is decoded whole before it is
// scaled) goes now, not at some later collection.
if (opts.backdropPath) gc({ type: 'major' });

const free: number[] = [];
let next = opts.firstFrame ?? 0;
let scheduled = false;
port.postMessage({ type: 'ready', frames: renderer.frameCount } satisfies WorkerMessage);

function renderOne(): void {
  scheduled = false;
  try {
    const slot = free.shift();
    if (slot === undefined || next >= renderer.frameCount) return;
    renderer.pixelsInto(next, converter.input);
    converter.convertInput(slots.subarray(slot * frameBytes, (slot + 1) * frameBytes));
    port.postMessage({ type: 'frame', index: next, slot } satisfies WorkerMessage);
    next++;
    if (next % COLLECT_EVERY === 0) collect();
    if (next >= renderer.frameCount) port.postMessage({ type: 'done' } satisfies WorkerMessage);
    else schedule();
  } catch (err) {
    port.postMessage({ type: 'error', stage: 'render', message: (err as Error).stack ?? String(err) } satisfies WorkerMessage);
  }
}

/** One frame per turn of the event loop, so collected buffers are really released in between. */
function schedule(): void {
  if (!scheduled && free.length > 0) {
    scheduled = true;
    setImmediate(renderOne);
  }
}

port.on('message', (m: WorkerRequest) => {
  if (m.type === 'slot') {
    free.push(m.slot);
    schedule();
  }
});
