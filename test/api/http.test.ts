// The API at the HTTP level, where the SDK hides details: error envelopes for malformed bodies,
// Range/ETag on content, SSE progress, 404s, SSRF refusals, query validation.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng } from '../helpers/media.js';
import { serverBackends, startTestServer, waitFor, type TestServer } from '../helpers/server.js';

for (const db of await serverBackends()) {
  describe(`the HTTP API on ${db}`, () => {
    let server: TestServer;
    let completedId: string;
    let videoBytes: Buffer;

    async function api(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; json: any; body: Buffer }> {
      const res = await fetch(`${server.url}${path}`, init);
      const body = Buffer.from(await res.arrayBuffer());
      let json: unknown = null;
      try { json = JSON.parse(body.toString()); } catch { /* binary */ }
      return { status: res.status, headers: res.headers, json, body };
    }

    const postJson = (path: string, body: unknown) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    function expectEnvelope(r: { status: number; json: any }, status: number, param?: string | null) {
      expect(r.status).toBe(status);
      expect(Object.keys(r.json)).toEqual(['error']);
      expect(Object.keys(r.json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
      expect(typeof r.json.error.message).toBe('string');
      if (param !== undefined) expect(r.json.error.param).toBe(param);
    }

    async function waitDone(id: string) {
      return waitFor(() => api(`/v1/videos/${id}`).then((r) => r.json), (v) => v.status === 'completed' || v.status === 'failed');
    }

    beforeAll(async () => {
      server = await startTestServer({}, { db });
      const r = await postJson('/v1/videos', { prompt: 'a harbour at noon', seconds: '2', size: '320x180' });
      completedId = r.json.id;
      await waitDone(completedId);
      videoBytes = (await api(`/v1/videos/${completedId}/content`)).body;
    });
    afterAll(async () => server?.stop());

    describe('errors', () => {
      it('gives envelopes for malformed JSON, wrong content types and unknown routes', async () => {
        expectEnvelope(await api('/v1/videos', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt": ' }), 400);
        expectEnvelope(await api('/v1/videos', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'a boat' }), 415);
        expectEnvelope(await postJson('/v1/videos', ['a', 'list']), 400);
        expectEnvelope(await postJson('/v1/videos', { prompt: 42 }), 400, 'prompt');
        expectEnvelope(await postJson('/v1/videos', {}), 400, 'prompt');
        expectEnvelope(await api('/v1/nothing-here'), 404);
      });

      it('refuses a malformed multipart body with a 400', async () => {
        const broken = await api('/v1/videos', {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
          body: '--XYZ\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nhello\r\n--XY',
        });
        expectEnvelope(broken, 400);
        const noBoundary = await api('/v1/videos', { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'garbage' });
        expect(noBoundary.status).toBeGreaterThanOrEqual(400);
        expect(noBoundary.status).toBeLessThan(500);
        expect(noBoundary.json.error).toBeDefined();
      });

      it('refuses a plain-string input_reference the way OpenAI does, and odd multipart fields', async () => {
        const form = new FormData();
        form.append('prompt', 'x');
        form.append('input_reference', 'https://example.com/a.png');
        const r = await api('/v1/videos', { method: 'POST', body: form });
        expectEnvelope(r, 400, 'input_reference');
        expect(r.json.error.code).toBe('invalid_type');

        const dup = new FormData();
        dup.append('prompt', 'x');
        dup.append('prompt', 'y');
        expectEnvelope(await api('/v1/videos', { method: 'POST', body: dup }), 400, 'prompt');

        const polluted = new FormData();
        polluted.append('prompt', 'x');
        polluted.append('__proto__[polluted]', 'yes');
        expectEnvelope(await api('/v1/videos', { method: 'POST', body: polluted }), 400);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();

        const wrongFile = new FormData();
        wrongFile.append('prompt', 'x');
        wrongFile.append('video', new Blob([await solidPng('#fff')]), 'a.png');
        expectEnvelope(await api('/v1/videos', { method: 'POST', body: wrongFile }), 400, 'video');
      });

      it('caps uploads with a 413 in the envelope', async () => {
        const small = await startTestServer({ uploads: { maxBytes: 2048 } }, { db });
        try {
          const form = new FormData();
          form.append('prompt', 'x');
          form.append('input_reference', new Blob([Buffer.alloc(10_000, 1)]), 'big.png');
          const res = await fetch(`${small.url}/v1/videos`, { method: 'POST', body: form });
          expect(res.status).toBe(413);
          expect(((await res.json()) as any).error.code).toBe('file_too_large');
        } finally {
          await small.stop();
        }
      });

      it('refuses image URLs that point inside the server\'s network', async () => {
        const r = await postJson('/v1/videos', { prompt: 'x', input_reference: { image_url: 'http://169.254.169.254/latest/meta-data/iam' } });
        expectEnvelope(r, 400, 'input_reference.image_url');
        expect(r.json.error.message).toMatch(/private or loopback/);
        expectEnvelope(await postJson('/v1/videos', { prompt: 'x', input_reference: { image_url: 'file:///etc/passwd' } }), 400, 'input_reference.image_url');
        expectEnvelope(await postJson('/v1/videos', { prompt: 'x', input_reference: { file_id: 'file_123' } }), 400, 'input_reference.file_id');
        expectEnvelope(await postJson('/v1/videos', { prompt: 'x', input_reference: { image_url: 'data:image/png;base64,AAAA', file_id: 'f' } }), 400, 'input_reference');
      });

      it('fetches an image URL when private networks are allowed by the operator', async () => {
        const png = await solidPng('#00ff00');
        const images = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'image/png' }); res.end(png); });
        await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
        const open = await startTestServer({ fetch: { allowPrivateNetworks: true } }, { db });
        try {
          const url = `http://127.0.0.1:${(images.address() as AddressInfo).port}/ref.png`;
          const res = await fetch(`${open.url}/v1/videos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'x', seconds: '1', size: '320x180', input_reference: { image_url: url } }) });
          expect(res.status).toBe(200);
        } finally {
          await open.stop();
          images.close();
        }
      });

      it('answers 404 for unknown and malformed ids on every video route', async () => {
        for (const id of ['video_' + '0'.repeat(32), 'nope', '../etc']) {
          expectEnvelope(await api(`/v1/videos/${id}`), 404);
          expectEnvelope(await api(`/v1/videos/${id}/content`), 404);
          expectEnvelope(await api(`/v1/videos/${id}/events`), 404);
          expectEnvelope(await api(`/v1/videos/${id}`, { method: 'DELETE' }), 404);
          expectEnvelope(await postJson(`/v1/videos/${id}/remix`, { prompt: 'x' }), 404);
        }
      });

      it('validates list parameters and content variants', async () => {
        expectEnvelope(await api('/v1/videos?limit=101'), 400, 'limit');
        expectEnvelope(await api('/v1/videos?limit=-1'), 400, 'limit');
        expectEnvelope(await api('/v1/videos?order=sideways'), 400, 'order');
        expectEnvelope(await api(`/v1/videos/${completedId}/content?variant=gif`), 400, 'variant');
        expect((await api('/v1/videos?after=video_' + 'f'.repeat(32))).json).toMatchObject({ data: [], has_more: false, first_id: null, last_id: null });
      });

      it('only remixes completed videos', async () => {
        const r = await postJson('/v1/videos', { prompt: 'long', seconds: '20', size: '1280x720' });
        const remix = await postJson(`/v1/videos/${r.json.id}/remix`, { prompt: 'other' });
        expectEnvelope(remix, 400, 'video_id');
        expect(remix.json.error.code).toBe('video_not_ready');
        expectEnvelope(await postJson(`/v1/videos/${completedId}/remix`, {}), 400, 'prompt');
        await api(`/v1/videos/${r.json.id}`, { method: 'DELETE' });
      });
    });

    describe('network exposure', () => {
      function getWithHost(url: string, host: string): Promise<{ status: number; body: any }> {
        return new Promise((resolve, reject) => {
          const req = httpRequest(url, { headers: { host } }, (res) => {
            let text = '';
            res.on('data', (c) => { text += c; });
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
          });
          req.on('error', reject);
          req.end();
        });
      }

      it('refuses requests addressed to a non-loopback name (DNS rebinding), unless allowed', async () => {
        const url = `${server.url}/v1/videos`;
        const evil = await getWithHost(url, 'attacker.example:8080');
        expect(evil.status).toBe(403);
        expect(evil.body.error.code).toBe('host_not_allowed');
        for (const host of ['127.0.0.1:8080', 'localhost', '[::1]:8080', 'studio.localhost']) {
          expect((await getWithHost(url, host)).status, host).toBe(200);
        }
        const proxied = await startTestServer({ allowedHosts: ['videos.example.org'] }, { db });
        try {
          expect((await getWithHost(`${proxied.url}/v1/videos`, 'videos.example.org')).status).toBe(200);
          expect((await getWithHost(`${proxied.url}/v1/videos`, 'other.example.org')).status).toBe(403);
        } finally {
          await proxied.stop();
        }
      });

      it('never listens beyond loopback without auth: multi-user mode is forced there', async () => {
        const open = await startTestServer({ host: '0.0.0.0' }, { db }); // config says local mode
        try {
          const port = new URL(open.url).port;
          const r = await fetch(`http://127.0.0.1:${port}/v1/videos`, { headers: { authorization: 'Bearer local' } });
          expect(r.status).toBe(401);
          expect(((await r.json()) as any).error.code).toBe('invalid_api_key');
          expect((await (await fetch(`http://127.0.0.1:${port}/api/session`)).json())).toMatchObject({ mode: 'multi', login_required: true, setup_required: true });
          expect(open.setupUrl).toMatch(/\/setup#token=[A-Za-z0-9_-]{20,}$/);
        } finally {
          await open.stop();
        }
      });

      it('never promises more pages without a cursor (limit=0)', async () => {
        expect((await api('/v1/videos?limit=0')).json).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
      });
    });

    describe('content delivery', () => {
      const url = () => `/v1/videos/${completedId}/content`;

      it('sends the whole file with length, ETag and Accept-Ranges', async () => {
        const r = await api(url());
        expect(r.status).toBe(200);
        expect(r.headers.get('accept-ranges')).toBe('bytes');
        expect(Number(r.headers.get('content-length'))).toBe(videoBytes.length);
        expect(r.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
        expect(r.headers.get('x-request-id')).toMatch(/^req_/);
      });

      it('serves byte ranges, suffix ranges, and 416 past the end', async () => {
        const total = videoBytes.length;
        const a = await api(url(), { headers: { range: 'bytes=0-99' } });
        expect(a.status).toBe(206);
        expect(a.headers.get('content-range')).toBe(`bytes 0-99/${total}`);
        expect(a.body).toEqual(videoBytes.subarray(0, 100));
        const b = await api(url(), { headers: { range: 'bytes=-50' } });
        expect(b.status).toBe(206);
        expect(b.headers.get('content-range')).toBe(`bytes ${total - 50}-${total - 1}/${total}`);
        expect(b.body).toEqual(videoBytes.subarray(total - 50));
        const c = await api(url(), { headers: { range: `bytes=${total - 10}-` } });
        expect(c.body).toEqual(videoBytes.subarray(total - 10));
        const d = await api(url(), { headers: { range: `bytes=${total}-` } });
        expect(d.status).toBe(416);
        expect(d.headers.get('content-range')).toBe(`bytes */${total}`);
        const e = await api(url(), { headers: { range: 'bytes=0-9999999999' } });
        expect(e.status).toBe(206);
        expect(e.body.length).toBe(total);
      });

      it('honours If-None-Match and If-Range', async () => {
        const etag = (await api(url(), { method: 'HEAD' })).headers.get('etag')!;
        expect((await api(url(), { headers: { 'if-none-match': etag } })).status).toBe(304);
        const stale = await api(url(), { headers: { range: 'bytes=0-9', 'if-range': '"other"' } });
        expect(stale.status).toBe(200);
        expect(stale.body.length).toBe(videoBytes.length);
        expect((await api(url(), { headers: { range: 'bytes=0-9', 'if-range': etag } })).status).toBe(206);
      });
    });

    describe('scene plan', () => {
      it('stores what the engine understood with the video and shows it on the video, not in lists', async () => {
        const created = await postJson('/v1/videos', { prompt: 'shot 1: three red balloons over a meadow [1s]\nshot 2: a city at night [1s]', seconds: '2', size: '320x180' });
        expect(created.status).toBe(200);
        expect(created.json.plan.shots).toHaveLength(2);
        expect(created.json.plan.shots[0]).toMatchObject({ setting: 'meadow', subjects: [{ kind: 'balloon', count: 3, color: 'red' }] });
        const again = await api(`/v1/videos/${created.json.id}`);
        expect(again.json.plan).toEqual(created.json.plan);
        const list = await api('/v1/videos?limit=5');
        expect(list.json.data[0]).not.toHaveProperty('plan');
        await waitDone(created.json.id);
      });
    });

    describe('live progress', () => {
      it('streams status and rising progress over SSE until the video completes', async () => {
        const created = await postJson('/v1/videos', { prompt: 'a kite over dunes', seconds: '4', size: '640x360' });
        const res = await fetch(`${server.url}/v1/videos/${created.json.id}/events`);
        expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
        const events: Array<{ event: string; data: any }> = [];
        let buffer = '';
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += Buffer.from(chunk).toString();
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
          }
        }
        // The stream ends by itself after the terminal event.
        const last = events[events.length - 1]!;
        expect(last.event).toBe('video.completed');
        expect(last.data).toMatchObject({ id: created.json.id, status: 'completed', progress: 100 });
        const progress = events.map((e) => e.data.progress);
        expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).toBe(true);
        expect(events.filter((e) => e.event === 'video.in_progress').length).toBeGreaterThan(2);
      });

      it('ends the stream of a terminal video at once', async () => {
        const res = await fetch(`${server.url}/v1/videos/${completedId}/events`);
        const text = await res.text();
        expect(text).toContain('event: video.completed');
      });
    });
  });
}
