// Property test: whatever body a client sends to POST /v1/videos (JSON or multipart, well formed
// or not), the answer is never a 5xx, and every 4xx is OpenAI's error envelope.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng } from '../helpers/media.js';
import { serverBackends, startTestServer, type TestServer } from '../helpers/server.js';

for (const db of await serverBackends()) {
  describe(`random creates on ${db}`, () => {
    let server: TestServer;
    let png: Buffer;
    beforeAll(async () => {
      // No workers: creates only queue, so hundreds of them cost nothing.
      server = await startTestServer({}, { db });
      await server.stack.queue.close();
      png = await solidPng('#123456', 32, 32);
    });
    afterAll(async () => server?.stop());

    const field = fc.oneof(
      fc.constantFrom('prompt', 'model', 'seconds', 'size', 'fps', 'seed', 'input_reference', 'input_reference[image_url]', 'input_reference[file_id]', 'character_ids[]', 'status', 'id', 'a[b][c]', 'x[]', '[', 'prompt[]', '__proto__', 'constructor[prototype]'),
      fc.string({ maxLength: 12 }),
    );
    const value = fc.oneof(
      fc.constantFrom('sketch', 'a lighthouse', '8', '4', '1280x720', '320x180', '24', '0', '-1', '4294967296', '', ' ', 'data:image/png;base64,AAAA', 'data:,x'),
      fc.string({ maxLength: 40 }),
      fc.integer().map(String),
    );
    const jsonValue = fc.oneof(value, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(value, { maxLength: 3 }), fc.dictionary(fc.constantFrom('image_url', 'file_id', 'x'), value, { maxKeys: 2 }));

    const statuses: Record<number, number> = {};
    function checkResponse(status: number, body: string) {
      statuses[status] = (statuses[status] ?? 0) + 1;
      expect(status, body.slice(0, 200)).toBeLessThan(500);
      const json = JSON.parse(body);
      if (status >= 400) {
        expect(Object.keys(json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
        expect(json.error.message.length).toBeGreaterThan(0);
      } else {
        expect(json).toMatchObject({ object: 'video', status: 'queued' });
      }
    }

    describe('POST /v1/videos under random input', () => {
      it('JSON bodies never produce a 5xx', async () => {
        await fc.assert(fc.asyncProperty(
          fc.oneof(
            fc.dictionary(field, jsonValue, { maxKeys: 7 }).map((o) => JSON.stringify(o)),
            fc.string({ maxLength: 60 }),
            fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
            // A valid body with a couple of fields changed: reaches the model-card checks.
            fc.dictionary(field, jsonValue, { maxKeys: 2 }).map((d) => JSON.stringify({ prompt: 'a boat', seconds: '1', size: '320x180', ...d })),
          ),
          async (payload) => {
            const res = await server.api.inject({ method: 'POST', url: '/v1/videos', headers: { 'content-type': 'application/json' }, payload });
            checkResponse(res.statusCode, res.body);
          },
        ), { numRuns: 300 });
      });

      it('multipart bodies, including corrupt ones, never produce a 5xx', async () => {
        await fc.assert(fc.asyncProperty(
          fc.array(fc.tuple(field, value), { maxLength: 6 }),
          fc.option(fc.oneof(fc.constant('png'), fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a).toString('latin1')))),
          fc.option(fc.constantFrom('input_reference', 'video', 'prompt')),
          fc.nat({ max: 40 }),
          async (fields, file, fileField, cut) => {
            const boundary = 'fuzzBoundary';
            let body = '';
            for (const [name, v] of fields) body += `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/"/g, '')}"\r\n\r\n${v}\r\n`;
            const parts: Buffer[] = [Buffer.from(body, 'latin1')];
            if (file !== null && fileField !== null) {
              parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'latin1'));
              parts.push(file === 'png' ? png : Buffer.from(file, 'latin1'));
              parts.push(Buffer.from('\r\n', 'latin1'));
            }
            parts.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
            let payload = Buffer.concat(parts);
            if (cut > 30) payload = payload.subarray(0, Math.max(0, payload.length - (cut - 30) * 3)); // truncated bodies
            const res = await server.api.inject({ method: 'POST', url: '/v1/videos', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
            checkResponse(res.statusCode, res.body);
          },
        ), { numRuns: 300 });
      });

      it('exercised both accepted and refused requests (the generators are not degenerate)', () => {
        expect(statuses[200] ?? 0).toBeGreaterThan(10);
        expect(statuses[400] ?? 0).toBeGreaterThan(100);
      });

      it('never lets a body set fields the server owns', async () => {
        const res = await server.api.inject({
          method: 'POST', url: '/v1/videos', headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ prompt: 'x', id: 'video_' + 'a'.repeat(32), status: 'completed', progress: 100, created_at: 1, remixed_from_video_id: 'video_' + 'b'.repeat(32), error: { code: 'x' } }),
        });
        const v = JSON.parse(res.body);
        expect(v).toMatchObject({ status: 'queued', progress: 0, remixed_from_video_id: null, error: null });
        expect(v.id).not.toBe('video_' + 'a'.repeat(32));
        expect(v.created_at).toBeGreaterThan(1_700_000_000);
      });
    });
  });
}
