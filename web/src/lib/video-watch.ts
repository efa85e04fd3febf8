// Live video updates over Server-Sent Events (GET /v1/videos/{id}/events), no polling loop. The
// server sends the whole video object on every change and ends the stream at completed/failed;
// EventSource reconnects by itself after a network blip, and a stream that can no longer open
// (the video was deleted) is reported as gone.
import { isTerminal, type Video } from './types';

/** What the watcher needs of the browser's EventSource (tests pass a small stand-in). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (ev: { data: string }) => void): void;
  onerror: ((ev: Event) => void) | null;
  close(): void;
}

export const EVENT_TYPES = ['video.queued', 'video.in_progress', 'video.completed', 'video.failed'] as const;
const CLOSED = 2;

export interface WatchHandlers {
  onUpdate(video: Video): void;
  /** The stream closed for good before a terminal status (deleted, or the server refused it). */
  onGone?(): void;
}

export function watchVideo(id: string, handlers: WatchHandlers, open: (url: string) => EventSourceLike = (u) => new EventSource(u)): () => void {
  const source = open(`/v1/videos/${encodeURIComponent(id)}/events`);
  let done = false;
  let lastProgress = -1;
  let lastStatus = '';
  const stop = () => {
    done = true;
    source.close();
  };
  const onMessage = (ev: { data: string }) => {
    if (done) return;
    let video: Video;
    try {
      video = JSON.parse(ev.data) as Video;
    } catch {
      return; // a garbled frame: the next one carries the whole object again
    }
    if (video.id !== id) return;
    // After a reconnect the server repeats the current state: only changes go to the UI.
    if (video.status === lastStatus && video.progress === lastProgress && !isTerminal(video.status)) return;
    lastStatus = video.status;
    lastProgress = video.progress;
    handlers.onUpdate(video);
    if (isTerminal(video.status)) stop();
  };
  for (const type of EVENT_TYPES) source.addEventListener(type, onMessage);
  source.onerror = () => {
    // CONNECTING means the browser is retrying on its own; CLOSED means it gave up (e.g. a 404).
    if (!done && source.readyState === CLOSED) {
      stop();
      handlers.onGone?.();
    }
  };
  return stop;
}
