// Table shapes as Kysely sees them. Timestamps are milliseconds since the epoch (BIGINT), which
// both SQLite and PostgreSQL store exactly; the API converts to Unix seconds on the wire.

export interface VideosTable {
  id: string;
  model: string;
  engine: string;
  status: string;
  progress: number;
  prompt: string;
  seconds: number;
  width: number;
  height: number;
  fps: number;
  seed: number;
  input_reference_key: string | null;
  remixed_from_video_id: string | null;
  error_code: string | null;
  error_message: string | null;
  provider_job_id: string | null;
  /** JSON text. */
  plan: string | null;
  /** 0 or 1 (portable boolean). */
  favorite: number;
  negative_prompt: string | null;
  video_key: string | null;
  thumbnail_key: string | null;
  spritesheet_key: string | null;
  video_bytes: number | null;
  video_sha256: string | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  expires_at: number | null;
  updated_at: number;
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
}

export interface DB {
  videos: VideosTable;
  queue_jobs: QueueJobsTable;
}
