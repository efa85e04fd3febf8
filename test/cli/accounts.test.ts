// The operator's commands against a running multi-user server's data directory (another process):
// a key made by `melies keys create` works with the openai SDK, `melies keys revoke` stops it on
// the server's very next request, `melies pause` stops generation with a message, `melies users
// suspend` locks a user out, and `melies audit` exports what happened.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMelies, serveProcess, type MeliesProcess } from '../helpers/process.js';

let dataDir: string;
let server: MeliesProcess & { url: string };

async function melies(...args: string[]): Promise<{ code: number | null; out: string }> {
  const p = runMelies([...args, '--data-dir', dataDir]);
  const { code } = await p.exited;
  return { code, out: p.output() };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'melies-cli-acct-'));
  server = await serveProcess(dataDir, { MELIES_AUTH: 'multi', MELIES_SKETCH_X264_PRESET: 'ultrafast' });
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('melies users / keys / pause / audit', () => {
  it('prints the one-time setup link at first start in multi-user mode', () => {
    expect(server.output()).toMatch(/\/setup#token=[A-Za-z0-9_-]{20,}/);
  });

  it('creates a user and a key that the openai SDK uses; revoking it in the CLI stops it at once', async () => {
    const user = await melies('users', 'create', '--email', 'student@example.org', '--plan', 'free');
    expect(user.code).toBe(0);
    expect(user.out).toMatch(/created member student@example.org \(usr_[0-9a-f]+\) on plan free/);
    expect(user.out).toMatch(/password: \S{12,}/);
    const key = await melies('keys', 'create', '--user', 'student@example.org', '--name', 'homework');
    expect(key.code).toBe(0);
    const secret = /^(mls_\S+)$/m.exec(key.out)![1]!;
    const keyId = /^(key_[0-9a-f]+) for/m.exec(key.out)![1]!;
    const sdk = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: secret, maxRetries: 0 });
    const video = await sdk.videos.create({ model: 'sketch', prompt: 'a kite on a beach', seconds: '4', size: '1280x720' } as never);
    expect(video.status).toBe('queued');
    expect((await melies('keys', 'list', '--user', 'student@example.org')).out).toContain(`${keyId}  ${secret.slice(0, 10)}…`);
    expect((await melies('keys', 'revoke', keyId)).out).toContain(`${keyId} revoked`);
    const err = await sdk.videos.list().catch((e) => e);
    expect(err.status).toBe(401);
  });

  it('pauses and resumes generation, and suspends a user', async () => {
    await melies('users', 'create', '--email', 'other@example.org', '--plan', 'pro');
    const secret = /^(mls_\S+)$/m.exec((await melies('keys', 'create', '--user', 'other@example.org')).out)![1]!;
    const post = () => fetch(`${server.url}/v1/videos`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'x', seconds: '1', size: '320x180' }) });
    expect((await melies('pause', '--message', 'Back at noon.')).out).toContain('paused all generation: Back at noon.');
    const paused = await post();
    expect(paused.status).toBe(503);
    expect(((await paused.json()) as any).error.message).toContain('Back at noon.');
    expect((await melies('resume')).out).toContain('resumed all generation');
    expect((await post()).status).toBe(200);
    expect((await melies('users', 'suspend', 'other@example.org')).out).toContain('other@example.org is suspended');
    expect((await post()).status).toBe(401);
    const list = await melies('users', 'list');
    expect(list.out).toMatch(/other@example\.org\s+member\s+pro\s+suspended/);
  });

  it('exports the audit log as JSON lines', async () => {
    const r = await melies('audit');
    const events = r.out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const actions = events.map((e) => e.action);
    for (const a of ['admin.user_create', 'key.create', 'key.revoke', 'video.create', 'admin.pause', 'admin.resume', 'admin.user_suspend']) expect(actions).toContain(a);
    expect(events.find((e) => e.action === 'key.revoke').actor.user_id).toBe('usr_cli');
  });
});
