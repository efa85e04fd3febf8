// Building blocks of the backgrounds: ridges (hills, dunes, mountains with snow caps), rows of
// repeated things (trees, buildings, cacti) placed by hashing world cells so pans stay stable, and
// animated water. terrain.ts combines them into one recipe per setting.
import { type Rng } from '../prng.js';
import type { View } from './camera.js';
import { css, type Rgb } from './color.js';
import type { Ground } from './layout.js';
import type { Lighting } from './palette.js';

export interface TerrainLayer {
  depth: number;
  draw(view: View, t: number): void;
}


export interface Ctx {
  W: number;
  H: number;
  lit: (c: Rgb, far?: number) => string;
  /** Ground colour, under a layer of snow when it snows. */
  ground: (c: Rgb) => Rgb;
  lighting: Lighting;
  rng: Rng;
  g: Ground;
}

/**
 * A filled silhouette y = base - Σ amp·sin(freq·x + phase), in fractions of the frame height.
 * `jagged` folds the sines into peaks; `cap` paints what rises above a line (snow on summits).
 */
export function ridge(c: Ctx, depth: number, color: string, base: number, waves: Array<[amp: number, freq: number]>, jagged = false, cap?: { color: string; line: number }): TerrainLayer {
  const phases = waves.map(() => c.rng() * 6.28);
  const { H } = c;
  const yAt = (x: number) => {
    let y = base;
    waves.forEach(([a, f], k) => {
      const s = Math.sin((x / H) * f * 6.28 + phases[k]!);
      y -= a * (jagged ? 1 - Math.abs(s) * 2 : s);
    });
    return y * H;
  };
  return {
    depth,
    draw(view) {
      view.layer(depth, (r) => {
        const ctx = view.ctx;
        const step = Math.max(3, (r.right - r.left) / 160);
        ctx.fillStyle = color;
        ctx.beginPath();
        ctx.moveTo(r.left - step, r.bottom + 10);
        for (let x = r.left - step; x <= r.right + step; x += step) ctx.lineTo(x, yAt(x));
        ctx.lineTo(r.right + step, r.bottom + 10);
        ctx.closePath();
        ctx.fill();
        if (cap) {
          ctx.fillStyle = cap.color;
          ctx.beginPath();
          const capY = (x: number) => (cap.line + 0.012 * Math.sin(x / (H * 0.05))) * H;
          ctx.moveTo(r.left - step, capY(r.left - step));
          for (let x = r.left - step; x <= r.right + step; x += step) ctx.lineTo(x, Math.min(yAt(x), capY(x)));
          ctx.lineTo(r.right + step, capY(r.right + step));
          ctx.closePath();
          ctx.fill();
        }
      });
    },
  };
}

/** Things repeated along the ground (trees, buildings, cacti): placed per cell by a hash, so they are stable under pans. */
export function rowOf(c: Ctx, depth: number, base: number, spacing: number, drawOne: (ctx: View['ctx'], x: number, y: number, h: number, cell: number) => void, density = 1): TerrainLayer {
  const salt = Math.floor(c.rng() * 1e6);
  const hash = (n: number) => {
    let h = (n * 374761393 + salt * 668265263) | 0;
    h = Math.imul(h ^ (h >>> 13), 1274126177);
    return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
  };
  const { H } = c;
  return {
    depth,
    draw(view) {
      view.layer(depth, (r) => {
        const cellW = spacing * H;
        for (let cell = Math.floor(r.left / cellW) - 1; cell <= Math.ceil(r.right / cellW) + 1; cell++) {
          if (hash(cell) > density) continue;
          const x = (cell + hash(cell + 7919)) * cellW;
          drawOne(view.ctx, x, base * H, H * (0.6 + 0.8 * hash(cell + 104729)), cell);
        }
      });
    },
  };
}

export function pine(color: string, trunk: string) {
  return (ctx: View['ctx'], x: number, y: number, h: number) => {
    const s = h * 0.16;
    ctx.fillStyle = trunk;
    ctx.fillRect(x - s * 0.08, y - s * 0.25, s * 0.16, s * 0.3);
    ctx.fillStyle = color;
    ctx.beginPath();
    for (let k = 0; k < 3; k++) {
      const top = y - s * (0.5 + k * 0.35);
      const half = s * (0.38 - k * 0.09);
      ctx.moveTo(x, top - s * 0.35);
      ctx.lineTo(x + half, top + s * 0.18);
      ctx.lineTo(x - half, top + s * 0.18);
    }
    ctx.fill();
  };
}

