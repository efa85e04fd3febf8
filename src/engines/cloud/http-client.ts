// The one HTTP client every cloud adapter talks through. It owns what all eight share: timeouts,
// jittered exponential backoff on 429, 5xx, timeouts and dropped connections (honouring the
// provider's Retry-After), the circuit breaker, and turning provider faults into typed errors.
//
// Create calls are the exception that keeps us from paying twice: they are retried only when the
// provider provably did not take the job — it answered 429 (or a status its docs say is shed
// load), or the connection was never made. A create that timed out or got a 500 may have made a
// job we cannot see, so it fails at once ("uncertain") instead of being sent again.
import { EngineError } from '../../domain/errors.js';
import { abortableSleep } from '../../domain/abortable-sleep.js';
import { backoffDelay, parseRetryAfter, retryAfterDelay } from './backoff.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { clip } from '../../domain/redaction.js';
import { ENGINE_MISCONFIGURED, CONTENT_POLICY, ModelRetired, ProviderUnavailable, redact } from './errors.js';

/** What a provider's answer means, decided by its adapter from the status and body. */
export type FaultKind = 'auth' | 'billing' | 'bad_request' | 'content_policy' | 'model_not_found' | 'not_found' | 'rate_limited' | 'server';

export interface ProviderFault {
  kind: FaultKind;
  /** The provider's own words (redacted, and shown to operators only, as the error's detail). */
  message: string;
}

export interface ProviderAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined when the body was not JSON. */
  body: unknown;
  text: string;
}

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export interface CloudHttpOptions {
  /** Engine id and the provider's name as people know it, for messages. */
  provider: string;
  label: string;
  /** The environment variable(s) holding the credentials, named in misconfiguration messages. */
  keyName: string;
  baseUrl: string;
  fetch?: typeof fetch;
  /** Auth headers for each call (Kling's JWT is renewed as it nears expiry). */
  authHeaders: () => Record<string, string>;
  /** Removed from every message this client produces. */
  secrets: () => readonly string[];
  retry: RetrySettings;
  breaker: CircuitBreaker;
  requestTimeoutMs: number;
  createTimeoutMs: number;
  /** Returns null for success. Also sees 2xx answers: some providers put errors in 200 bodies. */
  classify: (answer: ProviderAnswer) => ProviderFault | null;
  /** Statuses after which the provider's docs say a create was not processed (besides 429). */
  createRetryStatuses?: readonly number[];
  /** The create URL names the model (Replicate, fal): a 404 on a create means the model is gone. */
  modelInCreatePath?: boolean;
  random?: () => number;
}

export type CallKind = 'read' | 'create' | 'cancel';

export interface CloudRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the base URL, or an absolute URL on it. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  kind: CallKind;
  signal: AbortSignal;
  headers?: Record<string, string>;
}

export interface CloudResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

// Errors that happen before a single byte of the request leaves: the provider cannot have a job.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'EADDRNOTAVAIL']);

