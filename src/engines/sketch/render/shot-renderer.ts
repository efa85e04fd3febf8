// One shot of the storyboard, ready to draw at any moment: everything that does not change during
// the shot (light, terrain, subject layout, particles) is built once; draw(t) only places and paints.
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { ShotPlan } from '../plan/scene-plan.js';
import { SUBJECT_INFO } from '../plan/scene-plan.js';
import { rngFrom } from '../prng.js';
import { paintFor, SUBJECTS, type SubjectPaint, type SubjectSpec } from '../subjects/index.js';
import { buildAtmosphere, drawAtmosphere, type Atmosphere } from './atmosphere.js';
import { BACKDROP_DEPTH, gradeBackdrop, layoutBackdrop, type BackdropLayout } from './backdrop.js';
import { cameraAt, driftAt, ease, keepsScale, View, type CameraState } from './camera.js';
import { css, light, mix, parseColor, type Rgb } from './color.js';
import { GROUNDS, layoutSubjects, type Ground, type SubjectInstance } from './layout.js';
import { gradeLighting, lightingFor, type Lighting } from './palette.js';
import { colorGrade, type ColorGrade } from './style.js';
import { buildSky, drawSky, type SkyModel } from './sky.js';
import { buildTerrain, type TerrainLayer } from './terrain.js';

interface PlacedSubject extends SubjectInstance {
  spec: SubjectSpec;
  paint: SubjectPaint;
}

/** Kinds whose accent colour is a light source (windows, lamps, flames): it glows instead of dimming at night. */
const EMISSIVE = new Set(['house', 'lighthouse', 'tower', 'castle', 'bus', 'car', 'train', 'ufo', 'campfire', 'rocket', 'robot']);

export class ShotRenderer {
  readonly ground: Ground;
  private readonly lighting: Lighting;
  private readonly sky: SkyModel;
  private readonly terrain: TerrainLayer[];
  private readonly subjects: PlacedSubject[];
  private readonly atmosphere: Atmosphere;
  private readonly water: { colorAt: (y: number) => string; depth: number; line: string } | null;
  private readonly grade: ColorGrade;
  /** Where the reference image goes, when this shot has one (see backdropSize, setBackdrop). */
  private readonly backdropLayout: BackdropLayout | null = null;
  private backdrop: Canvas | null = null;
  /** A reference image with no camera asked for gets a slow drift (camera.ts driftAt), this way. */
  private readonly drift: 1 | -1 | null = null;

  /**
   * @param backdrop the size of the reference image that replaces sky and terrain (the first
   *   shot's), or null; its pixels come later through setBackdrop, decoded at backdropSize().
   */
  constructor(readonly shot: ShotPlan, readonly width: number, readonly height: number, seed: number, backdrop: { width: number; height: number } | null) {
    const W = width, H = height;
    const rng = rngFrom(`${seed}|shot ${shot.index}|${shot.setting}|${shot.timeOfDay}`);
    this.ground = GROUNDS[shot.setting];
    const hasCelestial = shot.subjects.some((s) => s.kind === 'sun' || s.kind === 'moon');
    const grade = colorGrade(shot.style);
    this.grade = grade;
    const lighting = gradeLighting(lightingFor(shot, this.ground.horizon, 0.25 + rng() * 0.5), grade);
    // A sun or moon named in the prompt is drawn as a subject; the sky does not add a second one.
    this.lighting = hasCelestial ? { ...lighting, body: null } : lighting;
    this.sky = buildSky(shot, this.lighting, W, H, this.ground.horizon, rng, grade);
    this.terrain = buildTerrain(shot, this.lighting, this.ground, W, H, rng, grade);
    const nightGlow: Rgb = [255, 226, 150];
    this.subjects = layoutSubjects(shot, W, H, rng).map((s) => {
      const spec = SUBJECTS[s.kind];
      const base = paintFor(spec, s.planned.color);
      const { ambient, tint } = this.lighting;
      const lit = (c: string) => css(grade(light(parseColor(c), ambient, tint)));
      const paint: SubjectPaint = {
        body: lit(base.body),
        shade: lit(base.shade),
        light: lit(base.light),
        line: lit(base.line),
        accent: EMISSIVE.has(s.kind) && this.lighting.lightsOn ? css(grade(mix(parseColor(base.accent), nightGlow, 0.6))) : lit(base.accent),
      };
      return { ...s, spec, paint };
    });
    const fire = this.subjects.find((s) => s.kind === 'campfire');
    this.atmosphere = buildAtmosphere(shot, this.lighting, W, H, this.ground.horizon, rng, fire ? { x: fire.from.x / W, y: (fire.from.y - fire.height * 0.4) / H } : undefined);
    const surface = this.terrain.find((l) => l.waterColorAt);
    this.water = this.ground.water !== null && surface ? { colorAt: (y) => surface.waterColorAt!(y), depth: surface.depth, line: css(this.lighting.water.highlight, 0.6) } : null;
    if (backdrop) {
      if (shot.camera.byDefault) this.drift = rng() < 0.5 ? -1 : 1;
      // Every camera state of the shot, so the framing covers the whole move.
      const cams = Array.from({ length: 33 }, (_, k) => this.cameraFor((k / 32) * shot.seconds));
      this.backdropLayout = layoutBackdrop(backdrop, W, H, cams);
    }
  }

