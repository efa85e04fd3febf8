// Small readers shared by the adapters: the message a provider put somewhere in its error body,
// and the words that tell a content-policy refusal, a missing model or a billing problem apart
// when a provider uses one status (400) for all of them.
import type { FaultKind, ProviderAnswer } from './http-client.js';

type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a dotted path (`a.b.0.c`) from parsed JSON. */
export function pick(v: unknown, path: string): unknown {
  let cur: unknown = v;
  for (const k of path.split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(k)) cur = cur[Number(k)];
    else if (isObject(cur)) cur = cur[k];
    else return undefined;
  }
  return cur;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The provider's own words from the usual places: error, error.message, message, detail, title. */
export function messageOf(a: ProviderAnswer): string {
  const b = a.body;
  const detail = pick(b, 'detail');
  const fromDetail = Array.isArray(detail)
    ? detail.map((d) => [str(pick(d, 'msg')), str(pick(d, 'type'))].filter(Boolean).join(' ')).filter(Boolean).join('; ')
    : str(detail);
  return str(pick(b, 'error.message')) ?? str(pick(b, 'error')) ?? str(pick(b, 'message')) ?? fromDetail ?? str(pick(b, 'title'))
    ?? (a.text.trim().slice(0, 300) || `HTTP ${a.status}`);
}

export const CONTENT_WORDS = /moderat|safety|content[ _-]?polic|policy violation|violat|sensitive|prohibited|not allowed because|blacklist|nsfw|flagged/i;
export const BILLING_WORDS = /credit|balance|billing|insufficient|payment|funds|top[ -]?up|quota/i;
const MODEL_MISSING = /not found|does not exist|doesn't exist|unknown|invalid|not available|unsupported|retired|deprecated|no longer|not supported/i;

export function mentionsMissingModel(message: string): boolean {
  return /model/i.test(message) && MODEL_MISSING.test(message);
}

/** The common HTTP mapping; adapters call it after their provider-specific checks. */
export function faultFromStatus(status: number, message: string): FaultKind | null {
  if (status >= 200 && status < 300) return null;
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'billing';
  if (CONTENT_WORDS.test(message)) return 'content_policy';
  if (mentionsMissingModel(message)) return 'model_not_found';
  if (status === 404) return 'not_found';
  if (BILLING_WORDS.test(message)) return 'billing';
  return 'bad_request';
}

/** The provider's size parameter for a card size, or a clear error if the card and table disagree. */
export function sizeParam<T>(table: Record<string, T>, width: number, height: number): T {
  const v = table[`${width}x${height}`];
  if (v === undefined) throw new Error(`no provider parameter for ${width}x${height}`);
  return v;
}
