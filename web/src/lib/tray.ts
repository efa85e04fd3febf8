// The order of the In-progress tray: what renders now first, then the queue in the order the
// server will take it (queue_position, 0 = next), then finished jobs, newest first. Newest-first
// put the rendering job last, where a user cancelled the wrong one.
import type { Video } from './types';

export type TrayGroup = 'rendering' | 'queued' | 'finished';

export const TRAY_HEADINGS: Record<TrayGroup, string> = {
  rendering: 'Rendering now',
  queued: 'Waiting in the queue, next first',
  finished: 'Finished',
};

export const trayGroup = (v: Pick<Video, 'status'>): TrayGroup =>
  v.status === 'in_progress' ? 'rendering' : v.status === 'queued' ? 'queued' : 'finished';

const byIdAsc = (a: Video, b: Video) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const ORDER: Record<TrayGroup, (a: Video, b: Video) => number> = {
  rendering: (a, b) => (a.started_at ?? a.created_at) - (b.started_at ?? b.created_at) || a.created_at - b.created_at || byIdAsc(a, b),
  // A position the server gave first; then the place in the owner's own queue (all a paused queue
  // has, after a move to top); without either, the queue is first come, first served.
  queued: (a, b) => (a.queue_position ?? Infinity) - (b.queue_position ?? Infinity) || (a.queue_place ?? Infinity) - (b.queue_place ?? Infinity)
    || a.created_at - b.created_at || byIdAsc(a, b),
  finished: (a, b) => (b.completed_at ?? b.created_at) - (a.completed_at ?? a.created_at) || b.created_at - a.created_at || byIdAsc(b, a),
};

/** The tray's jobs in groups, each in its order; empty groups left out. */
export function trayGroups(jobs: readonly Video[]): { group: TrayGroup; jobs: Video[] }[] {
  return (['rendering', 'queued', 'finished'] as const)
    .map((group) => ({ group, jobs: jobs.filter((j) => trayGroup(j) === group).sort(ORDER[group]) }))
    .filter((g) => g.jobs.length > 0);
}

export const trayOrder = (jobs: readonly Video[]): Video[] => trayGroups(jobs).flatMap((g) => g.jobs);