  /** The pixel size to decode the reference image at (about the output size, never more than needed). */
  backdropSize(): { width: number; height: number } | null {
    const l = this.backdropLayout;
    return l ? { width: l.pixelWidth, height: l.pixelHeight } : null;
  }

  /** Takes the decoded reference image and grades it (in place) to this shot's light and style. */
  setBackdrop(raw: Canvas): void {
    this.backdrop = gradeBackdrop(raw, this.lighting, this.shot.timeOfDay, this.grade, this.shot.style.length > 0);
  }

  /** Where the camera is at shot time t. */
  private cameraFor(t: number): CameraState {
    const { shot, height: H } = this;
    const u = shot.seconds > 0 ? Math.min(1, t / shot.seconds) : 0;
    // Zooms close in on the middle of the main subject, not its feet.
    const main = this.subjects.find((s) => s.order >= 0);
    const focusY = main ? Math.max(0.2, Math.min(0.85, (main.to.y - main.height / 2) / H)) : 0.6;
    if (this.drift !== null) return driftAt(shot.camera.framing, u, shot.seconds, focusY, this.drift);
    return cameraAt(shot.camera, u, shot.seconds, focusY, shot.camera.move === 'tracking' ? this.mainOffset(t) : 0);
  }

  /** Where the main subject is at shot time t (for tracking shots), in frame heights. */
  private mainOffset(t: number): number {
    const main = this.subjects.find((s) => s.order >= 0 && s.kind === this.shot.subjects[0]?.kind);
    if (!main) return 0;
    const e = ease(t / this.shot.seconds);
    return ((main.to.x - main.from.x) * e + main.from.x - this.width / 2) / this.height;
  }

  /** Draws the shot at `t` seconds after it began. */
  draw(ctx: SKRSContext2D, t: number): void {
    const { width: W, height: H, shot } = this;
    const u = shot.seconds > 0 ? Math.min(1, t / shot.seconds) : 0;
    const cam = this.cameraFor(t);
    const view = new View(ctx, W, H, cam, this.drift === null && keepsScale(shot.camera));
    const layout = this.backdropLayout;
    if (layout && this.backdrop) {
      // The reference image is the set: it replaces sky and terrain, behind the subjects, so the
      // camera moves it less than them (parallax).
      const img = this.backdrop;
      view.layer(BACKDROP_DEPTH, () => ctx.drawImage(img, layout.x, layout.y, layout.width, layout.height));
    } else {
      drawSky(view, this.sky, this.lighting, this.ground.horizon, t);
      for (const layer of this.terrain) layer.draw(view, t);
    }
    for (const s of this.subjects) this.drawSubject(view, s, t, u);
    drawAtmosphere(view, this.atmosphere, t, cam.x * H);
  }

