// One shot of the storyboard, ready to draw at any moment: everything that does not change during
// the shot (light, terrain, subject layout, particles) is built once; draw(t) only places and paints.
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { PlannedSubject, ShotPlan } from '../plan/scene-plan.js';
import { SUBJECT_INFO } from '../plan/scene-plan.js';
import { rngFrom } from '../prng.js';
import { paintFor, SUBJECTS, type SubjectPaint, type SubjectSpec } from '../subjects/index.js';
import { buildAtmosphere, drawAtmosphere, type Atmosphere } from './atmosphere.js';
import { BACKDROP_DEPTH, gradeBackdrop, layoutBackdrop, type BackdropLayout } from './backdrop.js';
import { cameraAt, driftAt, ease, keepsScale, View, type CameraState } from './camera.js';
import { css, light, lightKeepingHue, mix, parseColor, type Rgb } from './color.js';
import { buildFeatures, buildFlames, drawFlames, type FeatureSet, type FireSpot, type Flames } from './features.js';
import { buildFireworks, drawFireworks, drawFireworksFlash, type Fireworks } from './fireworks.js';
import { GROUNDS, keepInFrame, layoutSubjects, type Box, type Ground, type SubjectInstance } from './layout.js';
import { drawPosed, poseBounds, poseLift, poseOf, STILL_POSES } from './pose.js';
import { gradeLighting, lightingFor, type Lighting } from './palette.js';
import { colorGrade, type ColorGrade } from './style.js';
import { buildSky, drawSky, type SkyModel } from './sky.js';
import { buildTerrain, type TerrainLayer } from './terrain.js';

interface PlacedSubject extends SubjectInstance {
  spec: SubjectSpec;
  paint: SubjectPaint;
  pose: ReturnType<typeof poseOf>;
}

/** A subject's box on screen at some moment (device pixels), for tests and the first-frame check. */
export interface Placement { kind: PlannedSubject['kind']; box: Box }

const SELF_LIT = new Set(['sun', 'moon', 'star']);

