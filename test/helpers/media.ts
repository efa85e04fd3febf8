// Test-side checks of produced files: ffprobe facts, image formats, tiny fixture images.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { resolveMediaBinaries } from '../../src/media/binaries.js';
import { probe, type ProbeResult } from '../../src/media/probe.js';

export const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });

export async function probeBytes(data: Buffer | ArrayBuffer): Promise<ProbeResult> {
  const file = join(mkdtempSync(join(tmpdir(), 'probe-')), 'x.mp4');
  writeFileSync(file, Buffer.from(data as ArrayBuffer));
  return probe(bins.ffprobe, file);
}

export async function solidPng(color: string, width = 64, height = 64): Promise<Buffer> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, width, height);
  return canvas.encode('png');
}
