// Features: places standing in a shot's setting (scene-plan FEATURES), drawn between the terrain
// and the subjects: a hill, a village, rooftops, a market, a harbour, ice, fields of a crop, neon
// signs, and fire on whatever stands there. Everything is laid out once per shot from its own seeded
// random numbers (so a shot without features draws exactly as before), at the subjects' depth, so a
// subject standing on the hill or by the quay stays there whatever the camera does.
import type { Feature, ShotPlan } from '../plan/scene-plan.js';
import { between, type Rng } from '../prng.js';
import type { View } from './camera.js';
import { hslToRgb, type Rgb } from './color.js';
import type { Ground } from './layout.js';
import type { Lighting } from './palette.js';

export interface FeatureCtx {
  W: number;
  H: number;
  g: Ground;
  lighting: Lighting;
  rng: Rng;
  /** A surface colour lit for the time of day and styled (as the terrain's). */
  lit: (c: Rgb) => string;
  /** A light source's colour, styled but not dimmed (neon, flames, lit windows). */
  glow: (c: Rgb, alpha?: number) => string;
  snowy: boolean;
}

/** Where flames go: a base point (world pixels) and a width. */
export interface FireSpot { x: number; y: number; w: number }

export interface FeatureSet {
  /** How far the ground rises at world x (pixels, positive = up): the hill. 0 without one. */
  lift: (x: number) => number;
  /** Drawn after the terrain, before the subjects. */
  draw: (view: View, t: number) => void;
  /** Places fire burns on, besides subjects (roofs of the village, stalls…). */
  fireSpots: FireSpot[];
  has: (f: Feature) => boolean;
  /** On water with ice: a floe under each thing standing there (penguins on the ice, not in the sea). */
  floeUnder?: (ctx: View['ctx'], x: number, y: number, w: number) => void;
}

type Part = (view: View, t: number) => void;

export function buildFeatures(shot: ShotPlan, c: FeatureCtx): FeatureSet {
  const features = shot.features ?? [];
  const has = (f: Feature) => features.includes(f);
  const { W, H, g, rng } = c;
  // The hill first: everything standing on the ground stands on it.
  let lift: (x: number) => number = () => 0;
  const parts: Part[] = [];
  if (has('hill')) {
    const cx = W * between(rng, 0.35, 0.65), half = W * between(rng, 0.3, 0.4), top = H * between(rng, 0.16, 0.2);
    lift = (x) => {
      const d = (x - cx) / half;
      return Math.abs(d) >= 1 ? 0 : top * Math.cos((d * Math.PI) / 2) ** 2;
    };
    parts.push(hill(c, cx, half, lift));
  }
  const fireSpots: FireSpot[] = [];
  const back = (g.ground - 0.07) * H;
  const crop = features.find((f): f is 'wheat' | 'tulips' | 'sunflowers' => f === 'wheat' || f === 'tulips' || f === 'sunflowers');
  if (crop) parts.push(field(c, crop, lift));
  if (has('ice')) parts.push(ice(c));
  if (has('harbour')) parts.push(harbour(c));
  if (has('rooftops')) parts.push(rooftops(c, fireSpots));
  if (has('village')) parts.push(village(c, back, lift, fireSpots));
  if (has('market')) parts.push(market(c, back + H * 0.03, lift, fireSpots));
  if (has('neon-signs')) parts.push(neonSigns(c));
  const white = c.lit([240, 248, 255]), blue = c.lit([168, 206, 232]);
  const floeUnder = has('ice') && g.water !== null ? (ctx: View['ctx'], x: number, y: number, w: number) => {
    ctx.fillStyle = blue;
    ctx.beginPath();
    ctx.ellipse(x, y + w * 0.08, w * 1.1, w * 0.2, 0, 0, 6.283);
    ctx.fill();
    ctx.fillStyle = white;
    ctx.beginPath();
    ctx.ellipse(x, y, w * 1.1, w * 0.17, 0, 0, 6.283);
    ctx.fill();
  } : undefined;
  return {
    lift,
    has,
    ...(floeUnder ? { floeUnder } : {}),
    fireSpots,
    draw(view, t) {
      if (!parts.length) return;
      view.layer(1, () => {
        for (const p of parts) p(view, t);
      });
    },
  };
}

