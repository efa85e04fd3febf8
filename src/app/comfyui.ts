// Composition of the ComfyUI engine: on only when servers are configured. Also how many extra
// queue workers its GPUs need, so no GPU idles while a job waits (see workerSlotsFor).
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { ComfyuiEngine } from '../engines/comfyui/comfyui.engine.js';
import { loadTemplates } from '../engines/comfyui/workflow-template.js';
import type { MediaBinaries } from '../media/binaries.js';

export type EngineLog = (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;

export function comfyuiEngine(config: Config, media: MediaBinaries, log?: EngineLog): ComfyuiEngine | null {
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
    log,
  });
}

/**
 * Queue workers the GPUs need on top of `jobs.concurrency`: two per GPU slot, one whose prompt
 * runs while the other downloads and finishes the last video, so a freed GPU always has a job
 * waiting for it. CPU engines stay limited to `jobs.concurrency` (see limitConcurrency).
 */
export function workerSlotsFor(config: Config): number {
  return config.comfyui.servers.reduce((n, s) => n + 2 * s.concurrency, 0);
}
