// Renders docs/gallery.png: a contact sheet of varied prompts (one row per prompt, frames across
// time), shown in the README so a newcomer sees what the built-in engine draws.
// Run: npm run gallery
import { writeFileSync } from 'node:fs';
import { createCanvas } from '@napi-rs/canvas';
import { parsePrompt } from '../src/engines/sketch/plan/parse-prompt.js';
import { FrameRenderer } from '../src/engines/sketch/render/frame-renderer.js';

const PROMPTS = [
  'a lighthouse on a cliff at dusk, light rain',
  'trois ballons rouges s\'envolent au-dessus d\'une prairie, plan large',
  'a whale swimming in the deep ocean, bubbles',
  'a red car driving through a city at night, neon',
  'a fox walking in a snowy forest at dawn, heavy snow',
  'une fusée décolle vers les étoiles',
  'a sailboat on a calm lake at sunset, watercolor',
  'a storm over the sea at night, aerial shot',
  'close-up of a cat in a cozy room, slow zoom in',
  'an elephant walking in the desert at noon, the camera pans left',
  'des lucioles dans une forêt la nuit, une tente et un feu de camp',
  'a hot air balloon drifting over mountains in the morning, vintage film grain',
  'shot 1: a house in a meadow at noon [2s]\nshot 2: crossfade to the same house at night [2s]',
  // The vocabulary of issue 16: features, moon phases, fireworks, poses, big groups, savanna.
  'a castle under a full moon at night',
  'un village en feu la nuit',
  'a harbour with moored boats in the morning',
  'a neon city at night, neon signs glowing',
  'des feux d\'artifice au-dessus du port la nuit',
  'a fox sleeping under a tree in a forest at dusk',
  'dozens of balloons rising over a meadow',
  'des manchots sur la banquise',
  'children flying kites on a hill',
  'un marché dans un village le matin',
  'a sunflower field at noon',
  'des éléphants dans la savane au coucher du soleil',
];

const THUMB_W = 192, THUMB_H = 108, COLS = 6, LABEL = 22, PAD = 6;
const RENDER_W = 384, RENDER_H = 216, FPS = 12, SECONDS = 4;

const sheet = createCanvas(PAD + COLS * (THUMB_W + PAD), PROMPTS.length * (THUMB_H + LABEL + PAD) + PAD);
const ctx = sheet.getContext('2d');
ctx.fillStyle = '#16161d';
ctx.fillRect(0, 0, sheet.width, sheet.height);
const frame = createCanvas(RENDER_W, RENDER_H);
const fctx = frame.getContext('2d');

for (const [row, prompt] of PROMPTS.entries()) {
  const top = PAD + row * (THUMB_H + LABEL + PAD);
  ctx.fillStyle = '#e8e6f0';
  ctx.font = '13px sans-serif';
  ctx.fillText(prompt.replace(/\n/g, '  ⏐  '), PAD, top + 15, sheet.width - 2 * PAD);
  const renderer = await FrameRenderer.create({ plan: parsePrompt(prompt, SECONDS), width: RENDER_W, height: RENDER_H, fps: FPS, seed: 3 });
  for (let col = 0; col < COLS; col++) {
    const i = Math.round((col / (COLS - 1)) * (renderer.frameCount - 1));
    const img = fctx.createImageData(RENDER_W, RENDER_H);
    img.data.set(renderer.render(i));
    fctx.putImageData(img, 0, 0);
    ctx.drawImage(frame, PAD + col * (THUMB_W + PAD), top + LABEL, THUMB_W, THUMB_H);
  }
}
const out = new URL('../docs/gallery.png', import.meta.url);
writeFileSync(out, await sheet.encode('png'));
console.log(`wrote ${out.pathname} (${sheet.width}x${sheet.height})`);
