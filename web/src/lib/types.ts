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
  /** Continues a finished video (POST /v1/videos/extensions), within `extend_limits`. */
  extend?: boolean;
  extend_limits?: { max_extensions: number; max_total_seconds: number } | null;
  /** Extends only videos its own provider made, through the provider's extend call (Luma). */
  extend_native?: boolean;
  /** Re-makes a finished video with a described change (POST /v1/videos/edits). */
  edit?: boolean;
  /** Makes videos with characters (`characters: [{id}]`, at most 2). */
  characters?: boolean;
  audio: boolean;
  negative_prompt?: boolean;
  /** Takes `last_frame`, an image the video ends on (issue 15 §5); the studio then shows a second drop zone. */
  last_frame?: boolean;
  price_per_second_usd: number | null;
  available: boolean;
}

/** A character as /api/characters shows it (issue 15 §3). */
export type CharacterSharing = 'only_me' | 'approved' | 'everyone';
export interface Character {
  id: string;
  name: string;
  created_at: number;
  status: 'ready' | 'pending_consent' | 'revoked';
  mine: boolean;
  sharing: CharacterSharing;
  made_from: 'video' | 'image';
  look_url: string;
  consent: { kind: 'self' | 'consent'; confirmed_at: number } | null;
  revoked_at: number | null;
  grants?: { user_id: string; handle: string | null; granted_at: number }[];
  videos?: { id: string; mine: boolean; status: string; created_at: number }[];
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
  /** How it was made (older servers leave it out). */
  kind?: 'generation' | 'remix' | 'extension' | 'edit';
  /** The uploaded MP4 an extension or edit was made from, if any. */
  source_file?: { file_id: string | null; filename: string; sha256: string; duration_seconds: number; size: string; fps: number } | null;
  /** `detail` reaches operators only: the provider's or tool's own words, secrets redacted. */
  error: { code: string; message: string; detail?: string | null } | null;
  queue_position?: number | null;
  /** Studio only: its place in the owner's own queue (0 = their next), from GET /api/queue; kept while paused. */
  queue_place?: number | null;
  favorite?: boolean;
  negative_prompt?: string | null;
  has_input_reference?: boolean;
  has_last_frame?: boolean;
  plan?: unknown;
}

export interface VideoDetail extends Video {
  lineage: { parent_id: string | null; parent: Video | null; children: Video[] };
}

/** One person's waiting videos (GET /api/queue), in the order they will start. */
export interface QueueView {
  object: 'queue';
  owner_id: string;
  /** Their waiting videos are not started until resumed; running ones continue. */
  paused: boolean;
  data: { video: Video; position: number | null; priority: number }[];
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
  /** Visible watermark text burnt into this plan's videos; null for none. Absent on servers without it. */
  watermark?: string | null;
}
export interface Usage {
  plan: Plan | null;
  day: { used_seconds: number; limit_seconds: number | null; resets_at: number };
  month: { used_seconds: number; limit_seconds: number | null; resets_at: number };
  concurrent: { active: number; limit: number | null };
  usd_month: { used: number; limit: number | null };
  /** Uploaded files (/v1/files) against the plan's cap; absent on servers without files. */
  files?: { used_bytes: number; limit_bytes: number | null };
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

// Sharing (issue 14): publishing, the public feed, profiles, moderation, notifications.
export type PublishPolicy = 'open' | 'review' | 'off';
export type RemixLicence = 'allow' | 'allow-with-credit' | 'deny';
export type TrainingLicence = 'allowed' | 'not-allowed';
export type PublicationStatus = 'published' | 'pending_review' | 'rejected' | 'taken_down';

export interface Sharing { publish_policy: PublishPolicy; public_feed: boolean; signed_in: boolean }
/** A person as the public side shows them: never an email. */
export interface Author { handle: string; display_name: string | null }
/** One parent a video was remixed from; video_id is null (and deleted true) when the parent is gone. */
export interface Credit { video_id: string | null; title: string; author: Author; deleted: boolean }

export interface Publication {
  video_id: string; title: string; description: string | null; remix: RemixLicence; training: TrainingLicence;
  status: PublicationStatus; reason: string | null; published_at: number | null; author: Author; credit: Credit[]; remix_count: number;
}

export interface PublicVideo {
  id: string; title: string; description: string | null; prompt: string; model: string; engine: string;
  /** The engine in honest words: "procedural sketch on a CPU", "Wan 2.2 on your GPU", "Runway Gen-4.5". */
  made_with: string;
  /** null while it waits for review (the moderators' queue shows such videos). */
  seconds: number | string; size: string; published_at: number | null; author: Author; remix: RemixLicence; training: TrainingLicence;
  remix_count: number; credit: Credit[]; signed: boolean; content_url: string; thumbnail_url: string;
}
export interface PublicVideoDetail extends PublicVideo { remixes: PublicVideo[] }
export interface FeedPage { data: PublicVideo[]; next_cursor: string | null }
export type FeedSort = 'newest' | 'remixed';
export interface PublicProfile { handle: string; display_name: string | null; published_count: number; remixed_count: number }
export interface Profile { handle: string | null; display_name: string | null }

export type NotificationKind = 'video.remixed' | 'publication.approved' | 'publication.rejected' | 'publication.taken_down';
export interface Notification { id: string; kind: NotificationKind; message: string; created_at: number; read: boolean; video_id: string | null; actor: Author | null }
export interface Notifications { data: Notification[]; unread: number }

export interface ReviewItem extends Publication { video: PublicVideo }
export interface Report { id: string; video_id: string; reason: string; status: string; created_at: number; reporter: Author; video: PublicVideo | null }

export type VerifyState = 'trusted' | 'valid' | 'invalid' | 'no_manifest';
/** A name as a manifest records it: the handle can be missing (signed before the author had one). */
export interface ManifestAuthor { handle: string | null; display_name: string | null }
export interface VerifyResult {
  state: VerifyState; valid: boolean; reason: string; signer: string | null; engine: string | null; model: string | null;
  author: ManifestAuthor | null; created_at: number | string | null; ingredients: { title: string; video_id: string | null; author: ManifestAuthor | null }[];
  made_here: boolean; video_id: string | null; altered: boolean;
  /** The IPTC digital source type the manifest declares, e.g. trainedAlgorithmicMedia. */
  digital_source_type?: string | null;
  training?: TrainingLicence | null;
}

// Webhooks: endpoints a user registers, and what was delivered to them.
export type WebhookEvent = 'video.completed' | 'video.failed' | 'video.published' | 'video.remixed';
export interface WebhookEndpoint { id: string; url: string; events: string[]; description: string | null; status: 'active' | 'disabled'; disabled_reason: string | null; created_at: number }
export interface WebhookDelivery {
  id: string; event_type: string; event_id: string; status: 'pending' | 'delivered' | 'failed'; attempts: number;
  last_status_code: number | null; last_latency_ms: number | null; last_error: string | null; created_at: number; next_attempt_at: number | null; delivered_at: number | null;
}
