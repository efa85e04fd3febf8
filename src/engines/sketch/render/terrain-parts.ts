// Building blocks of the backgrounds: ridges (hills, dunes, mountains with snow caps) and rows of
// repeated things (trees, buildings, cacti) placed by hashing world cells so pans stay stable;
// water is in water.ts. terrain.ts combines them into one recipe per setting.
import { type Rng } from '../prng.js';
import type { View } from './camera.js';
import type { Rgb } from './color.js';
import type { Ground } from './layout.js';
import type { Lighting } from './palette.js';

export interface TerrainLayer {
  depth: number;
  draw(view: View, t: number): void;
  /** Water layers: the colour of the water's surface at world height y (pixels). */
  waterColorAt?(y: number): string;
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
