// The secrets accounts hand out and check: password hashes (scrypt, from Node's own crypto),
// API keys (`mls_` + 32 random bytes in base62 + `_` + a 6-character checksum, so a scanner or
// the server can reject a mistyped key without a lookup), session and setup tokens.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));

// N=2^15, r=8: about 32 MiB and tens of milliseconds per hash; costly for a guesser, fine for a login.
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  // With no stored hash, still spend the time of a check, so timing does not reveal which emails exist.
  const parts = (stored ?? `scrypt$${SCRYPT.N}$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return stored !== null && timingSafeEqual(key, expected);
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(buf: Buffer, length?: number): string {
  let out = '';
  if (buf.length <= 6) {
    // A checksum's few bytes fit a double exactly: the same digits without BigInt's cost.
    let n = buf.length ? buf.readUIntBE(0, buf.length) : 0;
    while (n > 0) {
      out = ALPHABET[n % 62]! + out;
      n = Math.floor(n / 62);
    }
  } else {
    let n = BigInt(`0x${buf.toString('hex')}`);
    while (n > 0n) {
      out = ALPHABET[Number(n % 62n)]! + out;
      n /= 62n;
    }
  }
  return length === undefined ? out : out.padStart(length, '0').slice(-length);
}

const checksum = (body: string) => base62(createHash('sha256').update(body).digest().subarray(0, 4), 6);

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

export interface NewApiKey {
  secret: string;
  hash: string;
  prefix: string;
}

export function newApiKey(): NewApiKey {
  const body = base62(randomBytes(32), 43);
  const secret = `mls_${body}_${checksum(body)}`;
  return { secret, hash: sha256Hex(secret), prefix: `mls_${body.slice(0, 6)}` };
}

/** True when a string has the shape of one of our keys and its checksum matches. */
export function isWellFormedApiKey(s: string): boolean {
  const m = /^mls_([0-9A-Za-z]{43})_([0-9A-Za-z]{6})$/.exec(s);
  return m !== null && checksum(m[1]!) === m[2];
}

/** A random URL-safe token (session cookies, setup links, invite codes). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
