// The built-in engine's card. It tells the truth: a procedural renderer, not a neural model.
import type { ModelCard } from '../../domain/model-card.js';

export const SKETCH_CARD: ModelCard = {
  id: 'sketch',
  engine: 'sketch',
  label: 'Sketch (built-in)',
  description:
    'A procedural animatic renderer for previsualisation that runs on your CPU with no GPU, keys or ' +
    'network. It reads the prompt (English or French) into a scene plan (setting, time of day, weather, ' +
    'subjects, motion, camera, style; several lines make a storyboard) and draws it as flat 2.5D vector ' +
    'animation. It is not a neural video model: it does not produce photorealistic footage, and words ' +
    'outside its vocabulary are ignored (the stored plan shows what it understood).',
  kind: 'procedural',
  seconds: { min: 1, max: 20, step: 1 },
  defaultSeconds: 4,
  sizes: ['720x1280', '1280x720', '1024x1792', '1792x1024', '1920x1080', '1080x1920', '1024x1024', '854x480', '480x854', '640x360', '320x180'],
  defaultSize: '720x1280',
  sizeRange: { minWidth: 128, maxWidth: 1920, minHeight: 128, maxHeight: 1920, maxPixels: 1920 * 1080, multipleOf: 2 },
  fps: [12, 24, 30],
  defaultFps: 24,
  inputs: ['text', 'image'],
  // The formats the renderer decodes; bytes and pixels are the server's own caps (uploads.*),
  // which the API adds to every card it shows.
  imageInput: { types: ['image/png', 'image/jpeg', 'image/webp'] },
  seed: true,
  remix: true,
  audio: false,
  negativePrompt: false,
  // It continues its own scene plan (same world and seed, time moves on): see plan/continue-plan.ts.
  extend: true,
  // It re-renders its own plan with the change ("make it night", "add rain"): plan/edit-plan.ts.
  edit: true,
  // A character's look is drawn as the scene's backdrop, as a reference image is (the first
  // character's, when two are given): the renderer has no way to draw a photographed person as one
  // of its subjects, so the look is kept as the picture the scene plays over.
  characters: true,
  // With `last_frame` it moves from the first image's scene to the last image: render/backdrop-pair.ts.
  lastFrame: true,
  available: true,
};
