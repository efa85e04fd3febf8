// `melies batch prompts.csv`: a prompt list (text, CSV or JSONL) made into videos and saved as one
// zip with manifest.csv, with a progress bar for the batch as a whole. Like `melies generate`, it
// runs the whole stack in this process on the data directory, or uses a running server (--server).
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { configFromFlags, type Config } from '../app/config.js';
import { createStack } from '../app/stack.js';
import { BATCH_FORMATS, type BatchFormat } from '../domain/batch-list.js';
import { parseBatchRequest } from '../domain/batch-request.js';
import { LOCAL_PRINCIPAL } from '../services/accounts/authenticator.js';
import { wireBatch, type WireBatch } from '../services/batch.wire.js';
import { writeAtomically } from './generate.command.js';
import { progressDisplay } from './progress.js';
import { RemoteClient } from './remote.js';

export interface BatchOptions {
  format?: string;
  model?: string;
  seconds?: string;
  size?: string;
  fps?: string;
  variations?: string;
  allowPartial?: boolean;
  output?: string;
  server?: string;
  apiKey?: string;
  dataDir?: string;
}

function describeCounts(b: WireBatch): string {
  const c = b.counts;
  const parts = [`${c.completed} completed`, c.failed ? `${c.failed} failed` : '', c.in_progress ? `${c.in_progress} rendering` : '', c.queued ? `${c.queued} queued` : ''].filter(Boolean);
  return `${parts.join(', ')} of ${b.total}`;
}

export async function runBatch(file: string, opts: BatchOptions, config: Config, out: NodeJS.WriteStream = process.stdout): Promise<WireBatch> {
  if (opts.format !== undefined && !BATCH_FORMATS.includes(opts.format as BatchFormat)) throw new Error(`--format must be one of ${BATCH_FORMATS.join(', ')}`);
  const path = resolve(file);
  const data = await readFile(path);
  const fields: Record<string, unknown> = { format: opts.format, model: opts.model, seconds: opts.seconds, size: opts.size, fps: opts.fps, variations: opts.variations, allow_partial: opts.allowPartial ? 'true' : undefined };
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  const bar = progressDisplay();
  const onUpdate = (b: WireBatch) => bar.update(b.progress, describeCounts(b));
  let final: WireBatch;
  let zipPath: string;
  if (opts.server) {
    const client = new RemoteClient(opts.server, opts.apiKey);
    const created = await client.createBatch(fields, { data, filename: basename(path) });
    out.write(`Batch ${created.id}: ${created.total} videos${created.skipped ? ` (${created.skipped} skipped: the plan's allowance did not cover them)` : ''}\n`);
    final = await client.followBatch(created.id, onUpdate);
    bar.stop();
    zipPath = resolve(opts.output ?? `${basename(path).replace(/\.[^.]*$/, '')}-${final.id.slice(-8)}.zip`);
    await writeAtomically(zipPath, (tmp) => client.downloadBatch(final.id, tmp));
  } else {
    const stack = await createStack(config, { logs: 'quiet' });
    try {
      const req = parseBatchRequest(fields, { data, filename: basename(path), contentType: 'text/plain' });
      const view = await stack.batches.create(LOCAL_PRINCIPAL, req);
      out.write(`Batch ${view.batch.id}: ${view.total} videos\n`);
      await stack.startWorkers();
      final = await new Promise<WireBatch>((done, reject) => {
        stack.batches.watch(LOCAL_PRINCIPAL, view.batch.id, (v) => {
          const w = wireBatch(v);
          onUpdate(w);
          if (v.status !== 'in_progress') done(w);
        }).catch(reject);
      });
      bar.stop();
      zipPath = resolve(opts.output ?? `${basename(path).replace(/\.[^.]*$/, '')}-${final.id.slice(-8)}.zip`);
      const archive = await stack.batches.archive(LOCAL_PRINCIPAL, final.id);
      await writeAtomically(zipPath, (tmp) => pipeline(archive.stream, createWriteStream(tmp)));
    } finally {
      bar.stop();
      await stack.close({ graceMs: 0 });
    }
  }
  out.write(`Saved ${zipPath} (${describeCounts(final)}; ${((await stat(zipPath)).size / 1024 / 1024).toFixed(2)} MB) — ${final.id}\n`);
  // A batch where some videos failed still saves what was made, and says so through the exit code.
  if (final.counts.completed! < final.total) process.exitCode = 2;
  return final;
}

export function registerBatchCommand(program: Command): void {
  program.command('batch')
    .description('make a video of every prompt in a list (one prompt a line, CSV or JSONL) and save them as one zip with manifest.csv')
    .argument('<file>', 'the list: .txt (one prompt a line), .csv (header row: prompt, model, seconds, size, fps, seed, negative_prompt, variations) or .jsonl')
    .option('--format <format>', 'text, csv or jsonl (default: from the file name, else the content)')
    .option('--model <id>', 'default model for rows that name none')
    .option('--seconds <n>', 'default duration')
    .option('--size <WxH>', 'default frame size, e.g. 1280x720')
    .option('--fps <n>', 'default frames per second')
    .option('--variations <n>', 'default videos per row, each with its own seed')
    .option('--allow-partial', "when the plan's allowance does not cover the whole batch, start what fits instead of refusing")
    .option('-o, --output <file>', 'where to save the zip')
    .option('--server <url>', 'use a running server instead of running in this process')
    .option('--api-key <key>', 'API key for --server', 'local')
    .option('--data-dir <dir>', 'data directory when running in-process (MELIES_DATA_DIR)')
    .action(async (file: string, flags: BatchOptions) => {
      await runBatch(file, flags, configFromFlags({ dataDir: flags.dataDir }));
    });
}
