// Models a provider said are gone ("model not found", "deprecated"), per cloud engine. A worker
// that learns it shares it in the Coordination store for a day, so every worker refuses new
// requests for that model without paying for a create that would fail, and its card says so.
// Reads are synchronous (cards are built synchronously): this process keeps what it last saw and
// looks in the store again at most every SYNC_MS when asked for cards, and before each submit.
import type { Coordination } from '../../coordination/coordination.js';
import type { ModelRetired } from './errors.js';

export interface Retirement {
  /** Shown to everyone (the card, a refused create): Méliès' words. */
  message: string;
  /** The provider's answer, for operators. */
  detail?: string | null;
  since: number;
}

// Shared this long, so a worker started later learns it too; a process that has seen it keeps it
// until it restarts (as in one process).
const SHARED_MS = 24 * 60 * 60_000;
const SYNC_MS = 30_000;

export class RetiredModels {
  private readonly seen = new Map<string, Retirement>();
  private syncedAt = -Infinity;
  private syncing: Promise<void> | null = null;
  private readonly key: string;

  constructor(private readonly opts: {
    engine: string;
    store: Coordination;
    now: () => number;
    /** A model became retired here (its card must be rebuilt). */
    onRetired: (model: string) => void;
    log?: (level: 'warn', msg: string, extra: Record<string, unknown>) => void;
  }) {
    this.key = `retired:${opts.engine}`;
  }

  get(model: string): Retirement | undefined {
    return this.seen.get(model);
  }

  models(): string[] {
    return [...this.seen.keys()];
  }

  /** Looks in the store unless it did within SYNC_MS (for card building, which cannot wait). */
  syncSoon(): void {
    if (this.opts.now() - this.syncedAt >= SYNC_MS) void this.sync();
  }

  /** Picks up models other workers retired (one read at a time; a store that is away changes nothing). */
  sync(): Promise<void> {
    this.syncing ??= this.opts.store.mapGetAll(this.key).then((all) => {
      for (const [model, json] of Object.entries(all)) {
        if (this.seen.has(model)) continue;
        try { this.remember(model, JSON.parse(json) as Retirement); } catch { /* not ours: ignore */ }
      }
    }, () => {}).finally(() => {
      this.syncedAt = this.opts.now();
      this.syncing = null;
    });
    return this.syncing;
  }

  async retire(model: string, err: ModelRetired): Promise<void> {
    if (this.seen.has(model)) return;
    // The message (never the provider's words) is public: it goes into the model's card.
    const r: Retirement = { message: err.message, detail: err.detail, since: this.opts.now() };
    this.remember(model, r);
    this.opts.log?.('warn', 'provider says a model is gone; new requests for it are refused', { engine: this.opts.engine, model, message: err.message, detail: err.detail });
    await this.opts.store.mapSet(this.key, model, JSON.stringify(r), SHARED_MS).catch((e: Error) => {
      this.opts.log?.('warn', 'could not share a retired model with the other workers', { engine: this.opts.engine, model, err: e.message });
    });
  }

  private remember(model: string, r: Retirement): void {
    this.seen.set(model, r);
    this.opts.onRetired(model);
  }
}
