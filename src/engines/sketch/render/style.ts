// Styles as colour transforms applied when a shot is built (noir greys, vintage sepia, pastel,
// watercolour, neon), so frames pay nothing for them: blending a whole frame with non-separable
// modes like 'saturation' costs more than drawing the scene. Textures (grain, paper) are in grading.ts.
import type { Style } from '../plan/scene-plan.js';
import { desaturate, luminance, mix, type Rgb } from './color.js';

export type ColorGrade = (c: Rgb) => Rgb;

const clamp01 = (v: number) => Math.max(0, Math.min(1, v));

function saturate(c: Rgb, amount: number): Rgb {
  const g = luminance(c) * 255;
  return [g + (c[0] - g) * amount, g + (c[1] - g) * amount, g + (c[2] - g) * amount];
}

const GRADES: Record<Style, ColorGrade> = {
  noir: (c) => {
    // Black and white with a contrast S-curve.
    const l = luminance(c);
    const v = clamp01(0.5 + (l - 0.5) * 1.35) * 255;
    return [v, v, v];
  },
  vintage: (c) => {
    const [r, g, b] = c;
    const sepia: Rgb = [0.393 * r + 0.769 * g + 0.189 * b, 0.349 * r + 0.686 * g + 0.168 * b, 0.272 * r + 0.534 * g + 0.131 * b];
    // Faded blacks, as old prints have.
    return mix(mix(c, sepia.map((v) => Math.min(255, v)) as Rgb, 0.7), [40, 30, 20], 0.08);
  },
  pastel: (c) => mix(desaturate(c, 0.35), [255, 246, 250], 0.3),
  watercolor: (c) => mix(desaturate(c, 0.15), [252, 248, 238], 0.12),
  neon: (c) => saturate(c, 1.45),
};

/** The colour transform for a shot's styles (applied in vocabulary order). */
export function colorGrade(styles: readonly Style[]): ColorGrade {
  const fns = styles.map((s) => GRADES[s]);
  return (c) => fns.reduce((acc, f) => f(acc), c);
}
