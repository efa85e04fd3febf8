// Maps model ids (what clients send as `model`) to their card and engine.
import type { ModelCard } from '../domain/model-card.js';
import type { VideoParams } from '../domain/video.js';
import type { Engine, EngineStatus } from './engine.js';

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

  /** Fresh from each engine, so availability (a ComfyUI server going away) shows at once. */
  cards(): ModelCard[] {
    return [...this.byModel.keys()].map((id) => this.card(id)!);
  }

  card(model: string): ModelCard | null {
    const entry = this.byModel.get(model);
    if (!entry) return null;
    return entry.engine.models().find((c) => c.id === model) ?? entry.card;
  }

  /** Starts every engine (checks of remote backends run side by side); see Engine.start. */
  async start(): Promise<void> {
    await Promise.all(this.engines().map((e) => e.start?.()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.engines().map((e) => e.stop?.().catch(() => {})));
  }

  private engines(): Engine[] {
    return [...new Set([...this.byModel.values()].map((e) => e.engine))];
  }

  /** Every engine's status (see Engine.status), for operators; engines without one say only their id. */
  async statuses(): Promise<{ engine: string; status: EngineStatus | null }[]> {
    return Promise.all(this.engines().map(async (e) => ({ engine: e.id, status: (await e.status?.().catch(() => null)) ?? null })));
  }

  engine(model: string): Engine | null {
    return this.byModel.get(model)?.engine ?? null;
  }

  /** The engine's plan for a request, or null when the model has none to show. */
  plan(model: string, params: Pick<VideoParams, 'prompt' | 'seconds'>): unknown {
    return this.byModel.get(model)?.engine.plan?.(params) ?? null;
  }
}