function hill(c: FeatureCtx, cx: number, half: number, lift: (x: number) => number): Part {
  const { H, g } = c;
  const base = g.ground * H;
  // Lighter toward its crest and the meadow's own green at its foot, so it rises out of the ground
  // in front instead of sitting on it like a patch.
  const crest = c.lit(c.snowy ? [246, 248, 252] : [124, 180, 86]);
  const foot = c.lit(c.snowy ? [226, 232, 242] : [88, 150, 72]);
  const rim = c.lit(c.snowy ? [250, 252, 255] : [150, 200, 100]);
  const top = base - lift(cx);
  return ({ ctx }) => {
    const gr = ctx.createLinearGradient(0, top, 0, base);
    gr.addColorStop(0, crest);
    gr.addColorStop(1, foot);
    ctx.fillStyle = gr;
    ctx.beginPath();
    ctx.moveTo(cx - half, base + 1);
    for (let k = 0; k <= 40; k++) {
      const x = cx - half + (2 * half * k) / 40;
      ctx.lineTo(x, base - lift(x));
    }
    ctx.lineTo(cx + half, base + 1);
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = rim;
    ctx.lineWidth = Math.max(1.5, H * 0.01);
    ctx.beginPath();
    for (let k = 8; k <= 32; k++) {
      const x = cx - half + (2 * half * k) / 40;
      if (k === 8) ctx.moveTo(x, base - lift(x)); else ctx.lineTo(x, base - lift(x));
    }
    ctx.stroke();
  };
}

