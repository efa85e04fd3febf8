// Small colour toolkit for the renderer: parse CSS colours, mix them, and light them for a time of
// day (done once per shot, so frames only use ready-made strings).

export type Rgb = [number, number, number];

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

export function parseColor(css: string): Rgb {
  const s = css.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) return [...m[1]!].map((c) => parseInt(c + c, 16)) as Rgb;
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1]!.slice(i, i + 2), 16)) as Rgb;
  m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])].map(clamp) as Rgb;
  m = /^hsla?\(\s*([\d.-]+)(?:deg)?[,\s]+([\d.]+)%[,\s]+([\d.]+)%/.exec(s);
  if (m) return hslToRgb(Number(m[1]), Number(m[2]) / 100, Number(m[3]) / 100);
  return [128, 128, 128];
}

export function hslToRgb(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [clamp(f(0) * 255), clamp(f(8) * 255), clamp(f(4) * 255)];
}

export function css(c: Rgb, alpha = 1): string {
  return alpha >= 1 ? `rgb(${clamp(c[0])},${clamp(c[1])},${clamp(c[2])})` : `rgba(${clamp(c[0])},${clamp(c[1])},${clamp(c[2])},${alpha.toFixed(3)})`;
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Lights a surface colour: multiply by the ambient light, then let a little of the sky's hue in. */
export function light(c: Rgb, ambient: Rgb, tint: Rgb, tintAmount = 0.12): Rgb {
  const lit: Rgb = [(c[0] * ambient[0]) / 255, (c[1] * ambient[1]) / 255, (c[2] * ambient[2]) / 255];
  return mix(lit, tint, tintAmount);
}

/**
 * Lights a colour the prompt named: dimmed evenly by the light's brightness (never below 65 %:
 * darker, yellow reads as mustard),
 * with only a trace of the sky's tint, so its hue survives every time of day. Multiplying by a
 * blue night ambient, as light() does, turns yellow olive.
 */
export function lightKeepingHue(c: Rgb, ambient: Rgb, tint: Rgb): Rgb {
  const k = Math.max(0.65, Math.min(1, luminance(ambient) * 1.08));
  return mix([c[0] * k, c[1] * k, c[2] * k], tint, 0.04);
}

export function lightCss(color: string, ambient: Rgb, tint: Rgb, tintAmount?: number): string {
  return css(light(parseColor(color), ambient, tint, tintAmount));
}

/** Moves a colour toward grey (amount 1 = fully grey), keeping its brightness. */
export function desaturate(c: Rgb, amount: number): Rgb {
  const g = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
  return mix(c, [g, g, g], amount);
}

export function luminance(c: Rgb): number {
  return (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255;
}
