// Words and numbers for a job in flight: elapsed time, an ETA from the progress rate so far, and a
// failure explained in plain words with what to change.
import type { Video } from './types';

export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Seconds since the job started (or was queued), as of `nowSeconds`. */
export function elapsedSeconds(v: Pick<Video, 'created_at' | 'started_at'>, nowSeconds: number): number {
  return Math.max(0, nowSeconds - (v.started_at ?? v.created_at));
}

/**
 * Seconds left, extrapolating the rate so far. Null while there is too little to go on (under 3%
 * or under a second of running): an early guess swings wildly and misleads more than it helps.
 */
export function etaSeconds(v: Pick<Video, 'status' | 'progress' | 'started_at'>, nowSeconds: number): number | null {
  if (v.status !== 'in_progress' || v.started_at == null || v.progress < 3) return null;
  const ran = nowSeconds - v.started_at;
  if (ran < 1) return null;
  return (ran * (100 - v.progress)) / v.progress;
}

const HINTS: Record<string, string> = {
  cancelled: 'You cancelled it. Reuse its settings to make it again.',
  engine_out_of_memory: 'The GPU ran out of memory: try a smaller size, fewer seconds, or another model.',
  content_policy_violation: "The engine's provider refused the prompt: rephrase it.",
  engine_unavailable: 'The engine could not be reached: try again in a moment, or pick another model.',
  engine_misconfigured: 'The engine is not set up correctly on the server: tell whoever runs it.',
  model_unavailable: 'That model is not available on this server right now: pick another one.',
  generation_failed: 'The engine failed several times in a row: try again, or a shorter or smaller video.',
  deleted: 'The video was deleted.',
  invalid_input_reference: 'The engine could not use the image you chose: try another PNG, JPEG or WebP image, or none.',
};

export function failureHint(error: Video['error']): string {
  if (!error) return 'It failed without saying why: try again, and check the server log if it keeps failing.';
  return HINTS[error.code] ?? 'Check the message above, change what it names, and try again.';
}

export function statusLabel(v: Pick<Video, 'status' | 'queue_position' | 'error'>): string {
  switch (v.status) {
    case 'queued': return v.queue_position == null ? 'Queued' : v.queue_position === 0 ? 'Next in queue' : `Queued, ${v.queue_position} ahead`;
    case 'in_progress': return 'Rendering';
    case 'completed': return 'Done';
    case 'failed': return v.error?.code === 'cancelled' ? 'Cancelled' : 'Failed';
  }
}
