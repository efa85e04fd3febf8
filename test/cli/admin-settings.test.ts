// The operator's commands find the database the way `melies serve` does (MELIES_CONFIG,
// MELIES_DATA_DIR, DATABASE_URL), on SQLite and PostgreSQL, say which one they used, and never
// fall back to ./data behind the operator's back. `melies invite` prints a link people can open:
// MELIES_PUBLIC_URL, or the configured host and port, never a literal `<server>`.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accountBackends } from '../helpers/accounts.js';
import { runMelies } from '../helpers/process.js';
import { place, type Place } from './settings.js';

const backends = await accountBackends();
const places: Place[] = [];
afterAll(async () => { for (const p of places) await p.drop(); });

const CLEAR = { MELIES_CONFIG: '', MELIES_DATA_DIR: '', DATABASE_URL: '', MELIES_PUBLIC_URL: '', MELIES_HOST: '', MELIES_PORT: '' };

async function melies(p: Place, env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const run = runMelies(args, { ...CLEAR, ...env }, p.cwd);
  const { code } = await run.exited;
  return { code, out: run.output() };
}

describe.each(backends)('operator commands and their settings (%s)', (backend) => {
  it('act on the database MELIES_CONFIG, MELIES_DATA_DIR or DATABASE_URL names, not ./data, and say which', async () => {
    const p = await place(backend);
    places.push(p);
    const file = join(p.cwd, 'melies.config.json');
    writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(p.settings).filter(([, v]) => v !== ''))));
    const made = await melies(p, { MELIES_CONFIG: file }, 'users', 'create', '--email', 'ada@example.org', '--plan', 'pro');
    expect(made.code, made.out).toBe(0);
    expect(made.out).toContain(`database: ${p.label}`);
    // The same database through the environment alone.
    const listed = await melies(p, p.settings, 'users', 'list');
    expect(listed.out).toContain(`database: ${p.label}`);
    expect(listed.out).toMatch(/ada@example\.org\s+member\s+pro\s+active/);
    expect(existsSync(join(p.cwd, 'data'))).toBe(false);
  });

  it('invite prints a link from MELIES_PUBLIC_URL, else from the configured host and port', async () => {
    const p = await place(backend);
    places.push(p);
    const pub = await melies(p, { ...p.settings, MELIES_PUBLIC_URL: 'https://melies.example.org/' }, 'invite', '--plan', 'free', '--uses', '30');
    expect(pub.code, pub.out).toBe(0);
    const code = /^(inv_\S+)$/m.exec(pub.out)![1]!;
    expect(pub.out).toContain(`people open https://melies.example.org/register?invite=${encodeURIComponent(code)}\n`);
    expect(pub.out).not.toContain('<server>');
    expect(pub.out).not.toContain('MELIES_PUBLIC_URL');

    const local = await melies(p, { ...p.settings, MELIES_PORT: '9123' }, 'invite');
    const other = /^(inv_\S+)$/m.exec(local.out)![1]!;
    expect(other).not.toBe(code);
    expect(local.out).toContain(`people open http://127.0.0.1:9123/register?invite=${encodeURIComponent(other)}\n`);
    expect(local.out).toContain('only works on this machine: set MELIES_PUBLIC_URL');
  });
});
