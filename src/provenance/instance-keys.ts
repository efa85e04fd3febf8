// The key and certificate chain this instance signs with. By default a private CA and a signer
// certificate are made at first start (ES256 / P-256) under <data dir>/signing, private keys 0600,
// and reused ever after; or the operator's own chain and key (MELIES_SIGNING_CERT/_KEY). node:crypto
// reads certificates but cannot issue them, so @peculiar/x509 (pure JS over WebCrypto) makes them.
// c2pa-rs accepts a signer certificate only with an extended key usage it knows (emailProtection or
// documentSigning) and a CA above it for "trusted"; a self-signed signer never reads as trusted.
import { createPrivateKey, randomBytes, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
// @peculiar/x509 resolves its ASN.1 parsers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export interface SigningIdentity {
  key: KeyObject;
  /** PKCS#8 PEM of `key`, for the signing worker. */
  keyPem: string;
  /** The signer's certificate first, then its issuers (DER). */
  chainDer: Buffer[];
  leaf: X509Certificate;
  /** CA certificates (PEM) whose signatures this instance calls trusted when it verifies. */
  trustAnchorsPem: string;
  source: 'instance' | 'operator';
}

export interface SigningSettings {
  dataDir: string;
  /** Operator's PEM chain (signer first) and its private key; both null: the instance's own. */
  certPath: string | null;
  keyPath: string | null;
  /** Extra CA certificates (PEM) to trust when verifying. */
  trustAnchorsPath: string | null;
  /**
   * Where the processes of a distributed deployment keep ONE instance identity (the database):
   * without it each worker box would make its own CA and the others would call its videos
   * untrusted. Null: one process, the data directory's identity alone.
   */
  shared?: SharedIdentityStore | null;
}

/** The instance identity's three PEM files, as one deployment shares them. */
export interface IdentityFiles { ca: string; signer: string; key: string }

export interface SharedIdentityStore {
  /** Records `files` unless an identity is recorded already; returns the one recorded now (first writer wins). */
  recordIfAbsent(files: IdentityFiles): Promise<IdentityFiles>;
}

const EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
const EKU_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** Long-lived on purpose: without a timestamp authority (no network), a video reads as valid only while its signer's certificate is. */
const CA_YEARS = 30;
const SIGNER_YEARS = 25;

export class SigningSetupError extends Error {}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
export const splitPemCerts = (pem: string): string[] => pem.match(PEM_CERT) ?? [];

/** Where the instance's own key and certificates live. */
export const signingDir = (dataDir: string) => join(dataDir, 'signing');

export async function loadSigningIdentity(s: SigningSettings): Promise<SigningIdentity> {
  const extra = s.trustAnchorsPath ? splitPemCerts(await readFile(s.trustAnchorsPath, 'utf8')) : [];
  if (s.trustAnchorsPath && extra.length === 0) throw new SigningSetupError(`MELIES_TRUST_ANCHORS: ${s.trustAnchorsPath} holds no PEM certificate`);
  const dir = signingDir(s.dataDir);
  if (s.certPath && s.keyPath) {
    const id = await operatorIdentity(s.certPath, s.keyPath);
    // Videos this instance signed with its own key before the operator's remain trusted.
    const own = existsSync(join(dir, 'ca.crt')) ? [await readFile(join(dir, 'ca.crt'), 'utf8')] : [];
    return { ...id, trustAnchorsPem: [...id.anchors, ...own, ...extra].join('\n') };
  }
  const local = await instanceIdentity(dir);
  if (!s.shared) return { ...local, trustAnchorsPem: [...local.anchors, ...extra].join('\n') };
  // The deployment's identity is the first one recorded; this box's own CA stays trusted (videos it
  // signed before joining), but it signs with the shared key.
  const files = await s.shared.recordIfAbsent(await readIdentityFiles(dir));
  const id = identityFrom(files, 'the deployment\'s shared instance signing key');
  const own = local.anchors.filter((a) => !id.anchors.includes(a));
  return { ...id, trustAnchorsPem: [...id.anchors, ...own, ...extra].join('\n') };
}

async function readIdentityFiles(dir: string): Promise<IdentityFiles> {
  const [ca, signer, key] = await Promise.all(['ca.crt', 'signer.crt', 'signer.key'].map((f) => readFile(join(dir, f), 'utf8')));
  return { ca: ca!, signer: signer!, key: key! };
}

function identityFrom(files: IdentityFiles, where: string) {
  const ca = new X509Certificate(files.ca);
  const leaf = new X509Certificate(files.signer);
  const key = createPrivateKey(files.key);
  checkSigner(leaf, key, where);
  return { key, keyPem: files.key, leaf, chainDer: [leaf.raw, ca.raw], source: 'instance' as const, anchors: [ca.toString()] };
}

