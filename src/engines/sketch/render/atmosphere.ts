// What fills the air in front of the scene: rain, snow, fireflies, sparks, bubbles, fog banks and
// lightning. Each particle has a fixed seed; its position is a pure function of time, so any frame
// can be drawn without simulating the ones before it (and frames stay deterministic).
import type { ShotPlan } from '../plan/scene-plan.js';
import { between, type Rng } from '../prng.js';
import type { View } from './camera.js';
import { css, type Rgb } from './color.js';
import type { Lighting } from './palette.js';

interface Particle { x: number; y: number; size: number; speed: number; phase: number }

export interface Atmosphere {
  rain: Particle[];
  snow: Particle[];
  fireflies: Particle[];
  sparks: Particle[];
  bubbles: Particle[];
  fog: number;
  fogColor: Rgb;
  /** Seconds (shot time) when lightning strikes, and the bolt shape for each. */
  strikes: Array<{ at: number; points: Array<[number, number]> }>;
  /** Where sparks rise from (a campfire), as fractions of the frame. */
  sparkOrigin: { x: number; y: number };
}

const COUNTS = { light: 0.45, moderate: 1, heavy: 2 } as const;

export function buildAtmosphere(shot: ShotPlan, lighting: Lighting, W: number, H: number, horizon: number, rng: Rng, sparkOrigin?: { x: number; y: number }): Atmosphere {
  // Counts do not depend on the frame size: a viewer should see the same storm at 360p and 1080p.
  const k = COUNTS[shot.weather.intensity];
  const n = (base: number) => Math.round(base * k);
  const make = (count: number, size: [number, number], speed: [number, number]): Particle[] =>
    Array.from({ length: count }, () => ({ x: rng(), y: rng(), size: between(rng, size[0], size[1]), speed: between(rng, speed[0], speed[1]), phase: rng() * 6.28 }));
  const w = shot.weather.kind;
  const strikes: Atmosphere['strikes'] = [];
  if (w === 'storm') {
    for (let at = between(rng, 0.3, 1.2); at < shot.seconds; at += between(rng, 1.6, 3.5)) {
      const points: Array<[number, number]> = [];
      let x = between(rng, 0.15, 0.85), y = 0;
      while (y < horizon) {
        points.push([x, y]);
        x += between(rng, -0.04, 0.04);
        y += between(rng, 0.03, 0.08);
      }
      points.push([x, horizon]);
      strikes.push({ at, points });
    }
  }
  return {
    rain: w === 'rain' || w === 'storm' ? make(n(w === 'storm' ? 420 : 300), [0.6, 1.4], [1.1, 1.6]) : [],
    snow: w === 'snow' ? make(n(260), [0.6, 1.8], [0.05, 0.12]) : [],
    fireflies: shot.effects.includes('fireflies') ? make(45, [0.7, 1.3], [0.02, 0.05]) : [],
    sparks: shot.effects.includes('sparks') ? make(70, [0.6, 1.4], [0.12, 0.3]) : [],
    bubbles: shot.effects.includes('bubbles') || shot.setting === 'underwater' ? make(40, [0.6, 1.6], [0.05, 0.12]) : [],
    fog: w === 'fog' ? (shot.weather.intensity === 'heavy' ? 0.75 : shot.weather.intensity === 'light' ? 0.4 : 0.58) : 0,
    fogColor: lighting.fog,
    strikes,
    sparkOrigin: sparkOrigin ?? { x: 0.5, y: 0.9 },
  };
}

const wrap = (v: number) => ((v % 1) + 1) % 1;

