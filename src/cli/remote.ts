// Talks to a running Méliès (or any OpenAI-compatible /v1/videos server) over HTTP for
// `melies generate --server`: create, follow the SSE stream (polling if it breaks), download.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { WireVideo, wireModel } from '../services/video.wire.js';

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

  async create(fields: Record<string, string>, image?: { data: Buffer; filename: string }): Promise<WireVideo> {
    let init: RequestInit;
    if (image) {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('input_reference', new Blob([image.data]), image.filename);
      init = { method: 'POST', body: form };
    } else {
      init = { method: 'POST', body: JSON.stringify(fields), headers: { 'content-type': 'application/json' } };
    }
    return (await (await this.request('/v1/videos', init)).json()) as WireVideo;
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
    try {
      const res = await this.request(`/v1/videos/${encodeURIComponent(id)}/events`, { headers: { accept: 'text/event-stream' } });
      let buffer = '';
      let last: WireVideo | null = null;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += Buffer.from(chunk).toString('utf8');
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
          if (!data) continue;
          last = JSON.parse(data) as WireVideo;
          onUpdate(last);
          if (last.status === 'completed' || last.status === 'failed') return last;
        }
      }
    } catch (err) {
      if (err instanceof RemoteError && err.status >= 400 && err.status < 500 && err.status !== 404) throw err;
    }
    // The stream ended early (proxy, restart) or the server has no SSE: poll instead.
    for (;;) {
      const v = await this.retrieve(id);
      onUpdate(v);
      if (v.status === 'completed' || v.status === 'failed') return v;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async download(id: string, path: string): Promise<void> {
    const res = await this.request(`/v1/videos/${encodeURIComponent(id)}/content`);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(path));
  }
}
