// The typed failures every cloud adapter raises, so the job runner and the API treat them alike
// whatever the provider: wait (provider unavailable), fall back (retired model), or fail the video
// with a reason a person can act on. Messages never carry a secret: redact() runs on all of them.
import { EngineError } from '../../domain/errors.js';

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
  constructor(message: string, readonly reason: UnavailableReason, readonly retryAfterMs: number, opts: { cause?: unknown } = {}) {
    super('provider_unavailable', message, { retryable: true, cause: opts.cause });
    this.name = 'ProviderUnavailable';
  }
}

/** The provider says the model does not exist (any more): new requests for it are refused. */
export class ModelRetired extends EngineError {
  constructor(message: string) {
    super(MODEL_RETIRED, message, { retryable: false });
    this.name = 'ModelRetired';
  }
}

/** True when a fallback may take the job instead (the primary never got it). */
export function canFallBack(err: unknown): boolean {
  if (err instanceof ModelRetired) return true;
  return err instanceof ProviderUnavailable && (err.reason === 'circuit_open' || err.reason === 'unreachable');
}

/** Removes every secret (and long runs of it, e.g. in a URL) from text that may reach a log or a user. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 6) continue;
    out = out.split(s).join('[redacted]');
    // Providers often echo a key half-masked ("sk-abc…wxyz"); never let a long fragment through.
    if (s.length >= 16) out = out.split(s.slice(0, 12)).join('[redacted]').split(s.slice(-12)).join('[redacted]');
  }
  return out.length > 2000 ? `${out.slice(0, 2000)}…` : out;
}
