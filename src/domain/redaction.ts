// The one place secrets are taken out of text before it is stored, logged or shown. A Redactor is
// built from every secret the server holds (provider keys, Kling's secret and its JWTs, passwords in
// configured URLs) and removes each in every form a provider or a tool may echo it:
//   - as written, or with any of its other-than-alphanumeric characters percent-encoded (once or
//     twice, either hex case), JSON-escaped (\uXXXX, \" \\ \/) or form-encoded (+ for a space) —
//     which is what every URL, form and JSON encoder does — or with every character percent-encoded
//     (once or twice) or \u-escaped;
//   - inside base64 or base64url of any text that contains it (a Basic auth "user:key" header, a
//     JSON body that was encoded), whatever its alignment in that text, padded or not;
//   - any run of 12 or more of its characters (providers echo keys half-masked, "sk-abc…wxyz").
// And, whoever's they are: the password of a URL (scheme://user:pass@host), the credentials after
// "Bearer " or "Basic ", and JWTs.
// Shorter runs of a secret may remain (a 4-character suffix says nothing), as may secrets under 6
// characters, which would blank ordinary words.

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not looked for (they would match ordinary text). */
export const MIN_SECRET_LENGTH = 6;

/** A run of this many characters of a secret is redacted wherever it appears. */
export const FRAGMENT_LENGTH = 12;

// Fragments are found through the secret's aligned blocks of this many characters: any run of
// FRAGMENT_LENGTH characters contains one whole block (2 * 6 - 1 < 12), which is then extended
// both ways as far as the text keeps following the secret.
const BLOCK = 6;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A hex digit pattern matching either case (0x3a: "3[aA]"). */
function hexPattern(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
}

const JSON_SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const percentAll = (ch: string) => [...Buffer.from(ch, 'utf8')].map((b) => `%${hexPattern(b, 2)}`).join('');
const percentTwiceAll = (ch: string) => [...Buffer.from(ch, 'utf8')].map((b) => `%25${hexPattern(b, 2)}`).join('');
const unicodeAll = (ch: string) => Array.from({ length: ch.length }, (_, i) => `\\\\u${hexPattern(ch.charCodeAt(i), 4)}`).join('');

/**
 * One character of a secret, as written or in any of the encodings a transport may apply to it.
 * Letters and digits are left as they are: no encoder escapes them, and a pattern of alternatives
 * for each of them costs V8 tens of milliseconds to compile per secret.
 */
function charPattern(ch: string): string {
  if (/^[A-Za-z0-9]$/.test(ch)) return ch;
  const alts = [escapeRegex(ch)];
  const bytes = [...Buffer.from(ch, 'utf8')];
  alts.push(bytes.map((b) => `%${hexPattern(b, 2)}`).join(''));
  alts.push(bytes.map((b) => `%25${hexPattern(b, 2)}`).join(''));
  const units = Array.from({ length: ch.length }, (_, i) => ch.charCodeAt(i));
  alts.push(units.map((u) => `\\\\u${hexPattern(u, 4)}`).join(''));
  if (JSON_SHORT[ch]) alts.push(escapeRegex(JSON_SHORT[ch]));
  if (ch === ' ') alts.push('\\+');
  return `(?:${alts.join('|')})`;
}

/**
 * The part of base64(prefix + secret + suffix) that depends on the secret alone, for each of the
 * three alignments the secret can have in the encoded text; in the standard and URL alphabets.
 */
export function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const text = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
    // Leading characters mixing in the unknown prefix: none, 2 or 3; a trailing one mixing in the suffix.
    const start = [0, 2, 3][offset]!;
    const end = (offset + bytes.length) % 3 === 0 ? text.length : text.length - 1;
    const core = text.slice(start, end);
    if (core.length >= MIN_SECRET_LENGTH) {
      cores.add(core);
      cores.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...cores];
}

