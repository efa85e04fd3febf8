import { describe, expect, it } from 'vitest';
import { trayGroups, trayOrder } from './tray';
import type { Video } from './types';

const v = (id: string, over: Partial<Video>): Video => ({
  id, object: 'video', model: 'sketch', status: 'queued', progress: 0, created_at: 100, completed_at: null, prompt: id, size: '640x360',
  seconds: '2', fps: 24, seed: 1, remixed_from_video_id: null, error: null, ...over,
});

describe('the In-progress tray order', () => {
  it('puts the rendering job first, then the queue by position, then finished jobs newest first', () => {
    const jobs = [
      v('newest-queued', { created_at: 130, queue_position: 1 }),
      v('done', { status: 'completed', created_at: 90, completed_at: 125 }),
      v('next', { created_at: 120, queue_position: 0 }),
      v('rendering', { status: 'in_progress', created_at: 110, started_at: 115 }),
      v('cancelled', { status: 'failed', created_at: 95, completed_at: 128, error: { code: 'cancelled', message: '' } }),
    ];
    expect(trayOrder(jobs).map((j) => j.id)).toEqual(['rendering', 'next', 'newest-queued', 'cancelled', 'done']);
    expect(trayGroups(jobs).map((g) => [g.group, g.jobs.length])).toEqual([['rendering', 1], ['queued', 2], ['finished', 2]]);
  });

  it('keeps queued jobs without a known position first come, first served, after those with one', () => {
    const jobs = [v('c', { created_at: 3 }), v('a', { created_at: 1 }), v('b', { created_at: 2 }), v('p', { created_at: 9, queue_position: 0 })];
    expect(trayOrder(jobs).map((j) => j.id)).toEqual(['p', 'a', 'b', 'c']);
  });

  it("keeps a paused queue (no positions) in the owner's own order, a moved video first", () => {
    const jobs = [v('old', { created_at: 1, queue_place: 1 }), v('moved', { created_at: 5, queue_place: 0 }), v('new', { created_at: 3, queue_place: 2 })];
    expect(trayOrder(jobs).map((j) => j.id)).toEqual(['moved', 'old', 'new']);
  });

    it('orders several rendering jobs by when they started', () => {
    const jobs = [v('late', { status: 'in_progress', started_at: 50, created_at: 1 }), v('early', { status: 'in_progress', started_at: 10, created_at: 2 })];
    expect(trayOrder(jobs).map((j) => j.id)).toEqual(['early', 'late']);
  });
});
