// Streams raw RGBA frames into ffmpeg and gets an H.264 MP4 (yuv420p, +faststart) out: the path
// every procedural engine renders through. Frames are written with back-pressure, so memory
// stays flat whatever the length of the video.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { MediaToolError, tail } from './run.js';

export interface EncoderOptions {
  width: number;
  height: number;
  fps: number;
  output: string;
  preset?: string;
  crf?: number;
  signal?: AbortSignal;
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
    this.frameBytes = opts.width * opts.height * 4;
    const args = [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${opts.width}x${opts.height}`, '-r', String(opts.fps), '-i', 'pipe:0',
      '-an', '-c:v', 'libx264', '-preset', opts.preset ?? 'veryfast', '-crf', String(opts.crf ?? 20),
      '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4', opts.output,
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
      if (!this.child.stdin.write(rgba)) {
        await Promise.race([once(this.child.stdin, 'drain'), this.exited]);
      }
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
