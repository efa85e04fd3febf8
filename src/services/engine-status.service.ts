// The engines' health for operators (GET /api/engines, the studio's engines panel): each engine's
// own status (ComfyUI: servers, VRAM, queue lengths, templates that cannot run and why), plus the
// job queue's counts. Operators only: it names internal hosts and GPUs.
import { isOperator, type Principal } from '../domain/account.js';
import { ApiError } from '../domain/errors.js';
import type { EngineStatus } from '../engines/engine.js';
import type { QueueCounts } from '../queue/job-queue.js';

export interface EngineStatusDeps {
  statuses: () => Promise<{ engine: string; status: EngineStatus | null }[]>;
  queueCounts: () => Promise<QueueCounts>;
}

export interface EnginesOverview {
  object: 'list';
  data: { engine: string; status: unknown }[];
  queue: { queued: number; active: number };
}

/** camelCase keys → snake_case, as everything else on the wire. */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(v)]));
}

export class EngineStatusService {
  constructor(private readonly deps: EngineStatusDeps) {}

  async overview(who: Principal): Promise<EnginesOverview> {
    if (!isOperator(who)) throw new ApiError(403, 'Only operators (the admin permission) can see the engines\' servers and queues.', { code: 'forbidden' });
    const [statuses, queue] = await Promise.all([this.deps.statuses(), this.deps.queueCounts()]);
    return { object: 'list', data: statuses.map((s) => ({ engine: s.engine, status: snakeKeys(s.status) })), queue };
  }
}
