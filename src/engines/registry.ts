// Maps model ids (what clients send as `model`) to their card and engine, live: an engine may
// publish new cards after it starts (an OpenAI-compatible upstream's list) or mark one unavailable
// or retired. Also the operator's fallbacks: which other models may take a request its own model
// cannot, and which models to name as alternatives when one is retired.
import type { ModelCard } from '../domain/model-card.js';
import type { VideoParams } from '../domain/video.js';
import type { Engine, EngineStatus } from './engine.js';
import { cardHonours, type RequestShape } from './request-shape.js';

export interface RegistryOptions {
  /** Model id → the models to try, in order, when it cannot take a job (config cloud.fallbacks). */
  fallbacks?: Readonly<Record<string, readonly string[]>>;
}

export interface Route {
  model: string;
  card: ModelCard;
  engine: Engine;
}

export interface RetirementInfo {
  message: string;
  alternatives: string[];
}

export class EngineRegistry {
  private readonly list: Engine[];
  private readonly fallbacks: Readonly<Record<string, readonly string[]>>;
  /** Cards once published and since dropped stay known (as unavailable), so old videos still name them. */
  private readonly seen = new Map<string, { card: ModelCard; engine: Engine }>();

  constructor(engines: Engine[], opts: RegistryOptions = {}) {
    this.list = engines;
    this.fallbacks = opts.fallbacks ?? {};
    for (const engine of engines) {
      for (const card of engine.models()) {
        if (this.seen.has(card.id)) throw new Error(`model id ${card.id} is published by two engines`);
        this.seen.set(card.id, { card, engine });
      }
    }
  }

  /** Every card, fresh from each engine; a later engine's card never shadows an earlier one's id. */
  private index(): Index {
    const byModel: Index = new Map();
    for (const engine of this.list) {
      for (const card of engine.models()) {
        if (byModel.has(card.id) || (this.seen.get(card.id)?.engine ?? engine) !== engine) continue;
        byModel.set(card.id, { card, engine });
        this.seen.set(card.id, { card, engine });
      }
    }
    for (const [id, last] of this.seen) if (!byModel.has(id)) byModel.set(id, { card: { ...last.card, available: false }, engine: last.engine });
    return byModel;
  }

  cards(): ModelCard[] {
    return [...this.index().values()].map((e) => e.card);
  }

  card(model: string): ModelCard | null {
    return this.index().get(model)?.card ?? null;
  }

  /** Starts every engine (checks of remote backends run side by side); see Engine.start. */
  async start(): Promise<void> {
    await Promise.all(this.list.map((e) => e.start?.()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.list.map((e) => e.stop?.().catch(() => {})));
  }

  engines(): Engine[] {
    return [...this.list];
  }

  /** Every engine's status (see Engine.status), for operators; engines without one say only their id. */
  async statuses(): Promise<{ engine: string; status: EngineStatus | null }[]> {
    return Promise.all(this.engines().map(async (e) => ({ engine: e.id, status: (await e.status?.().catch(() => null)) ?? null })));
  }

  engine(model: string): Engine | null {
    return this.index().get(model)?.engine ?? null;
  }

  /** The engine's plan for a request, or null when the model has none to show. */
  plan(model: string, params: Pick<VideoParams, 'prompt' | 'seconds'>): unknown {
    return this.index().get(model)?.engine.plan?.(params) ?? null;
  }

  /** The source's plan carried on by the model's engine (Engine.continuePlan), or null. */
  continuePlan(model: string, sourcePlan: unknown, params: { prompt: string; seconds: number; sourceSeconds: number }): unknown {
    return this.index().get(model)?.engine.continuePlan?.(sourcePlan, params) ?? null;
  }

  /** The source's plan with an edit's change (Engine.editPlan), or null. */
  editPlan(model: string, sourcePlan: unknown, params: { prompt: string }): unknown {
    return this.index().get(model)?.engine.editPlan?.(sourcePlan, params) ?? null;
  }

  /** A combination the card cannot express but the provider refuses (e.g. 1080p only at 8 s). */
  requestProblem(model: string, shape: RequestShape): { message: string; param: string } | null {
    return this.engine(model)?.requestProblem?.(model, shape) ?? null;
  }

  /** Set when the model's provider says it no longer exists (or is known to have shut it down). */
  retirement(model: string): RetirementInfo | null {
    const index = this.index();
    const r = index.get(model)?.engine.retirement?.(model);
    return r ? { message: r.message, alternatives: alternativesIn(index, this.fallbacks, model) } : null;
  }

  /** What to suggest instead of a model: its configured fallbacks, then its engine's other models. */
  alternatives(model: string): string[] {
    return alternativesIn(this.index(), this.fallbacks, model);
  }

  /**
   * Where a request may be made: its own model first, then each configured fallback whose card can
   * honour it (duration, size, fps, image, negative prompt) and whose engine accepts the combination.
   */
  routes(model: string, shape: RequestShape): Route[] {
    const index = this.index();
    const own = index.get(model);
    if (!own) return [];
    const out: Route[] = [{ model, card: own.card, engine: own.engine }];
    for (const id of this.fallbacks[model] ?? []) {
      const e = index.get(id);
      if (!e || id === model || !cardHonours(e.card, shape) || e.engine.requestProblem?.(id, shape)) continue;
      out.push({ model: id, card: e.card, engine: e.engine });
    }
    return out;
  }
}

type Index = Map<string, { card: ModelCard; engine: Engine }>;

function alternativesIn(index: Index, fallbacks: Readonly<Record<string, readonly string[]>>, model: string): string[] {
  const engine = index.get(model)?.engine;
  const out = new Set<string>();
  for (const id of fallbacks[model] ?? []) if (index.get(id)?.card.available) out.add(id);
  for (const [id, e] of index) if (e.engine === engine && id !== model && e.card.available) out.add(id);
  if (out.size === 0) for (const [id, e] of index) if (id !== model && e.card.available && e.card.kind === 'cloud') out.add(id);
  return [...out].slice(0, 8);
}