/** Rows of a crop from just below the horizon to the bottom of the frame, smaller far away. */
function field(c: FeatureCtx, crop: 'wheat' | 'tulips' | 'sunflowers', lift: (x: number) => number): Part {
  const { W, H, g, rng } = c;
  const top = (g.horizon + 0.04) * H;
  const rows: Array<{ y: number; s: number; color: string; phase: number }> = [];
  const tulipHues = [352, 48, 330, 280, 20];
  let y = top;
  let k = 0;
  while (y < H * 1.02) {
    const s = 0.3 + 0.9 * ((y - top) / (H - top));
    const color = crop === 'wheat' ? c.lit([226, 184, 76]) : crop === 'sunflowers' ? c.lit([250, 200, 30]) : c.lit(hslToRgb(tulipHues[k % tulipHues.length]!, 0.85, 0.55));
    rows.push({ y, s, color, phase: rng() * 6.28 });
    y += H * 0.022 * s * (crop === 'sunflowers' ? 2.2 : 1.4);
    k++;
  }
  const soil = c.lit(crop === 'wheat' ? [196, 160, 80] : [88, 130, 60]);
  const stem = c.lit([70, 120, 50]);
  const centre = c.lit([92, 56, 30]);
  return ({ ctx }, t) => {
    ctx.fillStyle = soil;
    ctx.fillRect(-W * 0.5, top, W * 2, H * 1.1 - top);
    for (const r of rows) {
      const sway = Math.sin(t * 1.3 + r.phase) * H * 0.004 * r.s;
      const step = H * (crop === 'sunflowers' ? 0.05 : 0.02) * r.s;
      const ry = (x: number) => r.y - lift(x);
      if (crop === 'wheat') {
        ctx.strokeStyle = r.color;
        ctx.lineWidth = Math.max(1, H * 0.004 * r.s);
        ctx.beginPath();
        for (let x = -W * 0.3; x < W * 1.3; x += step * 0.6) {
          const h = H * 0.035 * r.s;
          ctx.moveTo(x, ry(x));
          ctx.lineTo(x + sway, ry(x) - h);
        }
        ctx.stroke();
        ctx.fillStyle = r.color;
        ctx.beginPath();
        for (let x = -W * 0.3; x < W * 1.3; x += step * 0.6) {
          const h = H * 0.035 * r.s;
          ctx.ellipse(x + sway, ry(x) - h, H * 0.004 * r.s, H * 0.01 * r.s, 0.1, 0, 6.283);
        }
        ctx.fill();
      } else if (crop === 'tulips') {
        ctx.strokeStyle = stem;
        ctx.lineWidth = Math.max(1, H * 0.003 * r.s);
        ctx.beginPath();
        for (let x = -W * 0.3; x < W * 1.3; x += step) { ctx.moveTo(x, ry(x)); ctx.lineTo(x + sway, ry(x) - H * 0.025 * r.s); }
        ctx.stroke();
        ctx.fillStyle = r.color;
        ctx.beginPath();
        for (let x = -W * 0.3; x < W * 1.3; x += step) {
          const cx = x + sway, cy = ry(x) - H * 0.03 * r.s, rr = H * 0.008 * r.s;
          ctx.moveTo(cx + rr, cy);
          ctx.ellipse(cx, cy, rr, rr * 1.3, 0, 0, 6.283);
        }
        ctx.fill();
      } else {
        ctx.strokeStyle = stem;
        ctx.lineWidth = Math.max(1, H * 0.005 * r.s);
        ctx.beginPath();
        for (let x = -W * 0.3; x < W * 1.3; x += step) { ctx.moveTo(x, ry(x)); ctx.lineTo(x + sway, ry(x) - H * 0.06 * r.s); }
        ctx.stroke();
        const rr = H * 0.016 * r.s;
        // One disc per flower head along the row: the petals, then the centre over them.
        const heads = (radius: number, color: string) => {
          ctx.fillStyle = color;
          ctx.beginPath();
          for (let x = -W * 0.3; x < W * 1.3; x += step) {
            const cx = x + sway, cy = ry(x) - H * 0.06 * r.s;
            ctx.moveTo(cx + radius, cy);
            ctx.arc(cx, cy, radius, 0, 6.283);
          }
          ctx.fill();
        };
        heads(rr * 1.6, r.color);
        heads(rr * 0.7, centre);
      }
    }
  };
}

