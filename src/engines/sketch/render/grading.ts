// Textures laid over a finished frame for styles that want them: moving film grain, paper, a
// vignette, projector flicker and scratches. Each texture is painted once and then copied at
// whole-pixel offsets (skia's fast path); colour changes are done earlier, in style.ts.
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Style } from '../plan/scene-plan.js';
import { rngFrom } from '../prng.js';

const TILE = 256;

export class Grader {
  private grain: Canvas | null = null;
  private paper: Canvas | null = null;
  private vignette = new Map<number, Canvas>();

  constructor(private readonly seed: number, private readonly width: number, private readonly height: number) {}

  /** Applies the styles' textures to the frame in `ctx`; `frame` moves the grain and flicker. */
  apply(ctx: SKRSContext2D, styles: readonly Style[], frame: number): void {
    const has = (s: Style) => styles.includes(s);
    const W = this.width, H = this.height;
    ctx.save();
    if (has('watercolor')) {
      // Paper does not move between frames.
      ctx.globalCompositeOperation = 'multiply';
      ctx.drawImage(this.paper ??= this.texture('paper', 0.55, 1, 0.35), 0, 0);
      ctx.globalCompositeOperation = 'source-over';
    }
    if (has('noir') || has('vintage')) {
      // Film grain is never in the same place twice.
      ctx.drawImage(this.grain ??= this.texture('grain', 0, 1, has('vintage') ? 0.16 : 0.12), -((frame * 97) % TILE), -((frame * 57) % TILE));
      ctx.drawImage(this.vignetteCanvas(has('noir') ? 0.55 : 0.45), 0, 0);
    }
    if (has('vintage')) {
      const flicker = Math.sin(frame * 2.3) * 0.5 + Math.sin(frame * 0.7) * 0.5;
      ctx.fillStyle = flicker > 0 ? `rgba(255,255,255,${(flicker * 0.05).toFixed(3)})` : `rgba(0,0,0,${(-flicker * 0.05).toFixed(3)})`;
      ctx.fillRect(0, 0, W, H);
      if (frame % 7 < 2) {
        ctx.fillStyle = 'rgba(255,248,224,0.35)';
        ctx.fillRect((((frame * 7919) % 97) / 97) * W, 0, Math.max(1, H / 500), H);
      }
    }
    ctx.restore();
  }

  /** Noise larger than the frame by a tile, so it can be offset every frame without gaps. */
  private texture(name: string, lo: number, hi: number, alpha: number): Canvas {
    const rng = rngFrom(`${name}:${this.seed}`);
    const tile = createCanvas(TILE, TILE);
    const tctx = tile.getContext('2d');
    const img = tctx.createImageData(TILE, TILE);
    for (let i = 0; i < img.data.length; i += 4) {
      const v = Math.round((lo + (hi - lo) * rng()) * 255);
      img.data[i] = v;
      img.data[i + 1] = v;
      img.data[i + 2] = v;
      img.data[i + 3] = Math.round(alpha * 255);
    }
    tctx.putImageData(img, 0, 0);
    const big = createCanvas(this.width + TILE, this.height + TILE);
    const bctx = big.getContext('2d');
    bctx.fillStyle = bctx.createPattern(tile, 'repeat')!;
    bctx.fillRect(0, 0, big.width, big.height);
    return big;
  }

  private vignetteCanvas(strength: number): Canvas {
    let v = this.vignette.get(strength);
    if (!v) {
      const W = this.width, H = this.height;
      v = createCanvas(W, H);
      const vctx = v.getContext('2d');
      const g = vctx.createRadialGradient(W / 2, H / 2, Math.min(W, H) * 0.35, W / 2, H / 2, Math.hypot(W, H) * 0.55);
      g.addColorStop(0, 'rgba(0,0,0,0)');
      g.addColorStop(1, `rgba(0,0,0,${strength})`);
      vctx.fillStyle = g;
      vctx.fillRect(0, 0, W, H);
      this.vignette.set(strength, v);
    }
    return v;
  }
}
