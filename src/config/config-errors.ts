// Turning schema issues into messages a person can act on: each names the setting the way it was
// written (MELIES_PORT, or cloud.runway.dailyCapUsd), and an unknown key gets the closest known
// name at its place, e.g. "MELIES_PROT: unknown setting; did you mean MELIES_PORT?".
import type { z } from 'zod';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface SettingSources {
  /** The config file, if one was read: unknown keys can only come from it. */
  file?: string;
  /** Dotted path → environment name that set it (in the environment or the file). */
  names?: ReadonlyMap<string, string>;
}

type Path = ReadonlyArray<PropertyKey>;

function format(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(seg))) out += `${out ? '.' : ''}${String(seg)}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || '(root)';
}

/** Peels defaults, optionals and preprocessing off a schema, down to what holds the keys. */
function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  for (let s = schema; s;) {
    const def = s._zod.def as unknown as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType; out?: z.core.$ZodType };
    if (['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(def.type)) s = def.innerType;
    else if (def.type === 'pipe') s = def.out?._zod.def.type === 'transform' ? def.in : def.out;
    else return s;
  }
  return undefined;
}

/** The keys the schema knows at `path`, or none where any key goes (a record, e.g. prices per model). */
export function knownKeysAt(schema: z.core.$ZodType, path: Path): string[] {
  let s = unwrap(schema);
  for (const seg of path) {
    const def = s?._zod.def as unknown as { type: string; shape?: Record<string, z.core.$ZodType>; valueType?: z.core.$ZodType; element?: z.core.$ZodType } | undefined;
    if (def?.type === 'object') s = unwrap(def.shape![String(seg)]);
    else if (def?.type === 'record') s = unwrap(def.valueType);
    else if (def?.type === 'array') s = unwrap(def.element);
    else return [];
  }
  const def = s?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' ? Object.keys(def.shape!) : [];
}

/** Optimal string alignment distance (a swap of two neighbours counts as one edit), ignoring case. */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = distance(word, c);
    const allowed = Math.max(1, Math.floor(Math.max(word.length, c.length) / 3));
    if (d <= allowed && d < bestD) { best = c; bestD = d; }
  }
  return best;
}

export function configError(schema: z.core.$ZodType, issues: readonly z.core.$ZodIssue[], sources: SettingSources & { rootNames?: readonly string[] }): ConfigError {
  const where = sources.file ? ` (in ${sources.file})` : '';
  const named = (path: Path): string => {
    const dotted = path.map(String);
    for (let n = dotted.length; n > 0; n--) {
      const name = sources.names?.get(dotted.slice(0, n).join('.'));
      if (name) return `${name} (${format(path)})`;
    }
    return format(path);
  };
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') {
      lines.push(`${named(issue.path)}: ${issue.message}`);
      continue;
    }
    const known = knownKeysAt(schema, issue.path);
    const candidates = issue.path.length === 0 ? [...known, ...(sources.rootNames ?? [])] : known;
    for (const key of issue.keys) {
      let hint = '';
      if (issue.path.length > 0 && sources.rootNames?.includes(key)) hint = '; environment names go at the top level of the file';
      else {
        const guess = closest(key, candidates);
        if (guess) hint = `; did you mean ${format([...issue.path, guess])}?`;
      }
      lines.push(`${format([...issue.path, key])}: unknown setting${hint}${where}`);
    }
  }
  return new ConfigError(`Invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
