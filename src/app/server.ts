// `melies serve`: the API and this process's workers together. SIGTERM/SIGINT drain: stop taking
// requests, give running jobs the grace period to finish, release the rest to the queue, exit 0.
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/server.js';
import type { Config } from '../config/config.js';
import { createStack, type Stack } from './stack.js';

export interface RunningServer {
  url: string;
  stack: Stack;
  api: FastifyInstance;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function startServer(config: Config, opts: { workers?: boolean } = {}): Promise<RunningServer> {
  const stack = await createStack(config);
  const api = await buildApi({ videos: stack.videos, logger: stack.log, maxUploadBytes: config.uploads.maxBytes, ready: stack.ready });
  if (!LOOPBACK.has(config.host)) {
    stack.log.warn({ host: config.host }, 'listening beyond loopback: anyone who can reach this address can use your engines (accounts and keys are not configured)');
  }
  let address: string;
  try {
    address = await api.listen({ host: config.host, port: config.port });
  } catch (err) {
    await stack.close({ graceMs: 0 });
    throw err;
  }
  if (opts.workers !== false) await stack.startWorkers();
  const url = address.replace('[::1]', 'localhost');
  let closing: Promise<void> | null = null;
  return {
    url,
    stack,
    api,
    close: () => (closing ??= (async () => {
      await api.close();
      await stack.close();
    })()),
  };
}

/** Wires SIGTERM/SIGINT to a graceful close, and a second signal to an immediate exit. */
export function closeOnSignals(server: RunningServer): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      server.stack.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    signalled = true;
    server.stack.log.info({ signal }, 'shutting down: finishing running jobs');
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.stack.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
