// What Méliès knows about one submitted prompt, from WebSocket events (CE, CM, CP) and, when the
// socket is quiet or down, from /history and /queue. Progress is weighted across the graph's
// nodes, because per-step `progress` events only come from samplers:
//
//   unknown ─▶ queued ─execution_start─▶ running ─execution_success──▶ succeeded
//      │         │                          ├──────execution_error───▶ failed
//      │         │                          └─execution_interrupted─▶ interrupted
//      └─────────┴── not in queue nor history on a live server ─────▶ forgotten (it restarted)
import type { ExecutionErrorData } from './comfyui.errors.js';
import type { HistoryEntry } from './comfyui.client.js';
import type { ApiGraph } from './workflow-template.js';

export type PromptState = 'unknown' | 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted' | 'forgotten';

const SAMPLERS = new Set(['KSampler', 'KSamplerAdvanced', 'SamplerCustom', 'SamplerCustomAdvanced']);
const TERMINAL = new Set<PromptState>(['succeeded', 'failed', 'interrupted', 'forgotten']);

function literalSteps(graph: ApiGraph, id: string, depth = 0): number | null {
  const node = graph[id];
  if (!node || depth > 3) return null;
  const steps = node.inputs.steps;
  if (typeof steps === 'number' && steps > 0) return steps;
  // SamplerCustom takes its step count from the scheduler that makes its sigmas.
  const sigmas = node.inputs.sigmas;
  return Array.isArray(sigmas) && typeof sigmas[0] === 'string' ? literalSteps(graph, sigmas[0], depth + 1) : null;
}

/**
 * Each node's share of the bar. Sampling is most of the GPU time (85%, split by step count),
 * decoding the latent a visible part (8%), loaders, encoders and saving the rest (7%).
 */
export function progressWeights(graph: ApiGraph, overrides?: Record<string, number>): Map<string, number> {
  const w = new Map<string, number>();
  if (overrides && Object.keys(overrides).length) {
    for (const id of Object.keys(graph)) w.set(id, overrides[id] ?? 0);
    return w;
  }
  const samplers = Object.keys(graph).filter((id) => SAMPLERS.has(graph[id]!.class_type) || (/sampler/i.test(graph[id]!.class_type) && 'latent_image' in graph[id]!.inputs));
  const decoders = Object.keys(graph).filter((id) => /VAEDecode/i.test(graph[id]!.class_type));
  const rest = Object.keys(graph).filter((id) => !samplers.includes(id) && !decoders.includes(id));
  const shares = samplers.length ? { s: 85, d: 8, r: 7 } : { s: 0, d: decoders.length ? 40 : 0, r: decoders.length ? 60 : 100 };
  const steps = samplers.map((id) => literalSteps(graph, id) ?? 20);
  const totalSteps = steps.reduce((a, b) => a + b, 0);
  samplers.forEach((id, i) => w.set(id, (shares.s * steps[i]!) / totalSteps));
  for (const id of decoders) w.set(id, shares.d / decoders.length);
  for (const id of rest) w.set(id, shares.r / rest.length);
  return w;
}

export class PromptTracker {
  state: PromptState = 'unknown';
  error: ExecutionErrorData | null = null;
  /** Node outputs from `executed` events (the history has the same, and is preferred). */
  readonly outputs: Record<string, unknown> = {};
  history: HistoryEntry | null = null;
  /** `executing {node: null}` came: ComfyUI has written the history entry (CM `prompt_worker`). */
  finished = false;
  lastEventAt = 0;
  lastCheckAt = 0;
  /** Since when the server has not answered about this prompt. */
  unreachableSince: number | null = null;
  /** The socket reconnected since the last HTTP check, so events may have been missed. */
  stale = true;

  private readonly weights: Map<string, number>;
  private readonly total: number;
  private readonly done = new Set<string>();
  private readonly fraction = new Map<string, number>();
  private current: string | null = null;
  private best = 0;
  private wakers: (() => void)[] = [];

