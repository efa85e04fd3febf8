// Runs the test S3 server as its own OS process (for the cluster test, and by hand):
//   npx tsx test/helpers/s3-server.process.ts [--bucket NAME] [--port N]
// Prints `s3 bucket NAME` then `s3 listening on http://127.0.0.1:PORT` once it accepts requests;
// credentials are s3rver's fixed S3RVER / S3RVER. SIGTERM or SIGINT stops it and removes its folder.
import { parseArgs } from 'node:util';
import { startS3Server } from './s3-server.js';

const { values } = parseArgs({ options: { bucket: { type: 'string' }, port: { type: 'string' } } });
const server = await startS3Server({ bucket: values.bucket, port: values.port ? Number(values.port) : undefined });
process.stdout.write(`s3 bucket ${server.bucket}\ns3 listening on ${server.endpoint}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.stop().then(() => process.exit(0), (err: unknown) => {
    process.stderr.write(`s3 server stop failed: ${String(err)}\n`);
    process.exit(1);
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