function checkSigner(leaf: X509Certificate, key: KeyObject, where: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new SigningSetupError(`${where}: the signing key must be an EC P-256 key (ES256); got ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : ''}`);
  }
  if (!leaf.checkPrivateKey(key)) throw new SigningSetupError(`${where}: the private key does not belong to the first certificate of the chain`);
  const eku = leaf.keyUsage ?? [];
  if (!eku.includes(EKU_EMAIL_PROTECTION) && !eku.includes(EKU_DOCUMENT_SIGNING)) {
    throw new SigningSetupError(`${where}: C2PA validators refuse a signing certificate without the extended key usage emailProtection or documentSigning (1.3.6.1.5.5.7.3.36); this one has ${eku.length ? eku.join(', ') : 'none'}`);
  }
  if (new Date(leaf.validTo).getTime() < Date.now()) throw new SigningSetupError(`${where}: the signing certificate expired on ${leaf.validTo}`);
}

async function operatorIdentity(certPath: string, keyPath: string) {
  const pems = splitPemCerts(await readFile(certPath, 'utf8'));
  if (pems.length === 0) throw new SigningSetupError(`MELIES_SIGNING_CERT: ${certPath} holds no PEM certificate`);
  const certs = pems.map((p) => new X509Certificate(p));
  let key: KeyObject;
  try {
    key = createPrivateKey(await readFile(keyPath));
  } catch (err) {
    throw new SigningSetupError(`MELIES_SIGNING_KEY: ${keyPath} is not a readable PEM private key (${(err as Error).message})`);
  }
  checkSigner(certs[0]!, key, 'MELIES_SIGNING_CERT/MELIES_SIGNING_KEY');
  return {
    key, keyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string, leaf: certs[0]!,
    chainDer: certs.map((c) => c.raw), source: 'operator' as const,
    anchors: certs.slice(1).filter((c) => c.ca).map((c) => c.toString()),
  };
}

async function instanceIdentity(dir: string) {
  if (!existsSync(join(dir, 'signer.key'))) await createInstanceKeys(dir);
  return identityFrom(await readIdentityFiles(dir), `the instance signing key in ${dir}`);
}

const serial = () => `01${randomBytes(15).toString('hex')}`; // positive, 16 bytes
const yearsFrom = (d: Date, years: number) => new Date(d.getTime() + years * 365.25 * 86_400_000);

/**
 * Makes the instance CA and signer in a scratch folder, then renames it into place: two processes
 * starting on one data directory at once end with one identity, the first rename's.
 */
async function createInstanceKeys(dir: string): Promise<void> {
  // Node's webcrypto is the WebCrypto the library wants; its type (lib.dom's Crypto) is not loaded here.
  x509.cryptoProvider.set(webcrypto as never);
  const subtle = webcrypto.subtle;
  const now = new Date(Date.now() - 60_000); // a clock slightly behind ours still accepts them
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, '').slice(0, 40) || 'localhost';
  const caKeys = await subtle.generateKey(ALG, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(), name: `CN=Melies instance CA (${host}), O=Melies self-hosted`, notBefore: now, notAfter: yearsFrom(now, CA_YEARS),
    keys: caKeys, signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const signerKeys = await subtle.generateKey(ALG, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const signer = await x509.X509CertificateGenerator.create({
    serialNumber: serial(), subject: `CN=Melies instance signer (${host}), O=Melies self-hosted`, issuer: ca.subject,
    notBefore: now, notAfter: yearsFrom(now, SIGNER_YEARS), signingKey: caKeys.privateKey, publicKey: signerKeys.publicKey as never, signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([EKU_EMAIL_PROTECTION], false),
      await x509.SubjectKeyIdentifierExtension.create(signerKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const pkcs8 = async (k: webcrypto.CryptoKey) => x509.PemConverter.encode(await subtle.exportKey('pkcs8', k), 'PRIVATE KEY');
  const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
  await mkdir(tmp, { recursive: true, mode: 0o700 });
  try {
    await writeFile(join(tmp, 'ca.key'), await pkcs8(caKeys.privateKey), { mode: 0o600 });
    await writeFile(join(tmp, 'signer.key'), await pkcs8(signerKeys.privateKey), { mode: 0o600 });
    // The process umask may have narrowed what writeFile asked for, never widened it: make it exact.
    await chmod(join(tmp, 'ca.key'), 0o600);
    await chmod(join(tmp, 'signer.key'), 0o600);
    await writeFile(join(tmp, 'ca.crt'), ca.toString('pem'));
    await writeFile(join(tmp, 'signer.crt'), signer.toString('pem'));
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (existsSync(join(dir, 'signer.key'))) return; // another process made them first
    throw err;
  }
}
