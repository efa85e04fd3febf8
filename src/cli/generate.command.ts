// `melies generate "<prompt>"`: one video from the command line, with a progress bar. With
// --server it uses a running server's API; without, it runs the whole stack in this process
// on the same data directory (the video joins the library either way). `--extend <source>` and
// `--edit <source>` make it from another video instead (issue 15 §1–2): a video id, or an MP4 file.
import { LOCAL_PRINCIPAL } from '../services/accounts/authenticator.js';
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { wireVideo, type WireVideo } from '../services/video.wire.js';
import { createStack } from '../app/stack.js';
import type { Config } from '../app/config.js';
import { parseCreateVideoRequest, parseEditVideoRequest, parseExtendVideoRequest } from '../domain/video-request.js';
import { ApiError } from '../domain/errors.js';
import { isVideoId } from '../domain/ids.js';
import { progressDisplay } from './progress.js';
import { RemoteClient } from './remote.js';

export interface GenerateOptions {
  seconds?: string;
  size?: string;
  model?: string;
  seed?: string;
  fps?: string;
  image?: string;
  /** `--last-frame`: sent as `last_frame` (issue 15 §5). */
  lastFrame?: string;
  /** `--extend <video id | file.mp4>`: continue that video by `--seconds` (POST /v1/videos/extensions). */
  extend?: string;
  /** `--edit <video id | file.mp4>`: re-make that video with the change the prompt says (POST /v1/videos/edits). */
  edit?: string;
  output?: string;
  server?: string;
  apiKey?: string;
}

export function defaultOutputName(prompt: string, id: string): string {
  const slug = prompt.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').split('-').slice(0, 8).join('-');
  return `${slug || 'video'}-${id.slice(-8)}.mp4`;
}

/** Writes through a temp name and renames, so a crash never leaves a truncated file at `path`. */
export async function writeAtomically(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${path}.part-${randomBytes(4).toString('hex')}`;
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

function describe(v: WireVideo, path: string, bytes: number): string {
  return `Saved ${path} (${v.size}, ${v.seconds}s, ${v.fps} fps, seed ${v.seed}, ${(bytes / 1024 / 1024).toFixed(2)} MB) — ${v.id}`;
}

export async function generate(prompt: string, opts: GenerateOptions, config: Config, out: NodeJS.WriteStream = process.stdout): Promise<WireVideo> {
  const fields: Record<string, string> = { prompt };
  for (const k of ['model', 'seconds', 'size', 'seed', 'fps'] as const) if (opts[k] !== undefined) fields[k] = opts[k]!;
  const image = opts.image ? { data: await readFile(resolve(opts.image)), filename: basename(opts.image) } : undefined;
  const lastFrame = opts.lastFrame ? { data: await readFile(resolve(opts.lastFrame)), filename: basename(opts.lastFrame) } : undefined;
  const derived = derivedSource(opts);
  if (derived && (image || lastFrame)) throw new Error(`--${derived.kind === 'extension' ? 'extend' : 'edit'} takes no --image or --last-frame: the video it starts from gives the frames.`);
  const bar = progressDisplay();
  const onUpdate = (v: WireVideo) => bar.update(v.progress, v.status === 'queued' && v.queue_position ? `queued (${v.queue_position} ahead)` : v.status);

  let final: WireVideo;
  let path: string;
  if (opts.server) {
    const client = new RemoteClient(opts.server, opts.apiKey);
    const created = derived ? await client.derive(derived.kind, fields, derived.source) : await client.create(fields, image, lastFrame);
    final = await client.follow(created.id, onUpdate);
    bar.stop();
    if (final.status !== 'completed') throw generationFailed(final);
    path = resolve(opts.output ?? defaultOutputName(prompt, final.id));
    await writeAtomically(path, (tmp) => client.download(final.id, tmp));
  } else {
    // Quiet logs: the progress bar is the interface here.
    const stack = await createStack(config, { logs: 'quiet' });
    try {
      const asFile = (f: { data: Buffer; filename: string } | undefined) => (f ? { data: f.data, filename: f.filename, contentType: 'application/octet-stream' } : undefined);
      const video = derived ? await deriveLocally(stack, derived, fields)
        // Ahead of leftovers from an earlier server run: the user is waiting on this one.
        : await stack.videos.create(LOCAL_PRINCIPAL, parseCreateVideoRequest(fields, asFile(image), asFile(lastFrame)), { priority: 10 });
      await stack.startWorkers();
      final = await new Promise<WireVideo>((resolveDone, reject) => {
        stack.videos.watch(LOCAL_PRINCIPAL, video.id, (v) => {
          const w = wireVideo(v, { viewer: LOCAL_PRINCIPAL }); // the operator, on their own machine
          onUpdate(w);
          if (v.status === 'completed' || v.status === 'failed') resolveDone(w);
        }).catch(reject);
      });
      bar.stop();
      if (final.status !== 'completed') throw generationFailed(final);
      path = resolve(opts.output ?? defaultOutputName(prompt, final.id));
      const content = await stack.videos.content(LOCAL_PRINCIPAL, final.id, 'video');
      await writeAtomically(path, async (tmp) => pipeline(await content.open(), createWriteStream(tmp)));
    } finally {
      bar.stop();
      await stack.close({ graceMs: 0 });
    }
  }
  out.write(`${describe(final, path, (await stat(path)).size)}\n`);
  return final;
}

/** The video an extension or edit starts from: `video_…` is an id here, anything else a local MP4. */
export type DerivedSource = { kind: 'extension' | 'edit'; source: { id: string } | { file: string } };

function derivedSource(opts: GenerateOptions): DerivedSource | null {
  if (opts.extend && opts.edit) throw new Error('--extend and --edit cannot be used together.');
  const ref = opts.extend ?? opts.edit;
  if (!ref) return null;
  return { kind: opts.extend ? 'extension' : 'edit', source: isVideoId(ref) ? { id: ref } : { file: resolve(ref) } };
}

async function deriveLocally(stack: Awaited<ReturnType<typeof createStack>>, d: DerivedSource, fields: Record<string, string>) {
  let clip;
  if ('file' in d.source) {
    const s = await stat(d.source.file).catch(() => null);
    if (!s?.isFile()) throw new Error(`${d.source.file} is not a file (give a video id, video_…, or an MP4).`);
    clip = { path: d.source.file, bytes: s.size, filename: basename(d.source.file) };
  }
  const body = { ...fields, ...('id' in d.source ? { video: { id: d.source.id } } : {}) };
  return d.kind === 'extension' ? stack.videos.extend(LOCAL_PRINCIPAL, parseExtendVideoRequest(body, clip)) : stack.videos.edit(LOCAL_PRINCIPAL, parseEditVideoRequest(body, clip));
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return `${err.message}${err.param ? ` (${err.param})` : ''}`;
  return (err as Error).message ?? String(err);
}

/** The failure as its owner reads it, and the operator's detail when the caller may see it (an admin key, local mode). */
function generationFailed(v: WireVideo): Error {
  const detail = v.error?.detail ? `\n  ${v.error.detail.replace(/\n/g, '\n  ')}` : '';
  return new Error(`generation failed: ${v.error?.message ?? 'unknown error'} (${v.error?.code ?? 'no code'})${detail}`);
}