/** On water: floes that bob and an iceberg; on land: ridges of pressure ice. */
function ice(c: FeatureCtx): Part {
  const { W, H, g, rng } = c;
  const white = c.lit([240, 248, 255]);
  const blue = c.lit([168, 206, 232]);
  if (g.water !== null) {
    const wy = g.water * H;
    const bx = W * between(rng, 0.15, 0.85), bw = H * between(rng, 0.22, 0.3), bh = H * between(rng, 0.14, 0.2);
    const peaks = [0, between(rng, 0.2, 0.35), between(rng, 0.45, 0.6), between(rng, 0.7, 0.85), 1].map((k, i) => [bx - bw / 2 + k * bw, i === 0 || i === 4 ? 0 : between(rng, 0.55, 1) * bh] as const);
    const floes = Array.from({ length: 9 }, () => ({ x: between(rng, -0.1, 1.1) * W, y: wy + between(rng, 0.04, 0.4) * (H - wy), w: between(rng, 0.04, 0.1) * H, ph: rng() * 6.28 }));
    return ({ ctx }, t) => {
      const by = wy + H * 0.03;
      ctx.fillStyle = white;
      ctx.beginPath();
      ctx.moveTo(peaks[0]![0], by);
      for (const [x, h] of peaks) ctx.lineTo(x, by - h);
      ctx.lineTo(peaks[4]![0], by);
      ctx.closePath();
      ctx.fill();
      ctx.fillStyle = blue;
      ctx.beginPath();
      ctx.moveTo(peaks[2]![0], by - peaks[2]![1]);
      ctx.lineTo(peaks[3]![0], by - peaks[3]![1]);
      ctx.lineTo(peaks[4]![0], by);
      ctx.lineTo(peaks[2]![0] + bw * 0.05, by);
      ctx.closePath();
      ctx.fill();
      for (const f of floes) {
        const s = 0.5 + (f.y - wy) / (H - wy);
        const y = f.y + Math.sin(t * 0.8 + f.ph) * H * 0.003;
        ctx.fillStyle = blue;
        ctx.beginPath();
        ctx.ellipse(f.x, y + f.w * 0.08 * s, f.w * s, f.w * 0.22 * s, 0, 0, 6.283);
        ctx.fill();
        ctx.fillStyle = white;
        ctx.beginPath();
        ctx.ellipse(f.x, y, f.w * s, f.w * 0.2 * s, 0, 0, 6.283);
        ctx.fill();
      }
    };
  }
  const base = (g.horizon + 0.06) * H;
  const ridges = Array.from({ length: 9 }, () => ({ x: between(rng, -0.05, 1.05) * W, w: between(rng, 0.1, 0.2) * H, h: between(rng, 0.04, 0.09) * H, y: base + between(rng, 0, 0.14) * H }));
  // On snow, the shaded faces are a deeper glacier blue, or the ridges vanish into the white.
  const deep = c.lit([120, 170, 214]);
  return ({ ctx }) => {
    for (const r of ridges) {
      ctx.fillStyle = deep;
      ctx.beginPath();
      ctx.moveTo(r.x - r.w, r.y);
      ctx.lineTo(r.x - r.w * 0.3, r.y - r.h);
      ctx.lineTo(r.x + r.w * 0.1, r.y - r.h * 0.6);
      ctx.lineTo(r.x + r.w * 0.4, r.y - r.h * 0.9);
      ctx.lineTo(r.x + r.w, r.y);
      ctx.closePath();
      ctx.fill();
      ctx.fillStyle = white;
      ctx.beginPath();
      ctx.moveTo(r.x - r.w, r.y);
      ctx.lineTo(r.x - r.w * 0.3, r.y - r.h);
      ctx.lineTo(r.x - r.w * 0.1, r.y);
      ctx.closePath();
      ctx.fill();
    }
  };
}

