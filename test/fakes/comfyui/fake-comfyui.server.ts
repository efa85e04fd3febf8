// A fake ComfyUI server speaking the real protocol, for tests and benchmarks: the HTTP routes
// (each also under /api), the WebSocket with client_id routing, one worker executing the queue in
// priority order, the history format, and a real video file rendered by ffmpeg (testsrc2) at the
// graph's latent size, frame count and save-node fps, after sampler progress events.
//
// Sources (read, not copied), as in shared/reference/engines-wire.md §1:
//   Comfy-Org/ComfyUI server.py@002c3fb (routes, /ws, origin middleware, /upload/image, /view,
//     /interrupt, /queue, /api/jobs/{id}/cancel), execution.py@04e2a91 (validate_prompt errors,
//     add_message broadcast rules, execution_* events, PromptQueue.task_done history entries),
//     main.py@02018c7 (prompt_worker: history first, then `executing {node: null}`),
//     comfy_execution/progress.py (progress_state), comfy_api/latest/_ui.py + comfy_extras/
//     nodes_video.py (SaveVideo/SaveWEBM outputs under `images` with `animated: [true]`), and
//     Kosinkadink/ComfyUI-VideoHelperSuite (`gifs`).
//
// Older servers (RELEASES below), from the history of server.py and comfyui_version.py in
// Comfy-Org/ComfyUI:
//   - 260a5ca5 (2025-07-14, first released in v0.3.45 of 2025-07-21): POST /prompt takes the
//     client's `prompt_id` (`str(json_data.get("prompt_id", uuid.uuid4()))`, any string); before,
//     the server always picked a uuid4.
//   - 464ba1d6 (2025-09-02, first released in v0.3.57 of 2025-09-04): POST /interrupt reads an
//     optional {"prompt_id"} and interrupts only if that prompt is in `queue_running`. Before it,
//     `post_interrupt` was `nodes.interrupt_processing()` and nothing else: it stops WHATEVER
//     runs and ignores the body (ComfyUI issue #2566 describes the race this causes).
//   - PR #14493 (2026-06): POST /api/jobs/{id}/cancel and POST /api/jobs/cancel.
//   - POST /queue {"delete": [ids]} drops only pending items with those ids, on every version.
//   - GET /system_stats carries `system.comfyui_version` since 9c773a24 (v0.3.10, 2025-01-11).
//   - `execution_success` (5b69cfe7, 2024-07-21), history `status` (1b3d65bd, 2024-01-11) and
//     `progress_state` (2b653e8c, 2025-07-10, in v0.3.45) predate the oldest release modelled.
// Fault injection: node_errors on submit, CUDA OOM during sampling, dropped sockets, a restart
// that forgets queue and history, slowness, being unreachable (connection refused), and gates
// that hold an execution, a sampler step or the output downloads until the test lets them go.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { catalogue, DEFAULT_MODELS, nodeInfo, type FakeNode, type ModelFolder } from './fake-object-info.js';
import { validateGraph, type Graph } from './fake-graph.js';
import { FakeWorker, type QueueItem } from './fake-worker.js';
import { route } from './fake-routes.js';

export interface FakeComfyOptions {
  ffmpeg: string;
  port?: number;
  /** Files "installed" per model folder; default: everything the bundled templates load. */
  models?: Partial<Record<ModelFolder, string[]>>;
  /** Node types this server lacks (e.g. a custom node pack not installed). */
  missingNodes?: string[];
  /** `system.comfyui_version` at /system_stats. */
  version?: string;
  /** Newer servers have POST /api/jobs/{id}/cancel; older ones only /queue delete and /interrupt. */
  jobsApi?: boolean;
  /** Servers from before client-chosen prompt ids ignore `prompt_id` and pick a uuid4. */
  ignorePromptId?: boolean;
  /**
   * Whether POST /interrupt honours {"prompt_id"} (v0.3.57 on). False: it interrupts whatever
   * runs, whoever sent it and whatever the body says.
   */
  targetedInterrupt?: boolean;
  /** A log shared by several fakes (and the test), in the order things happened. */
  events?: FakeEvent[];
  /** This server's name in `events`; default its URL. */
  label?: string;
  /** Delay per sampler step, and a cap on the steps a graph asks for (speed knobs). */
  stepMs?: number;
  maxSteps?: number;
  /** Delay of every other node. */
  nodeMs?: number;
  deviceName?: string;
  vramTotal?: number;
}

