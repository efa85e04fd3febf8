// The fake ComfyUI's prompt worker: one prompt at a time in queue order, with the event sequence
// of CE `PromptExecutor.execute_async` and CM `prompt_worker`: execution_start, execution_cached,
// executing/progress/progress_state per node, executed with the saved files, then
// execution_success|error|interrupted, the history entry, and a final `executing {node: null}`.
// Events go to the prompt's client_id; without one only the broadcast ones are sent (CE `add_message`).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FakeComfyUI } from './fake-comfyui.server.js';
import { renderPlan, samplerSteps, validateGraph, type Graph } from './fake-graph.js';

/** `[number, prompt_id, prompt, extra_data, outputs_to_execute]` (CS /queue items). */
export type QueueItem = [number, string, Graph, Record<string, unknown>, string[]];

export interface Running {
  item: QueueItem; clientId: string | null; node: string | null; interrupted: boolean; killed: boolean; child: ChildProcess | null;
  /** The last sampler step whose progress was sent (0 before sampling). */
  step: number;
  /** Waiting at the gate (faults.gate), and whether release() let it go. */
  atGate: boolean; released: boolean;
}

const OOM_MESSAGE = 'Allocation on device 0 would exceed allowed memory. (out of memory)\nCurrently allocated     : 21.45 GiB\nRequested               : 3.52 GiB\nDevice limit            : 23.64 GiB\nFree (according to CUDA): 17.94 MiB\nPyTorch limit (set by user-supplied memory fraction)\n                        : 17179869184.00 GiB';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FakeWorker {
  running: Running | null = null;
  private busy = false;
  private readonly counters = new Map<string, number>();

  constructor(private readonly fake: FakeComfyUI) {}

  kick(): void {
    if (!this.busy) void this.loop();
  }

  interrupt(): void {
    if (!this.running) return;
    this.running.interrupted = true;
    this.running.child?.kill('SIGKILL');
  }

  /** The process died: no more events, no history for the running prompt. */
  kill(): void {
    if (!this.running) return;
    this.running.killed = true;
    this.running.child?.kill('SIGKILL');
    this.running = null;
  }

  private async loop(): Promise<void> {
    this.busy = true;
    try {
      while (this.fake.queue.length) await this.execute(this.fake.queue.shift()!);
    } finally {
      this.busy = false;
    }
  }

  private async execute(item: QueueItem): Promise<void> {
    const fake = this.fake;
    const [, promptId, graph, extra] = item;
    const clientId = typeof extra.client_id === 'string' ? extra.client_id : null;
    const run: Running = { item, clientId, node: null, interrupted: false, killed: false, child: null, step: 0, atGate: false, released: false };
    this.running = run;
    fake.queueUpdated();
    const startedAt = Date.now();
    const messages: [string, Record<string, unknown>][] = [];
    const add = (event: string, data: Record<string, unknown>, broadcast = false) => {
      const d = { ...data, timestamp: Date.now() };
      messages.push([event, d]);
      if (clientId !== null || broadcast) fake.send(event, d, clientId);
    };
    // `send_sync(…, server.client_id)`: to the prompt's client, or everyone when it has none.
    const send = (event: string, data: Record<string, unknown>) => fake.send(event, data, clientId);
    const lost = (): void => { fake.stats.executions.push({ promptId, startedAt, endedAt: Date.now(), outcome: 'lost' }); };

    fake.record('start', promptId);
    add('execution_start', { prompt_id: promptId });
    add('execution_cached', { nodes: [], prompt_id: promptId });
    run.atGate = fake.faults.gate;
    while (run.atGate && fake.faults.gate && !run.released && !run.killed && !run.interrupted) await sleep(5);
    run.atGate = false;
    if (run.killed) return lost();
    const v = validateGraph(graph, fake.nodes);
    const order = v.ok ? v.order : [];
    const ui: Record<string, unknown> = {};
    const executed: string[] = [];
    let failure: 'interrupted' | 'oom' | null = null;
    for (const id of order) {
      if (run.killed) return lost();
      run.node = id;
      send('executing', { node: id, display_node: id, prompt_id: promptId });
      const steps = samplerSteps(graph, id);
      if (steps) {
        const n = Math.min(steps, fake.opts.maxSteps ?? steps);
        for (let i = 1; i <= n && !failure; i++) {
          await sleep(fake.opts.stepMs ?? 5);
          while (fake.faults.hold && !run.killed && !run.interrupted) await sleep(10);
          if (run.killed) return lost();
          if (run.interrupted) { failure = 'interrupted'; break; }
          const restart = fake.faults.restartAtStep;
          if (restart && restart.step === i && (!restart.prompts || restart.prompts.includes(promptId))) {
            restart.prompts = restart.prompts?.filter((p) => p !== promptId);
            if (!restart.prompts?.length) fake.faults.restartAtStep = null;
            void fake.restart(restart.downMs);
            return lost();
          }
          if (fake.faults.oomOnce && i === Math.min(2, n)) {
            fake.faults.oomOnce = false;
            failure = 'oom';
            break;
          }
          send('progress', { value: i, max: n, prompt_id: promptId, node: id });
          send('progress_state', { prompt_id: promptId, nodes: { [id]: { value: i, max: n, state: 'running', node_id: id, prompt_id: promptId, display_node_id: id, parent_node_id: null, real_node_id: id } } });
          run.step = i;
          const at = () => fake.faults.holdAtStep;
          while (at() !== null && i >= at()! && !run.killed && !run.interrupted) await sleep(5);
          if (run.killed) return lost();
          if (fake.faults.dropSocketsAtStep === i) {
            fake.faults.dropSocketsAtStep = null;
            fake.dropSockets();
          }
        }
      } else if (fake.nodes[graph[id]!.class_type!]?.saves) {
        const out = await this.render(graph, id, run).catch((err) => { if (!run.interrupted && !run.killed) throw err; return null; });
        if (run.killed) return lost();
        if (run.interrupted || !out) failure = 'interrupted';
        else {
          ui[id] = out;
          send('executed', { node: id, display_node: id, output: out, prompt_id: promptId });
        }
      } else {
        await sleep(fake.opts.nodeMs ?? 1);
        if (run.interrupted) failure = 'interrupted';
      }
      if (failure) break;
      executed.push(id);
    }
    const node = run.node ?? '';
    const nodeType = graph[node]?.class_type ?? '';
    fake.record('end', promptId, failure === 'interrupted' ? 'interrupted' : failure === 'oom' ? 'error' : 'success');
    if (failure === 'interrupted') add('execution_interrupted', { prompt_id: promptId, node_id: node, node_type: nodeType, executed }, true);
    else if (failure === 'oom') {
      add('execution_error', {
        prompt_id: promptId, node_id: node, node_type: nodeType, executed, exception_message: OOM_MESSAGE, exception_type: 'torch.OutOfMemoryError',
        traceback: ['  File "/ComfyUI/execution.py", line 496, in execute\n', '  File "/ComfyUI/comfy/ldm/wan/model.py", line 610, in forward\n'], current_inputs: {}, current_outputs: [],
      });
    } else add('execution_success', { prompt_id: promptId });
    // History is written after the last event (CM `prompt_worker` → `task_done`), then the final executing.
    await sleep(2);
    if (run.killed) return lost();
    const ok = failure === null;
    fake.history[promptId] = {
      prompt: item, outputs: ui,
      status: { status_str: ok ? 'success' : 'error', completed: ok, messages },
      meta: Object.fromEntries(Object.keys(ui).map((id) => [id, { node_id: id, display_node: id, parent_node: null, real_node_id: id }])),
    };
    this.running = null;
    fake.queueUpdated();
    if (clientId !== null) fake.send('executing', { node: null, prompt_id: promptId }, clientId);
    fake.stats.executions.push({ promptId, startedAt, endedAt: Date.now(), outcome: ok ? 'success' : failure === 'oom' ? 'error' : 'interrupted' });
  }

  /** Renders the saved video with ffmpeg's testsrc2 at the size, frames and fps the graph asks for. */
  private async render(graph: Graph, id: string, run: Running): Promise<Record<string, unknown>> {
    const node = graph[id]!;
    const saves = this.fake.nodes[node.class_type!]!.saves!;
    const plan = renderPlan(graph, id);
    const prefix = String(node.inputs?.filename_prefix ?? 'ComfyUI');
    const subfolder = dirname(prefix) === '.' ? '' : dirname(prefix);
    const counter = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, counter);
    const vhsFormat = String(node.inputs?.format ?? 'image/gif');
    const ext = saves === 'save_video' ? 'mp4' : saves === 'webm' ? 'webm' : saves === 'animated_webp' ? 'webp' : saves === 'image' ? 'png'
      : vhsFormat === 'video/h264-mp4' ? 'mp4' : vhsFormat === 'video/webm' ? 'webm' : vhsFormat === 'image/webp' ? 'webp' : 'gif';
    const filename = `${basename(prefix)}_${String(counter).padStart(5, '0')}_.${ext}`;
    const dir = join(this.fake.dir, 'output', subfolder);
    mkdirSync(dir, { recursive: true });
    const codec: Record<string, string[]> = {
      mp4: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
      webm: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p'],
      webp: ['-c:v', 'libwebp_anim', '-loop', '0'], gif: ['-c:v', 'gif'], png: ['-c:v', 'png'],
    };
    const frames = saves === 'image' ? 1 : plan.frames;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(this.fake.opts.ffmpeg, [
        '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${plan.width}x${plan.height}:rate=${plan.fps}`,
        '-frames:v', String(frames), ...codec[ext]!, join(dir, filename),
      ], { stdio: ['ignore', 'ignore', 'pipe'] });
      run.child = child;
      let err = '';
      child.stderr!.on('data', (c) => { err += c; });
      child.on('error', reject);
      child.on('close', (code) => { run.child = null; if (code === 0) resolve(); else reject(new Error(`ffmpeg failed: ${err.slice(-300)}`)); });
    });
    const entry = { filename, subfolder, type: 'output' };
    if (saves === 'vhs') return { gifs: [{ ...entry, format: vhsFormat, frame_rate: plan.fps, workflow: filename.replace(/\.\w+$/, '.png'), fullpath: join(dir, filename) }] };
    if (saves === 'image') return { images: [entry] };
    return { images: [entry], animated: [true] };
  }
}
