// COSE_Sign1 for C2PA claims (RFC 9052), with the little CBOR it needs. @contentauth/c2pa-wasm
// hands the claim bytes to a JS callback and expects a complete COSE_Sign1 back, exactly
// `reserveSize` bytes long (its Rust side pads nothing and reads no certificates), so we build it:
// protected {alg: ES256, x5chain}, unprotected {pad}, detached payload, a raw r‖s signature.
import { sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Uint8Array | null | Cbor[] | Map<Cbor, Cbor> | { tag: number; value: Cbor };

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) { const b = Buffer.alloc(3); b[0] = (major << 5) | 25; b.writeUInt16BE(n, 1); return b; }
  const b = Buffer.alloc(5); b[0] = (major << 5) | 26; b.writeUInt32BE(n, 1); return b;
}

export function encodeCbor(v: Cbor): Buffer {
  if (v === null) return Buffer.from([0xf6]);
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') { const s = Buffer.from(v, 'utf8'); return Buffer.concat([head(3, s.length), s]); }
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), v]);
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(encodeCbor)]);
  if (v instanceof Map) return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [encodeCbor(k), encodeCbor(x)])]);
  return Buffer.concat([head(6, v.tag), encodeCbor(v.value)]);
}

const COSE_SIGN1_TAG = 18;
const ALG = 1;
const ES256 = -7;
const X5CHAIN = 33;

/**
 * A tagged COSE_Sign1 over `claim` (detached), signed with a P-256 key, padded to exactly
 * `reserveSize` bytes. `chainDer` is the signer's certificate first, then its issuers.
 */
export function coseSign1(claim: Uint8Array, key: KeyObject, chainDer: Buffer[], reserveSize: number): Buffer {
  const protectedBytes = encodeCbor(new Map<Cbor, Cbor>([[ALG, ES256], [X5CHAIN, chainDer.length === 1 ? chainDer[0]! : chainDer]]));
  const toBeSigned = encodeCbor(['Signature1', protectedBytes, new Uint8Array(0), claim]);
  // ieee-p1363: COSE wants r‖s (64 bytes), not the DER that node:crypto gives by default.
  const signature = sign('sha256', toBeSigned, { key, dsaEncoding: 'ieee-p1363' });
  const build = (pad: number) => encodeCbor({ tag: COSE_SIGN1_TAG, value: [protectedBytes, new Map<Cbor, Cbor>([['pad', new Uint8Array(pad)]]), null, signature] });
  const bare = build(0).length;
  if (bare > reserveSize) throw new Error(`the signature needs ${bare} bytes but only ${reserveSize} are reserved`);
  // The pad's own length prefix grows with it (1, 2 or 3 bytes): try the few sizes around the gap.
  for (let pad = reserveSize - bare; pad >= Math.max(0, reserveSize - bare - 4); pad--) {
    const out = build(pad);
    if (out.length === reserveSize) return out;
  }
  throw new Error(`could not pad the signature to exactly ${reserveSize} bytes`);
}
