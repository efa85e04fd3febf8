// The virtual camera: where it looks at each moment of a shot, and the 2.5D parallax transform
// for a layer at a given depth. Moves are eased (smoothstep) so they start and stop gently.
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { Camera } from '../plan/scene-plan.js';

export interface CameraState {
  /** Offset of the view in world units of the frame height (negative x = looking further left). */
  x: number;
  y: number;
  zoom: number;
  /** Vertical point zoom happens around, as a fraction of the frame height. */
  focusY: number;
}

export const ease = (u: number): number => {
  const x = Math.max(0, Math.min(1, u));
  return x * x * (3 - 2 * x);
};

const FRAMING_ZOOM = { wide: 1, medium: 1.3, 'close-up': 1.9 } as const;

/**
 * @param u shot progress 0..1
 * @param seconds shot length: travel grows with time but is capped, so long shots stay calm
 * @param trackX for tracking shots: the main subject's x (world units) to follow
 */
export function cameraAt(camera: Camera, u: number, seconds: number, focusY: number, trackX = 0): CameraState {
  const e = ease(u);
  const travel = Math.min(0.09 * seconds, 0.8);
  const base = FRAMING_ZOOM[camera.framing];
  const state: CameraState = { x: 0, y: 0, zoom: base, focusY };
  switch (camera.move) {
    case 'pan':
      state.x = (camera.direction === 'left' ? -1 : 1) * travel * e;
      break;
    case 'tilt':
      state.y = (camera.direction === 'down' ? 1 : -1) * Math.min(travel, 0.35) * e;
      break;
    case 'push-in':
      state.zoom = base * (1 + Math.min(0.06 * seconds, 0.6) * e);
      break;
    case 'pull-out':
      state.zoom = base * (1 + Math.min(0.06 * seconds, 0.6) * (1 - e));
      break;
    case 'aerial':
      state.x = travel * 0.6 * e;
      state.zoom = base * (1 + 0.15 * e);
      break;
    case 'tracking':
      state.x = trackX;
      break;
    case 'static':
      break;
  }
  return state;
}

/**
 * The slow move a still reference image gets when the prompt names no camera: a gentle push-in
 * that drifts sideways (`side` picks which way), so the photo lives and its parallax against the
 * drawn subjects shows. Bounded like the plan's moves, so a long shot stays calm.
 */
export function driftAt(framing: Camera['framing'], u: number, seconds: number, focusY: number, side: 1 | -1): CameraState {
  const e = ease(u);
  return { x: side * Math.min(0.03 * seconds, 0.2) * e, y: 0, zoom: FRAMING_ZOOM[framing] * (1 + Math.min(0.025 * seconds, 0.15) * e), focusY };
}

/** Whether a move keeps the zoom of every layer constant over the shot (it may still translate them). */
export function keepsScale(camera: Camera): boolean {
  // Read off cameraAt itself (every move's zoom is monotone), so a new move cannot be missed here.
  return cameraAt(camera, 0, 1, 0.5).zoom === cameraAt(camera, 1, 1, 0.5).zoom;
}

/** Frame geometry shared by every layer of one frame. */
export class View {
  /**
   * @param steadyScale the layers' scale does not change during the shot, so small moving details
   *   may be placed on whole device pixels (see terrain-parts water) without drifting against the scene
   */
  constructor(readonly ctx: SKRSContext2D, readonly width: number, readonly height: number, readonly cam: CameraState, readonly steadyScale = false) {}

  /** Scale a layer at parallax depth `p` (0 = infinitely far, 1 = the subjects' plane) gets. */
  scaleAt(p: number): number {
    return 1 + (this.cam.zoom - 1) * p;
  }

  /** The world y, in a layer at depth `p`, that is drawn at device row `deviceY` (the inverse of layer()). */
  layerY(deviceY: number, p: number): number {
    const fy = this.cam.focusY * this.height;
    return (deviceY - fy) / this.scaleAt(p) + fy + this.cam.y * p * this.height;
  }

  /**
   * Runs `draw` with the context transformed for depth `p`: world coordinates are pixels of a frame
   * whose camera sits at the origin, so layers far away move and zoom less than near ones.
   */
  layer(p: number, draw: (range: { left: number; right: number; top: number; bottom: number }) => void): void {
    const { ctx, width: W, height: H, cam } = this;
    const s = this.scaleAt(p);
    const fy = cam.focusY * H;
    const ox = cam.x * p * H;
    const oy = cam.y * p * H;
    ctx.save();
    ctx.translate(W / 2, fy);
    ctx.scale(s, s);
    ctx.translate(-W / 2 - ox, -fy - oy);
    // The world rectangle on screen, so procedural layers draw only what is visible.
    draw({ left: ox + W / 2 - W / 2 / s, right: ox + W / 2 + W / 2 / s, top: oy + fy - fy / s, bottom: oy + fy + (H - fy) / s });
    ctx.restore();
  }
}
