// A real nginx (Debian's, `apt-get install -y nginx-light`) on a free loopback port with a
// generated config, for the X-Accel-Redirect test and bench/api.ts: `/files/` serves the blob root
// directly, `/protected/` is the internal location Méliès redirects to, everything else is proxied
// to Méliès. One process (master_process off), so it runs as the caller and reads the caller's
// temp folders; its logs and temp files stay in its own folder, removed by stop().
import { freePort } from '../../src/coordination/redis/test-redis.js';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx'];

/** The nginx binary, or null when it is not installed. */
export function findNginx(): string | null {
  return NGINX_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export interface Nginx {
  url: string;
  /** The one nginx process (master_process off): what serves, for CPU accounting. */
  pid: number;
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** The blob store's root folder (what X-Accel-Redirect keys are relative to). */
  blobRoot: string;
  /** Méliès's URL, proxied for everything but /files/ and /protected/. */
  upstream?: string;
  /** The internal location's prefix, as given to Méliès (default /protected/). */
  internalPrefix?: string;
}

function config(dir: string, port: number, opts: NginxOptions): string {
  const root = opts.blobRoot.endsWith('/') ? opts.blobRoot : `${opts.blobRoot}/`;
  const prefix = opts.internalPrefix ?? '/protected/';
  return `daemon off;
master_process off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  default_type application/octet-stream;
  types { video/mp4 mp4; image/webp webp; image/jpeg jpg; }
  upstream melies { server ${opts.upstream ? new URL(opts.upstream).host : '127.0.0.1:9'}; keepalive 32; }
  server {
    listen 127.0.0.1:${port};
    location /files/ { alias ${root}; }
    location ${prefix} { internal; alias ${root}; }
    location / {
      proxy_pass http://melies;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
    }
  }
}
`;
}

export async function startNginx(opts: NginxOptions): Promise<Nginx> {
  const bin = findNginx();
  if (!bin) throw new Error('nginx is not installed: apt-get install -y nginx-light');
  const dir = mkdtempSync(join(tmpdir(), 'melies-nginx-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, config(dir, port, opts));
    execFileSync(bin, ['-t', '-q', '-c', conf, '-p', dir], { stdio: 'pipe' });
    const child: ChildProcess = spawn(bin, ['-c', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c) => { stderr += c; });
    const url = `http://127.0.0.1:${port}`;
    const up = await waitUp(url, child);
    if (!up) {
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
      // Another process took the port between the probe and nginx's bind: try another.
      if (attempt < 5 && /Address already in use/.test(stderr + log)) continue;
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx did not start: ${stderr}${log}`);
    }
    return {
      url,
      pid: child.pid!,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGQUIT'); // graceful
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

async function waitUp(url: string, child: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) return false;
    try {
      await fetch(`${url}/files/`, { method: 'HEAD' });
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return false;
}
