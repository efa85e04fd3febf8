// The shapes the studio reads from the server: /v1/models cards and /api video objects (snake_case,
// as on the wire). Kept here, not imported from the server: the studio talks to it over HTTP only.

export type SecondsSpec = number[] | { min: number; max: number; step: number };

export interface ModelCard {
  id: string;
  owned_by: string;
  label: string;
  description: string;
  kind: 'procedural' | 'local-model' | 'cloud';
  seconds: SecondsSpec;
  default_seconds: number;
  sizes: string[];
  default_size: string;
  size_range: { min_width: number; max_width: number; min_height: number; max_height: number; max_pixels: number; multiple_of: number } | null;
  fps: number[];
  default_fps: number;
  inputs: ('text' | 'image' | 'video')[];
  seed: boolean;
  remix: boolean;
  audio: boolean;
  negative_prompt?: boolean;
  price_per_second_usd: number | null;
  available: boolean;
}

export type VideoStatus = 'queued' | 'in_progress' | 'completed' | 'failed';

export interface Video {
  id: string;
  object: 'video';
  model: string;
  engine?: string;
  /** The model that really made it, when an operator fallback stepped in; else null. */
  made_by_model?: string | null;
  /** What the provider charged by its card's price, in USD; null when nothing was paid. */
  cost_usd?: number | null;
  status: VideoStatus;
  progress: number;
  created_at: number;
  completed_at: number | null;
  started_at?: number | null;
  finished_at?: number | null;
  prompt: string;
  size: string;
  seconds: string;
  fps: number;
  seed: number;
  remixed_from_video_id: string | null;
  /** `detail` reaches operators only: the provider's or tool's own words, secrets redacted. */
  error: { code: string; message: string; detail?: string | null } | null;
  queue_position?: number | null;
  favorite?: boolean;
  negative_prompt?: string | null;
  has_input_reference?: boolean;
  plan?: unknown;
}

export interface VideoDetail extends Video {
  lineage: { parent_id: string | null; parent: Video | null; children: Video[] };
}

export interface Page<T> {
  data: T[];
  last_id: string | null;
  has_more: boolean;
}

export const isTerminal = (s: VideoStatus) => s === 'completed' || s === 'failed';

export interface ApiKey { id: string; name: string; prefix: string; scopes: string[]; created_at: number; expires_at: number | null; last_used_at: number | null; revoked_at: number | null }
export interface SessionInfo { id: string; current: boolean; created_at: number; last_seen_at: number; user_agent: string | null }
export interface Plan {
  id: string; label: string; seconds_per_day: number | null; seconds_per_month: number | null; max_concurrent: number | null; max_seconds: number | null;
  max_pixels: number | null; allowed_models: string[] | null; priority: number; usd_budget_month: number | null;
}
export interface Usage {
  plan: Plan | null;
  day: { used_seconds: number; limit_seconds: number | null; resets_at: number };
  month: { used_seconds: number; limit_seconds: number | null; resets_at: number };
  concurrent: { active: number; limit: number | null };
  usd_month: { used: number; limit: number | null };
}
export interface AdminUser { id: string; email: string; role: 'admin' | 'member'; plan: string; status: 'active' | 'suspended'; created_at: number; usage_today_seconds?: number; active_jobs?: number }
export interface Invite { code: string; plan: string; max_uses: number; uses: number; expires_at: number | null; revoked_at: number | null; created_at: number }
export interface Pause { engine: string; message: string; created_at: number }
export interface AuditEvent {
  id: string; at: number;
  /** email: the actor's, when the server knows it. */
  actor: { user_id: string; key_id: string | null; email: string | null } | null;
  action: string;
  /** email: only for user targets, when known. */
  target: { type: string; id: string; email?: string | null } | null;
  details: Record<string, unknown> | null; ip: string | null;
}
