// Streams raw frames (RGBA, or I420 already converted) into ffmpeg and gets an H.264 MP4 (yuv420p,
// +faststart) out: the path
// every procedural engine renders through. Frames are written with back-pressure, so memory
// stays flat whatever the length of the video.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { i420Bytes } from './i420/i420.js';
import { MediaToolError, tail } from './run.js';

export interface EncoderOptions {
  width: number;
  height: number;
  fps: number;
  /** What writeFrame receives: packed RGBA (default) or planar I420 (yuv420p, no conversion in ffmpeg). */
  input?: 'rgba' | 'yuv420p';
  output: string;
  preset?: string;
  crf?: number;
  signal?: AbortSignal;
}

/** The encoder settings every sketch video gets (benchmarks compare against exactly these). */
export function x264Args(opts: { preset?: string; crf?: number } = {}): string[] {
  return ['-an', '-c:v', 'libx264', '-preset', opts.preset ?? 'veryfast', '-crf', String(opts.crf ?? 20), '-pix_fmt', 'yuv420p', '-movflags', '+faststart'];
}

export class RawVideoEncoder {
  private readonly child: ChildProcessByStdio<Writable, null, Readable>;
  private stderr = '';
  private readonly exited: Promise<number | null>;
  private failure: Error | null = null;
  readonly frameBytes: number;
  framesWritten = 0;

  constructor(ffmpeg: string, private readonly opts: EncoderOptions) {
    if (opts.width % 2 || opts.height % 2) throw new Error(`H.264 yuv420p needs even dimensions, got ${opts.width}x${opts.height}`);
    const input = opts.input ?? 'rgba';
    this.frameBytes = input === 'rgba' ? opts.width * opts.height * 4 : i420Bytes(opts.width, opts.height);
    const args = [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', input, '-s', `${opts.width}x${opts.height}`, '-r', String(opts.fps), '-i', 'pipe:0',
      ...x264Args(opts), '-f', 'mp4', opts.output,
    ];
    this.child = spawn(ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'], signal: opts.signal, killSignal: 'SIGKILL' });
    this.child.stderr.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString()).slice(-32_000);
    });
    // A dead ffmpeg makes stdin emit EPIPE; the exit code and stderr explain it better.
    this.child.stdin.on('error', (err) => { this.failure ??= err; });
    this.child.on('error', (err) => { this.failure ??= err; });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  async writeFrame(rgba: Buffer): Promise<void> {
    if (rgba.length !== this.frameBytes) throw new Error(`frame is ${rgba.length} bytes, expected ${this.frameBytes}`);
    if (this.failure) throw await this.explain();
    try {
      // Resolve once this frame's bytes are handed to the pipe, not merely queued: callers may
      // reuse the buffer right after (the sketch engine's shared frame slots do).
      await Promise.race([
        new Promise<void>((resolve, reject) => this.child.stdin.write(rgba, (err) => (err ? reject(err) : resolve()))),
        this.exited.then((code) => { throw new Error(`ffmpeg exited (${code}) while a frame was being written`); }),
      ]);
    } catch (err) {
      this.failure ??= err as Error;
    }
    if (this.failure) throw await this.explain();
    this.framesWritten++;
  }

  /** Closes the input and waits for a complete file; throws with ffmpeg's own words on failure. */
  async finish(): Promise<void> {
    this.child.stdin.end();
    const code = await this.exited;
    if (code !== 0 || this.failure) throw await this.explain();
  }

  abort(): void {
    this.child.kill('SIGKILL');
  }

  private async explain(): Promise<Error> {
    const code = await Promise.race([this.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 2000))]);
    if (this.opts.signal?.aborted) return this.opts.signal.reason instanceof Error ? this.opts.signal.reason : new Error('aborted');
    return new MediaToolError(`ffmpeg encoder failed (${code}): ${tail(this.stderr, 4) || this.failure?.message || 'no output'}`, this.stderr);
  }
}
