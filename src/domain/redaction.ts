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
// Each runs only when its cue is in the text (most log lines have none).
const GENERIC: Array<{ cue: RegExp; re: RegExp; to: string }> = [
  { cue: /:\/\//, re: /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]*):[^\s/?#@'"]+@/gi, to: `$1:${REDACTED}@` },
  // A credential, not an English word ("Basic authentication"): it has a digit, a symbol or a capital after a small letter.
  {
    cue: /Bearer|Basic/,
    re: /\b(Bearer|Basic)(\s+|%20|\+)(?=[A-Za-z0-9._~+/=-]*(?:[0-9_~+/=-]|[a-z][A-Za-z0-9._~+/=-]*[A-Z]))[A-Za-z0-9._~+/=-]{8,}/g,
    to: `$1$2${REDACTED}`,
  },
  { cue: /eyJ/, re: /\beyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{10,}/g, to: REDACTED },
];

const ANY_CUE = /:\/\/|Bearer|Basic|eyJ/;
const REPEATED = /(?:\[redacted\]){2,}/g;

/** Needles are this long: aligned blocks of secrets, and literal pieces of their whole forms. */
const NEEDLE = BLOCK;

/** Six letters or digits in a row from the secret: any as-written or partly escaped form holds them literally. */
function anchorOf(secret: string): string | null {
  const run = (secret.match(/[A-Za-z0-9]+/g) ?? []).find((r) => r.length >= NEEDLE);
  return run ? run.slice(0, NEEDLE) : null;
}

const bigram = (text: string, i: number) => ((text.charCodeAt(i) * 31 + text.charCodeAt(i + 1)) & 0xffff);

type Needle = { kind: 'whole'; index: number } | { kind: 'block'; secret: string; offset: number };

/**
 * The secrets' needles (all NEEDLE characters long), found in one pass over a text that skips
 * ahead (Wu–Manber): the two characters ending the current window say how far the nearest needle
 * could end from there, usually the whole width, so most of a text is never looked at. Many plain
 * searches, or one regex of a hundred alternatives, cost 10–20 µs on a log line; this, a few.
 */
class NeedleIndex {
  private readonly shift = new Uint8Array(1 << 16).fill(NEEDLE - 1);
  private readonly needles = new Map<string, Needle[]>();

  add(needle: string, what: Needle): void {
    for (let end = 2; end <= NEEDLE; end++) {
      const h = bigram(needle, end - 2);
      this.shift[h] = Math.min(this.shift[h]!, NEEDLE - end);
    }
    const list = this.needles.get(needle) ?? [];
    list.push(what);
    this.needles.set(needle, list);
  }

  find(text: string, found: (needle: Needle, at: number) => void): void {
    for (let at = 0; at + NEEDLE <= text.length;) {
      const skip = this.shift[bigram(text, at + NEEDLE - 2)]!;
      if (skip > 0) { at += skip; continue; }
      const list = this.needles.get(text.slice(at, at + NEEDLE));
      if (list) for (const n of list) found(n, at);
      at++;
    }
  }
}

export class Redactor {
  /** Per secret: every whole form of it and its base64 cores; tried only when a needle says so. */
  private readonly patterns: RegExp[] = [];
  /** Secrets without a needle of their own (mostly symbols): always tried. */
  private readonly always: number[] = [];
  private readonly index = new NeedleIndex();
  readonly secrets: readonly string[];

  constructor(secrets: Iterable<string | null | undefined>) {
    const list = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))]
      .sort((a, b) => b.length - a.length);
    this.secrets = list;
    list.forEach((s, i) => {
      const cores = base64Cores(s);
      const forms = [charPattern, percentAll, percentTwiceAll, unicodeAll].map((form) => Array.from(s, form).join(''));
      this.patterns.push(new RegExp([...forms, ...cores.map(escapeRegex)].join('|'), 'g'));
      const anchor = anchorOf(s);
      if (anchor) this.index.add(anchor, { kind: 'whole', index: i });
      else this.always.push(i);
      for (const core of cores) this.index.add(core.slice(0, NEEDLE), { kind: 'whole', index: i });
      if (s.length < FRAGMENT_LENGTH) return;
      for (let at = 0; at + BLOCK <= s.length; at += BLOCK) this.index.add(s.slice(at, at + BLOCK), { kind: 'block', secret: s, offset: at });
    });
  }

  redact(text: string): string {
    let out = text;
    if (this.secrets.length) {
      // Fully escaped forms hold no literal piece of the secret, only % or \u escapes.
      const escaped = out.includes('%') || out.includes('\\u');
      const wanted = new Set<number>(escaped ? this.patterns.keys() : this.always);
      let runs: Array<[number, number]> = [];
      this.index.find(out, (n, at) => (n.kind === 'whole' ? wanted.add(n.index) : this.extend(out, n, at, runs)));
      if (wanted.size) {
        for (const i of wanted) out = out.replace(this.patterns[i]!, REDACTED);
        runs = [];
        this.index.find(out, (n, at) => { if (n.kind === 'block') this.extend(out, n, at, runs); });
      }
      out = cut(out, runs);
    }
    if (ANY_CUE.test(out)) for (const g of GENERIC) if (g.cue.test(out)) out = out.replace(g.re, g.to);
    return out.includes(REDACTED) ? out.replace(REPEATED, REDACTED) : out;
  }

  /** A block of `secret` at `at`: the run around it that follows the secret, kept if 12 or longer. */
  private extend(text: string, n: Extract<Needle, { kind: 'block' }>, at: number, runs: Array<[number, number]>): void {
    const { secret, offset } = n;
    let from = at;
    let k = offset;
    while (from > 0 && k > 0 && text[from - 1] === secret[k - 1]) { from--; k--; }
    let to = at + BLOCK;
    let j = offset + BLOCK;
    while (to < text.length && j < secret.length && text[to] === secret[j]) { to++; j++; }
    if (to - from >= FRAGMENT_LENGTH) runs.push([from, to]);
  }
}

/** The text with each run (merged where they overlap) replaced by REDACTED. */
function cut(text: string, runs: Array<[number, number]>): string {
  if (runs.length === 0) return text;
  runs.sort((a, b) => a[0] - b[0]);
  let out = '';
  let copied = 0;
  for (const [from, to] of runs) {
    if (to <= copied) continue;
    out += text.slice(copied, Math.max(from, copied)) + REDACTED;
    copied = to;
  }
  return out + text.slice(copied);
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
