// Redaction: examples of what providers really echo, then properties over random secrets: whatever
// form a secret is put in (plain, percent- or JSON-escaped, base64 of any text holding it, a Basic
// auth header, a half-masked run), an independent decoder finds no 12-character run of it in the
// output; text without a secret comes out unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exposed } from '../../test/helpers/leaks.js';
import { FRAGMENT_LENGTH, REDACTED, Redactor, base64Cores, redact } from './redaction.js';

const KEY = 'key_canary_runway_3e5a7c9b1d2f';

const KEY_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:+/=~ é"\\'];
const secretArb = fc.string({ unit: fc.constantFrom(...KEY_CHARS), minLength: 6, maxLength: 80 })
  // A secret is not mostly one character repeated (nothing is, that a server is given as a key).
  .filter((s) => new Set(s).size >= Math.min(6, s.length) && s.trim() === s);
const textArb = fc.string({ maxLength: 60 });
const hexCase = (b: number, upper: boolean) => (upper ? b.toString(16).toUpperCase() : b.toString(16)).padStart(2, '0');

/** One way a provider, a proxy or a log line may carry the whole secret. */
const formArb = (secret: string) => fc.oneof(
  fc.constant(secret),
  fc.constant(encodeURIComponent(secret)),
  fc.constant(new URLSearchParams({ key: secret }).toString()),
  fc.constant(JSON.stringify(secret).slice(1, -1)),
  fc.constant(JSON.stringify(secret).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)),
  // Every character, or every one but letters and digits (which no encoder escapes), in its own
  // encoding: as is, %XX (either case), double-encoded, or \uXXXX.
  fc.tuple(fc.boolean(), fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()), { minLength: secret.length, maxLength: secret.length })).map(([all, choices]) =>
    Array.from(secret).map((ch, i) => {
      const [how, upper] = all ? [choices[0]![0] || 1, choices[0]![1]] : /^[A-Za-z0-9]$/.test(ch) ? [0, false] : choices[i] ?? [0, false];
      const bytes = [...Buffer.from(ch, 'utf8')];
      if (how === 1) return bytes.map((b) => `%${hexCase(b, upper)}`).join('');
      if (how === 2) return bytes.map((b) => `%25${hexCase(b, upper)}`).join('');
      if (how === 3 && ch.length === 1) return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
      return ch;
    }).join('')),
  // base64 and base64url of any text holding the secret (any alignment), padded or not.
  fc.tuple(fc.string({ maxLength: 7 }), fc.string({ maxLength: 7 }), fc.boolean(), fc.boolean()).map(([pre, post, url, pad]) => {
    const b = Buffer.from(`${pre}${secret}${post}`, 'utf8').toString(url ? 'base64url' : 'base64');
    return pad || url ? b : b.replace(/=+$/, '');
  }),
  // HTTP Basic auth, the key as password or as user.
  fc.string({ maxLength: 12 }).map((user) => `Authorization: Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`),
  fc.constant(`Basic ${Buffer.from(`${secret}:`).toString('base64')}`),
);

describe('redact', () => {
  it('removes a key echoed in the forms providers use', () => {
    const r = new Redactor([KEY]);
    const samples = [
      `Invalid API key: ${KEY}`,
      `{"error":"bad key \\"${KEY}\\""}`,
      `GET /v1/tasks?key=${encodeURIComponent(KEY)}`,
      `Authorization: Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`,
      `echo ${Buffer.from(KEY).toString('base64url')}`,
      `Incorrect API key provided: ${KEY.slice(0, 14)}************${KEY.slice(-4)}`,
    ];
    for (const s of samples) {
      const out = r.redact(s);
      expect(out, s).toContain(REDACTED);
      expect(exposed(out, KEY), out).toBeNull();
    }
    expect(r.redact(`Incorrect API key provided: ${KEY.slice(0, 14)}***`)).toBe(`Incorrect API key provided: ${REDACTED}***`);
  });

  it("removes anyone's URL passwords, bearer tokens and JWTs, and leaves ordinary words alone", () => {
    expect(redact('ComfyUI at https://gpu:hunter2@box.lan:8188/prompt failed')).toBe(`ComfyUI at https://gpu:${REDACTED}@box.lan:8188/prompt failed`);
    expect(redact('sent Authorization: Bearer mls_9f8e7d6c5b4a3 to it')).toBe(`sent Authorization: Bearer ${REDACTED} to it`);
    expect(redact('token eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhayJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ expired')).toBe(`token ${REDACTED} expired`);
    const plain = 'Basic authentication failed; Bearer authentication is required. See http://127.0.0.1:8080/v1/models.';
    expect(redact(plain)).toBe(plain);
  });

  it('computes base64 cores that appear in base64 of any text holding the secret', () => {
    for (const pre of ['', 'a', 'ab', 'abc']) {
      const encoded = Buffer.from(`${pre}${KEY}!`).toString('base64');
      expect(base64Cores(KEY).some((c) => encoded.includes(c)), pre).toBe(true);
    }
  });

  it('no form of a random secret survives, wherever it sits in the text', () => {
    fc.assert(fc.property(secretArb.chain((secret) => fc.tuple(fc.constant(secret), formArb(secret), textArb, textArb)), ([secret, form, before, after]) => {
      const out = new Redactor(['another-secret-0123456789', secret]).redact(`${before}${form}${after}`);
      expect(exposed(out, secret), `${JSON.stringify(form)} → ${JSON.stringify(out)}`).toBeNull();
    }), { numRuns: 500 });
  });

  it('no run of 12 or more characters of a random secret survives (half-masked keys)', () => {
    const arb = secretArb.filter((s) => s.length >= FRAGMENT_LENGTH).chain((secret) => fc.tuple(
      fc.constant(secret),
      fc.integer({ min: 0, max: secret.length - FRAGMENT_LENGTH }).chain((from) => fc.tuple(fc.constant(from), fc.integer({ min: from + FRAGMENT_LENGTH, max: secret.length }))),
      textArb, textArb, fc.constantFrom('', '***', '…', '...'),
    ));
    fc.assert(fc.property(arb, ([secret, [from, to], before, after, mask]) => {
      const out = new Redactor([secret]).redact(`${before}${mask}${secret.slice(from, to)}${mask}${after}`);
      // Only the plain views: a masked run is echoed as is.
      for (let i = 0; i + FRAGMENT_LENGTH <= secret.length; i++) expect(out).not.toContain(secret.slice(i, i + FRAGMENT_LENGTH));
    }), { numRuns: 500 });
  });

  it('changes nothing in text that holds no secret, and redacting twice changes nothing more', () => {
    fc.assert(fc.property(secretArb, fc.string({ maxLength: 300 }), (secret, text) => {
      fc.pre(!/Bearer|Basic|:\/\/|eyJ/.test(text) && exposed(text, secret) === null);
      const r = new Redactor([secret]);
      expect(r.redact(text)).toBe(text);
    }), { numRuns: 500 });
    fc.assert(fc.property(secretArb, textArb, (secret, text) => {
      const r = new Redactor([secret]);
      const once = r.redact(`${text}${secret}${text}`);
      expect(r.redact(once)).toBe(once);
    }), { numRuns: 300 });
  });

  it('ignores secrets too short to tell from ordinary text', () => {
    expect(new Redactor(['abc', '', null, undefined]).redact('abc abc')).toBe('abc abc');
  });
});
