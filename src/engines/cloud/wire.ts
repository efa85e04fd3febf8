// Small readers shared by the adapters: the message a provider put somewhere in its error body,
// the words that tell a content-policy refusal, a missing model or a billing problem apart when a
// provider uses one status (400) for all of them, and the answers every adapter gives alike (an
// unknown status, a create answer without an id, a failed job).
import { EngineError } from '../../domain/errors.js';
import { CONTENT_POLICY } from './errors.js';
import type { FaultKind, ProviderAnswer, ProviderFault } from './http-client.js';

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

/**
 * The usual classify: null for 2xx; otherwise the provider's own special cases (`special`, given
 * the message) and, where those say nothing, the common status mapping.
 */
export function classifyStatus(a: ProviderAnswer, special?: (message: string) => FaultKind | null): ProviderFault | null {
  if (a.status >= 200 && a.status < 300) return null;
  const message = messageOf(a);
  return { kind: special?.(message) ?? faultFromStatus(a.status, message)!, message };
}

/**
 * The job id at `path` in a create's answer. Without one the provider may have made a job we
 * cannot follow, so the create counts as uncertain (never resent) rather than failed.
 */
export function requireJobId(data: unknown, path: string, label: string, noun: string): string {
  const id = str(pick(data, path));
  if (!id) {
    throw new EngineError('provider_submit_uncertain', `${label} accepted the job but its answer has no ${noun}, so Méliès cannot follow it. It was not sent again; if it was made it is in the ${label} account's dashboard.`,
      { detail: `the create answer: ${JSON.stringify(data ?? null).slice(0, 500)}` });
  }
  return id;
}

/** A status word the adapter does not know: retryable, as a provider mid-deploy may send one briefly. */
export function unknownStatus(label: string, what: string, status: unknown): EngineError {
  return new EngineError('provider_error', `${label} answered with a ${what} Méliès does not know.`, { retryable: true, detail: `${what}: ${JSON.stringify(status ?? null).slice(0, 200)}` });
}

/**
 * A job the provider reports as failed. It is a content-policy refusal when the provider's code
 * says so (`policy`) or its words do (CONTENT_WORDS: providers often report moderation only in
 * prose): its reason is shown, as the owner needs it to rephrase. Any other failure is
 * generation_failed with a neutral message (and an optional note, e.g. that the provider refunds);
 * the provider's words are the operators' detail. The engine redacts secrets from both.
 */
export function failed(label: string, reason: string, opts: { policy?: boolean; note?: string } = {}): { state: 'failed'; error: EngineError } {
  const why = reason.replace(/\.+$/, '').slice(0, 500);
  const detail = `${label} reported: ${why}`;
  if (opts.policy || CONTENT_WORDS.test(reason)) return { state: 'failed', error: new EngineError(CONTENT_POLICY, `${label} refused this request under its content policy: ${why}.`, { detail }) };
  return {
    state: 'failed',
    error: new EngineError('generation_failed', `${label} could not make this video (the provider reported a failure). Try again or pick another model.${opts.note ? ` ${opts.note}` : ''}`, { detail }),
  };
}

/** Card size → aspect_ratio and resolution, as the hosts reselling Google's Veo (Replicate, fal) name them. */
export const VEO_SIZES: Record<string, { aspect_ratio: string; resolution: string }> = {
  '1280x720': { aspect_ratio: '16:9', resolution: '720p' },
  '720x1280': { aspect_ratio: '9:16', resolution: '720p' },
  '1920x1080': { aspect_ratio: '16:9', resolution: '1080p' },
  '1080x1920': { aspect_ratio: '9:16', resolution: '1080p' },
};

/** The provider's size parameter for a card size, or a clear error if the card and table disagree. */
export function sizeParam<T>(table: Record<string, T>, width: number, height: number): T {
  const v = table[`${width}x${height}`];
  if (v === undefined) throw new Error(`no provider parameter for ${width}x${height}`);
  return v;
}
