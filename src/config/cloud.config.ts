// Cloud engine settings (issue 7): which adapters are on, where they point, prices, fallbacks,
// daily spend caps, concurrency, circuit breaker and polling. Part of the one Config schema
// (config.ts); provider keys stay in `providerKeys`, and an adapter is offered only when its key is.
import { z } from 'zod';
import { num, toBool, toList } from './parse.js';

export const CLOUD_PROVIDERS = ['openai', 'veo', 'runway', 'luma', 'kling', 'minimax', 'replicate', 'fal'] as const;
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

/** An operator's price for one model, replacing the built-in one (which says where it came from). */
const PriceOverride = z.strictObject({
  usdPerSecond: num(z.number().nonnegative()),
  /** When the operator last checked it against the provider's price page (YYYY-MM-DD). */
  checkedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});

const BreakerSettings = z.strictObject({
  /** Consecutive provider faults (5xx, timeouts, unreadable answers) that open the circuit. */
  failureThreshold: num(z.number().int().min(1).max(1000)).default(5),
  /** How long an open circuit keeps every call away from the provider. */
  cooldownMs: num(z.number().int().min(10).max(3_600_000)).default(60_000),
});

const RetrySettings = z.strictObject({
  /** Tries per HTTP call, the first included. */
  maxAttempts: num(z.number().int().min(1).max(10)).default(4),
  baseDelayMs: num(z.number().int().min(1).max(60_000)).default(500),
  maxDelayMs: num(z.number().int().min(1).max(600_000)).default(20_000),
  /**
   * A Retry-After longer than this is not slept through inside one call: the job is handed back to
   * the queue to wait (no attempt used), so a worker is not held for minutes.
   */
  maxRetryAfterMs: num(z.number().int().min(0).max(3_600_000)).default(30_000),
});

const ProviderSettings = z.strictObject({
  /** Off hides the adapter even when its key is set. */
  enabled: z.preprocess(toBool, z.boolean()).default(true),
  /** Overrides the provider's API base URL (a regional endpoint, a proxy, or a test fake). */
  baseUrl: z.string().url().optional(),
  /** Daily (UTC) USD cap for this provider, from card prices; null or absent means no cap. */
  dailyCapUsd: num(z.number().nonnegative()).nullable().default(null),
  /** Provider jobs this process keeps in flight at once; more wait in the queue. */
  concurrency: num(z.number().int().min(1).max(1000)).default(4),
  /** How often a running job is polled (providers ask for no faster than every few seconds). */
  pollIntervalMs: num(z.number().int().min(10).max(600_000)).optional(),
  prices: z.record(z.string(), PriceOverride).default({}),
  breaker: BreakerSettings.partial().default({}),
});

/** The OpenAI-compatible adapter also takes the models an upstream offers when it cannot say itself. */
const OpenAiSettings = ProviderSettings.extend({
  /** Prepended to the upstream's model ids (e.g. 'studio/'), so two Méliès can be told apart. */
  modelPrefix: z.string().regex(/^[a-z0-9._/-]*$/i).default(''),
  /** How often the upstream's model list is read again (cards change when its engines do). */
  refreshMs: num(z.number().int().min(1000).max(86_400_000)).default(300_000),
});

export const CloudConfigSchema = z.strictObject({
  /**
   * Poll interval for every adapter without its own; unset means 5 s, or slower where a provider
   * asks (an explicit setting wins, so tests against fakes can poll fast).
   */
  pollIntervalMs: num(z.number().int().min(10).max(600_000)).optional(),
  /** Per HTTP call to a provider API (create calls get `createTimeoutMs`). */
  requestTimeoutMs: num(z.number().int().min(50).max(600_000)).default(30_000),
  createTimeoutMs: num(z.number().int().min(50).max(600_000)).default(120_000),
  /** A result file bigger than this is refused (providers' videos are tens of MB). */
  maxDownloadBytes: num(z.number().int().min(1024)).default(2 * 1024 * 1024 * 1024),
  downloadTimeoutMs: num(z.number().int().min(100).max(3_600_000)).default(600_000),
  retry: RetrySettings.prefault({}),
  breaker: BreakerSettings.prefault({}),
  /**
   * Operator fallbacks: model id → the models to try, in order, when it cannot take a job (circuit
   * open, provider unreachable, model retired, spend cap reached). Only a fallback whose card can
   * honour the request (duration, size, fps, image input, negative prompt) is used. A string is one
   * fallback; "a,b" is two.
   */
  fallbacks: z.record(
    z.string(),
    z.preprocess(toList, z.array(z.string().min(1))),
  ).default({}),
  openai: OpenAiSettings.prefault({}),
  veo: ProviderSettings.prefault({}),
  runway: ProviderSettings.prefault({}),
  luma: ProviderSettings.prefault({}),
  kling: ProviderSettings.prefault({}),
  minimax: ProviderSettings.prefault({}),
  replicate: ProviderSettings.prefault({}),
  fal: ProviderSettings.prefault({}),
}).prefault({});

export type CloudConfig = z.infer<typeof CloudConfigSchema>;
export type CloudProviderSettings = z.infer<typeof ProviderSettings>;
