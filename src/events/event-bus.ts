// Video updates for live listeners (SSE, the CLI's progress bar). Events are hints: the row in the
// database stays the truth, and listeners that miss one still see the next (or re-read the row).
// In-process now; a Redis pub/sub implementation carries them between processes later.
import { EventEmitter } from 'node:events';
import type { Video } from '../domain/video.js';

export type VideoListener = (video: Video) => void;

export interface EventBus {
  publish(video: Video): void;
  subscribe(videoId: string, listener: VideoListener): () => void;
  close(): Promise<void>;
}

export class MemoryEventBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open SSE stream: many is normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  publish(video: Video): void {
    this.emitter.emit(video.id, video);
  }

  subscribe(videoId: string, listener: VideoListener): () => void {
    this.emitter.on(videoId, listener);
    return () => this.emitter.off(videoId, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