/** A stone quay along one side at the water line, bollards, and boats moored along it, bobbing. */
function harbour(c: FeatureCtx): Part {
  const { W, H, g, rng } = c;
  const wy = (g.water ?? 0.78) * H;
  const left = rng() < 0.5;
  const quayTop = wy + (H - wy) * 0.35;
  const x0 = left ? -W * 0.5 : W * 0.55, x1 = left ? W * 0.45 : W * 1.5;
  const stone = c.lit([150, 140, 128]), face = c.lit([104, 96, 90]), sea = c.lit([40, 90, 130]);
  const hulls: Rgb[] = [[200, 60, 50], [40, 90, 160], [240, 240, 235], [60, 140, 90], [230, 170, 40]];
  const boats = Array.from({ length: 4 }, (_, i) => ({
    x: (left ? W * 0.06 : W * 0.6) + i * W * 0.1 + between(rng, -0.015, 0.015) * W,
    w: H * between(rng, 0.09, 0.13),
    hull: c.lit(hulls[Math.floor(rng() * hulls.length)]!),
    mast: rng() < 0.6,
    ph: rng() * 6.28,
  }));
  const wood = c.lit([90, 64, 44]);
  return ({ ctx }, t) => {
    if (g.water === null) {
      ctx.fillStyle = sea;
      ctx.fillRect(-W * 0.5, wy, W * 2, H * 1.1 - wy);
    }
    // The quay: a flat top and its stone face down into the water.
    ctx.fillStyle = stone;
    ctx.fillRect(x0, quayTop - H * 0.05, x1 - x0, H * 0.05);
    ctx.fillStyle = face;
    ctx.fillRect(x0, quayTop, x1 - x0, H * 0.14);
    ctx.strokeStyle = c.lit([80, 74, 70]);
    ctx.lineWidth = Math.max(1, H * 0.003);
    ctx.beginPath();
    for (let x = x0; x < x1; x += H * 0.05) { ctx.moveTo(x, quayTop); ctx.lineTo(x, quayTop + H * 0.14); }
    ctx.stroke();
    ctx.fillStyle = wood;
    for (let x = (left ? W * 0.05 : W * 0.6); x < (left ? W * 0.45 : W); x += W * 0.1) ctx.fillRect(x, quayTop - H * 0.075, H * 0.012, H * 0.027);
    // Moored boats in front of the quay face, each on its own swell.
    for (const b of boats) {
      const y = quayTop + H * 0.13 + Math.sin(t * 1.1 + b.ph) * H * 0.004;
      const tilt = Math.sin(t * 0.9 + b.ph) * 0.03;
      ctx.save();
      ctx.translate(b.x, y);
      ctx.rotate(tilt);
      if (b.mast) {
        ctx.strokeStyle = wood;
        ctx.lineWidth = Math.max(1, H * 0.004);
        ctx.beginPath();
        ctx.moveTo(0, -b.w * 0.3);
        ctx.lineTo(0, -b.w * 1.1);
        ctx.stroke();
      }
      ctx.fillStyle = b.hull;
      ctx.beginPath();
      ctx.moveTo(-b.w / 2, -b.w * 0.3);
      ctx.lineTo(b.w / 2, -b.w * 0.3);
      ctx.lineTo(b.w * 0.38, 0);
      ctx.lineTo(-b.w * 0.38, 0);
      ctx.closePath();
      ctx.fill();
      ctx.fillStyle = c.lit([250, 248, 240]);
      ctx.fillRect(-b.w * 0.15, -b.w * 0.48, b.w * 0.3, b.w * 0.18);
      ctx.restore();
    }
  };
}

interface HouseShape { x: number; w: number; h: number; wall: string; roof: string; roofH: number }

function houseRow(c: FeatureCtx, n: number, span: [number, number], size: [number, number]): HouseShape[] {
  const { W, H, rng } = c;
  const walls: Rgb[] = [[238, 226, 200], [226, 190, 130], [245, 245, 240], [232, 180, 170], [200, 200, 190]];
  const roofs: Rgb[] = [[178, 70, 52], [120, 72, 50], [90, 96, 110], [160, 90, 60]];
  return Array.from({ length: n }, (_, i) => {
    const h = H * between(rng, size[0], size[1]);
    return {
      x: W * (span[0] + ((span[1] - span[0]) * (i + between(rng, 0.2, 0.8))) / n),
      w: h * between(rng, 0.9, 1.4),
      h,
      wall: c.lit(walls[Math.floor(rng() * walls.length)]!),
      roof: c.lit(roofs[Math.floor(rng() * roofs.length)]!),
      roofH: h * between(rng, 0.45, 0.7),
    };
  });
}

function windowColor(c: FeatureCtx): string {
  return c.lighting.lightsOn ? c.glow([255, 214, 120]) : c.lit([70, 90, 120]);
}

