// Maps model ids (what clients send as `model`) to their card and engine.
import type { ModelCard } from '../domain/model-card.js';
import type { VideoParams } from '../domain/video.js';
import type { Engine } from './engine.js';

export class EngineRegistry {
  private readonly byModel = new Map<string, { card: ModelCard; engine: Engine }>();

  constructor(engines: Engine[]) {
    for (const engine of engines) {
      for (const card of engine.models()) {
        if (this.byModel.has(card.id)) throw new Error(`model id ${card.id} is published by two engines`);
        this.byModel.set(card.id, { card, engine });
      }
    }
  }

  cards(): ModelCard[] {
    return [...this.byModel.values()].map((e) => e.card);
  }

  card(model: string): ModelCard | null {
    return this.byModel.get(model)?.card ?? null;
  }

  engine(model: string): Engine | null {
    return this.byModel.get(model)?.engine ?? null;
  }

  /** The engine's plan for a request, or null when the model has none to show. */
  plan(model: string, params: Pick<VideoParams, 'prompt' | 'seconds'>): unknown {
    return this.byModel.get(model)?.engine.plan?.(params) ?? null;
  }
}
