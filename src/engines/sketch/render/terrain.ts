// The land, water and rooms behind the subjects: one recipe per setting, drawn as parallax layers
// (far ridges move less than near ground). Shapes are procedural in world x, so any pan works.
import type { Setting, ShotPlan } from '../plan/scene-plan.js';
import { between, type Rng } from '../prng.js';
import type { View } from './camera.js';
import { css, light, mix, type Rgb } from './color.js';
import type { Ground } from './layout.js';
import type { Lighting } from './palette.js';
import type { ColorGrade } from './style.js';
import { pine, ridge, rowOf, type Ctx, type TerrainLayer } from './terrain-parts.js';
import { water } from './water.js';

export type { TerrainLayer };

function settingLayers(setting: Setting, c: Ctx): TerrainLayer[] {
  const { g, lit, rng, H, W } = c;
  const green: Rgb = [88, 150, 72];
  switch (setting) {
    case 'meadow':
      return [
        ridge(c, 0.25, lit(c.ground([96, 140, 120]), 0.55), g.horizon, [[0.035, 0.6], [0.012, 2.1]]),
        ridge(c, 0.5, lit(c.ground([92, 156, 82]), 0.25), g.horizon + 0.08, [[0.03, 0.9], [0.01, 3]]),
        ridge(c, 0.85, lit(c.ground(green)), g.ground - 0.05, [[0.015, 0.7], [0.005, 4]]),
        rowOf(c, 1, g.ground + 0.06, 0.05, (ctx, x, y, h, cell) => {
          ctx.fillStyle = ['#ffd84a', '#ff7aa8', '#ffffff', '#b58cff'][cell & 3]!;
          ctx.beginPath();
          ctx.arc(x, y + (h - H) * 0.04, H * 0.006, 0, 6.28);
          ctx.fill();
        }, 0.7),
      ];
    case 'forest':
      // Each row of trees stands on its own strip of ground.
      return [
        ridge(c, 0.2, lit([70, 100, 110], 0.6), g.horizon - 0.02, [[0.03, 0.5]]),
        ridge(c, 0.3, lit(c.ground([62, 90, 70]), 0.45), g.horizon + 0.012, [[0.006, 1.5]]),
        rowOf(c, 0.3, g.horizon + 0.014, 0.045, pine(lit([50, 86, 80], 0.45), lit([50, 60, 60], 0.45)), 0.95),
        ridge(c, 0.55, lit(c.ground([66, 100, 58]), 0.2), g.horizon + 0.08, [[0.008, 1.2]]),
        rowOf(c, 0.55, g.horizon + 0.083, 0.07, pine(lit([38, 92, 60], 0.2), lit([70, 50, 40], 0.2)), 0.9),
        ridge(c, 0.85, lit(c.ground([70, 110, 55])), g.ground - 0.04, [[0.012, 0.8]]),
      ];
    case 'mountains': {
      const snow = lit([240, 244, 250], 0.35);
      return [
        ridge(c, 0.15, lit([120, 136, 170], 0.6), g.horizon - 0.05, [[0.2, 0.45], [0.06, 1.3]], true, { color: snow, line: g.horizon - 0.2 }),
        ridge(c, 0.4, lit([88, 104, 128], 0.35), g.horizon + 0.04, [[0.12, 0.7], [0.03, 2]], true, { color: lit([236, 240, 248], 0.2), line: g.horizon - 0.06 }),
        ridge(c, 0.85, lit(c.ground([96, 140, 80])), g.ground - 0.05, [[0.02, 0.6]]),
      ];
    }
    case 'desert':
      return [
        ridge(c, 0.25, lit([226, 180, 120], 0.45), g.horizon, [[0.04, 0.35]]),
        ridge(c, 0.55, lit([222, 168, 100], 0.2), g.horizon + 0.09, [[0.05, 0.5], [0.01, 2]]),
        rowOf(c, 0.6, g.horizon + 0.12, 0.35, (ctx, x, y, h) => {
          const s = h * 0.09;
          ctx.fillStyle = lit([70, 120, 70], 0.2);
          ctx.fillRect(x - s * 0.1, y - s, s * 0.2, s);
          ctx.fillRect(x - s * 0.35, y - s * 0.6, s * 0.12, s * 0.3);
          ctx.fillRect(x - s * 0.35, y - s * 0.4, s * 0.3, s * 0.1);
        }, 0.6),
        ridge(c, 0.9, lit([236, 190, 120]), g.ground - 0.04, [[0.025, 0.45]]),
      ];
    case 'savanna':
      // Golden grass to a flat horizon, with the flat-topped acacias that say "savanna".
      return [
        ridge(c, 0.25, lit([196, 170, 110], 0.5), g.horizon, [[0.012, 0.5]]),
        rowOf(c, 0.45, g.horizon + 0.05, 0.3, (ctx, x, y, h) => {
          const s = h * 0.12;
          ctx.fillStyle = lit([90, 70, 50], 0.3);
          ctx.fillRect(x - s * 0.04, y - s * 0.8, s * 0.08, s * 0.8);
          ctx.fillStyle = lit([96, 120, 60], 0.3);
          ctx.beginPath();
          ctx.ellipse(x, y - s * 0.85, s * 0.6, s * 0.14, 0, 0, 6.28);
          ctx.fill();
        }, 0.55),
        ridge(c, 0.6, lit(c.ground([214, 182, 104]), 0.2), g.horizon + 0.1, [[0.01, 1.3]]),
        ridge(c, 0.9, lit(c.ground([222, 190, 110])), g.ground - 0.04, [[0.01, 0.7]]),
      ];
    case 'snowfield':
      return [
        ridge(c, 0.2, lit([190, 205, 230], 0.5), g.horizon - 0.02, [[0.1, 0.5], [0.03, 1.7]], true),
        ridge(c, 0.5, lit([232, 238, 248], 0.2), g.horizon + 0.08, [[0.03, 0.7]]),
        rowOf(c, 0.55, g.horizon + 0.1, 0.12, pine(lit([40, 80, 70], 0.25), lit([60, 50, 40], 0.25)), 0.5),
        ridge(c, 0.9, lit([246, 248, 255]), g.ground - 0.04, [[0.015, 0.6]]),
      ];
    case 'city': {
      const windows = c.lighting.lightsOn ? 'rgba(255,214,120,0.9)' : lit([180, 200, 220], 0.2);
      const building = (color: string, lights: boolean) => (ctx: View['ctx'], x: number, y: number, h: number, cell: number) => {
        const bw = H * (0.05 + ((cell * 7) % 5) * 0.012);
        const bh = h * 0.28;
        ctx.fillStyle = color;
        ctx.fillRect(x - bw / 2, y - bh, bw, bh + H * 0.2);
        if (!lights) return;
        ctx.fillStyle = windows;
        const ww = bw / 7;
        for (let wy = y - bh + ww; wy < y - ww; wy += ww * 2) {
          for (let k = 0; k < 3; k++) if (((cell * 31 + Math.floor(wy) * 7 + k * 13) % 5) > 1) ctx.fillRect(x - bw / 2 + ww * (1 + k * 2), wy, ww, ww);
        }
      };
      return [
        rowOf(c, 0.25, g.horizon, 0.06, building(lit([120, 130, 160], 0.55), false), 1),
        rowOf(c, 0.5, g.horizon + 0.06, 0.1, building(lit([70, 78, 100], 0.25), true), 1),
        ridge(c, 0.9, lit([90, 92, 100]), g.ground - 0.03, [[0, 1]]),
      ];
    }
    case 'sea':
      return [
        ridge(c, 0.2, lit([90, 110, 130], 0.6), g.horizon + 0.002, [[0.015, 0.8], [0.03, 0.25]]),
        water(c, 0.6, g.water!, 1.05, false),
      ];
    case 'beach':
      return [
        water(c, 0.5, g.water!, 0.8, false),
        ridge(c, 0.85, lit([240, 214, 160]), 0.72, [[0.015, 0.5], [0.006, 2]]),
        {
          depth: 0.85,
          draw(view, t) {
            view.layer(0.85, (r) => {
              const ctx = view.ctx;
              ctx.strokeStyle = 'rgba(255,255,255,0.75)';
              ctx.lineWidth = Math.max(1.5, H / 300);
              ctx.beginPath();
              const y = (0.715 + 0.008 * Math.sin(t * 0.9)) * H;
              for (let x = r.left - 20; x <= r.right + 20; x += 12) ctx.lineTo(x, y + Math.sin(x / (H * 0.06) + t * 1.3) * H * 0.005);
              ctx.stroke();
            });
          },
        },
      ];
    case 'lake':
      return [
        ridge(c, 0.2, lit([86, 120, 118], 0.55), g.horizon + 0.01, [[0.05, 0.5], [0.015, 2]]),
        rowOf(c, 0.3, g.water! + 0.002, 0.05, pine(lit([46, 84, 70], 0.45), lit([50, 50, 50], 0.45)), 0.8),
        water(c, 0.5, g.water!, 0.82, true),
        ridge(c, 0.9, lit(c.ground([94, 140, 74])), g.ground - 0.06, [[0.02, 0.6], [0.008, 3]]),
      ];
    case 'space':
      return [
        {
          depth: 0.1,
          draw(view) {
            view.layer(0.1, () => {
              const ctx = view.ctx;
              const neb = ctx.createRadialGradient(W * 0.7, H * 0.3, 0, W * 0.7, H * 0.3, H * 0.6);
              neb.addColorStop(0, 'rgba(150,60,200,0.28)');
              neb.addColorStop(1, 'rgba(40,20,90,0)');
              ctx.fillStyle = neb;
              ctx.fillRect(W * 0.7 - H * 0.6, H * 0.3 - H * 0.6, H * 1.2, H * 1.2);
            });
          },
        },
        {
          depth: 0.6,
          draw(view) {
            view.layer(0.6, () => {
              const ctx = view.ctx;
              const cx = W * 0.5, cy = H * (0.82 + 1.6), rr = H * 1.6;
              const gr = ctx.createLinearGradient(0, cy - rr, 0, cy - rr + H * 0.3);
              gr.addColorStop(0, lit([150, 140, 170]));
              gr.addColorStop(1, lit([70, 60, 90]));
              ctx.fillStyle = gr;
              ctx.beginPath();
              ctx.arc(cx, cy, rr, 0, Math.PI * 2);
              ctx.fill();
            });
          },
        },
      ];
    case 'underwater': {
      const rays = Array.from({ length: 6 }, () => [between(rng, -0.2, 1.2), between(rng, 0.03, 0.08), rng()] as const);
      return [
        {
          depth: 0.15,
          draw(view, t) {
            view.layer(0.15, () => {
              const ctx = view.ctx;
              for (const [x, w, ph] of rays) {
                ctx.fillStyle = `rgba(200,240,255,${(0.06 + 0.05 * Math.sin(t * 0.8 + ph * 6)).toFixed(3)})`;
                ctx.beginPath();
                ctx.moveTo(x * W, 0);
                ctx.lineTo((x + w) * W, 0);
                ctx.lineTo((x + w * 3 - 0.15) * W, H);
                ctx.lineTo((x - 0.15) * W, H);
                ctx.fill();
              }
            });
          },
        },
        ridge(c, 0.35, lit([40, 90, 110], 0.5), 0.8, [[0.05, 0.6], [0.02, 2]]),
        ridge(c, 0.85, lit([210, 190, 140], 0.15), g.ground - 0.02, [[0.015, 0.8]]),
        rowOf(c, 0.95, g.ground + 0.02, 0.08, (ctx, x, y, h, cell) => {
          ctx.strokeStyle = lit(cell % 3 ? [60, 150, 90] : [170, 80, 110], 0.1);
          ctx.lineWidth = H * 0.008;
          ctx.beginPath();
          ctx.moveTo(x, y);
          const len = h * 0.18;
          for (let k = 1; k <= 6; k++) ctx.lineTo(x + Math.sin(k * 1.3 + cell) * H * 0.012 * k * 0.3, y - (len * k) / 6);
          ctx.stroke();
        }, 0.8),
      ];
    }
    case 'interior': {
      const wall = lit([214, 196, 170]);
      const floorC = lit([150, 104, 70]);
      const sky = mix(c.lighting.skyTop, c.lighting.skyHorizon, 0.5);
      return [{
        depth: 0.9,
        draw(view) {
          view.layer(0.9, (r) => {
            const ctx = view.ctx;
            const floorY = g.horizon * H;
            ctx.fillStyle = wall;
            ctx.fillRect(r.left - 10, r.top - 10, r.right - r.left + 20, floorY - r.top + 10);
            ctx.fillStyle = floorC;
            ctx.fillRect(r.left - 10, floorY, r.right - r.left + 20, r.bottom - floorY + 10);
            ctx.strokeStyle = 'rgba(0,0,0,0.18)';
            ctx.lineWidth = Math.max(1, H / 400);
            ctx.beginPath();
            for (let y = floorY + H * 0.04; y < r.bottom; y += H * 0.05) { ctx.moveTo(r.left, y); ctx.lineTo(r.right, y); }
            ctx.stroke();
            // A window onto the time of day, and a picture frame.
            const wx = W * 0.62, wy = H * 0.18, ww = W * 0.22, wh = H * 0.32;
            ctx.fillStyle = css(sky);
            ctx.fillRect(wx, wy, ww, wh);
            ctx.strokeStyle = lit([250, 250, 245]);
            ctx.lineWidth = H * 0.012;
            ctx.strokeRect(wx, wy, ww, wh);
            ctx.beginPath();
            ctx.moveTo(wx + ww / 2, wy);
            ctx.lineTo(wx + ww / 2, wy + wh);
            ctx.stroke();
            ctx.fillStyle = lit([120, 80, 60]);
            ctx.fillRect(W * 0.2, H * 0.22, W * 0.12, H * 0.16);
            ctx.fillStyle = lit([90, 140, 170]);
            ctx.fillRect(W * 0.21, H * 0.24, W * 0.1, H * 0.12);
            if (c.lighting.lightsOn) {
              const glow = ctx.createRadialGradient(W * 0.4, H * 0.12, 0, W * 0.4, H * 0.12, H * 0.5);
              glow.addColorStop(0, 'rgba(255,220,150,0.35)');
              glow.addColorStop(1, 'rgba(255,220,150,0)');
              ctx.fillStyle = glow;
              ctx.fillRect(W * 0.4 - H * 0.5, 0, H, H * 0.7);
            }
          });
        },
      }];
    }
  }
}

export function buildTerrain(shot: ShotPlan, lighting: Lighting, g: Ground, W: number, H: number, rng: Rng, grade: ColorGrade): TerrainLayer[] {
  const haze = lighting.skyHorizon;
  const c: Ctx = {
    W, H, g, rng, lighting,
    // Surfaces are lit by the time of day and styled; far ones also fade toward the (already
    // styled) horizon colour: aerial perspective.
    lit: (color, far = 0) => css(mix(grade(light(color, lighting.ambient, lighting.tint)), haze, far)),
    ground: (color) => (shot.weather.kind === 'snow' ? mix(color, [238, 242, 250], 0.8) : color),
  };
  return settingLayers(shot.setting, c);
}