function causeCode(err: unknown): string | undefined {
  let e = err as { code?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

class Timeout extends Error {
  constructor(ms: number) { super(`no answer within ${ms} ms`); this.name = 'Timeout'; }
}

export class CloudHttp {
  private readonly fetch: typeof fetch;
  private readonly random: () => number;
  readonly baseUrl: string;

  constructor(private readonly opts: CloudHttpOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.random = opts.random ?? Math.random;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
  }

  url(path: string, query?: Record<string, string>): URL {
    const u = /^https?:\/\//.test(path) ? new URL(path) : new URL(`${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, v);
    return u;
  }

  private clean(text: string): string {
    return redact(text, this.opts.secrets());
  }

  async request<T = unknown>(req: CloudRequest): Promise<CloudResponse<T>> {
    const { retry } = this.opts;
    const label = this.opts.label;
    const what = `${req.method} ${new URL(this.url(req.path)).pathname}`;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= retry.maxAttempts;
      const gate = await this.opts.breaker.admit();
      if (!gate.ok) {
        throw new ProviderUnavailable(`${label} is failing; Méliès is giving it ${Math.ceil(gate.retryAfterMs / 1000)} s before calling it again (circuit open).`, 'circuit_open', gate.retryAfterMs);
      }
      const backoff = backoffDelay(attempt, retry, this.random);
      let answer: ProviderAnswer;
      try {
        answer = await this.exchange(req);
      } catch (err) {
        if (req.signal.aborted) throw req.signal.reason;
        await this.opts.breaker.failure();
        const code = causeCode(err);
        const sent = !(code && NOT_SENT.has(code));
        const reason = this.clean(err instanceof Timeout ? err.message : `${(err as Error).message}${code ? ` (${code})` : ''}`);
        if (req.kind === 'create' && sent) throw this.uncertain(`${what}: ${reason}`);
        if (!last) { await this.pause(backoff, req.signal); continue; }
        if (!sent || req.kind === 'create') throw new ProviderUnavailable(`${label} cannot be reached.`, 'unreachable', backoff, { cause: err, detail: `${what}: ${reason}` });
        throw new EngineError('provider_error', `${label} did not answer.`, { retryable: true, detail: `${what}: ${reason}` });
      }

      const isJson = answer.body !== undefined;
      if (answer.status >= 200 && answer.status < 300 && !isJson && req.method !== 'DELETE' && answer.text.trim() !== '') {
        // A 2xx we cannot read: a proxy's error page, a truncated body. The provider is not well.
        await this.opts.breaker.failure();
        const reason = `${what} answered HTTP ${answer.status} with something that is not JSON: ${this.clean(answer.text.slice(0, 300))}`;
        if (req.kind === 'create') throw this.uncertain(reason);
        if (!last) { await this.pause(backoff, req.signal); continue; }
        throw new EngineError('provider_error', `${label} gave an answer Méliès cannot read.`, { retryable: true, detail: reason });
      }

      const fault = this.opts.classify(answer);
      if (!fault) {
        await this.opts.breaker.success();
        return { status: answer.status, headers: answer.headers, data: answer.body as T };
      }
      // The provider's words: only ever an error's detail, never its message.
      const message = `${what} → HTTP ${answer.status}: ${this.clean(fault.message || `HTTP ${answer.status}`)}`;
      const retryAfter = parseRetryAfter(answer.headers);
      const noRetry = answer.headers.get('x-should-retry') === 'false';

      if (fault.kind === 'rate_limited') {
        await this.opts.breaker.success(); // it answered: alive, just busy
        const wait = retryAfter ?? backoff;
        if (last || noRetry || wait > retry.maxRetryAfterMs) {
          throw new ProviderUnavailable(`${label} is rate limiting this server; the job waits ${Math.ceil(wait / 1000)} s.`, 'rate_limited', wait, { detail: message });
        }
        await abortableSleep(retryAfter === null ? backoff : retryAfterDelay(retryAfter, this.random), req.signal);
        continue;
      }
      if (fault.kind === 'server') {
        await this.opts.breaker.failure();
        const shed = (this.opts.createRetryStatuses ?? [503]).includes(answer.status);
        if (req.kind === 'create' && !shed) throw this.uncertain(message);
        const wait = Math.min(retryAfter ?? backoff, retry.maxRetryAfterMs);
        if (!last && !noRetry) { await this.pause(wait, req.signal); continue; }
        if (req.kind === 'create') throw new ProviderUnavailable(`${label} is unavailable (HTTP ${answer.status}).`, 'unreachable', wait, { detail: message });
        throw new EngineError('provider_error', `${label} is failing (HTTP ${answer.status}).`, { retryable: true, detail: message });
      }
      // Every other fault is an answer about this request: retrying cannot change it.
      await this.opts.breaker.success();
      throw this.refusal(fault.kind, message, clip(this.clean(fault.message), 300), answer.status, req.kind, what);
    }
  }

  /** Sleeps before a retry, unless the circuit just opened: then the next admit() refuses at once. */
  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    if ((await this.opts.breaker.snapshot()).state === 'closed') await abortableSleep(ms, signal);
  }

  private uncertain(detail: string): EngineError {
    return new EngineError('provider_submit_uncertain',
      `${this.opts.label} may or may not have accepted the job: its answer was lost. Méliès did not send it again, so it is never paid for twice; ` +
      `if it was made it is in the ${this.opts.label} account's dashboard. Create the video again to retry.`, { retryable: false, detail });
  }

  /**
   * An answer about this request. `detail` (call, status and the provider's words) is for operators;
   * only a content-policy refusal shows the provider's reason to the owner, who needs it to rephrase.
   */
  private refusal(kind: Exclude<FaultKind, 'rate_limited' | 'server'>, detail: string, reason: string, status: number, call: CallKind, what: string): EngineError {
    const label = this.opts.label;
    switch (kind) {
      case 'auth':
        return new EngineError(ENGINE_MISCONFIGURED, `${label} refused this server's credentials.`, { detail: `${detail}. Check ${this.opts.keyName}.` });
      case 'billing':
        return new EngineError(ENGINE_MISCONFIGURED, `${label} refused the job for billing reasons.`, { detail: `${detail}. Check the account's credits or plan.` });
      case 'content_policy':
        return new EngineError(CONTENT_POLICY, `${label} refused this request under its content policy: ${reason}`, { detail });
      case 'model_not_found':
        return new ModelRetired(`${label} says this model does not exist any more; it has been retired or renamed.`, detail);
      case 'not_found':
        if (call === 'create' && this.opts.modelInCreatePath) {
          return new ModelRetired(`${label} no longer offers this model; it has been removed or renamed.`, `${detail} (the create URL names the model)`);
        }
        return new EngineError('provider_job_not_found', `${label} no longer knows this job. It was not submitted again, so it is not paid for twice.`, { detail });
      case 'bad_request':
      default:
        return new EngineError('provider_invalid_request', `${label} rejected the request (HTTP ${status}). Try other settings or another model; the operator can see the provider's reason.`, { detail });
    }
  }

  /** One HTTP exchange under its own timeout (the job's signal aborts it too). */
  /**
   * Sends a file to the storage a provider named for it (a presigned form POST, as Runway's
   * uploads): `fields` then `file`, with none of the provider's credentials, which that storage
   * must never see. Nothing paid happens here, so any failure is the provider being unavailable.
   */
  async uploadForm(url: string, fields: Record<string, string>, file: Blob, filename: string, signal: AbortSignal): Promise<void> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', file, filename);
    const timer = AbortSignal.timeout(this.opts.createTimeoutMs);
    let status: number;
    let text = '';
    try {
      const res = await this.fetch(url, { method: 'POST', body: form, signal: AbortSignal.any([signal, timer]), redirect: 'error' });
      status = res.status;
      if (status < 200 || status >= 300) text = await res.text().catch(() => '');
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      throw new ProviderUnavailable(`${this.opts.label}'s upload storage cannot be reached.`, 'unreachable', 5000, { cause: err, detail: this.clean(`POST ${new URL(url).origin}: ${(err as Error).message}`) });
    }
    if (status < 200 || status >= 300) {
      throw new ProviderUnavailable(`${this.opts.label}'s upload storage refused the file (HTTP ${status}).`, 'unreachable', 5000, { detail: this.clean(`POST ${new URL(url).origin} → ${status}: ${text.slice(0, 300)}`) });
    }
  }

  private async exchange(req: CloudRequest): Promise<ProviderAnswer> {
    const timeoutMs = req.kind === 'create' ? this.opts.createTimeoutMs : this.opts.requestTimeoutMs;
    const timer = new AbortController();
    const t = setTimeout(() => timer.abort(new Timeout(timeoutMs)), timeoutMs);
    const signal = AbortSignal.any([req.signal, timer.signal]);
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...this.opts.authHeaders(), ...req.headers };
      if (req.body !== undefined) headers['content-type'] = 'application/json';
      const res = await this.fetch(this.url(req.path, req.query), {
        method: req.method, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body), signal, redirect: 'error',
      });
      const text = await res.text();
      let body: unknown;
      if (text.trim() !== '') {
        try { body = JSON.parse(text); } catch { body = undefined; }
      }
      return { status: res.status, headers: res.headers, body, text };
    } catch (err) {
      if (timer.signal.aborted && !req.signal.aborted) throw timer.signal.reason;
      throw err;
    } finally {
      clearTimeout(t);
    }
  }
}
