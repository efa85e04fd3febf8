// Draws the built-in engine's frames: a layered 2.5D landscape (sky gradient, sun, parallax hills)
// with shapes drifting on smooth paths and the prompt as a caption. Everything is derived from a
// PRNG seeded by prompt + seed, so the same request always draws the same pixels.
import { createCanvas, loadImage, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import { between, pick, rngFrom, type Rng } from './prng.js';

interface Layer {
  color: string;
  baseY: number; // fraction of height
  amps: number[];
  freqs: number[];
  phases: number[];
  parallax: number;
}

interface Sprite {
  shape: 'circle' | 'square' | 'triangle' | 'star';
  color: string;
  size: number; // fraction of min(width, height)
  x0: number; y0: number; x1: number; y1: number; // fractions, start and end of the path
  wobble: number;
  spin: number;
}

export interface SketchScene {
  skyTop: string;
  skyBottom: string;
  sun: { x: number; y: number; r: number; color: string; glow: string };
  layers: Layer[];
  sprites: Sprite[];
  pan: number; // fraction of width the camera travels over the whole clip
  caption: string;
}

const hsl = (h: number, s: number, l: number, a = 1) => `hsla(${Math.round(h) % 360}, ${Math.round(s)}%, ${Math.round(l)}%, ${a})`;

export function buildScene(prompt: string, seed: number): SketchScene {
  const rng: Rng = rngFrom(`${seed}\u0000${prompt}`);
  const hue = between(rng, 0, 360);
  const warm = rng() < 0.5;
  const layers: Layer[] = [0, 1, 2].map((i) => ({
    color: hsl(hue + 140 + i * 12, between(rng, 25, 55), 38 - i * 10),
    baseY: 0.55 + i * 0.12,
    amps: [between(rng, 0.03, 0.09), between(rng, 0.01, 0.04), between(rng, 0.005, 0.015)],
    freqs: [between(rng, 0.6, 1.6), between(rng, 2, 4), between(rng, 6, 11)],
    phases: [between(rng, 0, 6.28), between(rng, 0, 6.28), between(rng, 0, 6.28)],
    parallax: 0.35 + i * 0.45,
  }));
  const spriteCount = 3 + Math.floor(rng() * 6);
  const sprites: Sprite[] = Array.from({ length: spriteCount }, () => ({
    shape: pick(rng, ['circle', 'square', 'triangle', 'star'] as const),
    color: hsl(hue + between(rng, 120, 240), between(rng, 55, 85), between(rng, 50, 70)),
    size: between(rng, 0.03, 0.09),
    x0: between(rng, -0.1, 0.5), y0: between(rng, 0.1, 0.6),
    x1: between(rng, 0.5, 1.1), y1: between(rng, 0.1, 0.6),
    wobble: between(rng, 0.01, 0.05),
    spin: between(rng, -2, 2),
  }));
  return {
    skyTop: hsl(hue + (warm ? 200 : 220), between(rng, 40, 70), between(rng, 18, 35)),
    skyBottom: hsl(hue + (warm ? 20 : 180), between(rng, 55, 85), between(rng, 60, 78)),
    sun: { x: between(rng, 0.15, 0.85), y: between(rng, 0.15, 0.4), r: between(rng, 0.05, 0.1), color: hsl(hue + 40, 90, 85), glow: hsl(hue + 40, 90, 70, 0.35) },
    layers,
    sprites,
    pan: between(rng, 0.1, 0.3) * (rng() < 0.5 ? -1 : 1),
    caption: prompt.replace(/\s+/g, ' ').trim().slice(0, 90),
  };
}

/** Smooth start and stop: motion eases in and out instead of jerking. */
const ease = (x: number) => x * x * (3 - 2 * x);

function drawShape(ctx: SKRSContext2D, s: Sprite, x: number, y: number, r: number, angle: number): void {
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(angle);
  ctx.fillStyle = s.color;
  ctx.beginPath();
  if (s.shape === 'circle') ctx.arc(0, 0, r, 0, Math.PI * 2);
  else if (s.shape === 'square') ctx.rect(-r, -r, r * 2, r * 2);
  else {
    const points = s.shape === 'triangle' ? 3 : 10;
    for (let i = 0; i < points; i++) {
      const a = (i / points) * Math.PI * 2 - Math.PI / 2;
      const rr = s.shape === 'star' && i % 2 ? r * 0.45 : r;
      if (i === 0) ctx.moveTo(Math.cos(a) * rr, Math.sin(a) * rr);
      else ctx.lineTo(Math.cos(a) * rr, Math.sin(a) * rr);
    }
    ctx.closePath();
  }
  ctx.fill();
  ctx.restore();
}

export class SketchRenderer {
  private readonly canvas;
  private readonly ctx: SKRSContext2D;

  private constructor(private readonly scene: SketchScene, readonly width: number, readonly height: number, private readonly backdrop: Image | null) {
    this.canvas = createCanvas(width, height);
    this.ctx = this.canvas.getContext('2d');
  }

  static async create(scene: SketchScene, width: number, height: number, backdropPath: string | null): Promise<SketchRenderer> {
    const backdrop = backdropPath ? await loadImage(backdropPath) : null;
    return new SketchRenderer(scene, width, height, backdrop);
  }

  /** Renders the frame at `progress` in [0, 1] and returns its RGBA bytes (a fresh copy). */
  render(progress: number): Buffer {
    const { ctx, width: w, height: h, scene } = this;
    const m = Math.min(w, h);
    const p = ease(Math.max(0, Math.min(1, progress)));

    if (this.backdrop) {
      // Cover-fit the reference image: it is the first frame's backdrop, the scene plays over it.
      const img = this.backdrop;
      const s = Math.max(w / img.width, h / img.height);
      ctx.drawImage(img, (w - img.width * s) / 2, (h - img.height * s) / 2, img.width * s, img.height * s);
    } else {
      const sky = ctx.createLinearGradient(0, 0, 0, h);
      sky.addColorStop(0, scene.skyTop);
      sky.addColorStop(1, scene.skyBottom);
      ctx.fillStyle = sky;
      ctx.fillRect(0, 0, w, h);
      const sun = scene.sun;
      const sx = sun.x * w, sy = (sun.y + 0.05 * p) * h, sr = sun.r * m;
      const glow = ctx.createRadialGradient(sx, sy, sr * 0.5, sx, sy, sr * 3);
      glow.addColorStop(0, sun.glow);
      glow.addColorStop(1, 'rgba(0,0,0,0)');
      ctx.fillStyle = glow;
      ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = sun.color;
      ctx.beginPath();
      ctx.arc(sx, sy, sr, 0, Math.PI * 2);
      ctx.fill();
    }

    ctx.globalAlpha = this.backdrop ? 0.55 : 1;
    for (const layer of scene.layers) {
      const shift = scene.pan * layer.parallax * p;
      ctx.fillStyle = layer.color;
      ctx.beginPath();
      ctx.moveTo(0, h);
      const step = Math.max(2, Math.round(w / 160));
      for (let x = 0; x <= w + step; x += step) {
        const u = x / w + shift;
        let y = layer.baseY;
        for (let k = 0; k < layer.amps.length; k++) y -= layer.amps[k]! * Math.sin(u * layer.freqs[k]! * Math.PI * 2 + layer.phases[k]!);
        ctx.lineTo(x, y * h);
      }
      ctx.lineTo(w, h);
      ctx.closePath();
      ctx.fill();
    }
    ctx.globalAlpha = 1;

    for (const s of scene.sprites) {
      const x = (s.x0 + (s.x1 - s.x0) * p) * w;
      const y = (s.y0 + (s.y1 - s.y0) * p + Math.sin(progress * Math.PI * 4 + s.x0 * 10) * s.wobble) * h;
      drawShape(ctx, s, x, y, s.size * m, s.spin * progress * Math.PI);
    }

    if (scene.caption) {
      const fontPx = Math.max(10, Math.round(m * 0.045));
      ctx.font = `${fontPx}px sans-serif`;
      ctx.fillStyle = 'rgba(0,0,0,0.35)';
      ctx.fillRect(0, h - fontPx * 2.2, w, fontPx * 2.2);
      ctx.fillStyle = 'rgba(255,255,255,0.9)';
      ctx.textBaseline = 'middle';
      ctx.fillText(scene.caption, fontPx * 0.8, h - fontPx * 1.1, w - fontPx * 1.6);
    }
    return this.canvas.data();
  }
}
