// The engines panel's data (GET /api/engines, operators only) and how it reads to a person.

export interface GpuDevice { name: string | null; type: string | null; vram_total: number | null; vram_free: number | null }
export interface ComfyServer {
  url: string; label: string; state: 'unknown' | 'up' | 'down'; error: string | null; checked_at: number | null; down_since: number | null;
  version: string | null; devices: GpuDevice[]; concurrency: number; running: number; queue_remaining: number;
  templates: { model: string; ok: boolean; problems: string[] }[];
}
export interface ComfyStatus { kind: 'comfyui'; waiting: number; servers: ComfyServer[]; models: { id: string; available: boolean; servers: number }[] }
export interface EngineEntry { engine: string; status: ({ kind: string } & Record<string, unknown>) | null }
export interface EnginesOverview { data: EngineEntry[]; queue: { queued: number; active: number } }

export const isComfy = (s: EngineEntry['status']): s is ComfyStatus & Record<string, unknown> => s?.kind === 'comfyui';

/** "18.2 of 24.0 GB used", from ComfyUI's byte counts. */
export function vramLine(d: GpuDevice): string {
  if (d.vram_total === null || d.vram_free === null || d.vram_total <= 0) return 'VRAM unknown';
  const gb = (n: number) => (n / 1e9).toFixed(1);
  return `${gb(d.vram_total - d.vram_free)} of ${gb(d.vram_total)} GB used`;
}

/** The GPU's name without ComfyUI's "cuda:0 … : cudaMallocAsync" wrapping. */
export function gpuName(d: GpuDevice): string {
  const raw = d.name ?? d.type ?? 'device';
  return raw.replace(/^\w+:\d+\s+/, '').replace(/\s*:\s*\w+$/, '') || raw;
}

/**
 * Méliès' own slots on the server and, apart, ComfyUI's whole queue (which also holds prompts
 * others sent to that ComfyUI directly).
 */
export function serverState(s: ComfyServer): string {
  if (s.state === 'down') return `Unreachable${s.error ? `: ${s.error}` : ''}`;
  if (s.state === 'unknown') return 'Not checked yet';
  if (s.running === 0 && s.queue_remaining === 0) return 'Idle';
  const slots = `${s.running} of ${s.concurrency} Méliès slot${s.concurrency === 1 ? '' : 's'} in use`;
  return s.queue_remaining > 0 ? `${slots}; ${s.queue_remaining} in ComfyUI's queue` : slots;
}
