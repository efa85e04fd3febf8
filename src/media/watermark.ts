// A plan's visible watermark: the operator's text drawn once to a PNG (ffmpeg's drawtext would
// need fontconfig and a font file on every machine; @napi-rs/canvas finds the system's fonts, and
// the plate behind the text is visible even where none is installed), then overlaid by finalizeMp4.
import { writeFile } from 'node:fs/promises';
import { createCanvas } from '@napi-rs/canvas';

/** Where the plate sits: bottom-right, inset by this share of the frame's height. */
export const WATERMARK_MARGIN = 0.03;

export async function renderWatermarkPng(text: string, frameWidth: number, frameHeight: number, output: string): Promise<void> {
  const fontPx = Math.max(12, Math.round(frameHeight * 0.04));
  const font = `bold ${fontPx}px sans-serif`;
  const probe = createCanvas(8, 8).getContext('2d');
  probe.font = font;
  const pad = Math.round(fontPx * 0.5);
  const maxWidth = Math.floor(frameWidth * 0.6);
  const textWidth = Math.min(Math.ceil(probe.measureText(text).width), maxWidth - 2 * pad);
  const width = Math.max(2, textWidth + 2 * pad);
  const height = Math.round(fontPx * 1.6);
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  g.fillStyle = 'rgba(0, 0, 0, 0.45)';
  g.beginPath();
  g.roundRect(0, 0, width, height, Math.round(fontPx * 0.3));
  g.fill();
  g.font = font;
  g.textBaseline = 'middle';
  g.fillStyle = 'rgba(255, 255, 255, 0.9)';
  g.fillText(text, pad, height / 2, textWidth);
  await writeFile(output, canvas.toBuffer('image/png'));
}
