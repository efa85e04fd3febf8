// How environment strings become settings, shared by every config section: "1/true/yes/on" and
// "0/false/no/off/" for switches (anything else is refused, not read as true), commas for lists.

export function toBool(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off|)$/i.test(v)) return false;
  return v;
}

export function toList(v: unknown): unknown {
  return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
}
