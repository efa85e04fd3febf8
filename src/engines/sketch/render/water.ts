// Animated water: a gradient near the horizon over solid deep water, wave crests gliding across
// it, and glitter under the sun or moon. When the camera keeps its scale the still parts (the
// gradient band, the shape of each row's crest) are painted once per shot in device pixels and
// copied at whole-pixel offsets: rasterising a gradient or a curved stroke costs several times
// a copy, and the crests sit on whole pixels anyway (see below).
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { css, mix } from './color.js';
import type { Ctx, TerrainLayer } from './terrain-parts.js';

interface CrestRow { y: number; amp: number; len: number; speed: number; count: number }

/** Painted once per shot for a steady camera scale: the gradient band and one sprite per crest row. */
interface Sprites { scale: number; band: Canvas; bandHeight: number; crests: Array<{ canvas: Canvas; x: number; y: number }> }

export function water(c: Ctx, depth: number, top: number, bottom: number, calm: boolean): TerrainLayer {
  const { W, H, lighting } = c;
  const topC = css(lighting.water.top), deepC = css(lighting.water.deep);
  const glint = lighting.water.highlight;
  const crestColor = css(glint, calm ? 0.18 : 0.3);
  const lineWidth = Math.max(1, H / 500);
  const seeds = Array.from({ length: 40 }, () => [c.rng(), c.rng(), c.rng()] as const);
  const y0 = top * H, y1 = bottom * H;
  // Most of the colour change happens near the horizon: a gradient there, solid water below
  // (gradients cost several times a solid fill to rasterise).
  const band = (y1 - y0) * 0.4;
  // Crest rows: denser, smaller and slower toward the horizon.
  const rows: CrestRow[] = Array.from({ length: 14 }, (_, i) => {
    const k = i / 14;
    return {
      y: y0 + (y1 - y0) * k * k + 2,
      amp: (1 + 5 * k) * (calm ? 0.4 : 1) * (H / 720),
      len: H * (0.04 + 0.1 * k),
      speed: (calm ? 6 : 16) * (0.4 + k) * (H / 720),
      count: 6 + i,
    };
  });
  // One gradient from the horizon's colour to the deep water's, painted in a sprite or in place.
  const bandGradient = (ctx: SKRSContext2D, y: number, height: number) => {
    const g = ctx.createLinearGradient(0, y, 0, y + height);
    g.addColorStop(0, topC);
    g.addColorStop(1, deepC);
    return g;
  };
  const arch = (ctx: SKRSContext2D, x: number, y: number, len: number, amp: number) => {
    ctx.moveTo(x, y);
    ctx.quadraticCurveTo(x + len / 2, y - amp, x + len, y);
  };
  let sprites: Sprites | null = null;
  const paintSprites = (s: number): Sprites => {
    const bandHeight = Math.ceil(band * s) + 1;
    const bandCanvas = createCanvas(W, bandHeight);
    const bctx = bandCanvas.getContext('2d', { alpha: false });
    bctx.fillStyle = bandGradient(bctx, 0, band * s);
    bctx.fillRect(0, 0, W, bandHeight);
    const pad = Math.ceil((lineWidth * s) / 2) + 2;
    const crests = rows.map((row) => {
      const canvas = createCanvas(Math.ceil(row.len * s) + 2 * pad, Math.ceil((row.amp * s) / 2) + 2 * pad);
      const x = pad, y = canvas.height - pad;
      const cctx = canvas.getContext('2d');
      cctx.strokeStyle = crestColor;
      cctx.lineWidth = lineWidth * s;
      cctx.beginPath();
      arch(cctx, x, y, row.len * s, row.amp * s);
      cctx.stroke();
      return { canvas, x, y };
    });
    return { scale: s, band: bandCanvas, bandHeight, crests };
  };

  return {
    depth,
    waterColorAt: (y) => css(mix(lighting.water.top, lighting.water.deep, Math.max(0, Math.min(1, (y - y0) / band)))),
    draw(view, t) {
      view.layer(depth, (r) => {
        const ctx = view.ctx;
        const m = ctx.getTransform();
        const steady = view.steadyScale;
        // Device pixel of a world point, for copies made with the identity transform.
        const dx = (x: number) => Math.round(x * m.a + m.e);
        const dy = (y: number) => Math.round(y * m.d + m.f);
        if (steady && sprites?.scale !== m.a) sprites = paintSprites(m.a);
        if (steady && sprites) {
          const top = dy(y0);
          ctx.save();
          ctx.setTransform(1, 0, 0, 1, 0, 0);
          ctx.drawImage(sprites.band, 0, top);
          ctx.fillStyle = deepC;
          ctx.fillRect(0, top + band * m.a, W, view.height);
          ctx.restore();
        } else {
          ctx.fillStyle = bandGradient(ctx, y0, band);
          ctx.fillRect(r.left - 10, y0, r.right - r.left + 20, band + 1);
          ctx.fillStyle = deepC;
          ctx.fillRect(r.left - 10, y0 + band, r.right - r.left + 20, Math.max(y1, r.bottom) - y0 - band + 10);
        }
        // Wave crests glide across the water and rise and fall as they ride a swell. Each is a
        // rigid shape: an encoder spends its time on every block that changes between frames, so
        // crests that flexed every frame (as they once did) cost ~20% of x264's work on a still
        // sea shot. With a steady scale they sit on whole device pixels and move in whole-pixel
        // steps, so a slow crest leaves its blocks untouched on the frames where it does not step.
        const copying = steady && sprites !== null;
        if (copying) {
          ctx.save();
          ctx.setTransform(1, 0, 0, 1, 0, 0);
        } else {
          ctx.strokeStyle = crestColor;
          ctx.lineWidth = lineWidth;
          ctx.beginPath();
        }
        rows.forEach((row, i) => {
          const { y, amp, len, speed } = row;
          // Crests repeat every `period` world pixels (a frame width and some), so pans find
          // them where they were and zooms scale them with the water.
          const period = W + len * 4;
          for (const [a, b] of seeds.slice(0, row.count)) {
            const home = (((a * period + t * speed * (b > 0.5 ? 1 : -1)) % period) + period) % period - len * 2;
            for (let x = home + Math.floor((r.left - len - home) / period + 1) * period; x < r.right + len; x += period) {
              if (!copying) {
                arch(ctx, x, y + Math.sin((x / len) * Math.PI + b * 6) * amp * 0.5, len, amp);
                continue;
              }
              // The swell follows the placed position, so the crest moves only when it steps.
              const px = dx(x);
              const py = dy(y + Math.sin(((px - m.e) / m.a / len) * Math.PI + b * 6) * amp * 0.5);
              const sprite = sprites!.crests[i]!;
              ctx.drawImage(sprite.canvas, px - sprite.x, py - sprite.y);
            }
          }
        });
        if (copying) ctx.restore();
        else ctx.stroke();
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
