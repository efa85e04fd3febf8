// Operator commands that work on the server's database directly (run them on the server's
// machine): users, API keys, invites, pausing generation, the audit log. They act as the
// operator ("usr_cli" in the audit log) and work whether the server is running or not.
// They find the database as `melies serve` does (MELIES_CONFIG, MELIES_DATA_DIR, DATABASE_URL,
// --data-dir) and say which one they used, so a forgotten setting does not go unnoticed. A
// running server sees their changes on its next request: it caches no keys, sessions or pauses.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { configFromFlags, type Config } from '../app/config.js';
import { linkBase } from '../config/public-url.js';
import { createStack, type Stack } from '../app/stack.js';
import { SCOPES, type Principal } from '../domain/account.js';
import { wireAudit } from '../services/accounts/account.wire.js';

const OPERATOR: Principal = Object.freeze({ userId: 'usr_cli', role: 'admin', scopes: SCOPES, plan: null, via: 'local' });
const CTX = { ip: null, userAgent: 'melies-cli' };

/** Where the data lives, without credentials: `SQLite /srv/data/melies.db`, `PostgreSQL db.lan:5432/melies`. */
export function describeDatabase(config: Config): string {
  const url = config.databaseUrl;
  if (url?.startsWith('postgres')) {
    const u = new URL(url);
    const schema = u.searchParams.get('schema');
    return `PostgreSQL ${u.host}${u.pathname}${schema ? ` (schema ${schema})` : ''}`;
  }
  return `SQLite ${url?.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\//, '') : join(config.dataDir, 'melies.db')}`;
}

async function withStack<T>(flags: { dataDir?: string }, fn: (stack: Stack & { auth: NonNullable<Stack['auth']> }) => Promise<T>): Promise<T> {
  const config = configFromFlags({ dataDir: flags.dataDir });
  process.stderr.write(`database: ${describeDatabase(config)}\n`);
  const stack = await createStack(config, { logs: 'quiet', authMode: 'multi' });
  try {
    return await fn(stack as Stack & { auth: NonNullable<Stack['auth']> });
  } finally {
    await stack.close({ graceMs: 0 });
  }
}

const out = (s: string) => process.stdout.write(`${s}\n`);
const when = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

