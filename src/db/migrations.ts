// Schema migrations, kept in code so the build ships them. Each one must run unchanged on SQLite
// and PostgreSQL: portable types only (text, integer, bigint), no dialect-specific SQL.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_videos_and_queue': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('videos')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('engine', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('prompt', 'text', (c) => c.notNull())
        .addColumn('seconds', 'integer', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('fps', 'integer', (c) => c.notNull())
        .addColumn('seed', 'bigint', (c) => c.notNull())
        .addColumn('input_reference_key', 'text')
        .addColumn('remixed_from_video_id', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('provider_job_id', 'text')
        .addColumn('video_key', 'text')
        .addColumn('thumbnail_key', 'text')
        .addColumn('spritesheet_key', 'text')
        .addColumn('video_bytes', 'bigint')
        .addColumn('video_sha256', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('completed_at', 'bigint')
        .addColumn('expires_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('videos_created_idx').on('videos').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('videos_status_idx').on('videos').column('status').execute();

      await db.schema
        .createTable('queue_jobs')
        .addColumn('video_id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('run_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('queue_jobs_claim_idx').on('queue_jobs').columns(['state', 'priority', 'run_at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('queue_jobs').execute();
      await db.schema.dropTable('videos').execute();
    },
  },
};

migrations['0002_video_plan'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('videos').addColumn('plan', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('videos').dropColumn('plan').execute();
  },
};

// The studio's favourites and the negative prompt some model cards accept.
migrations['0003_video_favorite_negative_prompt'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('videos').addColumn('favorite', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('videos').addColumn('negative_prompt', 'text').execute();
    await db.schema.createIndex('videos_remixed_from_idx').on('videos').column('remixed_from_video_id').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('videos_remixed_from_idx').execute();
    await db.schema.alterTable('videos').dropColumn('negative_prompt').execute();
    await db.schema.alterTable('videos').dropColumn('favorite').execute();
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; safe to call on every start and from several processes. */
export async function migrateToLatest(db: Kysely<any>, opts: { schema?: string } = {}): Promise<string[]> {
  // With a non-default PostgreSQL schema the bookkeeping tables must live in it too, or Kysely
  // finds another schema's lock table and skips creating its own.
  const migrator = new Migrator({ db, provider, ...(opts.schema ? { migrationTableSchema: opts.schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
