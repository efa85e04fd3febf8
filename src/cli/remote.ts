// Talks to a running Méliès (or any OpenAI-compatible /v1/videos server) over HTTP for
// `melies generate --server` and `melies batch --server`: create, follow the SSE stream (polling if
// it breaks), download.
import { createWriteStream, openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { WireVideo, wireModel } from '../services/video.wire.js';
import type { WireBatch } from '../services/batch.wire.js';

export class RemoteError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'RemoteError';
  }
}

export class RemoteClient {
  private readonly base: string;

  constructor(server: string, private readonly apiKey = 'local') {
    this.base = server.replace(/\/+$/, '').replace(/\/v1$/, '');
  }

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { ...init, headers: { authorization: `Bearer ${this.apiKey}`, ...init.headers } });
    } catch (err) {
      throw new RemoteError(`cannot reach ${this.base}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`, 0);
    }
    if (!res.ok) {
      const text = await res.text();
      let message = text.slice(0, 500);
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // not JSON: keep the text
      }
      throw new RemoteError(`${res.status}: ${message}`, res.status);
    }
    return res;
  }

  async create(fields: Record<string, string>, image?: { data: Buffer; filename: string }, lastFrame?: { data: Buffer; filename: string }): Promise<WireVideo> {
    let init: RequestInit;
    if (image || lastFrame) {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      if (image) form.append('input_reference', new Blob([image.data]), image.filename);
      if (lastFrame) form.append('last_frame', new Blob([lastFrame.data]), lastFrame.filename);
      init = { method: 'POST', body: form };
    } else {
      init = { method: 'POST', body: JSON.stringify(fields), headers: { 'content-type': 'application/json' } };
    }
    return (await (await this.request('/v1/videos', init)).json()) as WireVideo;
  }

  /** An extension or edit of a video here (`{id}`) or of a local MP4 (uploaded as the `video` part). */
  async derive(kind: 'extension' | 'edit', fields: Record<string, string>, source: { id: string } | { file: string }): Promise<WireVideo> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if ('id' in source) form.append('video[id]', source.id);
    else form.append('video', await openAsBlob(source.file, { type: 'video/mp4' }), basename(source.file)); // read as it is sent, not held whole
    return (await (await this.request(kind === 'extension' ? '/v1/videos/extensions' : '/v1/videos/edits', { method: 'POST', body: form })).json()) as WireVideo;
  }

  /** POST/DELETE on the studio's /api with a JSON body; the answer's JSON (null for a 204). */
  async api(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await this.request(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    return res.status === 204 ? null : res.json();
  }

  async models(): Promise<Array<ReturnType<typeof wireModel>>> {
    return ((await (await this.request('/v1/models')).json()) as { data: Array<ReturnType<typeof wireModel>> }).data;
  }

  async retrieve(id: string): Promise<WireVideo> {
    return (await (await this.request(`/v1/videos/${encodeURIComponent(id)}`)).json()) as WireVideo;
  }

  /** Resolves with the terminal video; `onUpdate` sees every change on the way. */
  async follow(id: string, onUpdate: (v: WireVideo) => void): Promise<WireVideo> {
    const done = (v: WireVideo) => v.status === 'completed' || v.status === 'failed';
    return this.followEvents(`/v1/videos/${encodeURIComponent(id)}`, onUpdate, done);
  }

  /** Resolves with the batch once nothing is left to run; `onUpdate` sees its progress on the way. */
  async followBatch(id: string, onUpdate: (b: WireBatch) => void): Promise<WireBatch> {
    return this.followEvents(`/api/batches/${encodeURIComponent(id)}`, onUpdate, (b) => b.status !== 'in_progress');
  }

  /** Follows `<resource>/events` (SSE) until `done`; polls `<resource>` if the stream breaks or is missing. */
  private async followEvents<T>(resource: string, onUpdate: (v: T) => void, done: (v: T) => boolean): Promise<T> {
    try {
      const res = await this.request(`${resource}/events`, { headers: { accept: 'text/event-stream' } });
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += Buffer.from(chunk).toString('utf8');
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
          if (!data) continue;
          const last = JSON.parse(data) as T;
          onUpdate(last);
          if (done(last)) return last;
        }
      }
    } catch (err) {
      if (err instanceof RemoteError && err.status >= 400 && err.status < 500 && err.status !== 404) throw err;
    }
    // The stream ended early (proxy, restart) or the server has no SSE: poll instead.
    for (;;) {
      const v = (await (await this.request(resource)).json()) as T;
      onUpdate(v);
      if (done(v)) return v;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** POST /api/batches with the list as a file part and the defaults as fields. */
  async createBatch(fields: Record<string, unknown>, file: { data: Buffer; filename: string }): Promise<WireBatch> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
    form.append('file', new Blob([file.data]), file.filename);
    return (await (await this.request('/api/batches', { method: 'POST', body: form })).json()) as WireBatch;
  }

  async downloadBatch(id: string, path: string): Promise<void> {
    const res = await this.request(`/api/batches/${encodeURIComponent(id)}/download`);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(path));
  }

  async download(id: string, path: string): Promise<void> {
    const res = await this.request(`/v1/videos/${encodeURIComponent(id)}/content`);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(path));
  }
}
