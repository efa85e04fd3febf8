// Schema migrations, kept in code so the build ships them. Each one must run unchanged on SQLite
// and PostgreSQL: portable types only (text, integer, bigint), no dialect-specific SQL.
import type { Kysely, Migration } from 'kysely';
import { foldForSearch } from './search-fold.js';

export const migrations: Record<string, Migration> = {
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

// Accounts, keys, plans and quotas, invites, operator pauses, audit (issue 5). Money is stored in
// micro-dollars (bigint) so SQLite and PostgreSQL add it up exactly.
migrations['0004_accounts'] = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('plans')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('seconds_per_day', 'integer')
      .addColumn('seconds_per_month', 'integer')
      .addColumn('max_concurrent', 'integer')
      .addColumn('max_seconds', 'integer')
      .addColumn('max_pixels', 'bigint')
      .addColumn('allowed_models', 'text')
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('usd_budget_month_micros', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    const now = Date.now();
    await db.insertInto('plans').values([
      { id: 'free', label: 'Free', seconds_per_day: 60, seconds_per_month: 600, max_concurrent: 1, max_seconds: 10, max_pixels: 1280 * 720, allowed_models: null, priority: 0, usd_budget_month_micros: 0, updated_at: now },
      { id: 'pro', label: 'Pro', seconds_per_day: 900, seconds_per_month: 9000, max_concurrent: 3, max_seconds: 60, max_pixels: 1920 * 1080, allowed_models: null, priority: 10, usd_budget_month_micros: 50_000_000, updated_at: now },
    ]).execute();

    await db.schema.createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('plan_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey()) // sha256 of the cookie value
      .addColumn('public_id', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('user_agent', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

    await db.schema.createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('api_keys_user_idx').on('api_keys').column('user_id').execute();

    await db.schema.createTable('invites')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('plan_id', 'text', (c) => c.notNull())
      .addColumn('max_uses', 'integer', (c) => c.notNull())
      .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('expires_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.createTable('usage_debits')
      .addColumn('video_id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('seconds', 'integer', (c) => c.notNull())
      .addColumn('usd_micros', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('refunded_at', 'bigint')
      .execute();
    await db.schema.createIndex('usage_debits_user_idx').on('usage_debits').columns(['user_id', 'created_at']).execute();

    await db.schema.createTable('audit_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor_user_id', 'text')
      .addColumn('actor_key_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text')
      .addColumn('target_id', 'text')
      .addColumn('details', 'text')
      .addColumn('ip', 'text')
      .execute();

    await db.schema.createTable('generation_pauses')
      .addColumn('engine', 'text', (c) => c.primaryKey()) // '*' pauses every engine
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.createTable('setup_tokens')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();

    // Videos made before accounts belong to the local user; the first admin adopts them.
    await db.schema.alterTable('videos').addColumn('owner_id', 'text', (c) => c.notNull().defaultTo('usr_local')).execute();
    await db.schema.createIndex('videos_owner_created_idx').on('videos').columns(['owner_id', 'created_at', 'id']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('videos_owner_created_idx').execute();
    await db.schema.alterTable('videos').dropColumn('owner_id').execute();
    for (const t of ['setup_tokens', 'generation_pauses', 'audit_events', 'usage_debits', 'invites', 'api_keys', 'sessions', 'users', 'plans']) {
      await db.schema.dropTable(t).execute();
    }
  },
};

// Fair sharing (issue 6): each job remembers its group (the owner), and workers claim round-robin
// across groups within a priority, so one user's hundred jobs do not starve another's one.
migrations['0005_queue_fair_groups'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('queue_jobs').addColumn('group_key', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.createIndex('queue_jobs_group_idx').on('queue_jobs').columns(['state', 'priority', 'group_key']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('queue_jobs_group_idx').execute();
    await db.schema.alterTable('queue_jobs').dropColumn('group_key').execute();
  },
};

// Cloud engines (issue 7): which model made a video (a fallback may have) and what it cost, and
// the spend ledger behind per-provider daily caps. Money in micro-dollars, as in 0004.
migrations['0006_cloud_engines'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('videos').addColumn('made_by_model', 'text').execute();
    await db.schema.alterTable('videos').addColumn('cost_usd_micros', 'bigint').execute();
    await db.schema.createTable('spend_ledger')
      .addColumn('video_id', 'text', (c) => c.primaryKey())
      .addColumn('engine', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('usd_micros', 'bigint', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('spend_ledger_engine_day_idx').on('spend_ledger').columns(['engine', 'day']).execute();
    await db.schema.createTable('spend_days')
      .addColumn('engine', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('usd_micros', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('spend_days_pk', ['engine', 'day'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('spend_days').execute();
    await db.schema.dropTable('spend_ledger').execute();
    await db.schema.alterTable('videos').dropColumn('cost_usd_micros').execute();
    await db.schema.alterTable('videos').dropColumn('made_by_model').execute();
  },
};

// Hardening (issue 12): a failed video keeps two texts, the neutral one its owner reads
// (error_message) and the redacted detail only operators see (error_detail: a provider's own words,
// an ffmpeg message, a path). A deleted video becomes a tombstone (deleted_at) until its files are
// gone, so a store that refuses to delete never leaves files without a row to find them by.
migrations['0007_error_detail_tombstones'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('videos').addColumn('error_detail', 'text').execute();
    await db.schema.alterTable('videos').addColumn('deleted_at', 'bigint').execute();
    await db.schema.createIndex('videos_deleted_idx').on('videos').column('deleted_at').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('videos_deleted_idx').execute();
    await db.schema.alterTable('videos').dropColumn('deleted_at').execute();
    await db.schema.alterTable('videos').dropColumn('error_detail').execute();
  },
};

// Accent- and case-insensitive library search (issue 12): a folded copy of each prompt, written by
// the application (db/search-fold.ts), because SQLite and PostgreSQL share no accent folding
// (unaccent is an extension a non-superuser may not create). Existing rows are filled here.
migrations['0008_prompt_search'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('videos').addColumn('prompt_search', 'text', (c) => c.notNull().defaultTo('')).execute();
    let after = '';
    for (;;) {
      const rows: { id: string; prompt: string }[] = await db.selectFrom('videos').select(['id', 'prompt']).where('id', '>', after).orderBy('id').limit(500).execute();
      for (const r of rows) await db.updateTable('videos').set({ prompt_search: foldForSearch(r.prompt) }).where('id', '=', r.id).execute();
      if (rows.length < 500) break;
      after = rows[rows.length - 1]!.id;
    }
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('videos').dropColumn('prompt_search').execute();
  },
};

// Distributed mode (issue 13): per-engine lanes, so a worker started for some engines claims only
// their jobs (the lane leads the claim index); `dispatched_at` is when the BullMQ queue handed an
// admission row to Redis (queue/bullmq), and `queue_turns` keeps that dispatcher's round-robin
// across owners in the database, shared by every dispatching process. The embedded queue keeps
// its rotation in memory and never writes either.
migrations['0009_queue_lanes'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('queue_jobs').addColumn('lane', 'text', (c) => c.notNull().defaultTo('default')).execute();
    await db.schema.alterTable('queue_jobs').addColumn('dispatched_at', 'bigint').execute();
    await db.schema.createIndex('queue_jobs_lane_claim_idx').on('queue_jobs').columns(['lane', 'state', 'priority', 'group_key', 'run_at']).execute();
    await db.schema.createTable('queue_turns')
      .addColumn('lane', 'text', (c) => c.notNull())
      .addColumn('priority', 'integer', (c) => c.notNull())
      .addColumn('group_key', 'text', (c) => c.notNull())
      .addColumn('served_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('queue_turns_pk', ['lane', 'priority', 'group_key'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('queue_turns').execute();
    await db.schema.dropIndex('queue_jobs_lane_claim_idx').execute();
    await db.schema.alterTable('queue_jobs').dropColumn('dispatched_at').execute();
    await db.schema.alterTable('queue_jobs').dropColumn('lane').execute();
  },
};

// What the processes of one deployment must agree on (issue 13): where files live. A worker writing
// to its local disk while the servers read S3 would make videos nobody can play; the first process
// records the answer, later ones with a different one refuse to start (app/deployment.ts).
migrations['0010_deployment_facts'] = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('deployment_facts')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('deployment_facts').execute();
  },
};

// One run at a time may stand between sending a provider its create and recording the provider's
// job id (issue 13): a worker whose lease lapsed (Redis restarting, a stalled event loop) may still
// be sending while another worker takes the job over. The claim makes the second one wait until the
// first has recorded the id (then it polls) or the claim expires (then nobody is sending).
migrations['0011_submit_claim'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('videos').addColumn('submit_claim', 'text').execute();
    await db.schema.alterTable('videos').addColumn('submit_claimed_until', 'bigint').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('videos').dropColumn('submit_claimed_until').execute();
    await db.schema.alterTable('videos').dropColumn('submit_claim').execute();
  },
};

// Sharing on the artists' terms (issue 14). Public names live in `profiles`, apart from accounts
// (the local single user has a profile and no account). A publication is one row per published
// video; `video_credits` copies the parent's title and author when a remix is made, so a deleted
// parent still gets its credit. Feed order (newest, most remixed) is served by the indexes below.
migrations['0012_publishing'] = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('profiles')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('handle', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createTable('publications')
      .addColumn('video_id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('remix', 'text', (c) => c.notNull())
      .addColumn('training', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('published_at', 'bigint')
      .addColumn('remix_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('publications_newest_idx').on('publications').columns(['status', 'published_at', 'video_id']).execute();
    await db.schema.createIndex('publications_remixed_idx').on('publications').columns(['status', 'remix_count', 'published_at', 'video_id']).execute();
    await db.schema.createIndex('publications_owner_idx').on('publications').columns(['owner_id', 'status', 'published_at']).execute();
    await db.schema.createTable('video_credits')
      .addColumn('video_id', 'text', (c) => c.notNull())
      .addColumn('parent_video_id', 'text', (c) => c.notNull())
      .addColumn('parent_owner_id', 'text', (c) => c.notNull())
      .addColumn('parent_title', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('video_credits_pk', ['video_id', 'parent_video_id'])
      .execute();
    await db.schema.createIndex('video_credits_parent_idx').on('video_credits').columns(['parent_video_id']).execute();
    await db.schema.createIndex('video_credits_parent_owner_idx').on('video_credits').columns(['parent_owner_id']).execute();
    await db.schema.createTable('reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('video_id', 'text', (c) => c.notNull())
      .addColumn('reporter_id', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('resolved_by', 'text')
      .addColumn('resolved_at', 'bigint')
      .execute();
    await db.schema.createIndex('reports_status_idx').on('reports').columns(['status', 'created_at']).execute();
    await db.schema.createTable('notifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('video_id', 'text')
      .addColumn('actor_id', 'text')
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('read_at', 'bigint')
      .execute();
    await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at']).execute();
    await db.schema.createTable('settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    for (const t of ['settings', 'notifications', 'reports', 'video_credits', 'publications', 'profiles']) await db.schema.dropTable(t).execute();
  },
};

// Signed provenance (issue 14 §4): what each stored MP4 is signed with (the training licence, so a
// publish with another licence knows to re-sign), an index to answer "was this file made here?" by
// its sha256, and the operator's optional visible watermark per plan.
migrations['0013_provenance'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('videos').addColumn('provenance', 'text').execute();
    await db.schema.createIndex('videos_sha256_idx').on('videos').column('video_sha256').execute();
    await db.schema.alterTable('plans').addColumn('watermark', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('plans').dropColumn('watermark').execute();
    await db.schema.dropIndex('videos_sha256_idx').execute();
    await db.schema.alterTable('videos').dropColumn('provenance').execute();
  },
};

// Outgoing webhooks (issue 14 §5): endpoints a user registered, and one delivery row per event and
// endpoint. The delivery row is the job: the delivery loop claims it by pushing next_attempt_at
// past its lease in one guarded UPDATE (jobs/deliver-webhook.job.ts), so a process that dies
// mid-request leaves a row that becomes due again. The secret is a signing key the server must
// hold in clear (HMAC); no provider-secret encryption exists in this codebase to reuse.
migrations['0014_webhooks'] = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('disabled_reason', 'text')
      .addColumn('subscribed_since', 'bigint', (c) => c.notNull())
      .addColumn('last_success_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_endpoints_owner_idx').on('webhook_endpoints').columns(['owner_id', 'created_at']).execute();
    await db.schema.createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('endpoint_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text')
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('claim', 'text')
      .addColumn('last_status_code', 'integer')
      .addColumn('last_latency_ms', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // One event reaches one endpoint once, however many times it is emitted.
    await db.schema.createIndex('webhook_deliveries_event_idx').on('webhook_deliveries').columns(['endpoint_id', 'event_id']).unique().execute();
    await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('webhook_deliveries_log_idx').on('webhook_deliveries').columns(['endpoint_id', 'created_at']).execute();
    await db.schema.createIndex('webhook_deliveries_subject_idx').on('webhook_deliveries').columns(['endpoint_id', 'subject_id']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('webhook_deliveries').execute();
    await db.schema.dropTable('webhook_endpoints').execute();
  },
};

// Files (issue 15 §4, OpenAI's /v1/files): one row per uploaded file, its bytes in the blob store
// under files/. A deleted file is a tombstone (deleted_at) until its blob is gone, as videos are
// (0007). Plans get a cap on the bytes a user keeps there; the seeded plans get one, so an open
// server does not become unlimited free storage the day it upgrades (null = unlimited).
migrations['0015_files'] = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('files')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('bytes', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('width', 'integer')
      .addColumn('height', 'integer')
      .addColumn('blob_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('deleted_at', 'bigint')
      .execute();
    await db.schema.createIndex('files_owner_idx').on('files').columns(['owner_id', 'created_at']).execute();
    await db.schema.createIndex('files_deleted_idx').on('files').columns(['deleted_at']).execute();
    await db.schema.alterTable('plans').addColumn('max_file_bytes', 'bigint').execute();
    await db.updateTable('plans').set({ max_file_bytes: 1024 ** 3 }).where('id', '=', 'free').execute();
    await db.updateTable('plans').set({ max_file_bytes: 10 * 1024 ** 3 }).where('id', '=', 'pro').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('plans').dropColumn('max_file_bytes').execute();
    await db.schema.dropTable('files').execute();
  },
};

// Queue control (issue 15 §7): an owner's paused queue is a row here, keyed by the queue's group
// (the owner's user id), so the pause survives restarts and every process (embedded workers,
// BullMQ dispatchers) sees it in the same query that picks the next job.
migrations['0016_queue_control'] = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('queue_pauses')
      .addColumn('group_key', 'text', (c) => c.primaryKey())
      .addColumn('paused_by', 'text')
      .addColumn('paused_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('queue_pauses').execute();
  },
};

// Batches (issue 15 §6): one row per batch, and one per video of it (a join table rather than a
// column on videos: a batch is an addition to the videos, which never need to know about it). A
// video keeps its batch row after it is deleted, so the batch still says how many it asked for.
migrations['0017_batches'] = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('batches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('requested', 'integer', (c) => c.notNull())
      .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('cancelled_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('batches_owner_idx').on('batches').columns(['owner_id', 'created_at']).execute();
    await db.schema.createTable('batch_videos')
      .addColumn('video_id', 'text', (c) => c.primaryKey())
      .addColumn('batch_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('variation', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('batch_videos_batch_idx').on('batch_videos').columns(['batch_id', 'position']).unique().execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('batch_videos').execute();
    await db.schema.dropTable('batches').execute();
  },
};

// Extensions and edits (issue 15 §1–2): a video made from another one names its source and how it
// was made. `remixed_from_video_id` stays OpenAI's remix field; an extension is not a remix on the
// wire, and its `seconds` is the stitched total, so the chain's limits (6 extensions, 120 s) are
// counted by walking `source_video_id`.
migrations['0018_extensions'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('videos').addColumn('kind', 'text', (c) => c.notNull().defaultTo('generation')).execute();
    await db.schema.alterTable('videos').addColumn('source_video_id', 'text').execute();
    await db.updateTable('videos').set({ kind: 'remix' }).where('remixed_from_video_id', 'is not', null).execute();
    await db.schema.createIndex('videos_source_video_idx').on('videos').column('source_video_id').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('videos_source_video_idx').execute();
    await db.schema.alterTable('videos').dropColumn('source_video_id').execute();
    await db.schema.alterTable('videos').dropColumn('kind').execute();
  },
};

// Characters (issue 15 §3, OpenAI's /v1/videos/characters): one row per character, its look (a
// still) and the clip it came from in the blob store under characters/. Who may use it besides its
// creator is `sharing` plus character_grants; video_characters says which videos used which
// character, so its creator sees every one (rows stay when a video or the character is deleted:
// a job still waiting finds its character gone and fails). A revoked character is never usable again.
migrations['0019_characters'] = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('characters')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sharing', 'text', (c) => c.notNull().defaultTo('only_me'))
      .addColumn('look_key', 'text', (c) => c.notNull())
      .addColumn('look_content_type', 'text', (c) => c.notNull())
      .addColumn('source_video_key', 'text')
      .addColumn('consent_kind', 'text')
      .addColumn('consent_confirmed_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('characters_owner_idx').on('characters').columns(['owner_id', 'created_at']).execute();
    await db.schema.createTable('character_grants')
      .addColumn('character_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('character_grants_pk', ['character_id', 'user_id'])
      .execute();
    await db.schema.createIndex('character_grants_user_idx').on('character_grants').column('user_id').execute();
    await db.schema.createTable('video_characters')
      .addColumn('video_id', 'text', (c) => c.notNull())
      .addColumn('character_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('video_characters_pk', ['video_id', 'character_id'])
      .execute();
    await db.schema.createIndex('video_characters_character_idx').on('video_characters').columns(['character_id', 'created_at']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('video_characters').execute();
    await db.schema.dropTable('character_grants').execute();
    await db.schema.dropTable('characters').execute();
  },
};

// First and last frames (issue 15 §5): the stored `last_frame` image, beside the reference
// (`input_reference_key`), for models whose card takes one. 0019 is the characters work's.
migrations['0020_last_frame'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('videos').addColumn('last_frame_key', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('videos').dropColumn('last_frame_key').execute();
  },
};

// Uploaded clips as the source of an extension or edit (issue 15 §1–2): what ffprobe read of the
// clip and where its copy is, as JSON (domain SourceFile); null for every other video.
migrations['0021_source_file'] = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('videos').addColumn('source_file', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('videos').dropColumn('source_file').execute();
  },
};
