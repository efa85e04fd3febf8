// For tests that a secret never comes back out: an independent reader that looks for it (or any
// 12-character run of it) in every form a person or a script could decode from some text: as is,
// URL- and JSON-unescaped (repeatedly), and every base64 or base64url run decoded at each alignment.
// It shares no code with the redactor (src/domain/redaction.ts) it checks.

const RUN = 12;

/** Every way of reading the text a person or a script could try: as is, URL- and JSON-decoded, base64-decoded runs. */
export function views(text: string): string[] {
  const decoded = [text];
  let cur = text;
  for (let i = 0; i < 4; i++) {
    const next = percentDecode(jsonUnescape(cur));
    if (next === cur) break;
    decoded.push(next, next.replace(/\+/g, ' '));
    cur = next;
  }
  // Decoded runs are joined by NUL (never in a secret), so a long log is searched in one pass.
  const runs: string[] = [];
  for (const v of decoded) {
    for (const run of v.match(/[A-Za-z0-9+/=_-]{8,}/g) ?? []) {
      for (let k = 0; k < 4; k++) {
        const bytes = Buffer.from(run.slice(k), 'base64');
        runs.push(bytes.toString('utf8'), bytes.toString('latin1'));
      }
    }
  }
  return [...decoded, runs.join('\u0000')];
}

function percentDecode(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length;) {
    const m = /^%([0-9a-fA-F]{2})/.exec(s.slice(i, i + 3));
    if (m) { bytes.push(parseInt(m[1]!, 16)); i += 3; continue; }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    bytes.push(...Buffer.from(ch, 'utf8'));
    i += ch.length;
  }
  return Buffer.from(bytes).toString('utf8');
}

function jsonUnescape(s: string): string {
  const short: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  return s.replace(/\\u([0-9a-fA-F]{4})|\\(["\\/bfnrt])/g, (_, hex: string | undefined, c: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : short[c!]!));
}

/** The first run of the secret (whole if short, else 12 characters) that some view of the text still shows. */
export function exposed(text: string, secret: string): string | null {
  const w = Math.min(RUN, secret.length);
  const all = views(text);
  for (let i = 0; i + w <= secret.length; i++) {
    const run = secret.slice(i, i + w);
    if (all.some((v) => v.includes(run))) return run;
  }
  return null;
}


/** The secrets among `secrets` that some view of `text` shows (whole, or a run of 12 characters). */
export function leaked(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => exposed(text, s) !== null);
}