  constructor(readonly promptId: string, readonly graph: ApiGraph | null, overrides?: Record<string, number>) {
    this.weights = graph ? progressWeights(graph, overrides) : new Map();
    this.total = [...this.weights.values()].reduce((a, b) => a + b, 0) || 1;
  }

  get terminal(): boolean { return TERMINAL.has(this.state); }

  /** 0..1, never falling; 1 only once the prompt succeeded. */
  get progress(): number {
    if (this.state === 'succeeded') return 1;
    let sum = 0;
    for (const [id, w] of this.weights) sum += this.done.has(id) ? w : w * (this.fraction.get(id) ?? 0);
    this.best = Math.max(this.best, Math.min(0.99, sum / this.total));
    return this.best;
  }

  /** Applies one WebSocket event addressed to this prompt. */
  handle(type: string, data: Record<string, unknown>): void {
    this.lastEventAt = Date.now();
    const node = typeof data.node === 'string' ? data.node : null;
    switch (type) {
      case 'execution_start':
        if (!this.terminal) this.state = 'running';
        break;
      case 'execution_cached':
        for (const id of Array.isArray(data.nodes) ? data.nodes : []) this.done.add(String(id));
        break;
      case 'executing':
        if (data.node === null) this.finished = true;
        else if (node) {
          if (this.current && this.current !== node) this.done.add(this.current);
          this.current = node;
          if (!this.terminal) this.state = 'running';
        }
        break;
      case 'progress': {
        const value = Number(data.value), max = Number(data.max);
        if (node && max > 0) this.fraction.set(node, Math.max(this.fraction.get(node) ?? 0, Math.min(1, value / max)));
        break;
      }
      case 'progress_state':
        for (const [id, s] of Object.entries((data.nodes ?? {}) as Record<string, { value?: number; max?: number; state?: string }>)) {
          if (s.state === 'finished') this.done.add(id);
          else if (s.max && s.max > 0) this.fraction.set(id, Math.max(this.fraction.get(id) ?? 0, Math.min(1, (s.value ?? 0) / s.max)));
        }
        break;
      case 'executed':
        if (node) {
          this.done.add(node);
          if (data.output) this.outputs[node] = data.output;
        }
        break;
      case 'execution_success':
        this.state = 'succeeded';
        break;
      case 'execution_error':
        this.state = 'failed';
        this.error = data as ExecutionErrorData;
        break;
      case 'execution_interrupted':
        this.state = 'interrupted';
        break;
    }
    this.wake();
  }

  /** A finished prompt's history entry decides its outcome (interrupted runs say so in messages, CJ). */
  fromHistory(entry: HistoryEntry): void {
    this.history = entry;
    this.finished = true;
    const messages = entry.status?.messages ?? [];
    const failed = entry.status?.status_str === 'error';
    const interrupted = messages.find(([e]) => e === 'execution_interrupted');
    const error = messages.find(([e]) => e === 'execution_error');
    if (interrupted) this.state = 'interrupted';
    else if (failed || error) {
      this.state = 'failed';
      this.error = (error?.[1] ?? { exception_message: 'ComfyUI reported an error without details' }) as ExecutionErrorData;
    } else this.state = 'succeeded';
    this.wake();
  }

  /** From /queue: still pending or running there. */
  seenInQueue(running: boolean): void {
    if (!this.terminal) this.state = running ? 'running' : 'queued';
  }

  forgotten(): void {
    this.state = 'forgotten';
    this.wake();
  }

  /** Resolves at the next event, after `ms`, or when `signal` aborts (rejecting with its reason). */
  changed(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const done = () => { clearTimeout(t); signal.removeEventListener('abort', onAbort); resolve(); };
      const onAbort = () => { clearTimeout(t); this.wakers = this.wakers.filter((w) => w !== done); reject(signal.reason); };
      const t = setTimeout(() => { this.wakers = this.wakers.filter((w) => w !== done); done(); }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
      this.wakers.push(done);
    });
  }

  wake(): void {
    const w = this.wakers;
    this.wakers = [];
    for (const f of w) f();
  }
}