/** Particles and fog; `camX` (pixels) shifts near particles a little so they belong to the scene. */
export function drawAtmosphere(view: View, a: Atmosphere, t: number, camX: number): void {
  const { ctx, width: W, height: H } = view;
  // Particle sizes follow the frame, but never shrink below what still reads as a flake or a drop.
  const u = Math.max(0.6, H / 720);

  if (a.fog > 0) {
    const g = ctx.createLinearGradient(0, 0, 0, H);
    g.addColorStop(0, css(a.fogColor, a.fog * 0.35));
    g.addColorStop(0.55, css(a.fogColor, a.fog * 0.85));
    g.addColorStop(1, css(a.fogColor, a.fog * 0.6));
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, W, H);
    ctx.fillStyle = css(a.fogColor, a.fog * 0.25);
    for (let i = 0; i < 3; i++) {
      ctx.beginPath();
      ctx.ellipse(wrap(i * 0.37 + t * 0.015 * (i + 1)) * W * 1.4 - W * 0.2, H * (0.45 + i * 0.15), W * 0.45, H * 0.06, 0, 0, 6.28);
      ctx.fill();
    }
  }

  if (a.rain.length) {
    ctx.strokeStyle = 'rgba(205,215,235,0.55)';
    ctx.lineWidth = Math.max(1, 1.4 * u);
    ctx.beginPath();
    for (const p of a.rain) {
      const len = 28 * u * p.size;
      const y = wrap(p.y + t * p.speed) * (H + len) - len;
      const x = wrap(p.x - camX / W * 0.3 * p.size) * W - y * 0.12;
      ctx.moveTo(x, y);
      ctx.lineTo(x - len * 0.12, y + len);
    }
    ctx.stroke();
  }

  if (a.snow.length) {
    ctx.fillStyle = 'rgba(255,255,255,0.92)';
    ctx.beginPath();
    for (const p of a.snow) {
      const r = 2.2 * u * p.size;
      const y = wrap(p.y + t * p.speed * p.size) * (H + 2 * r) - r;
      const x = wrap(p.x + Math.sin(t * 0.9 + p.phase) * 0.01 - camX / W * 0.3 * p.size) * W;
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 6.28);
    }
    ctx.fill();
  }

  if (a.fireflies.length) {
    for (const p of a.fireflies) {
      const blink = 0.5 + 0.5 * Math.sin(t * 2.5 + p.phase * 3);
      if (blink < 0.15) continue;
      const x = wrap(p.x + Math.sin(t * p.speed * 6 + p.phase) * 0.03) * W;
      const y = (0.45 + p.y * 0.5 + Math.cos(t * p.speed * 5 + p.phase) * 0.03) * H;
      ctx.fillStyle = `rgba(255,230,120,${(0.18 * blink).toFixed(3)})`;
      ctx.beginPath();
      ctx.arc(x, y, 9 * u * p.size, 0, 6.28);
      ctx.fill();
      ctx.fillStyle = `rgba(255,250,200,${(0.95 * blink).toFixed(3)})`;
      ctx.beginPath();
      ctx.arc(x, y, 2.2 * u * p.size, 0, 6.28);
      ctx.fill();
    }
  }

  if (a.sparks.length) {
    for (const p of a.sparks) {
      const life = wrap(p.y + t * p.speed * 1.5);
      const x = (a.sparkOrigin.x + (p.x - 0.5) * 0.08 + Math.sin(t * 3 + p.phase) * 0.01 * life) * W;
      const y = (a.sparkOrigin.y - life * 0.45) * H;
      ctx.fillStyle = `rgba(255,${Math.round(150 + 80 * (1 - life))},60,${(1 - life).toFixed(3)})`;
      ctx.fillRect(x, y, 2.5 * u * p.size, 2.5 * u * p.size);
    }
  }

  if (a.bubbles.length) {
    ctx.strokeStyle = 'rgba(220,245,255,0.6)';
    ctx.lineWidth = Math.max(1, 1.2 * u);
    ctx.beginPath();
    for (const p of a.bubbles) {
      const r = 5 * u * p.size;
      const y = H - wrap(p.y + t * p.speed) * (H + 2 * r) + r;
      const x = wrap(p.x + Math.sin(t * 2 + p.phase) * 0.008) * W;
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 6.28);
    }
    ctx.stroke();
  }

  for (const s of a.strikes) {
    const since = t - s.at;
    if (since < 0 || since > 0.35) continue;
    const k = 1 - since / 0.35;
    ctx.fillStyle = `rgba(235,240,255,${(0.55 * k).toFixed(3)})`;
    ctx.fillRect(0, 0, W, H);
    ctx.strokeStyle = `rgba(255,255,255,${k.toFixed(3)})`;
    ctx.lineWidth = 3 * u;
    ctx.beginPath();
    s.points.forEach(([x, y], i) => (i ? ctx.lineTo(x * W, y * H) : ctx.moveTo(x * W, y * H)));
    ctx.stroke();
  }
}
