// Table shapes as Kysely sees them. Timestamps are milliseconds since the epoch (BIGINT), which
// both SQLite and PostgreSQL store exactly; the API converts to Unix seconds on the wire.

export interface VideosTable {
  id: string;
  model: string;
  engine: string;
  status: string;
  progress: number;
  prompt: string;
  /** The prompt folded for search (lower case, no accents; db/search-fold.ts), written with the row (0008). */
  prompt_search: string;
  seconds: number;
  width: number;
  height: number;
  fps: number;
  seed: number;
  input_reference_key: string | null;
  /** The stored `last_frame` image (0020). */
  last_frame_key: string | null;
  remixed_from_video_id: string | null;
  /** 'generation' | 'remix' | 'extension' | 'edit' (0018). */
  kind: string;
  /** The video an extension or edit was made from (0018). */
  source_video_id: string | null;
  /** The uploaded clip an extension or edit was made from, JSON (domain SourceFile; 0021). */
  source_file: string | null;
  error_code: string | null;
  /** What the owner reads: never a secret, a server path or raw tool output. */
  error_message: string | null;
  /** For operators only: the provider's or tool's own words, secrets redacted (0007). */
  error_detail: string | null;
  provider_job_id: string | null;
  /** JSON text. */
  plan: string | null;
  /** 0 or 1 (portable boolean). */
  favorite: number;
  negative_prompt: string | null;
  owner_id: string;
  video_key: string | null;
  thumbnail_key: string | null;
  spritesheet_key: string | null;
  video_bytes: number | null;
  video_sha256: string | null;
  /** The model the provider job went to (the requested one or a fallback); see domain/video.ts. */
  made_by_model: string | null;
  cost_usd_micros: number | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  expires_at: number | null;
  updated_at: number;
  /** Set when the owner deleted it: hidden everywhere, its files are being removed (0007). */
  deleted_at: number | null;
  submit_claim: string | null;
  submit_claimed_until: number | null;
  /** JSON of domain VideoProvenance: what the stored MP4 is signed with (0013). */
  provenance: string | null;
}

/** The embedded queue's table (queue/embedded). BullMQ keeps its own state in Redis instead. */
export interface QueueJobsTable {
  video_id: string;
  state: string;
  priority: number;
  run_at: number;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  /** Who the job belongs to, for fair claiming ('' = no group); see queue/embedded. */
  group_key: string;
  /** The engine whose workers may run it ('default' when none was given); see 0009. */
  lane: string;
  /** queue/bullmq only: when the row was handed to Redis (null while it waits in the database). */
  dispatched_at: number | null;
}

/** queue/bullmq's round-robin across owners: when each group last had a job dispatched. */
export interface QueueTurnsTable {
  lane: string;
  priority: number;
  group_key: string;
  served_at: number;
}

/** Queue control (0016): groups (owners) whose waiting jobs are not started until resumed. */
export interface QueuePausesTable {
  group_key: string;
  /** Who paused it (a user id), for the record; null when a tool did. */
  paused_by: string | null;
  paused_at: number;
}

