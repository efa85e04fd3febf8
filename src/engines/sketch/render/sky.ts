// The sky: gradient, stars, aurora, rainbow, sun or moon with its glow, and drifting clouds.
// Far layers (tiny parallax), so camera moves barely shift them.
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import type { ShotPlan } from '../plan/scene-plan.js';
import { between, type Rng } from '../prng.js';
import type { View } from './camera.js';
import { css, light, mix, type Rgb } from './color.js';
import type { Lighting } from './palette.js';
import type { ColorGrade } from './style.js';

interface Star { x: number; y: number; r: number; phase: number }
interface Cloud { x: number; y: number; puffs: Array<{ dx: number; dy: number; r: number }>; speed: number }

export interface SkyModel {
  stars: Star[];
  clouds: Cloud[];
  cloudColor: string;
  cloudShade: string;
  aurora: boolean;
  rainbow: boolean;
  /** Width of the world strip clouds wrap around in (wider than any pan). */
  span: number;
  /** The still sky, painted on first use (see skyBackdrop). */
  backdrop: Canvas | null;
}

export function buildSky(shot: ShotPlan, lighting: Lighting, W: number, H: number, horizon: number, rng: Rng, grade: ColorGrade): SkyModel {
  const span = W * 3;
  const starCount = Math.round(lighting.stars * (shot.effects.includes('stars') ? 260 : 160));
  const stars = Array.from({ length: starCount }, () => ({ x: between(rng, -W, 2 * W), y: between(rng, 0, horizon * H * 0.95), r: between(rng, 0.5, 1.8) * Math.max(0.6, H / 720), phase: rng() * 6.28 }));
  const w = shot.weather.kind;
  const cloudCount = w === 'clear' ? (shot.setting === 'space' || shot.setting === 'underwater' ? 0 : 3) : w === 'clouds' ? 7 : w === 'fog' ? 2 : 9;
  const clouds = Array.from({ length: shot.setting === 'interior' ? 0 : cloudCount }, () => {
    const size = between(rng, 0.05, 0.11) * H * (w === 'clear' ? 0.8 : 1.2);
    const puffs = Array.from({ length: 5 + Math.floor(rng() * 4) }, (_, i) => ({ dx: (i - 3) * size * 0.7 + between(rng, -0.2, 0.2) * size, dy: -between(rng, 0, 0.6) * size, r: size * between(rng, 0.6, 1.1) }));
    return { x: between(rng, -W, 2 * W), y: between(rng, 0.08, Math.max(0.1, horizon - 0.15)) * H, puffs, speed: between(rng, 4, 14) * (H / 720) };
  });
  const stormy = w === 'rain' || w === 'storm';
  const base: Rgb = stormy ? [120, 124, 134] : w === 'snow' ? [225, 228, 236] : [250, 250, 252];
  const lit = grade(light(base, mix(lighting.ambient, [255, 255, 255], 0.25), lighting.skyHorizon, 0.25));
  return {
    stars,
    clouds,
    cloudColor: css(lit, stormy ? 0.92 : 0.85),
    cloudShade: css(mix(lit, lighting.skyTop, 0.35), stormy ? 0.9 : 0.6),
    aurora: shot.effects.includes('aurora'),
    rainbow: shot.effects.includes('rainbow'),
    span,
    backdrop: null,
  };
}

/** How far (as a fraction of height) the cached sky extends beyond the frame, for camera moves. */
const SKY_MARGIN = 0.06;
const BODY_DEPTH = 0.05;

/**
 * The still part of the sky (gradient, sun or moon and its glow), painted once per shot into a
 * canvas a little larger than the frame. Gradients are the costliest thing to rasterise; copying
 * this canvas at a whole-pixel offset each frame costs a third as much as repainting it.
 */