  private drawSubject(view: View, s: PlacedSubject, t: number, u: number): void {
    const ctx = view.ctx;
    const e = ease(u);
    const x = s.from.x + (s.to.x - s.from.x) * e;
    const y = s.from.y + (s.to.y - s.from.y) * e + s.bob.amp * Math.sin(t * s.bob.freq * 6.283 + s.bob.phase);
    const h = s.height * (1 + (s.grow - 1) * e);
    const waterline = SUBJECT_INFO[s.kind].habitat === 'water' && s.spec.waterline ? s.spec.waterline * h : 0;
    view.layer(s.depth, () => {
      if (s.spec.lamp && this.lighting.lightsOn) this.drawLampGlow(view, s, x, y + waterline, h, t);
      ctx.save();
      ctx.translate(x, y + waterline);
      if (s.spin) {
        ctx.translate(0, -h / 2);
        ctx.rotate(s.spin * t);
        ctx.translate(0, h / 2);
      }
      ctx.scale(h * s.facing, h);
      s.spec.draw({ ctx, paint: s.paint, t, variant: s.variant, moving: s.motion !== 'still' });
      ctx.restore();
      if (waterline && this.water) {
        // The hull sits in the water: repaint the water in front of its submerged part, in the
        // colour the water layer shows on that row (the horizon's colour looked like a raft at dusk).
        const w = h * s.spec.aspect * 0.6;
        const m = ctx.getTransform();
        const colorAt = (wy: number) => this.water!.colorAt(view.layerY(wy * m.d + m.f, this.water!.depth));
        const g = ctx.createLinearGradient(0, y, 0, y + waterline + 1);
        g.addColorStop(0, colorAt(y));
        g.addColorStop(1, colorAt(y + waterline + 1));
        ctx.fillStyle = g;
        ctx.fillRect(x - w, y, w * 2, waterline + 1);
        ctx.strokeStyle = this.water.line;
        ctx.lineWidth = Math.max(1, h * 0.02);
        ctx.beginPath();
        ctx.moveTo(x - w, y);
        ctx.lineTo(x + w, y);
        ctx.stroke();
      }
    });
  }

  /** Lighthouse beams sweep; fires and lamps glow. Additive light, drawn behind the subject. */
  private drawLampGlow(view: View, s: PlacedSubject, x: number, y: number, h: number, t: number): void {
    const ctx = view.ctx;
    const lx = x + s.spec.lamp!.x * h * s.facing;
    const ly = y + s.spec.lamp!.y * h;
    ctx.save();
    ctx.globalCompositeOperation = 'lighter';
    if (s.kind === 'lighthouse') {
      const angle = Math.sin(t * 0.7 + s.variant * 6) * 0.9;
      const len = view.width * 0.9;
      for (const side of [1, -1]) {
        const a = angle + (side === 1 ? 0 : Math.PI);
        const spread = 0.16;
        const g = ctx.createRadialGradient(lx, ly, 0, lx, ly, len);
        const beam = this.grade([255, 240, 190]);
        g.addColorStop(0, css(beam, 0.45));
        g.addColorStop(1, css(beam, 0));
        ctx.fillStyle = g;
        ctx.beginPath();
        ctx.moveTo(lx, ly);
        ctx.lineTo(lx + Math.cos(a - spread) * len, ly + Math.sin(a - spread) * len * 0.4);
        ctx.lineTo(lx + Math.cos(a + spread) * len, ly + Math.sin(a + spread) * len * 0.4);
        ctx.closePath();
        ctx.fill();
      }
    }
    const r = h * (s.kind === 'campfire' ? 1.6 : 0.35) * (1 + 0.06 * Math.sin(t * 9 + s.variant * 10));
    const g = ctx.createRadialGradient(lx, ly, 0, lx, ly, r);
    g.addColorStop(0, css(this.grade(s.kind === 'campfire' ? [255, 150, 60] : [255, 235, 170]), s.kind === 'campfire' ? 0.45 : 0.5));
    g.addColorStop(1, 'rgba(0,0,0,0)');
    ctx.fillStyle = g;
    ctx.fillRect(lx - r, ly - r, r * 2, r * 2);
    ctx.restore();
  }
}