export interface PlansTable {
  id: string;
  label: string;
  seconds_per_day: number | null;
  seconds_per_month: number | null;
  max_concurrent: number | null;
  max_seconds: number | null;
  max_pixels: number | null;
  /** JSON array of model ids; null = every model. */
  allowed_models: string | null;
  priority: number;
  usd_budget_month_micros: number | null;
  updated_at: number;
  /** Visible text burned into this plan's videos; null = none (0013). */
  watermark: string | null;
  /** Bytes of uploaded files (/v1/files) a user may keep; null = unlimited (0015). */
  max_file_bytes: number | null;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string | null;
  role: string;
  plan_id: string;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id: string;
  public_id: string;
  user_id: string;
  csrf_token: string;
  user_agent: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  hash: string;
  /** JSON array. */
  scopes: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface InvitesTable {
  code: string;
  plan_id: string;
  max_uses: number;
  uses: number;
  expires_at: number | null;
  revoked_at: number | null;
  created_by: string | null;
  created_at: number;
}

export interface UsageDebitsTable {
  video_id: string;
  user_id: string;
  seconds: number;
  usd_micros: number;
  created_at: number;
  refunded_at: number | null;
}

export interface AuditEventsTable {
  id: string;
  at: number;
  actor_user_id: string | null;
  actor_key_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  /** JSON text. */
  details: string | null;
  ip: string | null;
}

export interface GenerationPausesTable {
  engine: string;
  message: string;
  created_by: string | null;
  created_at: number;
}

export interface SetupTokensTable {
  hash: string;
  expires_at: number;
  used_at: number | null;
}

/**
 * One row per video that costs money on a cloud engine: what its card says it costs, on which
 * engine, counted on which UTC day. state: reserved (admitted, not yet sent) → submitted → charged,
 * or released (never sent, or the provider failed it: providers do not bill failed jobs).
 */
export interface SpendLedgerTable {
  video_id: string;
  engine: string;
  model: string;
  day: string;
  usd_micros: number;
  state: string;
  created_at: number;
  updated_at: number;
}

/** Running daily totals per engine (non-released ledger rows), the row a cap check updates atomically. */
export interface SpendDaysTable {
  engine: string;
  day: string;
  usd_micros: number;
}

export interface DeploymentFactsTable {
  name: string;
  value: string;
  recorded_by: string;
  updated_at: number;
}

/** Outgoing webhooks (0014): a user's endpoints (domain/webhook.ts). */
export interface WebhookEndpointsTable {
  id: string;
  owner_id: string;
  url: string;
  /** JSON array of event types. */
  events: string;
  description: string;
  /** `whsec_…`, in clear: the server signs with it (HMAC-SHA256). */
  secret: string;
  /** active | disabled */
  status: string;
  disabled_reason: string | null;
  subscribed_since: number;
  last_success_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One event for one endpoint: pending → delivered, or failed (gave up, or the endpoint was disabled). */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  subject_id: string | null;
  payload: string;
  status: string;
  attempts: number;
  /** When it is due; a claim pushes it past the claim's lease (a dead sender's row comes due again). */
  next_attempt_at: number;
  /** The running attempt's token; its result is written only under it. */
  claim: string | null;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  updated_at: number;
}

export interface DB {
  videos: VideosTable;
  queue_jobs: QueueJobsTable;
  queue_turns: QueueTurnsTable;
  queue_pauses: QueuePausesTable;
  plans: PlansTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  invites: InvitesTable;
  usage_debits: UsageDebitsTable;
  audit_events: AuditEventsTable;
  generation_pauses: GenerationPausesTable;
  setup_tokens: SetupTokensTable;
  spend_ledger: SpendLedgerTable;
  spend_days: SpendDaysTable;
  deployment_facts: DeploymentFactsTable;
  profiles: ProfilesTable;
  publications: PublicationsTable;
  video_credits: VideoCreditsTable;
  reports: ReportsTable;
  notifications: NotificationsTable;
  settings: SettingsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  batches: BatchesTable;
  batch_videos: BatchVideosTable;
  files: FilesTable;
  characters: CharactersTable;
  character_grants: CharacterGrantsTable;
  video_characters: VideoCharactersTable;
}

// Sharing (0012): see domain/sharing.ts.
export interface ProfilesTable {
  user_id: string;
  handle: string;
  display_name: string | null;
  created_at: number;
  updated_at: number;
}

export interface PublicationsTable {
  video_id: string;
  owner_id: string;
  title: string;
  description: string;
  remix: string;
  training: string;
  status: string;
  reason: string | null;
  published_at: number | null;
  remix_count: number;
  created_at: number;
  updated_at: number;
}

export interface VideoCreditsTable {
  video_id: string;
  parent_video_id: string;
  parent_owner_id: string;
  parent_title: string;
  created_at: number;
}

export interface ReportsTable {
  id: string;
  video_id: string;
  reporter_id: string;
  reason: string;
  status: string;
  created_at: number;
  resolved_by: string | null;
  resolved_at: number | null;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  video_id: string | null;
  actor_id: string | null;
  message: string;
  created_at: number;
  read_at: number | null;
}

/** Operator settings changed at run time (the Admin page), over the config's defaults. */
export interface SettingsTable {
  name: string;
  value: string;
  updated_at: number;
}

// Batches (0017): see domain/batch.ts.
export interface BatchesTable {
  id: string;
  owner_id: string;
  name: string | null;
  format: string;
  requested: number;
  skipped: number;
  created_at: number;
  cancelled_at: number | null;
  updated_at: number;
}

export interface BatchVideosTable {
  video_id: string;
  batch_id: string;
  position: number;
  line: number;
  variation: number;
}

/** Uploaded files (0015, /v1/files); see domain/file.ts. */
export interface FilesTable {
  id: string;
  owner_id: string;
  filename: string;
  purpose: string;
  /** image | video */
  kind: string;
  content_type: string;
  bytes: number;
  sha256: string;
  width: number | null;
  height: number | null;
  blob_key: string;
  created_at: number;
  expires_at: number | null;
  /** Set when its owner deleted it: gone for every read, its blob being removed. */
  deleted_at: number | null;
}

/** Characters (0019); see domain/character.ts. */
export interface CharactersTable {
  id: string;
  owner_id: string;
  name: string;
  /** only_me | approved | everyone */
  sharing: string;
  look_key: string;
  look_content_type: string;
  source_video_key: string | null;
  /** self | consent, once the creator confirmed; null until then. */
  consent_kind: string | null;
  consent_confirmed_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

/** Who may use an 'approved' character besides its creator. */
export interface CharacterGrantsTable {
  character_id: string;
  user_id: string;
  created_at: number;
}

/** Which characters a video was made with (at most 2), in the order they were given. */
export interface VideoCharactersTable {
  video_id: string;
  character_id: string;
  position: number;
  created_at: number;
}