function skyBackdrop(lighting: Lighting, W: number, H: number, horizon: number): Canvas {
  const m = Math.ceil(SKY_MARGIN * H);
  const canvas = createCanvas(W + 2 * m, H + 2 * m);
  // Opaque (the gradient covers it all): copying an opaque image over the whole frame lets skia
  // drop the frame's previous pixels instead of keeping a copy of them, and skip blending.
  const ctx = canvas.getContext('2d', { alpha: false });
  const g = ctx.createLinearGradient(0, m, 0, m + H * Math.max(0.3, horizon + 0.05));
  g.addColorStop(0, css(lighting.skyTop));
  g.addColorStop(1, css(lighting.skyHorizon));
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (lighting.body) {
    const b = lighting.body;
    const x = m + b.x * W, y = m + b.y * H, r = b.radius * H;
    const glow = ctx.createRadialGradient(x, y, r * 0.6, x, y, r * 5);
    glow.addColorStop(0, css(b.glow, 0.55));
    glow.addColorStop(1, css(b.glow, 0));
    ctx.fillStyle = glow;
    ctx.fillRect(x - r * 5, y - r * 5, r * 10, r * 10);
    ctx.fillStyle = css(b.color);
    ctx.beginPath();
    ctx.arc(x, y, r, 0, Math.PI * 2);
    ctx.fill();
    if (b.kind === 'moon') {
      ctx.fillStyle = css(mix(b.color, [150, 150, 150], 0.35), 0.5);
      for (const [dx, dy, rr] of [[-0.3, -0.2, 0.22], [0.25, 0.15, 0.15], [0.05, 0.4, 0.1]] as const) {
        ctx.beginPath();
        ctx.arc(x + dx * r, y + dy * r, rr * r, 0, Math.PI * 2);
        ctx.fill();
      }
    }
  }
  return canvas;
}

export function drawSky(view: View, sky: SkyModel, lighting: Lighting, horizon: number, t: number): void {
  const { ctx, width: W, height: H, cam } = view;
  sky.backdrop ??= skyBackdrop(lighting, W, H, horizon);
  const m = Math.ceil(SKY_MARGIN * H);
  // Whole-pixel offsets keep the copy on skia's fast path; the sky is far enough for that to be invisible.
  const dx = Math.max(-m, Math.min(m, Math.round(cam.x * BODY_DEPTH * H)));
  const dy = Math.max(-m, Math.min(m, Math.round(cam.y * BODY_DEPTH * H)));
  ctx.drawImage(sky.backdrop, -m - dx, -m - dy);

  if (sky.stars.length) {
    view.layer(0.02, () => {
      ctx.fillStyle = 'rgb(255,255,245)';
      for (const s of sky.stars) {
        ctx.globalAlpha = 0.55 + 0.45 * Math.sin(t * 2.2 + s.phase);
        ctx.beginPath();
        ctx.arc(s.x, s.y, s.r, 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
    });
  }

  if (sky.aurora) {
    view.layer(0.04, (r) => {
      for (let band = 0; band < 3; band++) {
        ctx.fillStyle = band === 1 ? 'rgba(140,90,255,0.16)' : 'rgba(80,255,170,0.2)';
        ctx.beginPath();
        const top = H * (0.08 + band * 0.06);
        ctx.moveTo(r.left, top);
        for (let x = r.left; x <= r.right + 20; x += 20) ctx.lineTo(x, top + Math.sin(x / (H * 0.25) + t * 0.5 + band) * H * 0.05);
        for (let x = r.right + 20; x >= r.left; x -= 20) ctx.lineTo(x, top + H * 0.16 + Math.sin(x / (H * 0.3) + t * 0.4 + band * 2) * H * 0.04);
        ctx.closePath();
        ctx.fill();
      }
    });
  }

  if (sky.rainbow) {
    view.layer(0.08, () => {
      const colors = ['#ff4040', '#ff9a30', '#ffe640', '#50d050', '#40a0ff', '#5050e0', '#a050e0'];
      const cx = W * 0.55, cy = horizon * H + H * 0.1, r0 = H * 0.55;
      ctx.lineWidth = H * 0.018;
      colors.forEach((c, i) => {
        ctx.strokeStyle = c;
        ctx.globalAlpha = 0.35;
        ctx.beginPath();
        ctx.arc(cx, cy, r0 - i * ctx.lineWidth, Math.PI, 2 * Math.PI);
        ctx.stroke();
      });
      ctx.globalAlpha = 1;
    });
  }

  if (sky.clouds.length) {
    view.layer(0.15, () => {
      for (const c of sky.clouds) {
        // Clouds drift and wrap around a strip wider than any camera move.
        const x = ((((c.x + c.speed * t + W) % sky.span) + sky.span) % sky.span) - W;
        for (const [fill, lift] of [[sky.cloudShade, 0], [sky.cloudColor, -0.18]] as const) {
          ctx.fillStyle = fill;
          ctx.beginPath();
          for (const p of c.puffs) {
            ctx.moveTo(x + p.dx + p.r, c.y + p.dy + lift * p.r);
            ctx.arc(x + p.dx, c.y + p.dy + lift * p.r, p.r, 0, Math.PI * 2);
          }
          ctx.fill();
        }
      }
    });
  }
}
