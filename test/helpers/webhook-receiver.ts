// A real HTTP receiver for outgoing webhooks: records every request as it arrived (raw body and
// Standard Webhooks headers), answers as the test says (a status, or hang until released), and
// verifies signatures with the `standardwebhooks` library itself, not with our signing code.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  headers: { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string };
  body: string;
  json: any;
}

export type Answer = number | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** How to answer the next requests (default 200). */
  answer: (r: Received) => Answer;
  /** Requests held open by 'hang'. */
  open(): number;
  /** Answers every held request with `status`. */
  release(status?: number): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const held: http.ServerResponse[] = [];
  const receiver: Receiver = {
    url: '',
    received: [],
    answer: () => 200,
    open: () => held.length,
    release(status = 200) {
      for (const res of held.splice(0)) if (!res.writableEnded && !res.destroyed) res.writeHead(status).end();
    },
    close: () => new Promise((resolve) => {
      receiver.release(503);
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: any = null;
      try { json = JSON.parse(body); } catch { /* kept raw */ }
      const r: Received = {
        path: req.url ?? '/',
        headers: { 'webhook-id': String(req.headers['webhook-id'] ?? ''), 'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''), 'webhook-signature': String(req.headers['webhook-signature'] ?? '') },
        body, json,
      };
      receiver.received.push(r);
      const a = receiver.answer(r);
      if (a === 'hang') {
        held.push(res);
        // The sender gave up (its timeout, its shutdown): no longer open.
        res.on('close', () => { const i = held.indexOf(res); if (i >= 0) held.splice(i, 1); });
      }
      else res.writeHead(a).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** True when the library accepts the request as signed with `secret` (it also checks the timestamp is within 5 min). */
export function verifies(secret: string, r: Received): boolean {
  try {
    new Webhook(secret).verify(r.body, r.headers);
    return true;
  } catch {
    return false;
  }
}
