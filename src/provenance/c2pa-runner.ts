// Runs c2pa operations in a fresh worker thread each (see c2pa.worker.ts for why). The WASM is
// compiled once per process and handed to each worker, so a worker only instantiates it.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { C2paReply, C2paRequest } from './c2pa.worker.js';

/** A compiled WebAssembly module (this project's TypeScript libs leave out the WebAssembly types). */
type WasmModule = object;
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }).WebAssembly;

let compiled: Promise<WasmModule> | null = null;

function wasmModule(): Promise<WasmModule> {
  compiled ??= (async () => {
    const path = createRequire(import.meta.url).resolve('@contentauth/c2pa-wasm/c2pa.wasm');
    return wasm.compile(await readFile(path));
  })();
  compiled.catch(() => { compiled = null; });
  return compiled;
}

function startWorker(workerData: unknown): Worker {
  if (import.meta.url.endsWith('.ts')) {
    // Running from source (tests, dev): the worker is TypeScript too.
    const entry = new URL('./c2pa.worker.ts', import.meta.url).href;
    return new Worker(new URL('./worker-shim.mjs', import.meta.url), { workerData: { ...(workerData as object), __entry: entry } });
  }
  return new Worker(new URL('./c2pa.worker.js', import.meta.url), { workerData });
}

export class C2paError extends Error {}

export async function runC2pa(request: C2paRequest): Promise<Extract<C2paReply, { ok: true }>> {
  const module = await wasmModule();
  const worker = startWorker({ request, module });
  try {
    const reply = await new Promise<C2paReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new C2paError(`the C2PA worker stopped (exit code ${code}) before answering`)));
    });
    if (!reply.ok) throw new C2paError(reply.error);
    return reply;
  } finally {
    await worker.terminate();
  }
}
