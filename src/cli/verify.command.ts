// `melies verify <file.mp4>`: reads the file's C2PA manifest against this instance's trust anchors
// and its records (was it made here?). Exit codes: 0 intact and signed by a signer this instance
// trusts; 2 not verified (no manifest, altered, or broken); 3 intact but signed by someone this
// instance does not trust; 1 the check itself could not run (no such file, bad configuration).
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { configFromFlags } from '../app/config.js';
import { createStack } from '../app/stack.js';
import type { VerifyAnswer } from '../services/provenance.service.js';

export function exitCodeFor(answer: Pick<VerifyAnswer, 'state'>): number {
  return answer.state === 'trusted' ? 0 : answer.state === 'valid' ? 3 : 2;
}

function describe(a: VerifyAnswer): string {
  const who = a.author ? (a.author.display_name ?? (a.author.handle ? `@${a.author.handle}` : null)) : null;
  const lines = [
    `${a.valid ? 'VALID' : 'NOT VERIFIED'} (${a.state}): ${a.reason}`,
    a.signer ? `  signer:   ${a.signer}` : null,
    a.engine || a.model ? `  made by:  ${a.model ?? '?'} (engine ${a.engine ?? '?'})` : null,
    who ? `  author:   ${who}` : null,
    a.created_at ? `  created:  ${new Date(a.created_at * 1000).toISOString()}` : null,
    a.training ? `  AI training: ${a.training}` : null,
    ...a.ingredients.map((i) => `  remixes:  ${i.video_id ?? i.title}${i.author?.handle ? ` by @${i.author.handle}` : ''}`),
    `  made here: ${a.made_here ? `yes (${a.video_id})` : 'no'}`,
    `  altered:  ${a.altered ? 'yes' : 'not that the file shows'}`,
    `  sha256:   ${a.sha256}`,
  ];
  return `${lines.filter(Boolean).join('\n')}\n`;
}

export function registerVerifyCommand(program: Command): void {
  program.command('verify')
    .description('check a video\'s signed provenance (C2PA): valid or not, signer, engine, author, lineage, made here, altered')
    .argument('<file>', 'an MP4')
    .option('--json', 'print the result as JSON (the shape POST /api/verify answers)')
    .option('--data-dir <dir>', 'data directory whose keys and videos to check against (MELIES_DATA_DIR)')
    .action(async (file: string, flags: { json?: boolean; dataDir?: string }) => {
      if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`no such file: ${file}`);
      const stack = await createStack(configFromFlags({ dataDir: flags.dataDir }), { logs: 'quiet', role: 'verify' });
      let answer: VerifyAnswer;
      try {
        answer = await stack.provenance.verifyFile(file);
      } finally {
        await stack.close();
      }
      process.stdout.write(flags.json ? `${JSON.stringify(answer, null, 2)}\n` : describe(answer));
      process.exitCode = exitCodeFor(answer);
    });
}
