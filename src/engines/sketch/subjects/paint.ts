// Colours for subjects: the prompt colour names as pleasant CSS, and the derivation of a full paint
// (shade, light, line) from one body colour so every subject gets depth whatever its colour.
import type { ColorName } from '../plan/scene-plan.js';
import type { SubjectPaint, SubjectSpec } from './types.js';

/** Prompt colour names as CSS: softened, but unmistakable (red stays R>180, G<90, B<90). */
export const NAMED_COLORS: Record<ColorName, string> = {
  red: '#dc3b34',
  orange: '#f08a2c',
  yellow: '#f6cc3a',
  green: '#4fa552',
  blue: '#3b7dd8',
  purple: '#8e5cc7',
  pink: '#f28cb6',
  white: '#f5f3ee',
  black: '#2f3036',
  gray: '#8d9299',
  brown: '#8b5a33',
  gold: '#e0ae2e',
  silver: '#bcc4cc',
};

type Rgb = [number, number, number];

/** Parses #rgb / #rrggbb (the only forms this library writes). Anything else reads as mid grey. */
export function parseHex(css: string): Rgb {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css.trim());
  if (!m) return [128, 128, 128];
  let h = m[1]!;
  if (h.length === 3) h = h[0]! + h[0]! + h[1]! + h[1]! + h[2]! + h[2]!;
  const n = parseInt(h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function toHex([r, g, b]: Rgb): string {
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

/** Linear mix of two hex colours: k = 0 gives a, 1 gives b. */
export function mix(a: string, b: string, k: number): string {
  const x = parseHex(a), y = parseHex(b);
  return toHex([x[0] + (y[0] - x[0]) * k, x[1] + (y[1] - x[1]) * k, x[2] + (y[2] - x[2]) * k]);
}

/** Relative lightness 0..1 (perceptual weights). */
export function lightness(css: string): number {
  const [r, g, b] = parseHex(css);
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}

/** Rough distance between colours, 0..~440. */
export function distance(a: string, b: string): number {
  const x = parseHex(a), y = parseHex(b);
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]);
}

/** `preferred`, unless it is too close to `body` to read against it; then `fallback`. */
export function contrasting(body: string, preferred: string, fallback: string): string {
  return distance(body, preferred) < 70 ? fallback : preferred;
}

/** A darker tone: a cool shadow for light colours, a deeper one for dark colours; always visible. */
export function shadeOf(body: string): string {
  const l = lightness(body);
  if (l < 0.3) return mix(body, '#000000', 0.42);
  return mix(body, '#1c1a30', l > 0.85 ? 0.22 : 0.27);
}

/** A lighter tone for highlights; dark colours get a clearly lighter one. */
export function lightOf(body: string): string {
  const l = lightness(body);
  if (l > 0.9) return '#ffffff';
  return mix(body, '#fffdf5', l < 0.3 ? 0.3 : 0.38);
}

/** Eyes and fine lines: near-black tinted by the body, or a pale tone on very dark bodies. */
export function lineOf(body: string): string {
  return lightness(body) < 0.28 ? '#f2e8c4' : mix(body, '#17141c', 0.87);
}

const DEFAULT_ACCENT = '#f5c23e';

/** Builds a paint from a colour name (or the spec's default colour when null): shade/light derived from body. */
export function paintFor(spec: SubjectSpec, color: ColorName | null): SubjectPaint {
  const body = color ? NAMED_COLORS[color] : spec.defaultColor;
  const wanted = spec.accent ?? DEFAULT_ACCENT;
  // A designed default keeps its accent; a prompt colour that swallows the accent gets a contrasting one.
  const accent = !color ? wanted : contrasting(body, wanted, lightness(body) > 0.55 ? mix(wanted, '#262033', 0.55) : mix(wanted, '#ffffff', 0.6));
  return { body, shade: shadeOf(body), light: lightOf(body), accent, line: lineOf(body) };
}