/** Several houses along the back of the ground, on the hill when there is one. */
function village(c: FeatureCtx, base: number, lift: (x: number) => number, spots: FireSpot[]): Part {
  const houses = houseRow(c, 5 + Math.floor(c.rng() * 3), [0.04, 0.96], [0.08, 0.13]);
  const win = windowColor(c);
  const door = c.lit([96, 60, 40]);
  for (const h of houses) spots.push({ x: h.x, y: base - lift(h.x) - h.h - h.roofH * 0.4, w: h.w * 0.8 });
  return ({ ctx }) => {
    for (const h of houses) {
      const y = base - lift(h.x);
      ctx.fillStyle = h.wall;
      ctx.fillRect(h.x - h.w / 2, y - h.h, h.w, h.h + 2);
      ctx.fillStyle = h.roof;
      ctx.beginPath();
      ctx.moveTo(h.x - h.w * 0.6, y - h.h);
      ctx.lineTo(h.x, y - h.h - h.roofH);
      ctx.lineTo(h.x + h.w * 0.6, y - h.h);
      ctx.closePath();
      ctx.fill();
      ctx.fillStyle = door;
      ctx.fillRect(h.x - h.w * 0.1, y - h.h * 0.45, h.w * 0.2, h.h * 0.45);
      ctx.fillStyle = win;
      ctx.fillRect(h.x - h.w * 0.38, y - h.h * 0.75, h.w * 0.18, h.h * 0.22);
      ctx.fillRect(h.x + h.w * 0.2, y - h.h * 0.75, h.w * 0.18, h.h * 0.22);
    }
  };
}

/** The view over a town's roofs: pitched and flat roofs filling the bottom of the frame, chimneys. */
function rooftops(c: FeatureCtx, spots: FireSpot[]): Part {
  const { W, H, rng } = c;
  const roofs: Array<{ x: number; w: number; top: number; pitch: number; color: string; chimney: number }> = [];
  const tones: Rgb[] = [[170, 82, 58], [120, 90, 80], [84, 92, 110], [150, 100, 70], [190, 110, 80]];
  for (let x = -W * 0.3; x < W * 1.3;) {
    const w = H * between(rng, 0.2, 0.34);
    roofs.push({ x, w, top: H * between(rng, 0.64, 0.76), pitch: rng() < 0.7 ? H * between(rng, 0.05, 0.1) : 0, color: c.lit(tones[Math.floor(rng() * tones.length)]!), chimney: rng() < 0.6 ? between(rng, 0.2, 0.8) : -1 });
    x += w * between(rng, 0.8, 1);
  }
  for (const r of roofs) if (r.x > 0 && r.x + r.w < W) spots.push({ x: r.x + r.w / 2, y: r.top - r.pitch * 0.5, w: r.w * 0.6 });
  const brick = c.lit([140, 70, 50]);
  const win = windowColor(c);
  const wall = c.lit([120, 104, 96]);
  return ({ ctx }) => {
    for (const r of roofs) {
      ctx.fillStyle = wall;
      ctx.fillRect(r.x, r.top, r.w, H * 1.1 - r.top);
      if (r.chimney >= 0) {
        ctx.fillStyle = brick;
        ctx.fillRect(r.x + r.w * r.chimney, r.top - r.pitch - H * 0.06, H * 0.025, H * 0.07 + r.pitch);
      }
      ctx.fillStyle = r.color;
      ctx.beginPath();
      ctx.moveTo(r.x, r.top + H * 0.04);
      ctx.lineTo(r.x + r.w * 0.12, r.top - r.pitch);
      ctx.lineTo(r.x + r.w * 0.88, r.top - r.pitch);
      ctx.lineTo(r.x + r.w, r.top + H * 0.04);
      ctx.closePath();
      ctx.fill();
      ctx.fillStyle = win;
      ctx.fillRect(r.x + r.w * 0.4, r.top - r.pitch * 0.6, r.w * 0.12, H * 0.025);
    }
  };
}

