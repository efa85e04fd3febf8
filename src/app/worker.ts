// `melies worker`: runs jobs for the API servers of a distributed deployment, no API. It serves only
// the engines named with --engines (their queues), so a GPU box takes ComfyUI jobs and a CPU box
// `sketch`. An optional small HTTP port answers /healthz, /readyz and /metrics for the supervisor
// and Prometheus; it holds no user data and no routes of the API.
import { createServer, type Server } from 'node:http';
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import { isDistributed } from './deployment.js';
import { createStack, type Stack } from './stack.js';

export interface WorkerOptions {
  /** Engine ids whose jobs this worker runs (e.g. ['comfyui']); empty: every engine it has. */
  engines: string[];
  /** Jobs at once; default: what the configuration gives a server's workers. */
  concurrency?: number;
  /** Port for /healthz, /readyz, /metrics; undefined: no HTTP at all. 0 picks a free one. */
  port?: number;
}

export interface RunningWorker {
  stack: Stack;
  /** The health port's address, when one was asked for. */
  url: string | null;
  close(): Promise<void>;
}

export async function startWorker(config: Config, opts: WorkerOptions): Promise<RunningWorker> {
  if (!isDistributed(config)) {
    throw new ConfigError('melies worker runs jobs for API servers elsewhere, so they must share a queue and a database: set REDIS_URL=redis://… and DATABASE_URL=postgres://… (one machine needs no worker: `melies serve` runs jobs itself)');
  }
  const stack = await createStack(config, { role: 'worker', authMode: 'local' });
  try {
    const known = stack.engineIds();
    const unknown = opts.engines.filter((e) => !known.includes(e));
    if (unknown.length) throw new ConfigError(`--engines: this worker has no engine ${unknown.map((e) => `'${e}'`).join(', ')} (it has ${known.join(', ')}; cloud engines need their API key, comfyui needs COMFYUI_URLS)`);
    await stack.startWorkers({ concurrency: opts.concurrency, engines: opts.engines.length ? opts.engines : undefined });
  } catch (err) {
    await stack.close({ graceMs: 0 });
    throw err;
  }
  let http: Server | null = null;
  let url: string | null = null;
  if (opts.port !== undefined) {
    http = createServer((req, res) => void answerHealth(stack, req.method ?? 'GET', (req.url ?? '/').split('?')[0]!, res));
    await new Promise<void>((resolve, reject) => { http!.once('error', reject); http!.listen(opts.port, config.host, () => resolve()); });
    const addr = http.address();
    url = typeof addr === 'object' && addr ? `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}` : null;
  }
  let closing: Promise<void> | null = null;
  return {
    stack,
    url,
    close: () => (closing ??= (async () => {
      http?.closeAllConnections();
      if (http) await new Promise<void>((resolve) => http!.close(() => resolve()));
      await stack.close();
    })()),
  };
}

async function answerHealth(stack: Stack, method: string, path: string, res: import('node:http').ServerResponse): Promise<void> {
  const send = (status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  if (method !== 'GET' && method !== 'HEAD') return send(405, JSON.stringify({ error: { message: 'only GET', type: 'invalid_request_error', param: null, code: 'method_not_allowed' } }));
  if (path === '/healthz') return send(200, JSON.stringify({ status: 'ok' }));
  if (path === '/readyz') {
    try {
      await stack.ready();
      return send(200, JSON.stringify({ status: 'ready' }));
    } catch (err) {
      return send(503, JSON.stringify({ status: 'unavailable', reason: (err as Error).message }));
    }
  }
  if (path === '/metrics' && stack.metricsText) {
    const { contentType, body } = await stack.metricsText();
    return send(200, body, contentType);
  }
  return send(404, JSON.stringify({ error: { message: `a worker answers only /healthz, /readyz and /metrics, not ${path}`, type: 'invalid_request_error', param: null, code: 'not_found' } }));
}
