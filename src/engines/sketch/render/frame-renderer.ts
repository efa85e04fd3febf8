// Renders any frame of a scene plan: finds the shot (and, in a crossfade, the previous one), draws
// it, grades it, and returns RGBA bytes for the encoder. Frame i shows time i / fps, so a video of
// `seconds` has exactly seconds × fps frames and every shot starts on the frame nearest its time.
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { ScenePlan, ShotPlan } from '../plan/scene-plan.js';
import { decodeBackdrop, openBackdrop, type BackdropSource } from './backdrop.js';
import { Grader } from './grading.js';
import { ShotRenderer } from './shot-renderer.js';

export interface FrameRendererOptions {
  plan: ScenePlan;
  width: number;
  height: number;
  fps: number;
  seed: number;
  backdropPath?: string | null;
  /** ffmpeg, to decode a JPEG reference at a reduced size; without it JPEGs are decoded whole. */
  ffmpeg?: string;
  /** The first frame to render (an extension renders only the frames after its source's); 0 by default. */
  firstFrame?: number;
}

/** How long a crossfade lasts: half a second, or less in a short shot. */
export function crossfadeSeconds(shot: ShotPlan): number {
  return Math.min(0.5, shot.seconds * 0.3);
}

export class FrameRenderer {
  private readonly canvas: Canvas;
  private readonly ctx: SKRSContext2D;
  private readonly grader: Grader;
  private readonly shots = new Map<number, ShotRenderer>();
  private fadeCanvas: Canvas | null = null;
  readonly frameCount: number;
  private readonly starts: number[];

  /** The pixel size the reference image was decoded at, or null without one. */
  backdropSize: { width: number; height: number } | null = null;

  private constructor(private readonly opts: FrameRendererOptions, private readonly source: BackdropSource | null) {
    this.canvas = createCanvas(opts.width, opts.height);
    this.ctx = this.canvas.getContext('2d');
    this.grader = new Grader(opts.seed, opts.width, opts.height);
    const total = opts.plan.shots.reduce((sum, s) => sum + s.seconds, 0);
    this.frameCount = Math.round(total * opts.fps);
    this.starts = opts.plan.shots.map((s) => Math.round(s.start * opts.fps));
  }

  static async create(opts: FrameRendererOptions): Promise<FrameRenderer> {
    const source = opts.backdropPath ? await openBackdrop(opts.backdropPath) : null;
    const renderer = new FrameRenderer(opts, source);
    if (source) {
      // The first shot says how large the image must be (frame, camera travel, zoom); it is decoded
      // at that size, so a huge photo never becomes a huge bitmap.
      const first = renderer.shot(0);
      const size = first.backdropSize()!;
      first.setBackdrop(await decodeBackdrop(source, size.width, size.height, { ffmpeg: opts.ffmpeg }));
      renderer.backdropSize = size;
    }
    return renderer;
  }

  /** Index of the shot frame `i` belongs to. */
  shotAt(i: number): number {
    let k = 0;
    while (k + 1 < this.starts.length && i >= this.starts[k + 1]!) k++;
    return k;
  }

  private shot(k: number): ShotRenderer {
    let r = this.shots.get(k);
    if (!r) {
      // The backdrop is the first shot's set (it is the video's first frame); later shots draw their own.
      r = new ShotRenderer(this.opts.plan.shots[k]!, this.opts.width, this.opts.height, this.opts.seed, k === 0 ? this.source : null);
      this.shots.set(k, r);
      // Keep at most the current and previous shot alive: memory stays flat however long the
      // storyboard. The first shot stays when it holds the reference image (decoded only once).
      for (const key of this.shots.keys()) if (key < k - 1 && !(key === 0 && this.source)) this.shots.delete(key);
    }
    return r;
  }

  /** Draws frame `i` into the renderer's canvas (no readback). */
  drawFrame(i: number): SKRSContext2D {
    const { fps, width: W, height: H } = this.opts;
    const k = this.shotAt(i);
    const shot = this.opts.plan.shots[k]!;
    const t = (i - this.starts[k]!) / fps;
    this.shot(k).draw(this.ctx, t);
    const fade = k > 0 && shot.transition === 'crossfade' ? crossfadeSeconds(shot) : 0;
    if (fade > 0 && t < fade) {
      // The previous shot keeps running under the new one and fades out.
      this.fadeCanvas ??= createCanvas(W, H);
      const fctx = this.fadeCanvas.getContext('2d');
      const prev = this.opts.plan.shots[k - 1]!;
      this.shot(k - 1).draw(fctx, prev.seconds + t);
      this.ctx.globalAlpha = 1 - t / fade;
      this.ctx.drawImage(this.fadeCanvas, 0, 0);
      this.ctx.globalAlpha = 1;
    }
    this.grader.apply(this.ctx, shot.style, i);
    return this.ctx;
  }

  /** RGBA bytes of frame `i` (a fresh buffer the caller owns). */
  render(i: number): Buffer {
    const px = this.pixels(i);
    return Buffer.from(px.buffer, px.byteOffset, px.byteLength);
  }

  /**
   * RGBA bytes of frame `i` as a V8-owned array. Frames are opaque, so unpremultiplied and
   * premultiplied pixels are the same; V8 accounts for this memory, unlike canvas.data()'s.
   */
  pixels(i: number): Uint8ClampedArray {
    this.drawFrame(i);
    return this.ctx.getImageData(0, 0, this.opts.width, this.opts.height).data;
  }

  /**
   * Draws frame `i` and copies its RGBA bytes into `target`, reading back in strips of under
   * 128 KB: V8 allocates those in its young generation and reuses the memory, where a whole-frame
   * array would be a fresh mapping (and thousands of page faults) on every frame.
   */
  pixelsInto(i: number, target: Uint8Array): void {
    this.drawFrame(i);
    const { width: W, height: H } = this.opts;
    const rows = Math.max(1, Math.floor(120_000 / (W * 4)));
    for (let y = 0; y < H; y += rows) {
      const strip = this.ctx.getImageData(0, y, W, Math.min(rows, H - y)).data;
      target.set(strip, y * W * 4);
    }
  }
}
