// How environment strings and config-file values become settings, shared by every config section:
// "1/true/yes/on" and "0/false/no/off/" for switches (anything else is refused, not read as true),
// commas for lists, and numbers from JSON numbers or numeric strings only.
import { z } from 'zod';

export function toBool(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off|)$/i.test(v)) return false;
  return v;
}

export function toList(v: unknown): unknown {
  return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
}

/**
 * A number from a JSON number or a numeric string. Unlike z.coerce, `true`, `null` and `""` are
 * refused rather than read as 1 or 0 (`"port": true` must not mean port 1).
 */
export function num<T extends z.ZodType<number>>(schema: T) {
  return z.preprocess((v) => {
    if (typeof v !== 'string' || v.trim() === '') return v;
    const n = Number(v);
    return Number.isNaN(n) ? v : n;
  }, schema);
}