/** Stalls with striped awnings, tables of goods, in a row on the ground. */
function market(c: FeatureCtx, base: number, lift: (x: number) => number, spots: FireSpot[]): Part {
  const { H, rng } = c;
  const stripes: Rgb[] = [[210, 50, 50], [40, 110, 190], [40, 150, 80], [240, 160, 40]];
  const n = 3 + Math.floor(rng() * 3);
  const stalls = Array.from({ length: n }, (_, i) => ({
    x: c.W * (0.1 + (0.8 * (i + between(rng, 0.3, 0.7))) / n),
    w: H * between(rng, 0.16, 0.22),
    stripe: c.lit(stripes[Math.floor(rng() * stripes.length)]!),
    goods: [c.lit([230, 80, 50]), c.lit([250, 190, 40]), c.lit([110, 170, 60])],
  }));
  for (const s of stalls) spots.push({ x: s.x, y: base - lift(s.x) - H * 0.12, w: s.w * 0.8 });
  const white = c.lit([245, 242, 235]), wood = c.lit([120, 84, 52]);
  return ({ ctx }, t) => {
    for (const s of stalls) {
      const y = base - lift(s.x);
      const l = s.x - s.w / 2;
      ctx.fillStyle = wood;
      ctx.fillRect(l, y - H * 0.12, H * 0.008, H * 0.12);
      ctx.fillRect(l + s.w - H * 0.008, y - H * 0.12, H * 0.008, H * 0.12);
      ctx.fillRect(l, y - H * 0.045, s.w, H * 0.045);
      // Goods heaped on the table.
      for (let k = 0; k < 6; k++) {
        ctx.fillStyle = s.goods[k % 3]!;
        ctx.beginPath();
        ctx.arc(l + s.w * (0.12 + k * 0.15), y - H * 0.05, H * 0.011, 0, 6.283);
        ctx.fill();
      }
      // The awning: alternating stripes, its scalloped edge lifting in the breeze.
      const n = 6, top = y - H * 0.15, drop = H * 0.04;
      for (let k = 0; k < n; k++) {
        ctx.fillStyle = k % 2 ? white : s.stripe;
        ctx.fillRect(l - H * 0.01 + (k * (s.w + H * 0.02)) / n, top, (s.w + H * 0.02) / n + 0.5, drop);
        ctx.beginPath();
        ctx.arc(l - H * 0.01 + ((k + 0.5) * (s.w + H * 0.02)) / n, top + drop + Math.sin(t * 2 + k) * H * 0.002, (s.w + H * 0.02) / n / 2, 0, Math.PI);
        ctx.fill();
      }
    }
  };
}

/** Saturated signs on the city's buildings: a dark façade, a glowing tube outline, a flicker. */
function neonSigns(c: FeatureCtx): Part {
  const { W, H, g, rng } = c;
  const hues = [320, 190, 100, 30, 270, 0];
  const signs = Array.from({ length: 5 }, (_, i) => {
    const hue = hues[Math.floor(rng() * hues.length)]!;
    const w = H * between(rng, 0.1, 0.18), h = H * between(rng, 0.05, 0.09);
    return {
      x: W * (0.06 + (0.88 * (i + between(rng, 0.2, 0.8))) / 5) - w / 2,
      y: H * (g.horizon - between(rng, 0.12, 0.3)),
      w, h,
      color: hslToRgb(hue, 1, 0.55),
      core: hslToRgb(hue, 1, 0.78),
      blink: rng() < 0.4 ? between(rng, 0.5, 2) : 0,
      ph: rng() * 6.28,
    };
  });
  const facade = c.lit([36, 34, 48]);
  const night = c.lighting.lightsOn;
  return ({ ctx }, t) => {
    for (const s of signs) {
      ctx.fillStyle = facade;
      ctx.fillRect(s.x - H * 0.02, s.y - H * 0.02, s.w + H * 0.04, (g.horizon + 0.1) * H - s.y + H * 0.02);
      // A blinking sign goes dark for a moment now and then.
      const on = !s.blink || Math.sin(t * s.blink * 6.283 + s.ph) > -0.7;
      if (!on) continue;
      ctx.save();
      if (night) {
        ctx.globalCompositeOperation = 'lighter';
        ctx.fillStyle = c.glow(s.color, 0.25);
        ctx.fillRect(s.x - H * 0.015, s.y - H * 0.015, s.w + H * 0.03, s.h + H * 0.03);
      }
      ctx.globalCompositeOperation = 'source-over';
      ctx.lineJoin = 'round';
      ctx.strokeStyle = c.glow(s.color);
      ctx.lineWidth = Math.max(2, H * 0.012);
      ctx.strokeRect(s.x, s.y, s.w, s.h);
      // Letters as bars of tube inside the frame.
      ctx.fillStyle = c.glow(s.color);
      for (let k = 0; k < 4; k++) ctx.fillRect(s.x + s.w * (0.12 + k * 0.2), s.y + s.h * 0.25, s.w * 0.12, s.h * 0.5);
      ctx.strokeStyle = c.glow(s.core);
      ctx.lineWidth = Math.max(1, H * 0.004);
      ctx.strokeRect(s.x, s.y, s.w, s.h);
      ctx.restore();
    }
  };
}

