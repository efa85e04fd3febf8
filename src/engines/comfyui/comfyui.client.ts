// Talks to one ComfyUI server: its HTTP routes (CS `PromptServer.routes`) and its WebSocket
// (`/ws?clientId=`), which carries progress only for prompts submitted with that client id. Every
// network failure becomes `Unreachable`, so callers can tell "the box is gone" from "it refused".
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import WebSocket from 'ws';
import type { OutputFile } from './output-finder.js';
import type { ObjectInfo } from './template-validation.js';
import type { SubmitRefusal } from './comfyui.errors.js';

/** The server did not answer (refused, reset, DNS, timeout): try another, or wait. */
export class Unreachable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Unreachable';
  }
}

/** It answered, with a status we did not expect. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly body: string, what: string) {
    super(`${what} answered HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    this.name = 'HttpError';
  }
}

export interface SystemStats {
  system?: { comfyui_version?: string; os?: string; python_version?: string; ram_total?: number; ram_free?: number };
  devices?: { name?: string; type?: string; index?: number; vram_total?: number; vram_free?: number }[];
}

/** A `/queue` item: `[number, prompt_id, prompt, extra_data, outputs]`. */
export type QueueItem = [number, string, ...unknown[]];
export interface QueueState { queue_running: QueueItem[]; queue_pending: QueueItem[] }

export interface HistoryEntry {
  prompt?: unknown[];
  outputs?: Record<string, unknown>;
  status?: { status_str?: 'success' | 'error'; completed?: boolean; messages?: [string, Record<string, unknown>][] };
}

export interface PromptRequest {
  prompt: unknown;
  client_id: string;
  prompt_id: string;
  extra_data?: Record<string, unknown>;
}

export type SubmitAnswer =
  | { ok: true; promptId: string; number: number }
  | { ok: false; status: number; refusal: SubmitRefusal };

export class ComfyClient {
  /** The server's URL as configured: the config schema strips trailing slashes, so paths join. */
  constructor(private readonly base: string, private readonly timeoutMs: number) {}

  /** ws(s)://host[/prefix]/ws?clientId=… */
  socketUrl(clientId: string): string {
    return `${this.base.replace(/^http/i, 'ws')}/ws?clientId=${encodeURIComponent(clientId)}`;
  }