export function water(c: Ctx, depth: number, top: number, bottom: number, calm: boolean): TerrainLayer {
  const { W, H, lighting } = c;
  const topC = css(lighting.water.top), deepC = css(lighting.water.deep);
  const glint = lighting.water.highlight;
  const seeds = Array.from({ length: 40 }, () => [c.rng(), c.rng(), c.rng()] as const);
  return {
    depth,
    draw(view, t) {
      view.layer(depth, (r) => {
        const ctx = view.ctx;
        const y0 = top * H, y1 = bottom * H;
        // Most of the colour change happens near the horizon: a gradient there, solid water below
        // (gradients cost several times a solid fill to rasterise).
        const band = (y1 - y0) * 0.4;
        const g = ctx.createLinearGradient(0, y0, 0, y0 + band);
        g.addColorStop(0, topC);
        g.addColorStop(1, deepC);
        ctx.fillStyle = g;
        ctx.fillRect(r.left - 10, y0, r.right - r.left + 20, band + 1);
        ctx.fillStyle = deepC;
        ctx.fillRect(r.left - 10, y0 + band, r.right - r.left + 20, Math.max(y1, r.bottom) - y0 - band + 10);
        // Wave crests: thin bright arches, denser and slower toward the horizon, that glide
        // across the water and rise and fall as they ride a swell. Each is a rigid shape: an
        // encoder spends its time on every block that changes between frames, so a crest that
        // flexed every frame (as they once did) cost ~20% of x264's work on a still sea shot.
        // With a steady scale they also sit on whole device pixels and move in whole-pixel steps,
        // so a slow crest leaves its blocks untouched on the frames where it does not step.
        ctx.strokeStyle = css(glint, calm ? 0.18 : 0.3);
        ctx.lineWidth = Math.max(1, H / 500);
        ctx.beginPath();
        const m = ctx.getTransform();
        const snap = view.steadyScale;
        for (let i = 0; i < 14; i++) {
          const k = i / 14;
          const y = y0 + (y1 - y0) * k * k + 2;
          const amp = (1 + 5 * k) * (calm ? 0.4 : 1) * (H / 720);
          const len = H * (0.04 + 0.1 * k);
          const speed = (calm ? 6 : 16) * (0.4 + k) * (H / 720);
          // Crests repeat every `period` world pixels (a frame width and some), so pans find
          // them where they were and zooms scale them with the water.
          const period = W + len * 4;
          for (const [a, b] of seeds.slice(0, 6 + i)) {
            const home = (((a * period + t * speed * (b > 0.5 ? 1 : -1)) % period) + period) % period - len * 2;
            for (let x = home + Math.floor((r.left - len - home) / period + 1) * period; x < r.right + len; x += period) {
              let cx = x;
              if (snap) cx = (Math.round(cx * m.a + m.e) - m.e) / m.a;
              // The swell follows the (placed) position, so the crest moves only when it steps.
              let cy = y + Math.sin((cx / len) * Math.PI + b * 6) * amp * 0.5;
              if (snap) cy = (Math.round(cy * m.d + m.f) - m.f) / m.d;
              ctx.moveTo(cx, cy);
              ctx.quadraticCurveTo(cx + len / 2, cy - amp, cx + len, cy);
            }
          }
        }
        ctx.stroke();
        // Glitter under the sun or moon.
        const body = lighting.body;
        if (body) {
          ctx.fillStyle = css(glint, 0.7);
          const bx = body.x * W;
          for (let i = 0; i < seeds.length; i++) {
            const [a, b, d] = seeds[i]!;
            if (Math.sin(t * 3 + d * 20) < 0.2) continue;
            const k = a;
            const y = y0 + (y1 - y0) * k * k * 0.8 + 3;
            const spread = (0.02 + 0.12 * k) * H;
            ctx.fillRect(bx + (b - 0.5) * 2 * spread, y, H * (0.01 + 0.03 * k), Math.max(1, H * 0.003 * (1 + k)));
          }
        }
      });
    },
  };
}

