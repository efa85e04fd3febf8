// The fake ComfyUI's HTTP routes, each also under /api (CS `add_routes`). Shapes as CS answers:
// bare 200s where ComfyUI gives no body, 400/404 without a body where it does so.
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import type { FakeComfyUI } from './fake-comfyui.server.js';

const MIME: Record<string, string> = { '.mp4': 'video/mp4', '.webm': 'video/webm', '.gif': 'image/gif', '.webp': 'image/webp', '.png': 'image/png', '.jpg': 'image/jpeg' };

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
}

/** multipart/form-data: enough for ComfyUI's upload form (fields and one file). */
function parseMultipart(buf: Buffer, type: string): Record<string, { value: Buffer; filename?: string }> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  const out: Record<string, { value: Buffer; filename?: string }> = {};
  if (!boundary) return out;
  const sep = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = buf.indexOf(sep);
  while (at >= 0) {
    const next = buf.indexOf(sep, at + sep.length);
    if (next < 0) break;
    const part = buf.subarray(at + sep.length + 2, next - 2);
    const headEnd = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, headEnd).toString();
    const name = /name="([^"]*)"/.exec(head)?.[1];
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    if (name) out[name] = { value: part.subarray(headEnd + 4), filename };
    at = next;
  }
  return out;
}

export async function route(fake: FakeComfyUI, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname.replace(/^\/api(?=\/)/, '');
  const method = req.method ?? 'GET';
  fake.stats.requests.push(`${method} ${path}`);
  const readJson = async () => {
    const raw = (await body(req)).toString();
    try { return raw ? (JSON.parse(raw) as Record<string, unknown>) : {}; } catch { return null; }
  };

  if (method === 'GET' && path === '/system_stats') {
    return json(res, 200, {
      system: { os: 'posix', ram_total: 64e9, ram_free: 40e9, comfyui_version: fake.version, python_version: '3.12.3', pytorch_version: '2.8.0+cu128', embedded_python: false, argv: ['main.py'] },
      devices: [{ name: fake.opts.deviceName ?? 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync', type: 'cuda', index: 0, vram_total: fake.opts.vramTotal ?? 25_386_352_640, vram_free: (fake.opts.vramTotal ?? 25_386_352_640) - (fake.worker.running ? 18e9 : 1.2e9), torch_vram_total: 0, torch_vram_free: 0 }],
    });
  }
  if (method === 'GET' && path === '/object_info') return json(res, 200, fake.objectInfo());
  if (method === 'GET' && path.startsWith('/object_info/')) return json(res, 200, fake.objectInfo(decodeURIComponent(path.slice('/object_info/'.length))));
  if (method === 'GET' && path === '/prompt') return json(res, 200, { exec_info: { queue_remaining: fake.queueRemaining() } });
  if (method === 'POST' && path === '/prompt') {
    const b = await readJson();
    if (!b) return json(res, 400, { error: { type: 'invalid_json', message: 'invalid JSON', details: '', extra_info: {} }, node_errors: {} });
    const r = fake.submit(b);
    return json(res, r.status, r.json);
  }
  if (method === 'GET' && path === '/queue') {
    const running = fake.worker.running ? [fake.worker.running.item] : [];
    return json(res, 200, { queue_running: running, queue_pending: fake.queue });
  }
  if (method === 'POST' && path === '/queue') {
    const b = (await readJson()) ?? {};
    if (b.clear) fake.queue = [];
    for (const id of Array.isArray(b.delete) ? b.delete : []) {
      fake.stats.queueDeletes.push(String(id));
      fake.queue = fake.queue.filter((i) => i[1] !== id);
    }
    fake.queueUpdated();
    return void res.writeHead(200).end();
  }
  if (method === 'GET' && path === '/history') return json(res, 200, fake.history);
  if (method === 'GET' && path.startsWith('/history/')) {
    const id = decodeURIComponent(path.slice('/history/'.length));
    return json(res, 200, id in fake.history ? { [id]: fake.history[id] } : {});
  }
  if (method === 'POST' && path === '/history') {
    const b = (await readJson()) ?? {};
    if (b.clear) fake.history = {};
    for (const id of Array.isArray(b.delete) ? b.delete : []) delete fake.history[String(id)];
    return void res.writeHead(200).end();
  }
  if (method === 'POST' && path === '/interrupt') {
    const b = (await readJson()) ?? {};
    const id = typeof b.prompt_id === 'string' ? b.prompt_id : null;
    fake.stats.interrupts.push(id);
    const running = fake.worker.running;
    // v0.3.57 on: only that prompt, if it is the one running (CS `post_interrupt`). Before: whatever
    // runs, the body unread (`nodes.interrupt_processing()` alone).
    const hits = running && (!fake.targetedInterrupt || id === null || running.item[1] === id);
    if (hits) {
      fake.record('interrupt', running.item[1]);
      fake.worker.interrupt();
    }
    return void res.writeHead(200).end();
  }
  const cancel = /^\/jobs\/([^/]+)\/cancel$/.exec(path);
  if (method === 'POST' && cancel && fake.jobsApi && url.pathname.startsWith('/api/')) {
    const id = decodeURIComponent(cancel[1]!);
    fake.stats.jobCancels.push(id);
    if (fake.queue.some((i) => i[1] === id)) {
      fake.queue = fake.queue.filter((i) => i[1] !== id);
      fake.queueUpdated();
      return json(res, 200, { cancelled: true });
    }
    if (fake.worker.running?.item[1] === id) {
      fake.record('interrupt', id);
      fake.worker.interrupt();
      return json(res, 200, { cancelled: true });
    }
    return json(res, 200, { cancelled: false });
  }
  if (method === 'POST' && path === '/upload/image') {
    const form = parseMultipart(await body(req), req.headers['content-type'] ?? '');
    const image = form.image;
    if (!image?.filename) return void res.writeHead(400).end();
    const type = form.type?.value.toString() || 'input';
    const subfolder = form.subfolder?.value.toString() ?? '';
    if (subfolder.includes('..') || image.filename.includes('/') || image.filename.includes('..')) return void res.writeHead(400).end();
    if (!['input', 'temp', 'output'].includes(type)) return void res.writeHead(400).end();
    mkdirSync(join(fake.dir, type, subfolder), { recursive: true });
    writeFileSync(join(fake.dir, type, subfolder, image.filename), image.value);
    const stored = subfolder ? `${subfolder}/${image.filename}` : image.filename;
    if (type === 'input' && !fake.inputs.includes(stored)) fake.inputs.push(stored);
    fake.stats.uploads.push(image.filename);
    return json(res, 200, { name: image.filename, subfolder, type });
  }
  if (method === 'GET' && path === '/view') {
    const filename = url.searchParams.get('filename');
    if (!filename) return void res.writeHead(404).end();
    if (filename.startsWith('/') || filename.includes('..')) return void res.writeHead(400).end();
    const type = url.searchParams.get('type') ?? 'output';
    const subfolder = url.searchParams.get('subfolder') ?? '';
    if (!['input', 'output', 'temp'].includes(type)) return void res.writeHead(400).end();
    if (subfolder.includes('..')) return void res.writeHead(403).end();
    const file = join(fake.dir, type, subfolder, filename);
    if (!existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    while (fake.faults.holdViews && fake.up) await new Promise((r) => setTimeout(r, 5));
    fake.stats.views++;
    if (type === 'output') fake.record('view', fake.promptOfFile(filename));
    res.writeHead(200, { 'content-type': MIME[extname(filename).toLowerCase()] ?? 'application/octet-stream', 'content-disposition': `filename="${filename}"`, 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('404: Not Found');
}