/**
 * ComfyUI releases the engine is tested against (see the header for the commits). The oldest
 * supported one is what docs/engines/comfyui.md names; `before-prompt-id` is older than that and
 * only checks that Méliès still copes.
 */
export const RELEASES = {
  newest: { version: '0.3.66-fake+jobs-api', jobsApi: true, targetedInterrupt: true, ignorePromptId: false },
  'v0.3.57': { version: '0.3.57', jobsApi: false, targetedInterrupt: true, ignorePromptId: false },
  'v0.3.45': { version: '0.3.45', jobsApi: false, targetedInterrupt: false, ignorePromptId: false },
  'before-prompt-id': { version: '0.3.44', jobsApi: false, targetedInterrupt: false, ignorePromptId: true },
} as const satisfies Record<string, Partial<FakeComfyOptions>>;

/** The oldest release Méliès supports (docs/engines/comfyui.md, "Which ComfyUI"). */
export const OLDEST_SUPPORTED = RELEASES['v0.3.45'];

/**
 * One thing that happened on a fake GPU: a prompt accepted by POST /prompt, started or ended by
 * the worker (`end` is when execution_success/error/interrupted goes out: the GPU's work is
 * over), an output file served by GET /view, or an /interrupt that stopped a prompt.
 */
export interface FakeEvent {
  seq: number;
  gpu: string;
  type: 'accept' | 'start' | 'end' | 'view' | 'interrupt';
  promptId: string;
  outcome?: 'success' | 'error' | 'interrupted';
}

export interface FakeFaults {
  /** POST /prompt answers 400 with node_errors on the first node of this class. */
  nodeErrors: { classType: string; input: string; type?: string; message?: string; details?: string } | null;
  /** The next execution raises CUDA out-of-memory in its sampler (then the fault clears). */
  oomOnce: boolean;
  /** Close every WebSocket at this sampler step of the next execution (then the fault clears). */
  dropSocketsAtStep: number | null;
  /** Refuse WebSocket upgrades (the socket stays down; HTTP still answers). */
  refuseSockets: boolean;
  /** Added before every HTTP request is handled (a slow or stalled server). */
  httpDelayMs: number;
  /** The request is handled at once but its answer is sent this late (the work is done, the reply is lost in a timeout). */
  answerDelayMs: number;
  /** The running sampler stalls between steps while set (a GPU busy elsewhere, a slow step). */
  hold: boolean;
  /** The running sampler stalls once it has sent this step's progress, until cleared or raised. */
  holdAtStep: number | null;
  /** Each execution waits, just after `execution_start`, until release() lets it go on. */
  gate: boolean;
  /** GET /view of an output waits while set (the download of a finished video). */
  holdViews: boolean;
  /**
   * Restart (forgetting everything) at this sampler step, down for `downMs`: once for the next
   * execution, or once for each of `prompts` (by prompt id) when given.
   */
  restartAtStep: { step: number; downMs: number; prompts?: string[] } | null;
}

export class FakeComfyUI {
  readonly stats = {
    promptPosts: 0,
    accepted: [] as string[],
    /** The `prompt_id` of every POST /interrupt body (null without one). */
    interrupts: [] as (string | null)[],
    /** Every HTTP request, as `METHOD /path` (without the /api prefix and the query). */
    requests: [] as string[],
    /** WebSocket connections accepted, per client id. */
    socketConnects: {} as Record<string, number>,
    jobCancels: [] as string[],
    queueDeletes: [] as string[],
    uploads: [] as string[],
    views: 0,
    executions: [] as { promptId: string; startedAt: number; endedAt: number; outcome: 'success' | 'error' | 'interrupted' | 'lost' }[],
  };
  readonly faults: FakeFaults = noFaults();
  readonly dir: string;
  readonly models: Record<ModelFolder, string[]>;
  readonly inputs: string[] = ['example.png'];
  readonly sockets = new Map<string, WebSocket>();
  readonly worker: FakeWorker;
  nodes: Record<string, FakeNode>;
  history: Record<string, unknown> = {};
  queue: QueueItem[] = [];
  number = 0;
  private server: Server | null = null;
  private readonly wss = new WebSocketServer({ noServer: true });
  port = 0;

