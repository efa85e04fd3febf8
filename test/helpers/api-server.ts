// A multi-user server built the way app/server.ts builds one, with API options the composition
// root does not pass yet (metrics, X-Accel-Redirect), and workers started only when the test says:
// a video then stays queued for as long as the test needs (an open SSE stream, a queue gauge).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi, type ApiDeps } from '../../src/api/server.js';
import { createStack, type Stack } from '../../src/app/stack.js';
import { makeConfig } from '../../src/config/config.js';
import { dropSchema } from '../../src/db/migrations.js';
import { openPostgres } from '../../src/db/database.js';
import { postgresUrl } from '../../src/db/test-databases.js';

export interface ApiServer {
  url: string;
  setupUrl: string;
  dataDir: string;
  stack: Stack;
  api: FastifyInstance;
  startWorkers(): Promise<void>;
  stop(): Promise<void>;
}

export async function startApiServer(db: 'sqlite' | 'postgres', extra: Pick<ApiDeps, 'metrics' | 'accelRedirect'>): Promise<ApiServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'melies-test-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const config = makeConfig({
    port: 0, dataDir, logLevel: 'silent', searchPath: process.env.PATH ?? '', auth: { mode: 'multi' },
    ...(db === 'postgres' ? { databaseUrl: `${postgresUrl}?schema=${schema}` } : {}),
    jobs: { pollIntervalMs: 50, retryBaseMs: 50, shutdownGraceSeconds: 5 },
    sketch: { x264Preset: 'ultrafast' },
  });
  const stack = await createStack(config, { authMode: 'multi' });
  const api = await buildApi({
    videos: stack.videos, logger: stack.log, maxUploadBytes: config.uploads.maxBytes, ready: stack.ready, allowedHosts: config.allowedHosts,
    studioDir: null, authenticator: stack.authenticator, auth: stack.auth, admin: stack.admin,
    requestsPerMinute: config.auth.requestsPerMinute, engineStatus: stack.engineStatus, ...extra,
  });
  const url = (await api.listen({ host: '127.0.0.1', port: 0 })).replace('[::1]', 'localhost');
  const token = await stack.auth!.issueSetupToken();
  return {
    url, setupUrl: `${url}/setup#token=${token}`, dataDir, stack, api,
    startWorkers: () => stack.startWorkers(),
    async stop() {
      await api.close();
      await stack.close({ graceMs: 1000 });
      rmSync(dataDir, { recursive: true, force: true });
      if (db === 'postgres') {
        const admin = await openPostgres(postgresUrl, { max: 1 });
        await dropSchema(admin, schema);
        await admin.destroy();
      }
    },
  };
}
