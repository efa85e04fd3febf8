// The typed failures every cloud adapter raises, so the job runner and the API treat them alike
// whatever the provider: wait (provider unavailable), fall back (retired model), or fail the video
// with a reason a person can act on. A message is for the video's owner and says what happened in
// Méliès' words; the provider's own words go to `detail` (operators only). The engine redacts every
// known secret from both (domain/redaction.ts) before either leaves it.
import { EngineError } from '../../domain/errors.js';
import { clip, redact as redactSecrets } from '../../domain/redaction.js';

/** Codes whose message is for the operator: users see a neutral sentence instead (services/video.wire.ts). */
export const ENGINE_MISCONFIGURED = 'engine_misconfigured';
export const CONTENT_POLICY = 'content_policy_violation';
export const MODEL_RETIRED = 'model_retired';

/**
 * Why a provider cannot take a call right now. The job was NOT submitted, so it may wait (busy,
 * rate_limited) or go to a fallback (circuit_open, unreachable) without any risk of paying twice.
 */
export type UnavailableReason = 'circuit_open' | 'busy' | 'rate_limited' | 'unreachable';

export class ProviderUnavailable extends EngineError {
  constructor(message: string, readonly reason: UnavailableReason, readonly retryAfterMs: number, opts: { cause?: unknown; detail?: string | null } = {}) {
    super('provider_unavailable', message, { retryable: true, cause: opts.cause, detail: opts.detail });
    this.name = 'ProviderUnavailable';
  }
}

/** The provider says the model does not exist (any more): new requests for it are refused. */
export class ModelRetired extends EngineError {
  constructor(message: string, detail: string | null = null) {
    super(MODEL_RETIRED, message, { retryable: false, detail });
    this.name = 'ModelRetired';
  }
}

/** True when a fallback may take the job instead (the primary never got it). */
export function canFallBack(err: unknown): boolean {
  if (err instanceof ModelRetired) return true;
  return err instanceof ProviderUnavailable && (err.reason === 'circuit_open' || err.reason === 'unreachable');
}

/** Removes every secret (in any encoding, and long runs of it) from provider text, then cuts it to 2000 characters. */
export function redact(text: string, secrets: readonly string[]): string {
  return clip(redactSecrets(text, secrets));
}

/**
 * Redacts `secrets` from an error's message and detail in place (and from anything else's message),
 * so whatever an adapter raised is safe to store, log or show. Returns the same error.
 */
export function scrubError<E>(err: E, secrets: readonly string[]): E {
  if (err instanceof Error) {
    try {
      err.message = redact(err.message, secrets);
      if (err instanceof EngineError && err.detail) err.detail = redact(err.detail, secrets);
    } catch { /* a frozen error keeps its message; the job's own pass still redacts what it stores */ }
  }
  return err;
}
