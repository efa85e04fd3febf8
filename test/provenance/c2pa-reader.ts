// The C2PA library's own reader (WasmReader), loaded in the test process: what any third party
// using @contentauth/c2pa-wasm would see, independent of Méliès' writer and verifier code.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';

let ready = false;

export async function readWithLibrary(bytes: Uint8Array, trustAnchorsPem: string): Promise<any> {
  if (!ready) {
    initSync({ module: readFileSync(createRequire(import.meta.url).resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });
    ready = true;
  }
  const context = JSON.stringify({ trust: { trust_anchors: trustAnchorsPem }, verify: { verify_trust: true } });
  const reader = await WasmReader.fromBytes('video/mp4', bytes, context);
  try {
    return reader.manifestStore();
  } finally {
    reader.free();
  }
}

export const instanceCa = (dataDir: string) => readFileSync(join(dataDir, 'signing', 'ca.crt'), 'utf8');

export function activeManifest(store: any): any {
  return store.manifests[store.active_manifest];
}

export const assertionOf = (manifest: any, label: string) => manifest.assertions.find((a: any) => a.label === label)?.data;
