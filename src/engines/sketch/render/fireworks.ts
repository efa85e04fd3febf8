// Fireworks (effect 'fireworks'): rockets rise from the horizon, burst into a ring of coloured
// sparks that spread, droop and fade, and each burst lights the whole scene for a moment, so the
// sky's brightness visibly rises and falls. Every launch is fixed when the shot is built; a frame
// is a pure function of time, like the other particles (atmosphere.ts).
import { between, type Rng } from '../prng.js';
import type { View } from './camera.js';
import { css, hslToRgb, mix, type Rgb } from './color.js';
import type { ColorGrade } from './style.js';

interface Burst {
  /** Shot time of the launch, seconds. */
  at: number;
  x: number;
  /** Where it bursts, fraction of the frame height. */
  peak: number;
  color: Rgb;
  /** Second colour of the sparks' tips. */
  tip: Rgb;
  radius: number;
  sparks: number[];
}

export interface Fireworks { bursts: Burst[]; horizon: number }

const RISE = 0.7;
const LIFE = 1.6;
const HUES = [0, 28, 50, 120, 190, 280, 320];

export function buildFireworks(seconds: number, horizon: number, rng: Rng, grade: ColorGrade): Fireworks {
  const bursts: Burst[] = [];
  // The first burst comes early so even a short shot shows one; then one every half second or so.
  for (let at = between(rng, -0.5, 0.1); at < seconds; at += between(rng, 0.45, 0.95)) {
    const hue = HUES[Math.floor(rng() * HUES.length)]!;
    const color = grade(hslToRgb(hue, 1, 0.6));
    bursts.push({
      at,
      x: between(rng, 0.12, 0.88),
      peak: between(rng, 0.1, Math.max(0.18, horizon * 0.55)),
      color,
      tip: grade(mix(color, [255, 255, 255], 0.6)),
      radius: between(rng, 0.1, 0.18),
      sparks: Array.from({ length: 30 }, () => between(rng, 0.75, 1.05)),
    });
  }
  return { bursts, horizon };
}

/** Rockets and bursts, in the sky behind the land (drawn after the sky, before the terrain). */
export function drawFireworks(view: View, f: Fireworks, t: number): void {
  const { ctx, width: W, height: H } = view;
  const u = Math.max(0.6, H / 720);
  view.layer(0.1, () => {
    ctx.save();
    ctx.globalCompositeOperation = 'lighter';
    for (const b of f.bursts) {
      const since = t - b.at;
      if (since < 0 || since > RISE + LIFE) continue;
      const bx = b.x * W, by = b.peak * H;
      if (since < RISE) {
        // The rocket: a bright head and a short fading trail, slowing as it climbs.
        const k = 1 - (1 - since / RISE) ** 2;
        const y = f.horizon * H + (by - f.horizon * H) * k;
        ctx.strokeStyle = css([255, 220, 170], 0.7);
        ctx.lineWidth = 2 * u;
        ctx.beginPath();
        ctx.moveTo(bx, y);
        ctx.lineTo(bx, y + H * 0.05);
        ctx.stroke();
        ctx.fillStyle = 'rgb(255,245,220)';
        ctx.fillRect(bx - 1.5 * u, y - 1.5 * u, 3 * u, 3 * u);
        continue;
      }
      const p = (since - RISE) / LIFE;
      const spread = 1 - (1 - p) ** 3;
      const fade = (1 - p) ** 1.5;
      const r = b.radius * H * spread;
      // A glow around the burst while it is young.
      const glowR = b.radius * H * 1.6;
      const g = ctx.createRadialGradient(bx, by, 0, bx, by, glowR);
      g.addColorStop(0, css(b.color, 0.35 * fade));
      g.addColorStop(1, css(b.color, 0));
      ctx.fillStyle = g;
      ctx.fillRect(bx - glowR, by - glowR, glowR * 2, glowR * 2);
      // Sparks: short streaks pointing out from the centre, drooping under gravity.
      const droop = H * 0.06 * p * p;
      ctx.lineCap = 'round';
      ctx.lineWidth = 2.2 * u;
      ctx.strokeStyle = css(b.color, fade);
      ctx.beginPath();
      b.sparks.forEach((len, k) => {
        const a = (k / b.sparks.length) * Math.PI * 2;
        const c = Math.cos(a), s = Math.sin(a);
        const x1 = bx + c * r * len, y1 = by + s * r * len + droop;
        ctx.moveTo(x1 - c * r * 0.22, y1 - s * r * 0.22 - droop * 0.3);
        ctx.lineTo(x1, y1);
      });
      ctx.stroke();
      ctx.fillStyle = css(b.tip, fade);
      ctx.beginPath();
      b.sparks.forEach((len, k) => {
        const a = (k / b.sparks.length) * Math.PI * 2;
        const x1 = bx + Math.cos(a) * r * len, y1 = by + Math.sin(a) * r * len + droop;
        ctx.moveTo(x1 + 1.6 * u, y1);
        ctx.arc(x1, y1, 1.6 * u, 0, Math.PI * 2);
      });
      ctx.fill();
    }
    ctx.restore();
  });
}

/** How strongly the bursts light the scene at t (0..1): a flash as each bursts, fading with it. */
export function fireworksFlash(f: Fireworks, t: number): { amount: number; color: Rgb } {
  let amount = 0;
  let color: Rgb = [255, 255, 255];
  for (const b of f.bursts) {
    const p = (t - b.at - RISE) / LIFE;
    if (p < 0 || p > 1) continue;
    const k = (1 - p) ** 2.5;
    if (k > amount) color = b.color;
    amount += k;
  }
  return { amount: Math.min(1, amount), color };
}

/** The flash over the whole frame (after everything else): the scene lit in the burst's colour. */
export function drawFireworksFlash(view: View, f: Fireworks, t: number): void {
  const { amount, color } = fireworksFlash(f, t);
  if (amount < 0.01) return;
  const { ctx, width: W, height: H } = view;
  ctx.save();
  ctx.globalCompositeOperation = 'lighter';
  ctx.fillStyle = css(mix(color, [255, 255, 255], 0.3), 0.2 * amount);
  ctx.fillRect(0, 0, W, H);
  ctx.restore();
}
