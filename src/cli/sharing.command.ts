// `melies publish` / `melies unpublish` (issue 14): the author's side of publishing from a shell.
// With --server they act through the API as the key's owner (the server's policy and moderation
// apply); without it, in this process on the local data, as the local single user.
import type { Command } from 'commander';
import { configFromFlags } from '../app/config.js';
import { createStack } from '../app/stack.js';
import { LOCAL_PRINCIPAL } from '../services/accounts/authenticator.js';
import { RemoteClient } from './remote.js';

interface SharingFlags { server?: string; apiKey: string; dataDir?: string }
interface PublishFlags extends SharingFlags { title: string; description?: string; remix?: string; training?: string }

const out = (s: string) => process.stdout.write(`${s}\n`);

async function locally<T>(flags: SharingFlags, fn: (stack: Awaited<ReturnType<typeof createStack>>) => Promise<T>): Promise<T> {
  const stack = await createStack(configFromFlags({ dataDir: flags.dataDir }), { logs: 'quiet', authMode: 'local', role: 'publish' });
  try {
    return await fn(stack);
  } finally {
    await stack.close({ graceMs: 0 });
  }
}

function summary(p: { status: string; reason: string | null; remix: string; training: string; title: string }, id: string): string {
  const state = p.status === 'published' ? 'published' : p.status === 'pending_review' ? 'waiting for a moderator' : p.status;
  return `${id} “${p.title}”: ${state}${p.reason ? ` (${p.reason})` : ''}; remix ${p.remix}, AI training ${p.training}`;
}

export function registerSharingCommands(program: Command): void {
  program.command('publish')
    .description('publish a completed video with a title and a licence (the server\'s publish policy applies)')
    .argument('<video_id>', 'the video (video_…)')
    .requiredOption('--title <title>', 'its title')
    .option('--description <text>', 'a description')
    .option('--remix <licence>', 'allow | allow-with-credit (default) | deny')
    .option('--training <licence>', 'AI training: not-allowed (default) | allowed')
    .option('--server <url>', 'publish on a running server, as the owner of --api-key')
    .option('--api-key <key>', 'API key for --server', 'local')
    .option('--data-dir <dir>', 'data directory when running in-process (MELIES_DATA_DIR)')
    .action(async (id: string, f: PublishFlags) => {
      const body = { title: f.title, ...(f.description ? { description: f.description } : {}), ...(f.remix ? { remix: f.remix } : {}), ...(f.training ? { training: f.training } : {}) };
      if (f.server) {
        const p = await new RemoteClient(f.server, f.apiKey).api('POST', `/api/videos/${encodeURIComponent(id)}/publish`, body) as Parameters<typeof summary>[0];
        out(summary(p, id));
        return;
      }
      await locally(f, async (s) => out(summary(await s.sharing.publishing.publish(LOCAL_PRINCIPAL, id, body), id)));
    });

  program.command('unpublish')
    .description('take your published video off the feed and its public page, at once')
    .argument('<video_id>', 'the video (video_…)')
    .option('--server <url>', 'on a running server, as the owner of --api-key')
    .option('--api-key <key>', 'API key for --server', 'local')
    .option('--data-dir <dir>', 'data directory when running in-process (MELIES_DATA_DIR)')
    .action(async (id: string, f: SharingFlags) => {
      if (f.server) await new RemoteClient(f.server, f.apiKey).api('DELETE', `/api/videos/${encodeURIComponent(id)}/publication`);
      else await locally(f, (s) => s.sharing.publishing.unpublish(LOCAL_PRINCIPAL, id));
      out(`${id} is no longer published`);
    });
}
