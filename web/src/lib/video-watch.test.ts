import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobStore } from './job-store';
import { watchVideo, type EventSourceLike } from './video-watch';
import type { Video } from './types';

/** A stand-in for the browser's EventSource: the test plays the server's part. */
class FakeSource implements EventSourceLike {
  readyState = 0;
  closed = false;
  onerror: ((ev: Event) => void) | null = null;
  private listeners = new Map<string, ((ev: { data: string }) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, fn: (ev: { data: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() { this.closed = true; this.readyState = 2; }
  emit(video: Partial<Video>, raw?: string) {
    const type = `video.${video.status}`;
    for (const fn of this.listeners.get(type) ?? []) fn({ data: raw ?? JSON.stringify(video) });
  }
  fail(readyState: number) { this.readyState = readyState; this.onerror?.(new Event('error')); }
}

const video = (over: Partial<Video> = {}): Video => ({
  id: 'video_1', object: 'video', model: 'sketch', status: 'queued', progress: 0, created_at: 1000, completed_at: null,
  prompt: 'a boat', size: '320x180', seconds: '2', fps: 24, seed: 1, remixed_from_video_id: null, error: null, ...over,
});

describe('watchVideo (SSE)', () => {
  it('follows status and progress, skips repeats after a reconnect, and closes at the end', () => {
    let source!: FakeSource;
    const seen: string[] = [];
    watchVideo('video_1', { onUpdate: (v) => seen.push(`${v.status}:${v.progress}`) }, (u) => (source = new FakeSource(u)));
    expect(source.url).toBe('/v1/videos/video_1/events');
    source.emit(video());
    source.emit(video({ status: 'in_progress', progress: 10 }));
    source.fail(0); // a blip: the browser reconnects and the server repeats the current state
    source.emit(video({ status: 'in_progress', progress: 10 }));
    source.emit(video({ status: 'in_progress', progress: 55 }), '{not json');
    source.emit(video({ id: 'video_2', status: 'completed', progress: 100 }));
    expect(source.closed).toBe(false);
    source.emit(video({ status: 'completed', progress: 100 }));
    expect(seen).toEqual(['queued:0', 'in_progress:10', 'completed:100']);
    expect(source.closed).toBe(true);
    source.emit(video({ status: 'failed' }));
    expect(seen).toHaveLength(3);
  });

  it('reports a stream that can no longer open (deleted video) as gone', () => {
    let source!: FakeSource;
    let gone = 0;
    watchVideo('video_1', { onUpdate: () => {}, onGone: () => gone++ }, (u) => (source = new FakeSource(u)));
    source.fail(2);
    expect(gone).toBe(1);
    expect(source.closed).toBe(true);
  });
});

describe('JobStore', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('tracks a job live, notes its start, lets a completed one leave, keeps a failure until dismissed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // the completed job's linger, on a fake clock
    const sources: FakeSource[] = [];
    const fetched: string[] = [];
    const fetchVideo = async (id: string) => { fetched.push(id); return video({ id, created_at: 1001, queue_position: 0 }); };
    const store = new JobStore({ openEvents: (u) => { const s = new FakeSource(u); sources.push(s); return s; }, completedLingerMs: 20, fetchVideo });
    const changes: string[] = [];
    store.onChange((c) => changes.push('video' in c ? `${c.video.id}:${c.video.status}` : `removed:${c.removedId}`));
    let renders = 0;
    store.subscribe(() => renders++);

    store.track(video({ queue_position: 0 }));
    store.track(video({ queue_position: 0 })); // tracked twice: still one stream
    store.track(video({ id: 'video_2', created_at: 1001, queue_position: 1 }));
    expect(sources).toHaveLength(2);
    expect(store.snapshot().map((v) => v.id)).toEqual(['video_1', 'video_2']); // the queue's order, not newest first

    sources[0]!.emit(video({ status: 'in_progress', progress: 40 }));
    const running = store.snapshot().find((v) => v.id === 'video_1')!;
    expect(running.progress).toBe(40);
    expect(running.started_at).toBeGreaterThan(0);
    // video_1 started, so the queue moved: the waiting job's position is read again.
    expect(fetched).toEqual(['video_2']);
    await Promise.resolve();
    await Promise.resolve();
    expect(store.snapshot().map((v) => [v.id, v.status, v.queue_position])).toEqual([['video_1', 'in_progress', 0], ['video_2', 'queued', 0]]);

    sources[0]!.emit(video({ status: 'completed', progress: 100 }));
    sources[1]!.emit(video({ id: 'video_2', status: 'failed', error: { code: 'cancelled', message: 'x' } }));
    expect(sources.every((s) => s.closed)).toBe(true);
    vi.advanceTimersByTime(19);
    expect(store.snapshot().map((v) => v.id)).toEqual(['video_2', 'video_1']); // still lingering
    vi.advanceTimersByTime(1);
    expect(store.snapshot().map((v) => v.id)).toEqual(['video_2']);
    store.dismiss('video_2');
    expect(store.snapshot()).toEqual([]);
    expect(changes).toContain('video_1:completed');
    expect(changes).toContain('video_2:failed');
    expect(renders).toBeGreaterThan(3);

    store.forget('video_1');
    expect(changes.at(-1)).toBe('removed:video_1');
    store.close();
  });

  it("applies the owner's queue view: new positions (a move to top), the paused state, and waiting videos made elsewhere", () => {
    const store = new JobStore({ openEvents: (u) => new FakeSource(u) });
    store.track(video({ queue_position: 0 }));
    store.track(video({ id: 'video_2', created_at: 1001, queue_position: 1 }));
    expect(store.queuePaused()).toBe(false);
    let renders = 0;
    store.subscribe(() => renders++);
    store.applyQueue({
      object: 'queue', owner_id: 'usr_1', paused: true,
      data: [
        { video: video({ id: 'video_2', created_at: 1001 }), position: null, priority: 10 },
        { video: video(), position: null, priority: 10 },
        { video: video({ id: 'video_3', created_at: 1002 }), position: null, priority: 10 },
      ],
    });
    expect(store.queuePaused()).toBe(true);
    expect(renders).toBeGreaterThan(0);
    // Paused: no positions, but the tray keeps the owner's order.
    expect(store.snapshot().map((v) => [v.id, v.queue_position])).toEqual([['video_2', null], ['video_1', null], ['video_3', null]]);
    // Resumed, and video_2 moved to the top: the tray follows the server's order.
    store.applyQueue({
      object: 'queue', owner_id: 'usr_1', paused: false,
      data: [
        { video: video({ id: 'video_2', created_at: 1001 }), position: 0, priority: 10 },
        { video: video(), position: 1, priority: 10 },
        { video: video({ id: 'video_3', created_at: 1002 }), position: 2, priority: 10 },
      ],
    });
    expect(store.queuePaused()).toBe(false);
    expect(store.snapshot().map((v) => v.id)).toEqual(['video_2', 'video_1', 'video_3']);
    store.close();
  });
});