/** Kinds fire burns on when the shot has fire: what stands there. */
const FLAMMABLE = new Set(['house', 'castle', 'tower', 'windmill', 'tent', 'bridge', 'lighthouse', 'tree', 'pine-tree', 'palm-tree', 'car', 'bus', 'train']);

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
  private readonly features: FeatureSet;
  private readonly flames: Flames | null;
  private readonly fireworks: Fireworks | null;
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
    // A moon phase named without a moon ("under a full moon" parsed as a phase only) still shows
    // that moon, in the sky of a dusk or night shot.
    const wantsMoon = shot.moonPhase && shot.moonPhase !== 'new' && !shot.subjects.some((s) => s.kind === 'moon') && (shot.timeOfDay === 'night' || shot.timeOfDay === 'dusk');
    const subjectsPlan: PlannedSubject[] = wantsMoon ? [...shot.subjects, { kind: 'moon', count: 1, color: null, motion: null, direction: null, size: null }] : shot.subjects;
    const hasCelestial = subjectsPlan.some((s) => s.kind === 'sun' || s.kind === 'moon');
    const grade = colorGrade(shot.style);
    this.grade = grade;
    const lighting = gradeLighting(lightingFor(shot, this.ground.horizon, 0.25 + rng() * 0.5), grade);
    // A sun or moon named in the prompt is drawn as a subject; the sky does not add a second one.
    this.lighting = hasCelestial ? { ...lighting, body: null } : lighting;
    this.sky = buildSky(shot, this.lighting, W, H, this.ground.horizon, rng, grade);
    this.terrain = buildTerrain(shot, this.lighting, this.ground, W, H, rng, grade);
    const nightGlow: Rgb = [255, 226, 150];
    // Features draw from their own random numbers, so a shot without any draws exactly as before.
    const frng = rngFrom(`${seed}|shot ${shot.index}|features`);
    const haze = this.lighting.skyHorizon;
    this.features = buildFeatures(shot, {
      W, H, g: this.ground, lighting: this.lighting, rng: frng,
      lit: (c) => css(mix(grade(light(c, this.lighting.ambient, this.lighting.tint)), haze, 0)),
      glow: (c, a = 1) => css(grade(c), a),
      snowy: shot.setting === 'snowfield' || shot.weather.kind === 'snow',
    });
    const laid = layoutSubjects({ ...shot, subjects: subjectsPlan }, W, H, rng);
    for (const s of laid) {
      // Sleepers and sitters stay where they are, whatever their kind's usual motion.
      if (s.planned.pose && STILL_POSES.has(s.planned.pose) && poseOf(s.planned)) {
        const mid = { x: (s.from.x + s.to.x) / 2, y: (s.from.y + s.to.y) / 2 };
        s.from = mid; s.to = { ...mid }; s.motion = 'still'; s.bob = { amp: 0, freq: 0, phase: 0 };
      }
    }
    this.subjects = laid.map((s) => {
      const spec = SUBJECTS[s.kind];
      const base = paintFor(spec, s.planned.color);
      const { ambient, tint } = this.lighting;
      // A named colour is what the prompt asked to see: it is dimmed with the light but keeps its
      // hue (a yellow bird stays yellow at dusk, not olive); unnamed colours take the light's tint.
      // The sun, moon and stars give light rather than receive it: never dimmed by the night.
      const lit = SELF_LIT.has(s.kind)
        ? (c: string) => css(grade(parseColor(c)))
        : s.planned.color
        ? (c: string) => css(grade(lightKeepingHue(parseColor(c), ambient, tint)))
        : (c: string) => css(grade(light(parseColor(c), ambient, tint)));
      const paint: SubjectPaint = {
        body: lit(base.body),
        shade: lit(base.shade),
        light: lit(base.light),
        line: lit(base.line),
        accent: EMISSIVE.has(s.kind) && this.lighting.lightsOn ? css(grade(mix(parseColor(base.accent), nightGlow, 0.6))) : lit(base.accent),
      };
      return { ...s, spec, paint, pose: poseOf(s.planned) };
    });
    const fire = this.subjects.find((s) => s.kind === 'campfire');
    this.atmosphere = buildAtmosphere(shot, this.lighting, W, H, this.ground.horizon, rng, fire ? { x: fire.from.x / W, y: (fire.from.y - fire.height * 0.4) / H } : undefined);
    const surface = this.terrain.find((l) => l.waterColorAt);
    this.water = this.ground.water !== null && surface ? { colorAt: (y) => surface.waterColorAt!(y), depth: surface.depth, line: css(this.lighting.water.highlight, 0.6) } : null;
    if (backdrop) {
      if (shot.camera.byDefault) this.drift = rng() < 0.5 ? -1 : 1;
    }
    const main = this.subjects.find((s) => s.order >= 0);
    this.focusY = main ? Math.max(0.2, Math.min(0.85, (main.to.y - main.height / 2) / H)) : 0.6;
    // Everything inside the first frame, where the camera starts.
    const cam0 = this.cameraFor(0);
    keepInFrame(this.subjects, (p) => this.visibleAt(cam0, p), (s) => this.worldBox(s as PlacedSubject, 0), H);
    const fx = buildFlameSpots(this.subjects, this.features, this.liftAt.bind(this));
    this.flames = this.features.has('fire') ? buildFlames(fx, W, H, this.ground.ground * H, frng) : null;
    this.fireworks = shot.effects.includes('fireworks') ? buildFireworks(shot.seconds, this.ground.horizon, frng, grade) : null;
    if (backdrop) {
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

  /** How far the ground rises under world x (the hill), for subjects standing on it. */
  private liftAt(s: SubjectInstance, x: number): number {
    return SUBJECT_INFO[s.kind].habitat === 'ground' && s.depth === 1 && s.kind !== 'cliff' ? this.features.lift(x) : 0;
  }

  /** Where a subject is at shot time t: feet position (world pixels) and height. */
  private positionAt(s: PlacedSubject, t: number): { x: number; y: number; h: number } {
    const u = this.shot.seconds > 0 ? Math.min(1, t / this.shot.seconds) : 0;
    const e = ease(u);
    const x = s.from.x + (s.to.x - s.from.x) * e;
    const h = s.height * (1 + (s.grow - 1) * e);
    const y = s.from.y + (s.to.y - s.from.y) * e + s.bob.amp * Math.sin(t * s.bob.freq * 6.283 + s.bob.phase) - this.liftAt(s, x) + poseLift(s.pose, t, s.variant) * h;
    return { x, y, h };
  }

  /** A subject's box in world pixels of its layer at shot time t (its pose at rest). */
  private worldBox(s: PlacedSubject, t: number): Box {
    const { x, y, h } = this.positionAt(s, t);
    const b = poseBounds(s.pose, s.kind, s.spec.aspect);
    const l = x + (s.facing === 1 ? b.left : -b.right) * h, r = x + (s.facing === 1 ? b.right : -b.left) * h;
    return { left: l, right: r, top: y + b.top * h, bottom: y + b.bottom * h };
  }

  /** The world rectangle a layer at depth p shows through camera `cam` (as View.layer computes it). */
  private visibleAt(cam: CameraState, p: number): Box {
    const { width: W, height: H } = this;
    const sc = 1 + (cam.zoom - 1) * p;
    const fy = cam.focusY * H, ox = cam.x * p * H, oy = cam.y * p * H;
    return { left: ox + W / 2 - W / 2 / sc, right: ox + W / 2 + W / 2 / sc, top: oy + fy - fy / sc, bottom: oy + fy + (H - fy) / sc };
  }

  /** Every subject's box on screen (device pixels) at shot time t. */
  placements(t: number): Placement[] {
    const cam = this.cameraFor(t);
    const { width: W, height: H } = this;
    return this.subjects.map((s) => {
      const b = this.worldBox(s, t);
      const sc = 1 + (cam.zoom - 1) * s.depth;
      const fy = cam.focusY * H, ox = cam.x * s.depth * H, oy = cam.y * s.depth * H;
      const X = (x: number) => (x - W / 2 - ox) * sc + W / 2, Y = (y: number) => (y - fy - oy) * sc + fy;
      return { kind: s.kind, box: { left: X(b.left), right: X(b.right), top: Y(b.top), bottom: Y(b.bottom) } };
    });
  }

  /**
   * The point zooms close in on: the middle of the main subject, not its feet. Fixed once the
   * layout is made, before keepInFrame moves anything, so the view it fits subjects into is the one drawn.
   */
  private focusY = 0.6;

  /** Where the camera is at shot time t. */
  private cameraFor(t: number): CameraState {
    const { shot } = this;
    const u = shot.seconds > 0 ? Math.min(1, t / shot.seconds) : 0;
    const focusY = this.focusY;
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
      if (this.fireworks) drawFireworks(view, this.fireworks, t);
      for (const layer of this.terrain) layer.draw(view, t);
    }
    this.features.draw(view, t);
    for (const s of this.subjects) this.drawSubject(view, s, t);
    if (this.flames) drawFlames(view, this.flames, t, (c, a = 1) => css(this.grade(c), a));
    drawAtmosphere(view, this.atmosphere, t, cam.x * H);
    if (this.fireworks) drawFireworksFlash(view, this.fireworks, t);
  }

  private drawSubject(view: View, s: PlacedSubject, t: number): void {
    const ctx = view.ctx;
    const { x, y, h } = this.positionAt(s, t);
    const waterline = SUBJECT_INFO[s.kind].habitat === 'water' && s.spec.waterline ? s.spec.waterline * h : 0;
    view.layer(s.depth, () => {
      if (s.spec.lamp && this.lighting.lightsOn) this.drawLampGlow(view, s, x, y + waterline, h, t);
      if (this.features.floeUnder && SUBJECT_INFO[s.kind].habitat === 'ground') this.features.floeUnder(ctx, x, y, h * s.spec.aspect);
      ctx.save();
      ctx.translate(x, y + waterline);
      if (s.spin) {
        ctx.translate(0, -h / 2);
        ctx.rotate(s.spin * t);
        ctx.translate(0, h / 2);
      }
      ctx.scale(h * s.facing, h);
      const args = { ctx, paint: s.paint, t, variant: s.variant, moving: s.motion !== 'still' || s.pose === 'dancing', pose: s.pose, moonPhase: this.shot.moonPhase ?? null };
      if (s.pose) drawPosed(ctx, s.pose, s.kind, s.spec.aspect, s.paint, t, s.variant, () => s.spec.draw(args));
      else s.spec.draw(args);
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

/** Where flames go: on every feature that burns (village roofs, stalls, roofs) and on subjects that can. */
function buildFlameSpots(subjects: readonly PlacedSubject[], features: FeatureSet, lift: (s: SubjectInstance, x: number) => number): FireSpot[] {
  const spots = [...features.fireSpots];
  for (const s of subjects) {
    // Flames are fixed where they burn: things driving or sailing by do not catch.
    if (!FLAMMABLE.has(s.kind) || s.from.x !== s.to.x || s.from.y !== s.to.y) continue;
    const x = (s.from.x + s.to.x) / 2;
    spots.push({ x, y: s.from.y - lift(s, x) - s.height * 0.55, w: s.height * Math.min(0.9, s.spec.aspect * 0.8) });
  }
  return spots;
}
