// The yardstick for bench/api.ts: a bare Fastify 5 server (defaults, no logger, no hooks) that
// answers GET /v1/videos/:id with the same JSON body Méliès gave for that video, so the gap is
// what Méliès does around the answer. Prints its URL on stdout. Run by bench/api.ts.
import Fastify from 'fastify';

// Parsed once and serialised on every request, as any route returning an object does.
const video: unknown = JSON.parse(process.env.MELIES_BARE_BODY ?? '{}');
const app = Fastify();
app.get('/v1/videos/:id', async () => video);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`bare listening on ${url}\n`);
process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)); });
