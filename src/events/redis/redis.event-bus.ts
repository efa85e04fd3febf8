// Video updates between processes over Redis pub/sub: a worker publishes, every API server's
// listeners (SSE streams, the studio's progress) get it. Events stay hints (the row is the truth,
// and VideoService.watch re-reads it), but a subscription must never die silently: ioredis
// reconnects and re-subscribes by itself, and losing or regaining Redis is logged.
//
// One channel per installation (`<prefix>events`) and one subscriber connection per process, with
// the fan-out to video ids done here, rather than one Redis channel per video:
// - subscribe() stays synchronous and complete when it returns: no SUBSCRIBE round trip per SSE
//   stream, so no event is lost between "subscribed" and "Redis confirmed", and 1,000 streams
//   opening and closing cost Redis nothing;
// - after a reconnect there is one channel to restore, not one per open stream;
// - the price is that every API server receives every update, including ones no local stream
//   wants. Updates are a few per second per running job; each message starts with the video id,
//   so one nobody here listens to is dropped without parsing its JSON. (Per-video channels pay
//   off only with far more running jobs than one Redis-backed installation runs.)
import { Redis } from 'ioredis';
import type { Video } from '../../domain/video.js';
import type { EventBus, VideoListener } from '../event-bus.js';

export interface RedisEventBusOptions {
  /** A connection (shared, not closed here; subscribing uses a duplicate of it) or a URL (owned). */
  redis: Redis | string;
  /** The installation's key prefix; the channel is `<prefix>events`. */
  prefix: string;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

export class RedisEventBus implements EventBus {
  private readonly listeners = new Map<string, Set<VideoListener>>();
  private readonly channel: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly ownsPub: boolean;
  private closed = false;
  private lost = false;

  /** Connects and subscribes; resolves once Redis has confirmed the subscription. */
  static async open(opts: RedisEventBusOptions): Promise<RedisEventBus> {
    const bus = new RedisEventBus(opts);
    try {
      await bus.sub.subscribe(bus.channel);
    } catch (err) {
      await bus.close();
      throw err;
    }
    return bus;
  }

  private constructor(private readonly opts: RedisEventBusOptions) {
    this.channel = `${opts.prefix}events`;
    this.ownsPub = typeof opts.redis === 'string';
    this.pub = typeof opts.redis === 'string' ? new Redis(opts.redis) : opts.redis;
    // A connection in subscriber mode can do nothing else: this one is the bus's own.
    this.sub = this.pub.duplicate();
    // A connection we made has no other owner to listen for its errors (ioredis would print them).
    if (this.ownsPub) this.pub.on('error', () => {});
    this.sub.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.deliver(message);
    });
    this.sub.on('error', (err: Error) => {
      if (!this.lost && !this.closed) opts.log?.('warn', 'live events: Redis connection lost; reconnecting', { err: err.message });
      this.lost = true;
    });
    this.sub.on('close', () => {
      if (!this.lost && !this.closed) opts.log?.('warn', 'live events: Redis connection closed; reconnecting');
      this.lost = true;
    });
    this.sub.on('ready', () => {
      // ioredis has re-subscribed by now (autoResubscribe): listeners keep receiving.
      if (this.lost && !this.closed) opts.log?.('info', 'live events: Redis is back; subscription restored');
      this.lost = false;
    });
    this.sub.on('end', () => {
      if (!this.closed) opts.log?.('error', 'live events: Redis connection ended for good; live progress now comes only from re-reading videos');
    });
  }

  publish(video: Video): void {
    if (this.closed) return;
    // Fire and forget, as for the memory bus: a lost event is covered by re-reading the row.
    this.pub.publish(this.channel, `${video.id}\n${JSON.stringify(video)}`).catch((err: Error) => {
      this.opts.log?.('warn', 'live events: could not publish a video update', { videoId: video.id, err: err.message });
    });
  }

  subscribe(videoId: string, listener: VideoListener): () => void {
    let set = this.listeners.get(videoId);
    if (!set) this.listeners.set(videoId, (set = new Set()));
    // A wrapper per call, so the same function subscribed twice is two subscriptions (as with EventEmitter).
    const one: VideoListener = (v) => listener(v);
    set.add(one);
    return () => {
      set.delete(one);
      if (set.size === 0 && this.listeners.get(videoId) === set) this.listeners.delete(videoId);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.sub.quit().catch(() => this.sub.disconnect());
    if (this.ownsPub) await this.pub.quit().catch(() => this.pub.disconnect());
  }

  private deliver(message: string): void {
    const nl = message.indexOf('\n');
    if (nl < 0) return;
    const set = this.listeners.get(message.slice(0, nl));
    if (!set) return;
    let video: Video;
    try {
      video = JSON.parse(message.slice(nl + 1)) as Video;
    } catch {
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(video);
      } catch (err) {
        this.opts.log?.('error', 'a live-event listener failed', { videoId: video.id, err: (err as Error).message });
      }
    }
  }
}