  private constructor(readonly opts: FakeComfyOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'fake-comfyui-'));
    for (const d of ['input', 'output', 'temp']) mkdirSync(join(this.dir, d), { recursive: true });
    this.models = { ...DEFAULT_MODELS, ...opts.models } as Record<ModelFolder, string[]>;
    this.nodes = this.buildNodes();
    this.worker = new FakeWorker(this);
  }

  static async start(opts: FakeComfyOptions): Promise<FakeComfyUI> {
    const fake = new FakeComfyUI(opts);
    await fake.listen(opts.port ?? 0);
    return fake;
  }

  get url(): string { return `http://127.0.0.1:${this.port}`; }
  get version(): string { return this.opts.version ?? RELEASES.newest.version; }
  get jobsApi(): boolean { return this.opts.jobsApi ?? true; }
  get targetedInterrupt(): boolean { return this.opts.targetedInterrupt ?? true; }

  record(type: FakeEvent['type'], promptId: string, outcome?: FakeEvent['outcome']): void {
    const log = this.opts.events;
    log?.push({ seq: log.length, gpu: this.opts.label ?? this.url, type, promptId, ...(outcome ? { outcome } : {}) });
  }

  /** Lets the execution waiting at the gate (faults.gate) go on; false if none waits. */
  release(): boolean {
    const run = this.worker.running;
    if (!run || run.released || !run.atGate) return false;
    run.released = true;
    return true;
  }

  /** The prompt whose outputs include this file, if any (for `view` events). */
  promptOfFile(filename: string): string {
    for (const [id, h] of Object.entries(this.history)) {
      if (JSON.stringify((h as { outputs?: unknown }).outputs ?? {}).includes(JSON.stringify(filename))) return id;
    }
    return '';
  }
  get up(): boolean { return this.server !== null; }

  buildNodes(): Record<string, FakeNode> {
    const all = catalogue(this.models, this.inputs);
    for (const n of this.opts.missingNodes ?? []) delete all[n];
    return all;
  }

  objectInfo(only?: string): Record<string, unknown> {
    this.nodes = this.buildNodes();
    const names = only ? (this.nodes[only] ? [only] : []) : Object.keys(this.nodes);
    return Object.fromEntries(names.map((n) => [n, nodeInfo(n, this.nodes[n]!)]));
  }

  queueRemaining(): number { return this.queue.length + (this.worker.running ? 1 : 0); }

  /** Sends a `{type, data}` frame to one client, or to all with sid null (CS `send_json`). */
  send(type: string, data: Record<string, unknown>, sid: string | null): void {
    const frame = JSON.stringify({ type, data });
    if (sid === null) for (const ws of this.sockets.values()) ws.send(frame);
    else this.sockets.get(sid)?.send(frame);
  }

  queueUpdated(): void {
    this.send('status', { status: { exec_info: { queue_remaining: this.queueRemaining() } } }, null);
  }

  /** POST /prompt (CS `post_prompt` + CE `validate_prompt`). */
  submit(body: Record<string, unknown>): { status: number; json: unknown } {
    this.stats.promptPosts++;
    if (!('prompt' in body)) return { status: 400, json: { error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} }, node_errors: {} } };
    const promptId = this.opts.ignorePromptId ? randomUUID() : String(body.prompt_id ?? randomUUID());
    // The newest servers (those with the jobs API) also insist on a canonical lowercase UUID.
    if (body.prompt_id !== undefined && !this.opts.ignorePromptId && this.jobsApi && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(promptId)) {
      return { status: 400, json: { error: { type: 'invalid_prompt_id', message: 'Invalid prompt_id format', details: `prompt_id must be a canonical lowercase UUID, got '${promptId}'`, extra_info: {} }, node_errors: {} } };
    }
    const graph = body.prompt as Graph;
    this.nodes = this.buildNodes();
    const v = validateGraph(graph, this.nodes);
    if (!v.ok) return { status: 400, json: { error: v.error, node_errors: v.nodeErrors } };
    const f = this.faults.nodeErrors;
    const hit = f ? Object.entries(graph).find(([, n]) => n.class_type === f.classType) : undefined;
    if (f && hit) {
      const error = { type: f.type ?? 'value_not_in_list', message: f.message ?? 'Value not in list', details: f.details ?? `${f.input}: 'x' not in [...]`, extra_info: { input_name: f.input } };
      return { status: 400, json: { error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: `${error.message}: ${error.details}`, extra_info: {} }, node_errors: { [hit[0]]: { errors: [error], dependent_outputs: v.outputs, class_type: f.classType } } } };
    }
    let number: number;
    if (typeof body.number === 'number') number = body.number;
    else {
      number = body.front ? -this.number : this.number;
      this.number++;
    }
    const extra = { ...(body.extra_data as Record<string, unknown> | undefined), ...(typeof body.client_id === 'string' ? { client_id: body.client_id } : {}) };
    this.queue.push([number, promptId, graph, extra, v.outputs]);
    this.queue.sort((a, b) => a[0] - b[0]);
    this.stats.accepted.push(promptId);
    this.record('accept', promptId);
    this.queueUpdated();
    this.worker.kick();
    return { status: 200, json: { prompt_id: promptId, number, node_errors: {} } };
  }

  /** Drops every socket (the server stays up), as a flaky network would. */
  dropSockets(): void {
    for (const ws of this.sockets.values()) ws.terminate();
    this.sockets.clear();
  }

  /** Stops answering at all: connections are refused until comeUp(). */
  async goDown(): Promise<void> {
    this.dropSockets();
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  async comeUp(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  /** A ComfyUI restart: the running prompt dies silently, queue and history are forgotten. */
  async restart(downMs = 100): Promise<void> {
    this.worker.kill();
    this.queue = [];
    this.history = {};
    await this.goDown();
    await new Promise((r) => setTimeout(r, downMs));
    await this.comeUp();
  }

  async stop(): Promise<void> {
    this.worker.kill();
    await this.goDown();
    this.wss.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if ((url.pathname !== '/ws' && url.pathname !== '/api/ws') || this.faults.refuseSockets) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, url.searchParams.get('clientId') ?? ''));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  private onSocket(ws: WebSocket, clientId: string): void {
    // Reusing a client id replaces the old socket (CS `websocket_handler`).
    const sid = clientId || randomUUID().replace(/-/g, '');
    this.sockets.set(sid, ws);
    this.stats.socketConnects[sid] = (this.stats.socketConnects[sid] ?? 0) + 1;
    ws.on('close', () => { if (this.sockets.get(sid) === ws) this.sockets.delete(sid); });
    ws.on('message', (raw) => {
      try {
        const m = JSON.parse(raw.toString()) as { type?: string };
        if (m.type === 'feature_flags') ws.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true, max_upload_size: 104857600 } }));
      } catch { /* ignored, as ComfyUI logs and ignores it */ }
    });
    ws.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: this.queueRemaining() } }, sid } }));
    const running = this.worker.running;
    if (running && running.clientId === sid && running.node) ws.send(JSON.stringify({ type: 'executing', data: { node: running.node } }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.faults.httpDelayMs) await new Promise((r) => setTimeout(r, this.faults.httpDelayMs));
    const late = this.faults.answerDelayMs;
    if (late) {
      const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
      res.end = ((...a: unknown[]) => { setTimeout(() => end(...a), late).unref(); return res; }) as typeof res.end;
    }
    // The origin check of CS `create_origin_only_middleware`, for loopback hosts.
    const origin = req.headers.origin;
    if (origin && req.headers.host && new URL(origin).host !== req.headers.host) {
      res.writeHead(403).end();
      return;
    }
    try {
      await route(this, req, res);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  }
}

/** Every fault off (a test resets a shared fake with `Object.assign(fake.faults, noFaults())`). */
export function noFaults(): FakeFaults {
  return {
    nodeErrors: null, oomOnce: false, dropSocketsAtStep: null, refuseSockets: false, httpDelayMs: 0, answerDelayMs: 0,
    restartAtStep: null, hold: false, holdAtStep: null, gate: false, holdViews: false,
  };
}
