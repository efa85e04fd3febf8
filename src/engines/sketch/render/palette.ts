// Light and colour for a shot: sky gradient, ambient light on surfaces, sun or moon, water tones,
// all from time of day, weather, setting and style. Computed once per shot.
import type { ShotPlan, TimeOfDay } from '../plan/scene-plan.js';
import { desaturate, mix, type Rgb } from './color.js';
import type { ColorGrade } from './style.js';

export interface Lighting {
  skyTop: Rgb;
  skyHorizon: Rgb;
  /** Multiplied into every surface colour (255 = full daylight). */
  ambient: Rgb;
  /** The sky's hue, bled a little into surfaces. */
  tint: Rgb;
  /** Sun or moon: position in fractions of the frame (x of width, y of height), radius of height. */
  body: { kind: 'sun' | 'moon'; x: number; y: number; radius: number; color: Rgb; glow: Rgb } | null;
  /** 0..1: how many stars show. */
  stars: number;
  water: { top: Rgb; deep: Rgb; highlight: Rgb };
  fog: Rgb;
  /** Lamps, windows and fires glow. */
  lightsOn: boolean;
}

interface TimeLook {
  top: Rgb; horizon: Rgb; ambient: Rgb; body: 'sun' | 'moon'; bodyY: number; bodyColor: Rgb; glow: Rgb; stars: number; lightsOn: boolean;
}

const TIMES: Record<TimeOfDay, TimeLook> = {
  dawn: { top: [58, 74, 122], horizon: [247, 172, 120], ambient: [225, 190, 175], body: 'sun', bodyY: 0.5, bodyColor: [255, 214, 160], glow: [255, 170, 120], stars: 0.15, lightsOn: true },
  morning: { top: [86, 150, 214], horizon: [206, 230, 246], ambient: [245, 245, 240], body: 'sun', bodyY: 0.3, bodyColor: [255, 246, 215], glow: [255, 236, 190], stars: 0, lightsOn: false },
  noon: { top: [52, 136, 222], horizon: [170, 214, 255], ambient: [255, 255, 255], body: 'sun', bodyY: 0.12, bodyColor: [255, 252, 235], glow: [255, 248, 220], stars: 0, lightsOn: false },
  afternoon: { top: [70, 140, 215], horizon: [236, 218, 178], ambient: [250, 240, 222], body: 'sun', bodyY: 0.25, bodyColor: [255, 240, 200], glow: [255, 220, 160], stars: 0, lightsOn: false },
  dusk: { top: [44, 42, 92], horizon: [255, 128, 96], ambient: [205, 150, 150], body: 'sun', bodyY: 0.5, bodyColor: [255, 170, 100], glow: [255, 110, 80], stars: 0.3, lightsOn: true },
  night: { top: [6, 10, 32], horizon: [28, 40, 82], ambient: [78, 92, 140], body: 'moon', bodyY: 0.18, bodyColor: [236, 238, 222], glow: [140, 160, 220], stars: 1, lightsOn: true },
};

export function lightingFor(shot: ShotPlan, horizon: number, sunX: number): Lighting {
  const t = TIMES[shot.timeOfDay];
  let top = t.top, hz = t.horizon, ambient = t.ambient;
  let stars = t.stars;
  let bodyVisible = true;
  const w = shot.weather;
  const heavy = w.intensity === 'heavy' ? 1 : w.intensity === 'light' ? 0.45 : 0.7;
  if (w.kind === 'clouds') { top = desaturate(top, 0.35 * heavy); hz = desaturate(hz, 0.25 * heavy); stars *= 0.5; }
  if (w.kind === 'rain' || w.kind === 'storm') {
    const grey: Rgb = shot.timeOfDay === 'night' ? [20, 24, 34] : [96, 104, 116];
    top = mix(top, grey, 0.7 * heavy + (w.kind === 'storm' ? 0.2 : 0));
    hz = mix(hz, mix(grey, [170, 176, 186], 0.5), 0.7 * heavy);
    ambient = mix(ambient, desaturate(ambient, 1), 0.5).map((v) => v * (w.kind === 'storm' ? 0.72 : 0.85)) as Rgb;
    stars = 0;
    bodyVisible = false;
  }
  if (w.kind === 'snow') { top = mix(top, [190, 200, 214], 0.5 * heavy); hz = mix(hz, [232, 236, 242], 0.6 * heavy); stars *= 0.3; bodyVisible = heavy < 0.6; }
  if (w.kind === 'fog') { top = mix(top, [200, 204, 210], 0.5); hz = mix(hz, [220, 222, 226], 0.7); stars = 0; }

  let water = {
    top: mix(hz, [30, 90, 140], 0.45),
    deep: mix(top, [6, 40, 80], 0.55),
    highlight: mix(t.bodyColor, [255, 255, 255], 0.3),
  };

  if (shot.setting === 'space') {
    top = [2, 3, 12]; hz = [22, 16, 48]; ambient = [235, 235, 245]; stars = 1; bodyVisible = false;
  } else if (shot.setting === 'underwater') {
    const dark = shot.timeOfDay === 'night' ? 0.35 : 1;
    top = ([46, 160, 200] as Rgb).map((v) => v * dark) as Rgb;
    hz = ([8, 52, 96] as Rgb).map((v) => v * dark) as Rgb;
    ambient = ([190, 225, 240] as Rgb).map((v) => v * (0.5 + dark / 2)) as Rgb;
    stars = 0; bodyVisible = false;
    water = { top, deep: hz, highlight: [200, 240, 255] };
  }

  // Styles that change the light itself (grading handles the rest after drawing).
  if (shot.style.includes('neon')) {
    top = [14, 6, 36]; hz = [70, 20, 90]; ambient = mix(ambient, [120, 90, 170], 0.6); stars = Math.max(stars, 0.4);
  }

  return {
    skyTop: top,
    skyHorizon: hz,
    ambient,
    tint: mix(top, hz, 0.6),
    body: bodyVisible && !['interior'].includes(shot.setting)
      ? { kind: t.body, x: sunX, y: t.bodyY * horizon, radius: t.body === 'moon' ? 0.045 : shot.timeOfDay === 'dusk' || shot.timeOfDay === 'dawn' ? 0.075 : 0.055, color: t.bodyColor, glow: t.glow }
      : null,
    stars,
    water,
    fog: mix(hz, [225, 228, 232], 0.6),
    lightsOn: t.lightsOn || shot.style.includes('neon') || shot.setting === 'space',
  };
}

/** The lighting with a style's colour transform applied to every colour a viewer sees directly. */
export function gradeLighting(l: Lighting, grade: ColorGrade): Lighting {
  return {
    ...l,
    skyTop: grade(l.skyTop),
    skyHorizon: grade(l.skyHorizon),
    tint: grade(l.tint),
    body: l.body ? { ...l.body, color: grade(l.body.color), glow: grade(l.body.glow) } : null,
    water: { top: grade(l.water.top), deep: grade(l.water.deep), highlight: grade(l.water.highlight) },
    fog: grade(l.fog),
  };
}
