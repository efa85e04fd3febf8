// Requests exactly as written: any request target (absolute-form, asterisk-form, %-escapes the
// fetch API would normalise), any headers. For tests of what the server does with odd requests.
import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** One HTTP/1.1 request with `target` sent verbatim on the request line. */
export function rawRequest(base: string, opts: { method?: string; target: string; headers?: Record<string, string>; body?: string }): Promise<RawReply> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method: opts.method ?? 'GET', path: opts.target, headers: opts.headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => {
        let json: any = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Bytes straight onto a socket (for request lines Node's client refuses to send); resolves with what came back. */
export function rawSocket(base: string, bytes: string): Promise<string> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const s = connect(Number(u.port), u.hostname, () => s.write(bytes));
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (c: string) => { out += c; });
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

/** The JSON body of a raw HTTP response text (after the blank line), or null. */
export function bodyOf(response: string): any {
  const i = response.indexOf('\r\n\r\n');
  try { return JSON.parse(response.slice(i + 4)); } catch { return null; }
}
