// Runs an ffmpeg-family process to completion, keeping the tail of stderr for error messages and
// killing the process when the caller's AbortSignal fires.
import { spawn } from 'node:child_process';

export class MediaToolError extends Error {
  constructor(message: string, readonly stderr: string) {
    super(message);
    this.name = 'MediaToolError';
  }
}

export function tail(text: string, lines = 12): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

export async function runTool(bin: string, args: string[], opts: { signal?: AbortSignal } = {}): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: opts.signal, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.length > 64_000) err = err.slice(-32_000);
    });
    child.on('error', reject);
    child.on('close', (code, sig) => {
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr: err });
      else reject(new MediaToolError(`${bin.split('/').pop()} exited with ${code ?? sig}: ${tail(err, 4)}`, err));
    });
  });
}
