// Test-side checks of produced files: ffprobe facts, image formats, tiny fixture images.
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { resolveMediaBinaries } from '../../src/media/binaries.js';
import { probe, type ProbeResult } from '../../src/media/probe.js';

export const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });

/** Writes downloaded bytes to a temp file, for the tools that need a path. */
export function tempFile(data: Buffer | ArrayBuffer, name = 'x.mp4'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'melies-dl-')), name);
  writeFileSync(file, Buffer.from(data as ArrayBuffer));
  return file;
}

export async function probeBytes(data: Buffer | ArrayBuffer): Promise<ProbeResult> {
  return probe(bins.ffprobe, tempFile(data));
}

export async function solidPng(color: string, width = 64, height = 64): Promise<Buffer> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, width, height);
  return canvas.encode('png');
}

/** A red image with per-pixel noise in green/blue: big as PNG (noise does not compress). */
export async function noisyRedPng(width: number, height: number): Promise<Buffer> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(width, height);
  const noise = randomBytes(width * height * 2);
  for (let p = 0, i = 0; i < img.data.length; p++, i += 4) {
    img.data[i] = 255;
    img.data[i + 1] = noise[p * 2]! & 63;
    img.data[i + 2] = noise[p * 2 + 1]! & 63;
    img.data[i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas.encode('png');
}
