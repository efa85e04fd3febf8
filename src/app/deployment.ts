// What the processes of one deployment must agree on before they start, checked against the shared
// database: where files live, and (distributed mode) that the schema is the one this code needs.
// One process on its own (embedded mode) is the authority: it migrates and records. In distributed
// mode `melies migrate` migrates and records once; servers and workers only compare, and refuse to
// start with a message that says what to change, instead of racing each other or splitting files.
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import { DeploymentRepo } from '../db/deployment.repo.js';
import type { IdentityFiles, SharedIdentityStore } from '../provenance/instance-keys.js';
import { assertSchemaCurrent, migrateToLatest } from '../db/migrator.js';
import type { DB } from '../db/schema.js';

export class DeploymentMismatchError extends Error {
  constructor(message: string) { super(message); this.name = 'DeploymentMismatchError'; }
}

/** Where this process's configuration puts files, in words an operator recognises. */
export function storageIdentity(config: Config): string {
  const s3 = config.s3;
  return s3.bucket ? `S3 bucket '${s3.bucket}' at ${s3.endpoint}${s3.prefix ? ` under '${s3.prefix}'` : ''}` : 'local disk';
}

export function isDistributed(config: Config): boolean {
  return config.redisUrl !== null;
}

const STORAGE = 'storage';

/**
 * Brings the database to where this process can run. `authority`: migrate and (re)record the facts
 * (embedded mode, `melies migrate`); otherwise check the schema and compare the facts.
 */
export async function prepareDatabase(db: Kysely<DB>, config: Config, opts: { schema?: string; authority: boolean; role: string }): Promise<void> {
  const facts = new DeploymentRepo(db);
  const who = `${opts.role}@${hostname()}`;
  const mine = storageIdentity(config);
  if (opts.authority) {
    await migrateToLatest(db, { schema: opts.schema });
    await facts.set(STORAGE, mine, who);
    return;
  }
  await assertSchemaCurrent(db, { schema: opts.schema });
  const recorded = await facts.recordIfAbsent(STORAGE, mine, who);
  if (recorded.value !== mine) {
    throw new DeploymentMismatchError(
      `this ${opts.role} would store files on ${mine}, but this deployment stores them on ${recorded.value} ` +
      `(recorded by ${recorded.recordedBy}): give every server and worker the same S3_* settings, ` +
      'or, if the files really moved, run `melies migrate` with the new settings to record the change',
    );
  }
}

/**
 * Distributed mode's one instance signing identity (when the operator set no certificate): kept
 * with the other deployment facts, so every server and worker signs with the same key and trusts
 * the same CA. The key is as safe as the database; operators who want it elsewhere set
 * MELIES_SIGNING_CERT and MELIES_SIGNING_KEY on every process instead.
 */
export function sharedSigningIdentity(db: Kysely<DB>, role: string): SharedIdentityStore {
  const facts = new DeploymentRepo(db);
  return {
    async recordIfAbsent(files: IdentityFiles) {
      return JSON.parse((await facts.recordIfAbsent('signing_identity', JSON.stringify(files), role)).value) as IdentityFiles;
    },
  };
}
