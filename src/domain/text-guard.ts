// A NUL character cannot be stored in PostgreSQL text (SQLite takes it silently), so a request
// carrying one is refused as a client mistake before anything reads it: once at the API's edge for
// the URL and every body, and again in the PostgreSQL driver for whatever reaches it another way
// (a CLI argument, a provider's answer), so it is never a 500.
import { ApiError } from './errors.js';

/** Where the first NUL is in a value (a field path such as `input_reference.image_url`), or null. */
export function findNul(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return null; // bytes, not text
  for (const [k, v] of Object.entries(value)) {
    const here = Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    if (k.includes('\u0000')) return here;
    const found = findNul(v, here, depth + 1);
    if (found) return found;
  }
  return null;
}

export function nulRefused(param: string | null): ApiError {
  return new ApiError(400, `${param ? `'${param.slice(0, 80)}' contains` : 'The request contains'} a NUL character (\\u0000 or %00), which no text here can hold. Remove it and send the request again.`, { param, code: 'invalid_string' });
}

/** Throws the 400 above when any string in `value` holds a NUL. */
export function assertNoNul(value: unknown, param: string | null = null): void {
  const found = findNul(value, param ?? '');
  if (found) throw nulRefused(found);
}
