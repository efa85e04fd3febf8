// What the logger's last pass (every written line redacted of every server secret, app/stack.ts
// makeLogger) costs on the log-heaviest path: the two lines Fastify writes per request, plus a job's
// warning carrying a provider's text. The same logger (pino with its path redaction) with the pass
// and with an identity in its place, nine provider keys and a ComfyUI password configured, lines
// written to a sink that keeps nothing, alternated runs.
// Run: npx tsx bench/log-redaction.ts
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { makeLogger } from '../src/app/stack.js';
import { makeConfig } from '../src/config/config.js';
import { serverSecrets } from '../src/config/secrets.js';
import { Redactor } from '../src/domain/redaction.js';
import { loadavg, median } from './common.js';

const LINES = 50_000;
const RUNS = 15;

const config = makeConfig({
  logLevel: 'info',
  providerKeys: {
    openai: 'sk-proj-4f9a7c2b1d3e5f6a7b8c9d0e1f2a3b4c', veo: 'AIzaSyD-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c', runway: 'key_7c2b1d3e5f6a7b8c9d0e1f2a3b4c5d6e',
    luma: 'luma-2b1d3e5f-6a7b-8c9d-0e1f-2a3b4c5d6e7f', kling_access: 'ak_9d0e1f2a3b4c5d6e7f8a9b', kling_secret: 'sk_1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c',
    minimax: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.mm-3b4c5d6e7f8a9b0c1d2e', replicate: 'r8_4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b', fal: 'fal-5d6e7f8a:9b0c1d2e3f4a5b6c7d8e9f0a',
  },
  comfyui: { servers: ['http://gpu:comfy-9b0c1d2e@10.0.0.5:8188'] },
});
const sink = { write: (_line: string) => {} };
const plain = makeLogger(config, { redact: (line: string) => line }, {}, sink);
const redacted = makeLogger(config, new Redactor(serverSecrets(config)), {}, sink);

function writeLines(log: pino.Logger): number {
  const req = { method: 'GET', url: '/v1/videos/video_01J9ZK3W6Q8B2N4M5P7R9T1V3X', hostname: '127.0.0.1:8080', remoteAddress: '127.0.0.1', remotePort: 51234 };
  const t = performance.now();
  for (let i = 0; i < LINES; i += 3) {
    log.info({ reqId: `req-${i}`, req }, 'incoming request');
    log.info({ reqId: `req-${i}`, res: { statusCode: 200 }, responseTime: 1.8 }, 'request completed');
    log.warn({ videoId: 'video_01J9ZK3W6Q8B2N4M5P7R9T1V3X', code: 'generation_failed', detail: 'Runway reported: The output could not be generated (INTERNAL.BAD_OUTPUT)' }, 'engine refused the job');
  }
  return ((performance.now() - t) * 1000) / LINES;
}

writeLines(plain);
writeLines(redacted); // warm both up
const without: number[] = [];
const withPass: number[] = [];
for (let r = 0; r < RUNS; r++) {
  without.push(writeLines(plain));
  withPass.push(writeLines(redacted));
}
const a = median(without);
const b = median(withPass);
console.log(`load ${loadavg()} · ${LINES} lines × ${RUNS} runs, median µs per line`);
console.log(`  pino alone (with its own path redaction): ${a.toFixed(2)} µs`);
console.log(`  pino + redaction pass:                    ${b.toFixed(2)} µs  (+${(b - a).toFixed(2)} µs a line, ${((b - a) * 2).toFixed(2)} µs per HTTP request's two lines)`);
