// The provenance sidecar: the same claims as the embedded manifest, as a JWS in the flattened JSON
// serialization (RFC 7515 §7.2.2), ES256, signed with the instance's key, the certificate chain in
// the `x5c` header. Platforms strip embedded metadata; this survives beside the file. The extra
// `claims` member is the decoded payload, for people (JWS readers ignore members they do not know);
// the signature covers `protected` + "." + `payload` only.
import { sign } from 'node:crypto';
import type { SigningIdentity } from './instance-keys.js';

export const SIDECAR_TYPE = 'application/vnd.melies.provenance+json';

export interface SignedSidecar {
  protected: string;
  payload: string;
  signature: string;
  claims: Record<string, unknown>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signSidecar(claims: Record<string, unknown>, identity: Pick<SigningIdentity, 'key' | 'chainDer'>): SignedSidecar {
  const header = { alg: 'ES256', typ: SIDECAR_TYPE, x5c: identity.chainDer.map((c) => c.toString('base64')) };
  const protectedB64 = b64url(JSON.stringify(header));
  const payload = b64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${protectedB64}.${payload}`), { key: identity.key, dsaEncoding: 'ieee-p1363' });
  return { protected: protectedB64, payload, signature: b64url(signature), claims };
}
