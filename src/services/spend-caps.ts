// Per-provider daily USD caps (config cloud.<provider>.dailyCapUsd), from card prices. A video that
// costs money reserves its price on a provider's UTC day when it is created — on its own model's
// provider, or the first operator fallback that can honour it and has room — so a request that
// would go over is refused with a 429 before any provider is called. The job runner reserves again
// before each submit (idempotent), which moves the money if a fallback ends up making the video.
import { ApiError } from '../domain/errors.js';
import type { ModelCard } from '../domain/model-card.js';
import type { SpendRepo } from '../db/spend.repo.js';
import { priceMicros, usd } from '../domain/price.js';
import { NO_RETRY, nextDay, resetWords } from './accounts/quota.js';

export interface SpendCapsDeps {
  spend: SpendRepo;
  /** The engine's daily cap in micro-dollars, or null for none. */
  capMicrosFor: (engine: string) => number | null;
  /** The provider's name as people know it ("Runway"), for messages. */
  labelFor?: (engine: string) => string;
  now?: () => number;
}

export class SpendCaps {
  private readonly now: () => number;

  constructor(private readonly deps: SpendCapsDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Reserves on the first card that fits under its provider's cap. Free cards (local engines)
   * reserve nothing. Throws a 429 naming the cap and when it resets when none fits.
   */
  async admit(videoId: string, seconds: number, candidates: ModelCard[]): Promise<ModelCard | null> {
    const refusals: string[] = [];
    for (const card of candidates) {
      const r = await this.reserve(videoId, card, seconds);
      if (r.ok) return card;
      refusals.push(r.message);
    }
    if (refusals.length === 0) return null;
    const now = this.now();
    const reset = nextDay(now);
    throw new ApiError(429, `${refusals.join(' ')} Caps reset at ${resetWords(now, reset)}.`, {
      code: 'spend_cap_reached', type: 'rate_limit_error', param: 'model',
      headers: { 'retry-after': String(Math.ceil((reset - now) / 1000)), ...NO_RETRY },
    });
  }

  /** One card's reservation; a cap that is not set still records the spend. */
  async reserve(videoId: string, card: ModelCard, seconds: number): Promise<{ ok: true } | { ok: false; message: string }> {
    const micros = priceMicros(card, seconds);
    if (micros <= 0) return { ok: true };
    const cap = this.deps.capMicrosFor(card.engine);
    const r = await this.deps.spend.reserve({ videoId, engine: card.engine, model: card.id, usdMicros: micros, capMicros: cap, now: this.now() });
    if (r.ok) return r;
    const label = this.deps.labelFor?.(card.engine) ?? card.engine;
    return {
      ok: false,
      message: `${label}'s daily spending cap on this server is reached: ${usd(r.spentMicros)} of ${usd(r.capMicros)} is used today (UTC) and ${card.id} for ${seconds} s costs ${usd(micros)}.`,
    };
  }

  async release(videoId: string): Promise<void> {
    await this.deps.spend.release(videoId, { includeSubmitted: false, now: this.now() });
  }
}
