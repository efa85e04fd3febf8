// `melies worker`: runs jobs for the API servers of a distributed deployment, no API. It serves only
// the engines named with --engines (their queues), so a GPU box takes ComfyUI jobs and a CPU box
// `sketch`. An optional small HTTP port answers /healthz, /readyz and /metrics for the supervisor
// and Prometheus; it holds no user data and no routes of the API.
import { buildOpsApi } from '../api/ops-server.js';
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
  /**
   * Address for that port: loopback unless given. Not MELIES_HOST, which a deployment often sets
   * to a public interface for its API servers: these routes have no authentication.
   */
  host?: string;
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
  const ops = opts.port === undefined ? null : buildOpsApi({ metrics: stack.metrics, ready: stack.ready });
  let url: string | null = null;
  if (ops) {
    try {
      url = (await ops.listen({ host: opts.host ?? '127.0.0.1', port: opts.port })).replace('[::1]', 'localhost');
    } catch (err) {
      await stack.close({ graceMs: 0 });
      throw err;
    }
  }
  let closing: Promise<void> | null = null;
  return {
    stack,
    url,
    close: () => (closing ??= (async () => {
      await ops?.close();
      await stack.close();
    })()),
  };
}
