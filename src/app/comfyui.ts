// Composition of the ComfyUI engine: on only when servers are configured. Also how many extra
// queue workers its GPUs need, so no GPU idles while a job waits (see workerSlotsFor).
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { ComfyuiEngine } from '../engines/comfyui/comfyui.engine.js';
import { loadTemplates } from '../engines/comfyui/workflow-template.js';
import type { MediaBinaries } from '../media/binaries.js';
import type { Coordination } from '../coordination/coordination.js';

export type EngineLog = (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;

/** `coordination`: where GPU slots are counted (memory when absent; Redis when workers share GPUs). */
export function comfyuiEngine(config: Config, media: MediaBinaries, log?: EngineLog, coordination?: Coordination): ComfyuiEngine | null {
  const c = config.comfyui;
  if (c.servers.length === 0) return null;
  const templates = loadTemplates({
    bundled: c.bundledTemplates,
    dir: c.templatesDir ? resolve(c.templatesDir) : null,
    files: c.templates.map((t) => ({ workflow: resolve(t.workflow), mapping: resolve(t.mapping) })),
  });
  return new ComfyuiEngine({
    servers: c.servers,
    templates,
    media,
    // Stable for this installation on this machine: after a restart ComfyUI keeps sending the
    // progress of prompts we re-attach to (it routes events by client id).
    clientId: `melies-${createHash('sha256').update(`${hostname()}\n${config.dataDir}`).digest('hex').slice(0, 16)}`,
    requestTimeoutMs: c.requestTimeoutMs,
    downloadTimeoutMs: c.downloadTimeoutMs,
    historyPollMs: c.historyPollMs,
    healthIntervalMs: c.healthIntervalMs,
    revalidateMs: c.revalidateMs,
    rescheduleAfterMs: c.rescheduleAfterMs,
    unavailableAfterMs: c.unavailableAfterMs,
    coordination,
    log,
  });
}

/**
 * Queue workers the GPUs need on top of `jobs.concurrency`: three per GPU slot, one whose prompt
 * runs, one finishing the previous video (download, previews), one ready the moment the GPU
 * frees. With two, a GPU idled whenever finishing took as long as generating (bench/comfyui-pool.ts:
 * 70% utilisation against 93% with three). CPU engines stay limited to `jobs.concurrency`.
 */
export function workerSlotsFor(config: Config): number {
  return config.comfyui.servers.reduce((n, s) => n + 3 * s.concurrency, 0);
}
