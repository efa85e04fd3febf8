// Words and numbers for the account pages: usage against limits, when allowances reset, invite
// links, key states. Pure functions, so they are tested without a browser.
import type { ApiKey, Usage } from './types';

export const ALL_SCOPES = ['videos:read', 'videos:write', 'admin'] as const;

/** "12 of 60 s" or "12 s (no limit)". */
export function usedOf(used: number, limit: number | null, unit = 's'): string {
  return limit === null ? `${used} ${unit} (no limit)` : `${used} of ${limit} ${unit}`;
}

/** Share of a limit used, 0..1, for a meter; 0 when there is no limit. */
export function fraction(used: number, limit: number | null): number {
  if (limit === null || limit <= 0) return limit === 0 ? 1 : 0;
  return Math.min(1, used / limit);
}

/** "resets in 3 h 12 min" from Unix seconds. */
export function resetsIn(resetsAt: number, nowSeconds: number): string {
  const min = Math.max(1, Math.ceil((resetsAt - nowSeconds) / 60));
  if (min < 60) return `resets in ${min} min`;
  const h = Math.floor(min / 60);
  return h < 48 ? `resets in ${h} h ${min % 60} min` : `resets in ${Math.round(h / 24)} days`;
}

export function usageLines(u: Usage, nowSeconds: number): { label: string; value: string; fraction: number; note: string }[] {
  const lines = [
    { label: 'Today', value: usedOf(u.day.used_seconds, u.day.limit_seconds), fraction: fraction(u.day.used_seconds, u.day.limit_seconds), note: resetsIn(u.day.resets_at, nowSeconds) },
    { label: 'This month', value: usedOf(u.month.used_seconds, u.month.limit_seconds), fraction: fraction(u.month.used_seconds, u.month.limit_seconds), note: resetsIn(u.month.resets_at, nowSeconds) },
    { label: 'Running now', value: usedOf(u.concurrent.active, u.concurrent.limit, 'jobs'), fraction: fraction(u.concurrent.active, u.concurrent.limit), note: '' },
  ];
  // A zero budget is not "100 % used": the plan simply has no paid (cloud) engines.
  if (u.usd_month.limit === 0 && u.usd_month.used === 0) {
    lines.push({ label: 'Paid engines', value: 'not included in this plan', fraction: 0, note: '' });
  } else if (u.usd_month.limit !== null || u.usd_month.used > 0) {
    lines.push({ label: 'Paid engines', value: u.usd_month.limit === null ? `$${u.usd_month.used.toFixed(2)} (no budget limit)` : `$${u.usd_month.used.toFixed(2)} of $${u.usd_month.limit.toFixed(2)}`, fraction: fraction(u.usd_month.used, u.usd_month.limit), note: 'this month' });
  }
  // Only once something is kept: most people never upload a file through the API.
  if (u.files && u.files.used_bytes > 0) {
    const { used_bytes: used, limit_bytes: limit } = u.files;
    lines.push({ label: 'Files', value: limit === null ? `${megabytes(used)} (no limit)` : `${megabytes(used)} of ${megabytes(limit)}`, fraction: fraction(used, limit), note: '' });
  }
  return lines;
}

/** "3.2 MB" (decimal, one decimal below 100 MB). */
export const megabytes = (n: number) => `${(n / 1e6).toFixed(n < 1e8 ? 1 : 0)} MB`;

export const inviteLink = (origin: string, code: string) => `${origin}/register?invite=${encodeURIComponent(code)}`;

export function keyState(k: ApiKey, nowSeconds: number): 'active' | 'revoked' | 'expired' {
  if (k.revoked_at !== null) return 'revoked';
  if (k.expires_at !== null && k.expires_at <= nowSeconds) return 'expired';
  return 'active';
}

export const when = (unixSeconds: number | null) => (unixSeconds === null ? '—' : new Date(unixSeconds * 1000).toLocaleString());

/** Comma-separated model ids to a plan's allowed list (empty = every model). */
export function parseModelList(text: string): string[] | null {
  const ids = text.split(',').map((s) => s.trim()).filter(Boolean);
  return ids.length ? [...new Set(ids)] : null;
}
