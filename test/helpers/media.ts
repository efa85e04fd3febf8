// Test-side checks of produced files: ffprobe facts, image formats, tiny fixture images.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { resolveMediaBinaries } from '../../src/media/binaries.js';
import { probe, type ProbeResult } from '../../src/media/probe.js';
import { runTool } from '../../src/media/run.js';
import { afterThisTest } from './test-hooks.js';

export const bins = resolveMediaBinaries({ pathEnv: process.env.PATH });

/** Writes bytes to a temp file for the current test (removed when the test finishes), for the tools that need a path. */
export function tempFile(data: Buffer | ArrayBuffer, name = 'x.mp4'): string {
  const dir = mkdtempSync(join(tmpdir(), 'melies-dl-'));
  afterThisTest(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(data as ArrayBuffer));
  return file;
}

/** Writes bytes to a temp file, runs `fn` on its path, and removes the file whatever happens. */
export async function withTempFile<T>(data: Buffer | ArrayBuffer, fn: (file: string) => Promise<T>, name = 'x.mp4'): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'melies-dl-'));
  try {
    const file = join(dir, name);
    writeFileSync(file, Buffer.from(data as ArrayBuffer));
    return await fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function probeBytes(data: Buffer | ArrayBuffer): Promise<ProbeResult> {
  return withTempFile(data, (file) => probe(bins.ffprobe, file));
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

/** A short solid-colour H.264 MP4 (a character clip), made with ffmpeg's test source. */
export async function colorClip(color: string, seconds = 2, size = '320x180'): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'melies-clip-'));
  try {
    const out = join(dir, 'clip.mp4');
    await runTool(bins.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${color}:s=${size}:r=12:d=${seconds}`, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', out]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A moving test pattern (every frame differs) as an H.264 MP4, with a 440 Hz tone when `sound`: what someone uploads to extend or edit. */
export async function testPatternClip(opts: { seconds: number; size: string; fps: number; sound?: boolean }): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'melies-clip-'));
  try {
    const out = join(dir, 'clip.mp4');
    await runTool(bins.ffmpeg, [
      '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${opts.size}:rate=${opts.fps}:duration=${opts.seconds}`,
      ...(opts.sound ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${opts.seconds}`, '-c:a', 'aac', '-shortest'] : []),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', out,
    ]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
