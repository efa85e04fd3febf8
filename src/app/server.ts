// `melies serve`: the API and this process's workers together. SIGTERM/SIGINT drain: stop taking
// requests, give running jobs the grace period to finish, release the rest to the queue, exit 0.
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/server.js';
import { ConfigError, type Config } from '../config/config.js';
import { linkBase } from '../config/public-url.js';
import { createStack, type Stack } from './stack.js';

/** The studio as `npm run build:web` leaves it (also right from src/ under tsx: both are two levels down). */
export const STUDIO_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface RunningServer {
  url: string;
  /** Multi-user mode with no admin yet: the one-time link that creates the first admin. */
  setupUrl: string | null;
  stack: Stack;
  api: FastifyInstance;
  close(): Promise<void>;
}

/**
 * How long a presigned /content URL works (S3_PRESIGN): long enough to start playing and seek for a
 * while (a player asks again when it expires), short enough that a shared link soon stops working.
 */
const PRESIGN_SECONDS = 300;

/** At most this long for requests in flight at shutdown (running jobs get the whole grace period). */
const HTTP_GRACE_MS = 10_000;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** `workers`: false serves without running jobs; an object sets how many run at once. */
export async function startServer(config: Config, opts: { workers?: boolean | { concurrency: number } } = {}): Promise<RunningServer> {
  // Off loopback there is no "local user": anyone who can reach the address would be it. Accounts
  // are forced on there, so the server never listens open to the network without auth.
  const authMode = isLoopback(config.host) ? config.auth.mode : 'multi';
  if (config.http.accelRedirect && config.s3.bucket) {
    throw new ConfigError('MELIES_ACCEL_REDIRECT hands local files to nginx, but this server keeps files in S3: unset it, and set S3_PRESIGN=true to let S3 send the bytes');
  }
  const stack = await createStack(config, { authMode });
  if (authMode !== config.auth.mode) stack.log.warn({ host: config.host }, 'listening beyond loopback: multi-user mode (accounts and API keys) is on');
  const api = await buildApi({
    videos: stack.videos, logger: stack.log, maxUploadBytes: config.uploads.maxBytes, ready: stack.ready, allowedHosts: config.allowedHosts,
    studioDir: config.studioDir ?? STUDIO_DIR, authenticator: stack.authenticator, auth: stack.auth, admin: stack.admin,
    requestsPerMinute: config.auth.requestsPerMinute, trustProxy: config.trustProxy, engineStatus: stack.engineStatus,
    requestTimeoutMs: config.http.requestTimeoutSeconds * 1000, headersTimeoutMs: config.http.headersTimeoutSeconds * 1000,
    coordination: stack.coordination, metrics: stack.metrics, accelRedirect: config.http.accelRedirect,
    presignSeconds: config.s3.presign ? PRESIGN_SECONDS : null, sharing: stack.sharing, webhooks: stack.webhooks, queueControl: stack.queueControl,
    provenance: stack.provenance, maxVerifyBytes: config.provenance.verifyMaxBytes, batches: stack.batches,
    files: { service: stack.files, maxFileBytes: config.uploads.fileMaxBytes },
    characters: { service: stack.characters, maxFileBytes: config.uploads.fileMaxBytes },
  });
  let address: string;
  try {
    address = await api.listen({ host: config.host, port: config.port });
  } catch (err) {
    await stack.close({ graceMs: 0 });
    throw err;
  }
  if (opts.workers !== false) await stack.startWorkers(typeof opts.workers === 'object' ? opts.workers : {});
  const url = address.replace('[::1]', 'localhost');
  const setupToken = stack.auth ? await stack.auth.issueSetupToken() : null;
  let closing: Promise<void> | null = null;
  return {
    url,
    // The public address when the operator gave one (behind a proxy, the listen address is not what people open).
    setupUrl: setupToken ? `${config.publicUrl ? linkBase(config).url : url}/setup#token=${setupToken}` : null,
    stack,
    api,
    close: () => (closing ??= (async () => {
      // No new connections; idle keep-alive ones close at once. Requests in flight get a short
      // grace; then every connection still open (a stalled upload, a client that never finishes
      // its body) is cut, so one slow client cannot keep the process from exiting.
      const cut = setTimeout(() => api.server.closeAllConnections(), Math.min(config.jobs.shutdownGraceSeconds * 1000, HTTP_GRACE_MS));
      try {
        await api.close();
      } finally {
        clearTimeout(cut);
      }
      await stack.close();
    })()),
  };
}

/** Wires SIGTERM/SIGINT to a graceful close, and a second signal to an immediate exit. */
export function closeOnSignals(server: { stack: Stack; close(): Promise<void> }): void {
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
