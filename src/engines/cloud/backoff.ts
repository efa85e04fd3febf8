// Retry timing shared by every cloud adapter: jittered exponential backoff, and the provider's own
// Retry-After (seconds or an HTTP date; OpenAI-style retry-after-ms too) when it sends one.

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before retry number `retry` (1 = the first retry). "Equal jitter": half the exponential
 * step plus a random half, so retries never bunch up at zero and a herd of clients spreads out.
 */
export function backoffDelay(retry: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** What the provider asked us to wait, in ms, or null if it did not say (or said nonsense). */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | null {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const v = headers.get('retry-after')?.trim();
  if (!v) return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/**
 * Sleep for a Retry-After, plus a little jitter (up to 10%, at most 1 s) so every client the
 * provider throttled at once does not come back in the same millisecond.
 */
export function retryAfterDelay(retryAfterMs: number, random: () => number = Math.random): number {
  return Math.round(retryAfterMs + random() * Math.min(1000, retryAfterMs * 0.1));
}