  private async request(method: string, path: string, init: { json?: unknown; body?: FormData; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Response> {
    const timeout = AbortSignal.timeout(init.timeoutMs ?? this.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await fetch(`${this.base}${path}`, {
        method,
        signal,
        headers: init.json !== undefined ? { 'content-type': 'application/json' } : undefined,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      });
    } catch (err) {
      if (init.signal?.aborted) throw init.signal.reason;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = timeout.aborted ? `no answer within ${init.timeoutMs ?? this.timeoutMs} ms` : cause?.code ?? cause?.message ?? (err as Error).message;
      throw new Unreachable(`no answer to ${method} ${path.split('?')[0]} (${why})`, { cause: err });
    }
  }

  private async json<T>(path: string, signal?: AbortSignal, timeoutMs?: number): Promise<T> {
    const res = await this.request('GET', path, { signal, timeoutMs });
    const text = await this.text(res);
    if (!res.ok) throw new HttpError(res.status, text, `GET ${path.split('?')[0]}`);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new HttpError(res.status, text, `GET ${path.split('?')[0]} (not JSON)`);
    }
  }

  /** A body cut off mid-way is the network failing too. */
  private async text(res: Response): Promise<string> {
    try {
      return await res.text();
    } catch (err) {
      throw new Unreachable('the connection dropped during the answer', { cause: err });
    }
  }

  /** A health check answers fast or not at all: a dead host must not hold up startup for long. */
  systemStats(signal?: AbortSignal): Promise<SystemStats> { return this.json('/system_stats', signal, Math.min(this.timeoutMs, 5000)); }
  objectInfo(signal?: AbortSignal): Promise<ObjectInfo> { return this.json('/object_info', signal); }
  queue(signal?: AbortSignal): Promise<QueueState> { return this.json('/queue', signal); }

  /** `{}` while queued, running or unknown; `{id: entry}` once done (CE `task_done`). */
  async history(promptId: string, signal?: AbortSignal): Promise<HistoryEntry | null> {
    const all = await this.json<Record<string, HistoryEntry>>(`/history/${encodeURIComponent(promptId)}`, signal);
    return all[promptId] ?? null;
  }

  async submit(body: PromptRequest, signal?: AbortSignal): Promise<SubmitAnswer> {
    const res = await this.request('POST', '/prompt', { json: body, signal });
    const text = await this.text(res);
    let parsed: unknown = null;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    if (res.ok) {
      const ok = parsed as { prompt_id?: string; number?: number };
      if (typeof ok?.prompt_id !== 'string') throw new HttpError(res.status, text, 'POST /prompt (no prompt_id)');
      return { ok: true, promptId: ok.prompt_id, number: Number(ok.number ?? 0) };
    }
    if (res.status >= 400 && res.status < 500 && parsed && typeof parsed === 'object') return { ok: false, status: res.status, refusal: parsed as SubmitRefusal };
    throw new HttpError(res.status, text, 'POST /prompt');
  }

  /** Multipart `image` upload into input/ (CS `image_upload`); the reply says the stored name. */
  async upload(file: string, name: string, signal?: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append('image', new Blob([await readFile(file)]), name);
    form.append('type', 'input');
    form.append('overwrite', 'true');
    const res = await this.request('POST', '/upload/image', { body: form, signal });
    const text = await this.text(res);
    if (!res.ok) throw new HttpError(res.status, text, 'POST /upload/image');
    const r = JSON.parse(text) as { name?: string; subfolder?: string };
    if (!r.name) throw new HttpError(res.status, text, 'POST /upload/image (no name)');
    return r.subfolder ? `${r.subfolder}/${r.name}` : r.name;
  }

  /** Streams an output file (GET /view) to disk; returns its size. */
  async download(out: OutputFile, dest: string, opts: { signal?: AbortSignal; timeoutMs: number; maxBytes?: number }): Promise<number> {
    const q = new URLSearchParams({ filename: out.filename, subfolder: out.subfolder, type: out.type });
    const res = await this.request('GET', `/view?${q}`, { signal: opts.signal, timeoutMs: opts.timeoutMs });
    if (!res.ok || !res.body) throw new HttpError(res.status, await this.text(res), `GET /view ${out.filename}`);
    let bytes = 0;
    const max = opts.maxBytes ?? 8 * 1024 ** 3;
    const count = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb(bytes > max ? new Error(`the output is larger than ${max} bytes`) : null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream), count, createWriteStream(dest));
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw new Unreachable(`the connection dropped during the download of ${out.filename}`, { cause: err });
    }
    return bytes;
  }

  private async post(path: string, json: unknown): Promise<void> {
    const res = await this.request('POST', path, { json });
    await this.text(res);
    if (!res.ok) throw new HttpError(res.status, '', `POST ${path}`);
  }

  /**
   * Stops one prompt, queued or running, and never any other. The newest servers do it in one call
   * (POST /api/jobs/{id}/cancel, Comfy-Org/ComfyUI#14493). Older ones need two:
   *  - POST /queue {"delete": [id]} drops that id from the pending queue, on every version;
   *  - POST /interrupt stops the running prompt. Before v0.3.57 (464ba1d6, 2025-09-02) it ignores
   *    its body and stops WHATEVER runs: another Méliès job, or someone else's prompt.
   * So the interrupt is sent only when GET /queue shows this prompt in `queue_running`. That check
   * is right on every version, which is why Méliès does not guess the version from
   * /system_stats' `comfyui_version` (absent before v0.3.10, and forks and desktop builds number
   * their own). The body still names the prompt, so v0.3.57 and later re-check it themselves;
   * before v0.3.57 one race is left: the prompt ending in the round trip between the check and the
   * interrupt while the next one starts (see docs/engines/comfyui.md, "Which ComfyUI").
   */
  async cancel(promptId: string): Promise<CancelOutcome> {
    const res = await this.request('POST', `/api/jobs/${encodeURIComponent(promptId)}/cancel`, { json: {} });
    await this.text(res);
    if (res.ok) return 'jobs_api';
    if (res.status !== 404 && res.status !== 405) throw new HttpError(res.status, '', 'POST /api/jobs/{id}/cancel');
    // A POST /prompt that timed out may still land: look again (a few times) after each delete.
    for (let look = 0; look < 3; look++) {
      await this.post('/queue', { delete: [promptId] });
      const q = await this.queue();
      if (q.queue_running.some((i) => i[1] === promptId)) {
        await this.post('/interrupt', { prompt_id: promptId });
        return 'interrupted';
      }
      if (!q.queue_pending.some((i) => i[1] === promptId)) return 'not_running';
    }
    return 'not_running';
  }
}

/** How a cancel went: one jobs-API call; out of the queue (or never there, or done); interrupted while running. */
export type CancelOutcome = 'jobs_api' | 'not_running' | 'interrupted';

export type SocketMessage = { type: string; data: Record<string, unknown> };

/**
 * The server's WebSocket, reconnecting with backoff until stopped. Text frames are
 * `{"type", "data"}` JSON; binary frames (previews) are skipped. Reusing the client id on reconnect
 * makes ComfyUI route the prompts' events to the new socket (CS `websocket_handler`).
 */
export class ComfySocket {
  private ws: WebSocket | null = null;
  private stopped = true;
  private retryMs = 200;
  private timer: NodeJS.Timeout | null = null;
  private open = false;

  constructor(private readonly url: string, private readonly on: { message(m: SocketMessage): void; open(): void; close(): void }) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.terminate();
    this.ws = null;
  }

  private connect(): void {
    const ws = new WebSocket(this.url, { handshakeTimeout: 5000 });
    this.ws = ws;
    ws.on('open', () => {
      this.open = true;
      this.retryMs = 200;
      this.on.open();
    });
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return;
      try {
        const m = JSON.parse(raw.toString()) as SocketMessage;
        if (m && typeof m.type === 'string') this.on.message({ type: m.type, data: (m.data ?? {}) as Record<string, unknown> });
      } catch { /* not JSON: ignore */ }
    });
    ws.on('error', () => { /* 'close' follows */ });
    ws.on('close', () => {
      const was = this.open;
      this.open = false;
      if (this.ws === ws) this.ws = null;
      if (was) this.on.close();
      if (this.stopped) return;
      this.timer = setTimeout(() => this.connect(), this.retryMs);
      this.timer.unref();
      this.retryMs = Math.min(5000, this.retryMs * 2);
    });
  }
}
