// ComfyUI's failures as errors a person can act on: a refused workflow names the node and input
// (from `node_errors`, CE `validate_prompt`), CUDA out-of-memory says what to change, anything else
// names the node that failed and the exception it raised (`execution_error`, CE).
import { EngineError } from '../../domain/errors.js';
import type { ModelCard } from '../../domain/model-card.js';
import type { EngineJob } from '../engine.js';
import { nodeName, type ApiGraph } from './workflow-template.js';

interface ComfyErrorItem { type?: string; message?: string; details?: string; extra_info?: { input_name?: string } }
/** The 400 body of POST /prompt: `{error: {type, message, details}, node_errors: {id: {errors, class_type}}}`. */
export interface SubmitRefusal {
  error?: ComfyErrorItem | string;
  node_errors?: Record<string, { errors?: ComfyErrorItem[]; class_type?: string }>;
}

/** The `execution_error` event / history message (CE `handle_execution_error`). */
export interface ExecutionErrorData {
  prompt_id?: string;
  node_id?: string;
  node_type?: string;
  exception_message?: string;
  exception_type?: string;
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** node_errors (or the top-level error) → a non-retryable failure naming node and input. */
export function refusalError(body: SubmitRefusal, graph: ApiGraph, where: string, modelId: string): EngineError {
  const parts: string[] = [];
  for (const [id, ne] of Object.entries(body.node_errors ?? {})) {
    for (const e of ne.errors ?? []) {
      const input = e.extra_info?.input_name;
      const what = [e.message, e.details].filter(Boolean).join(': ');
      parts.push(`${nodeName(graph, id, ne.class_type)}${input ? `, input '${input}'` : ''}: ${clip(what || e.type || 'invalid')}`);
    }
  }
  const top = typeof body.error === 'string' ? { message: body.error } : body.error;
  if (parts.length === 0 && top) parts.push(clip([top.message, top.details].filter(Boolean).join(': ') || top.type || 'invalid workflow'));
  if (parts.length === 0) parts.push('no reason given');
  const shown = parts.slice(0, 3).join('; ') + (parts.length > 3 ? `; and ${parts.length - 3} more` : '');
  return new EngineError('invalid_request', `ComfyUI on ${where} refused the ${modelId} workflow: ${shown}.`);
}

export function isOutOfMemory(e: ExecutionErrorData): boolean {
  const text = `${e.exception_type ?? ''} ${e.exception_message ?? ''}`;
  return /OutOfMemoryError|out of memory|\bOOM\b|Allocation on device|CUBLAS_STATUS_ALLOC_FAILED|HIP out of memory/i.test(text);
}

/** A concrete way out: a preset smaller than the request, fewer seconds, another template. */
export function oomHint(card: ModelCard | null, job: Pick<EngineJob, 'width' | 'height' | 'seconds'>, others: string[]): string {
  const tips: string[] = [];
  const area = job.width * job.height;
  const smaller = (card?.sizes ?? [])
    .map((s) => s.split('x').map(Number) as [number, number])
    .filter(([w, h]) => w * h < area)
    .sort((a, b) => b[0] * b[1] - a[0] * a[1])[0];
  if (smaller) tips.push(`a smaller size such as ${smaller[0]}x${smaller[1]} (this was ${job.width}x${job.height})`);
  else tips.push(`a smaller size than ${job.width}x${job.height}`);
  if (job.seconds > 1) tips.push(`fewer seconds (e.g. ${Math.max(1, Math.floor(job.seconds / 2))} instead of ${job.seconds})`);
  if (others.length) tips.push(`another model such as ${others.slice(0, 2).join(' or ')}`);
  tips.push('or start ComfyUI with --lowvram / close other programs using the GPU');
  return `Try ${tips.join(', ')}.`;
}

/** execution_error → engine_out_of_memory with a hint, or the node's own exception. */
export function executionError(e: ExecutionErrorData, graph: ApiGraph | null, where: string, hint: () => string): EngineError {
  const node = e.node_id ? nodeName(graph, e.node_id, e.node_type) : 'a node';
  if (isOutOfMemory(e)) {
    return new EngineError('engine_out_of_memory', `The GPU on ${where} ran out of memory in ${node}. ${hint()}`);
  }
  const message = clip((e.exception_message ?? '').trim() || 'no message', 400);
  return new EngineError('engine_error', `ComfyUI on ${where} failed in ${node}: ${e.exception_type ? `${e.exception_type}: ` : ''}${message}`);
}