export interface Flames { spots: FireSpot[]; smoke: Array<{ ph: number; dx: number }> }

/** Flames and smoke on each spot (a roof, a stall, a house); on open ground when nothing stands there. */
export function buildFlames(spots: FireSpot[], W: number, H: number, groundY: number, rng: Rng): Flames {
  const list = spots.length ? spots : [{ x: W * 0.5, y: groundY, w: H * 0.2 }];
  return { spots: list, smoke: Array.from({ length: 5 }, () => ({ ph: rng(), dx: between(rng, -0.3, 0.3) })) };
}

/** Flickering flames (additive, warm), a glow, and smoke rising from each spot. */
export function drawFlames(view: View, f: Flames, t: number, glow: (c: Rgb, a?: number) => string): void {
  const { ctx, height: H } = view;
  view.layer(1, () => {
    for (const [i, s] of f.spots.entries()) {
      // Smoke first, so the flames burn in front of it.
      for (const p of f.smoke) {
        const life = (t * 0.35 + p.ph + i * 0.17) % 1;
        const r = s.w * (0.2 + 0.5 * life);
        ctx.fillStyle = `rgba(70,66,64,${(0.45 * (1 - life)).toFixed(3)})`;
        ctx.beginPath();
        ctx.arc(s.x + p.dx * s.w + life * s.w * 0.4, s.y - s.w * 0.3 - life * H * 0.3, r, 0, 6.283);
        ctx.fill();
      }
      const g = ctx.createRadialGradient(s.x, s.y, 0, s.x, s.y, s.w * 1.4);
      g.addColorStop(0, glow([255, 140, 40], 0.45));
      g.addColorStop(1, glow([255, 140, 40], 0));
      ctx.fillStyle = g;
      ctx.fillRect(s.x - s.w * 1.4, s.y - s.w * 1.4, s.w * 2.8, s.w * 2.8);
      const tongues = 5;
      for (const [layer, color] of [[1, [230, 60, 20]], [0.7, [255, 150, 30]], [0.4, [255, 230, 120]]] as const) {
        ctx.fillStyle = glow(color as unknown as Rgb);
        ctx.beginPath();
        for (let k = 0; k < tongues; k++) {
          const x = s.x + s.w * ((k + 0.5) / tongues - 0.5) * 0.9;
          const flick = 0.65 + 0.35 * Math.sin(t * (7 + k * 1.7) + k * 2.1 + i) * Math.sin(t * 3.1 + k);
          const h = s.w * 0.9 * layer * flick;
          const bw = (s.w / tongues) * 0.8 * (0.6 + layer * 0.4);
          ctx.moveTo(x - bw, s.y);
          ctx.quadraticCurveTo(x - bw * 0.8, s.y - h * 0.5, x + Math.sin(t * 5 + k) * bw * 0.3, s.y - h);
          ctx.quadraticCurveTo(x + bw * 0.8, s.y - h * 0.5, x + bw, s.y);
          ctx.closePath();
        }
        ctx.fill();
      }
    }
  });
}
