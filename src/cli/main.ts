// The `melies` command: serve, generate, batch, models, plan, migrate, and the operator's users, keys,
// invite, pause/resume, audit; publish/unpublish. Flags mirror the configuration names.
import { Command, InvalidArgumentError } from 'commander';
import { closeOnSignals, startServer } from '../app/server.js';
import { createEngines } from '../app/engines.js';
import { createStack, migrateDeployment } from '../app/stack.js';
import { startWorker } from '../app/worker.js';
import { configFromFlags as configFrom, type ConfigFlags } from '../app/config.js';
import { wireModel } from '../services/video.wire.js';
import { RemoteClient } from './remote.js';
import { registerAccountCommands } from './accounts.command.js';
import { registerSharingCommands } from './sharing.command.js';
import { errorMessage, generate, type GenerateOptions } from './generate.command.js';
import { registerVerifyCommand } from './verify.command.js';
import { registerBatchCommand } from './batch.command.js';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InvalidArgumentError('expected a whole number from 0 to 64');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('melies')
    .description('Méliès: an open, self-hostable text-to-video studio and OpenAI-compatible API')
    .showHelpAfterError();

  program.command('serve')
    .description('start the API (and this process\'s job workers)')
    .option('--host <host>', 'address to listen on (MELIES_HOST)')
    .option('--port <port>', 'port to listen on, 0 for any free port (MELIES_PORT)', port)
    .option('--data-dir <dir>', 'where the database and files live (MELIES_DATA_DIR)')
    .option('--workers <n>', 'jobs this process runs at once; 0 serves without running jobs (distributed mode: `melies worker` runs them)', count)
    .action(async (flags: ConfigFlags & { workers?: number }) => {
      const server = await startServer(configFrom(flags), { workers: flags.workers === 0 ? false : flags.workers === undefined ? true : { concurrency: flags.workers } });
      closeOnSignals(server);
      const setup = server.setupUrl ? `\nMulti-user mode, no admin yet. Create the admin account (one time, valid 24 h):\n  ${server.setupUrl}\n` : '';
      // One write, so whoever reads the first line (a supervisor, a test) has the setup link too.
      process.stdout.write(`Méliès listening on ${server.url}\n  data: ${server.stack.config.dataDir}\n  API:  ${server.url}/v1  (OpenAI-compatible; try GET ${server.url}/v1/models)\n${setup}`);
    });

  program.command('generate')
    .description('generate one video from a prompt and save it as an MP4')
    .argument('<prompt...>', 'what the video shows')
    .option('--seconds <n>', 'duration in seconds')
    .option('--size <WxH>', 'frame size, e.g. 1280x720')
    .option('--model <id>', 'model id (see `melies models`)')
    .option('--seed <n>', 'seed for a reproducible result')
    .option('--fps <n>', 'frames per second')
    .option('--image <file>', 'reference image: first frame / backdrop')
    .option('--last-frame <file>', 'image the video ends on, for models whose card takes one (sketch crossfades to it)')
    .option('--extend <video>', 'continue a video (its id, video_…, or an MP4 file) by --seconds; the prompt says what happens next')
    .option('--edit <video>', 're-make a video (its id, or an MP4 file) with the change the prompt describes')
    .option('-o, --output <file>', 'where to save the MP4')
    .option('--server <url>', 'use a running server instead of running in this process')
    .option('--api-key <key>', 'API key for --server', 'local')
    .option('--data-dir <dir>', 'data directory when running in-process (MELIES_DATA_DIR)')
    .action(async (words: string[], flags: GenerateOptions & { dataDir?: string }) => {
      await generate(words.join(' '), flags, configFrom({ dataDir: flags.dataDir }));
    });

  program.command('models')
    .description('list the models this server offers and what each can do')
    .option('--server <url>', 'ask a running server')
    .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
    .action(async (flags: { server?: string; dataDir?: string }) => {
      let models: Array<ReturnType<typeof wireModel>>;
      if (flags.server) {
        models = await new RemoteClient(flags.server).models();
      } else {
        const stack = await createStack(configFrom({ dataDir: flags.dataDir }), { logs: 'quiet' });
        models = stack.videos.models().map(wireModel);
        await stack.close();
      }
      for (const m of models) {
        const secs = Array.isArray(m.seconds) ? m.seconds.join(',') : `${m.seconds.min}-${m.seconds.max}`;
        process.stdout.write(`${m.id.padEnd(28)} ${m.kind.padEnd(12)} seconds ${secs.padEnd(10)} fps ${m.fps.join(',').padEnd(10)} inputs ${m.inputs.join('+')}  sizes ${m.sizes.join(' ')}\n`);
      }
    });

  program.command('plan')
    .description('print, as JSON, the scene plan the built-in engine makes of a prompt (nothing is rendered)')
    .argument('<prompt...>', 'the prompt; several lines or "shot 1: … shot 2: …" make a storyboard')
    .option('--seconds <n>', 'length of the video the plan is for', '4')
    .option('--model <id>', 'model id', 'sketch')
    .action((words: string[], flags: { seconds: string; model: string }) => {
      const seconds = Number(flags.seconds);
      if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError(`--seconds must be a positive number, got '${flags.seconds}'`);
      const engines = createEngines(configFrom({}));
      if (!engines.card(flags.model)) throw new Error(`unknown model '${flags.model}'; see \`melies models\``);
      const plan = engines.plan(flags.model, { prompt: words.join(' '), seconds });
      if (plan === null) throw new Error(`the model '${flags.model}' has no scene plan to show (only the built-in sketch engine plans)`);
      process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    });

  program.command('worker')
    .description('run jobs for the API servers of a distributed deployment (needs DATABASE_URL=postgres://… and REDIS_URL)')
    .option('--engines <ids>', 'only these engines\' jobs, comma-separated (e.g. comfyui, or sketch,runway); default: every engine this box has', (v: string) => v.split(',').map((e) => e.trim()).filter(Boolean))
    .option('--concurrency <n>', 'jobs at once (e.g. the number of GPUs this box drives)', count)
    .option('--port <port>', 'serve /healthz, /readyz and /metrics on this port (0: any free port); none by default', port)
    .option('--host <host>', 'address for that port (default 127.0.0.1; it has no authentication: a private interface at most)')
    .option('--data-dir <dir>', 'scratch space for jobs in progress (MELIES_DATA_DIR)')
    .action(async (flags: ConfigFlags & { engines?: string[]; concurrency?: number }) => {
      const worker = await startWorker(configFrom({ dataDir: flags.dataDir }), { engines: flags.engines ?? [], concurrency: flags.concurrency, port: flags.port, host: flags.host });
      closeOnSignals(worker);
      const engines = flags.engines?.length ? flags.engines.join(', ') : `every engine (${worker.stack.engineIds().join(', ')})`;
      process.stdout.write(`Méliès worker running jobs for ${engines}\n${worker.url ? `  health: ${worker.url}/healthz  metrics: ${worker.url}/metrics\n` : ''}`);
    });

  program.command('migrate')
    .description('bring the database schema up to date and record where files live, then exit (distributed mode: run once before starting servers and workers)')
    .option('--data-dir <dir>', 'data directory (MELIES_DATA_DIR)')
    .action(async (flags: { dataDir?: string }) => {
      await migrateDeployment(configFrom(flags));
      process.stdout.write('database is up to date\n');
    });

  registerAccountCommands(program);
  registerSharingCommands(program);
  registerVerifyCommand(program);
  registerBatchCommand(program);
  await program.parseAsync(argv);
}

main(process.argv).catch((err) => {
  process.stderr.write(`melies: ${errorMessage(err)}\n`);
  process.exit(1);
});
