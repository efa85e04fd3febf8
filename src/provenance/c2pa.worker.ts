// One C2PA operation (sign or read) in its own worker thread, then the thread ends. The WASM
// module's memory only grows (a 70 MB video peaks near 500 MB inside it), so each operation gets a
// fresh instance that goes away with the thread; the compiled module is shared, so this costs only
// instantiation. c2pa-wasm is browser-first: its Blob reads go through FileReaderSync, which Node
// lacks, so we give it a Blob look-alike over a Buffer and a FileReaderSync that reads it.
import { readFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { initSync, WasmBuilder, WasmReader } from '@contentauth/c2pa-wasm';
import { coseSign1 } from './cose.js';

export type C2paRequest =
  | {
    op: 'sign';
    /** A c2pa ManifestDefinition. */
    manifest: unknown;
    ingredients: { json: string; path: string }[];
    source: string;
    output: string;
    keyPem: string;
    chainDer: Uint8Array[];
    /** c2pa-rs settings (trust anchors, so ingredients are validated against ours). */
    context: string;
  }
  | { op: 'read'; path: string; context: string };

export type C2paReply = { ok: true; store?: unknown; manifest?: Uint8Array } | { ok: false; error: string };

/** Room for the COSE signature: the certificate chain (well under 2 KB for ours) plus headers. */
const RESERVE_BASE = 1024;

class BufferBlob {
  constructor(readonly bytes: Uint8Array, readonly type = '') {}
  get size(): number { return this.bytes.byteLength; }
  slice(start = 0, end = this.bytes.byteLength, type = this.type): BufferBlob {
    return new BufferBlob(this.bytes.subarray(start, end), type);
  }
}

class FileReaderSyncShim {
  readAsArrayBuffer(blob: BufferBlob): ArrayBuffer {
    const b = blob.bytes;
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
}
(globalThis as Record<string, unknown>).FileReaderSync = FileReaderSyncShim;

const asBlob = (bytes: Uint8Array, type: string) => new BufferBlob(bytes, type) as unknown as Blob;

async function run(req: C2paRequest): Promise<C2paReply> {
  if (req.op === 'read') {
    const reader = await WasmReader.fromBytes('video/mp4', readFileSync(req.path), req.context);
    try {
      return { ok: true, store: reader.manifestStore() };
    } finally {
      reader.free();
    }
  }
  const key = createPrivateKey(req.keyPem);
  const chain = req.chainDer.map((c) => Buffer.from(c));
  const reserveSize = RESERVE_BASE + chain.reduce((n, c) => n + c.length + 8, 0);
  const builder = WasmBuilder.fromJson(JSON.stringify(req.manifest), req.context);
  try {
    for (const ing of req.ingredients) await builder.addIngredientFromBlob(ing.json, 'video/mp4', asBlob(readFileSync(ing.path), 'video/mp4'));
    const signer = { alg: 'es256', reserveSize, sign: async (claim: Uint8Array) => new Uint8Array(coseSign1(claim, key, chain, reserveSize)) };
    const result = await builder.signAndGetManifestBytes(signer as never, [], 'video/mp4', asBlob(readFileSync(req.source), 'video/mp4')) as { asset?: Uint8Array; manifest?: Uint8Array } | Uint8Array[];
    const [asset, manifest] = Array.isArray(result) ? result : [result.asset, result.manifest];
    if (!asset) throw new Error('c2pa returned no signed asset');
    writeFileSync(req.output, asset);
    return { ok: true, manifest };
  } finally {
    builder.free();
  }
}

const data = workerData as { request: C2paRequest; module: object };
initSync({ module: data.module as Parameters<typeof initSync>[0] extends { module: infer M } ? M : never });
run(data.request).then(
  (reply) => parentPort!.postMessage(reply),
  (err: unknown) => parentPort!.postMessage({ ok: false, error: String((err as Error)?.message ?? err) } satisfies C2paReply),
);
