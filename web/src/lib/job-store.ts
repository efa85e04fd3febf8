// The jobs the studio is watching: every queued or running video, each followed over its own SSE
// stream, plus finished ones until they are dismissed (a completed one leaves by itself after a
// moment; a failure stays until read). Pages subscribe to the list, and the library subscribes to
// changes so its cards stay current without re-fetching. When a job starts or ends, the queue
// moves: the positions of the jobs still waiting are read again. The owner's queue view (paused,
// positions after a reorder or someone else's job starting) is applied with applyQueue().
import { api } from './api';
import { trayOrder } from './tray';
import { watchVideo, type EventSourceLike } from './video-watch';
import { isTerminal, type QueueView, type Video } from './types';

export type ChangeListener = (change: { video: Video } | { removedId: string }) => void;

export interface JobStoreOptions {
  openEvents?: (url: string) => EventSourceLike;
  /** How long a completed job stays in the tray. */
  completedLingerMs?: number;
  /** Reads one video with its queue position (GET /v1/videos/{id}). */
  fetchVideo?: (id: string) => Promise<Video>;
}

export class JobStore {
  private readonly jobs = new Map<string, Video>();
  private readonly watches = new Map<string, () => void>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners = new Set<() => void>();
  private readonly changeListeners = new Set<ChangeListener>();
  private cached: Video[] = [];
  private paused = false;

  constructor(private readonly opts: JobStoreOptions = {}) {}

  /** Tray order (tray.ts): rendering, then queued next first, then finished; the same array until something changes. */
  snapshot = (): Video[] => this.cached;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** Whether the owner's queue is paused, as the last queue view said. */
  queuePaused = (): boolean => this.paused;

  /**
   * A fresh queue view (GET /api/queue, or the answer to a pause, move or priority change): the
   * positions of the waiting jobs shown here, and the paused state. Waiting videos not yet shown
   * (made in another tab, or by the CLI) are tracked too, so the tray shows the whole queue.
   */
  applyQueue(view: QueueView): void {
    let changed = this.paused !== view.paused;
    this.paused = view.paused;
    view.data.forEach(({ video, position }, place) => {
      const cur = this.jobs.get(video.id);
      if (!cur) {
        this.track({ ...video, queue_position: position, queue_place: place });
        return;
      }
      if (cur.status !== 'queued' || (cur.queue_position === position && cur.queue_place === place)) return;
      this.jobs.set(video.id, { ...cur, queue_position: position, queue_place: place });
      changed = true;
    });
    if (changed) this.emit();
  }

  onChange(fn: ChangeListener): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  /** Shows a video in the tray and follows it live until it finishes. */
  track(video: Video): void {
    this.put(video);
    if (!isTerminal(video.status) && !this.watches.has(video.id)) {
      const stop = watchVideo(video.id, {
        onUpdate: (v) => {
          const prev = this.jobs.get(v.id);
          // The event stream carries the OpenAI object, which has no start time: note it here.
          const startedAt = prev?.started_at ?? (v.status === 'in_progress' ? Math.floor(Date.now() / 1000) : null);
          this.put({ ...prev, ...v, started_at: startedAt });
        },
        onGone: () => this.forget(video.id),
      }, this.opts.openEvents);
      this.watches.set(video.id, stop);
    }
  }

  /** Removes a job from the tray only (the video stays in the library). */
  dismiss(id: string): void {
    this.stop(id);
    if (this.jobs.delete(id)) this.emit();
  }

  /** The video is gone (deleted): out of the tray and out of every list. */
  forget(id: string): void {
    this.dismiss(id);
    for (const fn of this.changeListeners) fn({ removedId: id });
  }

  /** A change made elsewhere (favourite, cancel): passed to listeners, and to the tray if shown. */
  announce(video: Video): void {
    if (this.jobs.has(video.id)) this.put(video);
    else for (const fn of this.changeListeners) fn({ video });
  }

  close(): void {
    for (const id of [...this.watches.keys()]) this.stop(id);
    this.listeners.clear();
    this.changeListeners.clear();
  }

  private put(video: Video): void {
    const before = this.jobs.get(video.id)?.status;
    this.jobs.set(video.id, video);
    if (before !== undefined && before !== video.status) this.refreshQueue();
    if (isTerminal(video.status)) {
      this.stop(video.id);
      if (video.status === 'completed' && !this.timers.has(video.id)) {
        this.timers.set(video.id, setTimeout(() => this.dismiss(video.id), this.opts.completedLingerMs ?? 6000));
      }
    }
    this.emit();
    for (const fn of this.changeListeners) fn({ video });
  }

  /** The queue moved (a job started, finished or was cancelled): re-read the waiting jobs' positions. */
  private refreshQueue(): void {
    const fetchVideo = this.opts.fetchVideo ?? api.video;
    for (const job of this.jobs.values()) {
      if (job.status !== 'queued') continue;
      fetchVideo(job.id).then((fresh) => {
        const cur = this.jobs.get(job.id);
        if (!cur || cur.status !== 'queued' || fresh.status !== 'queued' || cur.queue_position === fresh.queue_position) return;
        this.jobs.set(job.id, { ...cur, queue_position: fresh.queue_position ?? null });
        this.emit();
      }, () => { /* a position is a nicety: the next change tries again */ });
    }
  }

  private stop(id: string): void {
    this.watches.get(id)?.();
    this.watches.delete(id);
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  private emit(): void {
    this.cached = trayOrder([...this.jobs.values()]);
    for (const fn of this.listeners) fn();
  }
}