export function registerAccountCommands(program: Command): void {
  const users = program.command('users').description('manage accounts (multi-user mode)');
  users.command('create')
    .description('create an account; prints a generated password unless --password is given')
    .requiredOption('--email <email>', 'email address')
    .option('--password <password>', 'password (at least 10 characters)')
    .option('--admin', 'make an admin instead of a member')
    .option('--plan <plan>', 'plan id', 'free')
    .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
    .action(async (f: { email: string; password?: string; admin?: boolean; plan: string; dataDir?: string }) => withStack(f, async (s) => {
      const password = f.password ?? randomBytes(12).toString('base64url');
      const user = await s.auth.createUser({ email: f.email, password, role: f.admin ? 'admin' : 'member', planId: f.plan });
      await s.admin.audit().record({ actor: OPERATOR, action: 'admin.user_create', target: { type: 'user', id: user.id }, details: { role: user.role, plan: user.planId } });
      out(`created ${user.role} ${user.email} (${user.id}) on plan ${user.planId}`);
      if (!f.password) out(`password: ${password}`);
    }));
  users.command('list')
    .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
    .action(async (f: { dataDir?: string }) => withStack(f, async (s) => {
      for (const { user, usage } of await s.admin.listUsers()) {
        out(`${user.id}  ${user.email.padEnd(32)} ${user.role.padEnd(7)} ${user.planId.padEnd(8)} ${user.status.padEnd(10)} today ${usage.day.usedSeconds}s  running ${usage.concurrent.active}`);
      }
    }));
  for (const [name, act] of [['suspend', 'suspend'], ['reactivate', 'reactivate']] as const) {
    users.command(name)
      .description(name === 'suspend' ? 'stop one user now: sessions end, queued and running videos are cancelled and refunded' : 'let a suspended user back in')
      .argument('<user>', 'email or id')
      .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
      .action(async (who: string, f: { dataDir?: string }) => withStack(f, async (s) => {
        const user = await s.admin.findUser(who);
        const done = act === 'suspend' ? await s.admin.suspend(OPERATOR, user.id, CTX) : await s.admin.reactivate(OPERATOR, user.id, CTX);
        out(`${done.email} is ${done.status}`);
      }));
  }

  const keys = program.command('keys').description('manage API keys (multi-user mode)');
  keys.command('create')
    .description('create an API key for a user; the key is printed once')
    .requiredOption('--user <user>', 'email or id of the key\'s owner')
    .option('--name <name>', 'what the key is for', 'cli')
    .option('--scopes <list>', `comma-separated: ${SCOPES.join(', ')}`)
    .option('--expires-days <n>', 'expire after this many days')
    .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
    .action(async (f: { user: string; name: string; scopes?: string; expiresDays?: string; dataDir?: string }) => withStack(f, async (s) => {
      const user = await s.admin.findUser(f.user);
      const owner: Principal = { userId: user.id, role: user.role, scopes: SCOPES, plan: null, via: 'local' };
      const made = await s.auth.createKey(owner, { name: f.name, scopes: f.scopes?.split(',').map((x) => x.trim()), expires_in_days: f.expiresDays === undefined ? undefined : Number(f.expiresDays) }, CTX);
      out(`${made.key.id} for ${user.email}, scopes ${made.key.scopes.join(',')}${made.key.expiresAt ? `, expires ${when(made.key.expiresAt)}` : ''}`);
      out(made.secret);
      process.stderr.write('This is the only time the key is shown; store it now.\n');
    }));
  keys.command('list')
    .requiredOption('--user <user>', 'email or id')
    .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
    .action(async (f: { user: string; dataDir?: string }) => withStack(f, async (s) => {
      const user = await s.admin.findUser(f.user);
      for (const k of await s.auth.listKeys(user.id)) {
        out(`${k.id}  ${k.prefix}…  ${k.name.padEnd(16)} ${k.scopes.join(',').padEnd(32)} used ${when(k.lastUsedAt)}  ${k.revokedAt ? `revoked ${when(k.revokedAt)}` : k.expiresAt ? `expires ${when(k.expiresAt)}` : 'active'}`);
      }
    }));
  keys.command('revoke')
    .description('revoke a key; the next request with it gets a 401')
    .argument('<id>', 'key id (key_…)')
    .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
    .action(async (id: string, f: { dataDir?: string }) => withStack(f, async (s) => {
      const k = await s.auth.revokeKey(OPERATOR, id, { asAdmin: true }, CTX);
      out(`${k.id} revoked`);
    }));

  program.command('invite')
    .description('create an invite code (registration by invite)')
    .option('--plan <plan>', 'plan of the people who use it', 'free')
    .option('--uses <n>', 'how many people may use it', '1')
    .option('--days <n>', 'valid for this many days', '14')
    .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
    .action(async (f: { plan: string; uses: string; days: string; dataDir?: string }) => withStack(f, async (s) => {
      const i = await s.admin.createInvite(OPERATOR, { plan: f.plan, max_uses: Number(f.uses), expires_in_days: Number(f.days) }, CTX);
      out(i.code);
      const base = linkBase(s.config);
      const path = `/register?invite=${encodeURIComponent(i.code)}`;
      process.stderr.write(`plan ${i.planId}, ${i.maxUses} use(s), until ${when(i.expiresAt)}; people open ${base.url ?? ''}${path}\n`);
      if (base.guessed) process.stderr.write('That address only works on this machine: set MELIES_PUBLIC_URL to the one people open (e.g. https://melies.example.org).\n');
    }));

  program.command('pause')
    .description('stop new generation on one engine, or on all of them, with a message users see')
    .argument('[engine]', "engine id, or '*' for all", '*')
    .option('--message <text>', 'what users are told', 'Generation is paused by the operator.')
    .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
    .action(async (engine: string, f: { message: string; dataDir?: string }) => withStack(f, async (s) => {
      const engines = [...new Set(s.videos.models().map((m) => m.engine))];
      const p = await s.admin.pause(OPERATOR, { engine, message: f.message }, engines, CTX);
      out(`paused ${p.engine === '*' ? 'all generation' : p.engine}: ${p.message}`);
    }));
  program.command('resume')
    .argument('[engine]', "engine id, or '*' for all", '*')
    .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
    .action(async (engine: string, f: { dataDir?: string }) => withStack(f, async (s) => {
      out((await s.admin.resume(OPERATOR, engine, CTX)) ? `resumed ${engine === '*' ? 'all generation' : engine}` : `${engine} was not paused`);
    }));

  program.command('audit')
    .description('export the audit log as JSON lines, oldest first')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
    .action(async (f: { output?: string; dataDir?: string }) => withStack(f, async (s) => {
      const sink = f.output ? createWriteStream(f.output) : process.stdout;
      let n = 0;
      for await (const e of s.admin.audit().all()) { sink.write(`${JSON.stringify(wireAudit(e))}\n`); n++; }
      if (f.output) await new Promise<void>((r) => (sink as ReturnType<typeof createWriteStream>).end(r));
      process.stderr.write(`${n} events\n`);
    }));
}