// Whoever's they are: the password in scheme://user:pass@host, the token after Bearer/Basic, a JWT.
const GENERIC: Array<[RegExp, string]> = [
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]*):[^\s/?#@'"]+@/gi, `$1:${REDACTED}@`],
  // A credential, not an English word ("Basic authentication"): it has a digit, a symbol or a capital after a small letter.
  [/\b(Bearer|Basic)(\s+|%20|\+)(?=[A-Za-z0-9._~+/=-]*(?:[0-9_~+/=-]|[a-z][A-Za-z0-9._~+/=-]*[A-Z]))[A-Za-z0-9._~+/=-]{8,}/g, `$1$2${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{10,}/g, REDACTED],
];

const REPEATED = /(?:\[redacted\]){2,}/g;

export class Redactor {
  /** Matches a whole secret in any of its encoded forms, or a base64 core of it. */
  private readonly whole: RegExp | null;
  /** Matches an aligned block of a secret (a candidate fragment, confirmed by extending it). */
  private readonly blocks: RegExp | null;
  private readonly blockAt = new Map<string, Array<{ secret: string; offset: number }>>();
  readonly secrets: readonly string[];

  constructor(secrets: Iterable<string | null | undefined>) {
    const list = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))]
      .sort((a, b) => b.length - a.length);
    this.secrets = list;
    const whole: string[] = [];
    for (const s of list) {
      whole.push(...[charPattern, percentAll, percentTwiceAll, unicodeAll].map((form) => Array.from(s, form).join('')));
      for (const core of base64Cores(s)) whole.push(escapeRegex(core));
      if (s.length < FRAGMENT_LENGTH) continue;
      for (let i = 0; i + BLOCK <= s.length; i += BLOCK) {
        const block = s.slice(i, i + BLOCK);
        const at = this.blockAt.get(block) ?? [];
        at.push({ secret: s, offset: i });
        this.blockAt.set(block, at);
      }
    }
    this.whole = whole.length ? new RegExp(whole.join('|'), 'g') : null;
    this.blocks = this.blockAt.size ? new RegExp([...this.blockAt.keys()].map(escapeRegex).join('|'), 'g') : null;
  }

  /** A redactor that also knows `more` (e.g. an adapter's own short-lived tokens). */
  with(more: Iterable<string | null | undefined>): Redactor {
    return new Redactor([...this.secrets, ...more]);
  }

  redact(text: string): string {
    let out = text;
    if (this.whole) out = out.replace(this.whole, REDACTED);
    if (this.blocks) out = this.redactFragments(out);
    for (const [re, to] of GENERIC) out = out.replace(re, to);
    return out.includes(REDACTED) ? out.replace(REPEATED, REDACTED) : out;
  }

  /** Finds blocks, extends each to the longest run that follows its secret, and removes runs of 12+. */
  private redactFragments(text: string): string {
    const re = this.blocks!;
    re.lastIndex = 0;
    let out = '';
    let copied = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      let best: { from: number; to: number } | null = null;
      for (const { secret, offset } of this.blockAt.get(m[0])!) {
        let from = m.index;
        let to = m.index + BLOCK;
        let k = offset;
        while (from > copied && k > 0 && text[from - 1] === secret[k - 1]) { from--; k--; }
        let j = offset + BLOCK;
        while (to < text.length && j < secret.length && text[to] === secret[j]) { to++; j++; }
        if (to - from >= FRAGMENT_LENGTH && (!best || to - from > best.to - best.from)) best = { from, to };
      }
      if (best) {
        out += text.slice(copied, best.from) + REDACTED;
        copied = best.to;
        re.lastIndex = best.to;
      } else {
        re.lastIndex = m.index + 1;
      }
    }
    return copied === 0 ? text : out + text.slice(copied);
  }
}

const NO_SECRETS = new Redactor([]);
const cache = new Map<string, Redactor>();

/**
 * Removes `secrets` (in every form above) and anyone's URL passwords, bearer tokens and JWTs from
 * `text`. Redactors are cached by their secrets, so calling this per message is cheap.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  if (secrets.length === 0) return NO_SECRETS.redact(text);
  const key = secrets.join('\u0000');
  let r = cache.get(key);
  if (!r) {
    r = new Redactor(secrets);
    if (cache.size >= 64) cache.delete(cache.keys().next().value!);
    cache.set(key, r);
  }
  return r.redact(text);
}

/** Cuts text to `max` characters (after redaction, so a secret is never half-kept at the cut). */
export function clip(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
