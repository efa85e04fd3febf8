// The studio's HTTP client: /v1 (OpenAI-compatible) and /api (studio routes). Errors arrive in
// OpenAI's envelope; ApiFailure carries the server's message so the UI can show it as written.
import type { Batch, BatchPreview } from './batches';
import type { EnginesOverview } from './engines';
import { humanMessage } from './errors';
import type {
  AdminUser, ApiKey, AuditEvent, Character, CharacterSharing, FeedPage, FeedSort, Invite, ModelCard, Notifications, Page, Pause, Plan, Profile, Publication, PublicProfile,
  PublicVideoDetail, PublishPolicy, QueueView, RemixLicence, Report, ReviewItem, SessionInfo, Sharing, TrainingLicence, Usage, VerifyResult, Video, VideoDetail,
  WebhookDelivery, WebhookEndpoint,
} from './types';

export class ApiFailure extends Error {
  constructor(message: string, readonly status: number, readonly param: string | null = null, readonly code: string | null = null) {
    super(message);
  }
}

/** What to show a person for a failed call: the server's own message, its field names in words. */
export const errorText = (err: unknown): string => humanMessage(err instanceof Error ? err.message : String(err));

// The session's CSRF token (multi-user mode): sent with every request that changes something.
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Fired when the server answers 401: the session ended (signed out elsewhere, suspended, expired). */
export const UNAUTHORIZED_EVENT = 'melies:unauthorized';

export function requestHeaders(method: string, given: HeadersInit | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', ...(given as Record<string, string> | undefined) };
  if (csrfToken && method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = csrfToken;
  return headers;
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: requestHeaders(init.method ?? 'GET', init.headers) });
  } catch {
    throw new ApiFailure('The Méliès server cannot be reached. Is it still running?', 0);
  }
  const text = await res.text();
  let body: unknown = null;
  try { body = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (res.status === 401 && !path.startsWith('/api/auth/') && typeof dispatchEvent === 'function') dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  if (!res.ok) {
    const err = (body as { error?: { message?: string; param?: string | null; code?: string | null } } | null)?.error;
    throw new ApiFailure(err?.message ?? `The server answered ${res.status} ${res.statusText}.`, res.status, err?.param ?? null, err?.code ?? null);
  }
  return body as T;
}

const enc = encodeURIComponent;

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export interface CreateParams {
  model: string;
  prompt: string;
  seconds: number;
  size: string;
  fps: number;
  seed?: number;
  negativePrompt?: string;
  image?: File | null;
  /** Sent as `last_frame`, for models whose card has `last_frame`. */
  lastFrame?: File | null;
  /** Character ids (at most 2), for models whose card has `characters`. */
  characters?: string[];
}

function batchForm(list: File, fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== '') form.append(k, v);
  form.append('file', list, list.name);
  return form;
}

export interface PublishInput { title: string; description?: string; remix: RemixLicence; training: TrainingLicence }

export interface LibraryFilters {
  status?: string;
  model?: string;
  favorite?: boolean;
  q?: string;
}

export interface SessionUser {
  id: string; email: string; role: 'admin' | 'member'; plan: string; status: string;
  /** The public name (`@handle`) and display name; null until chosen or first published. */
  handle?: string | null; display_name?: string | null;
}
export interface Session { mode: 'local' | 'multi'; login_required: boolean; setup_required: boolean; registration: 'open' | 'invite' | 'closed'; user: SessionUser | null; csrf_token: string | null }
export interface SignedIn { user: SessionUser; csrf_token: string }

export const api = {
  session: () => call<Session>('/api/session'),
  login: (email: string, password: string) => call<SignedIn>('/api/auth/login', json('POST', { email, password })),
  register: (email: string, password: string, inviteCode: string) => call<SignedIn>('/api/auth/register', json('POST', { email, password, ...(inviteCode ? { invite_code: inviteCode } : {}) })),
  setup: (token: string, email: string, password: string) => call<SignedIn>('/api/auth/setup', json('POST', { token, email, password })),
  logout: () => call<{ ok: true }>('/api/auth/logout', { method: 'POST' }),
  logoutAll: () => call<{ ok: true; ended: number }>('/api/auth/logout-all', { method: 'POST' }),
  sessions: async () => (await call<{ data: SessionInfo[] }>('/api/auth/sessions')).data,
  keys: async () => (await call<{ data: ApiKey[] }>('/api/keys')).data,
  createKey: (name: string, scopes: string[], expiresInDays: number | null) => call<ApiKey & { key: string }>('/api/keys', json('POST', { name, scopes, ...(expiresInDays ? { expires_in_days: expiresInDays } : {}) })),
  revokeKey: (id: string) => call<ApiKey>(`/api/keys/${encodeURIComponent(id)}/revoke`, { method: 'POST' }),
  usage: () => call<Usage>('/api/usage'),
  admin: {
    users: async () => (await call<{ data: AdminUser[] }>('/api/admin/users')).data,
    suspend: (id: string) => call<AdminUser>(`/api/admin/users/${encodeURIComponent(id)}/suspend`, { method: 'POST' }),
    reactivate: (id: string) => call<AdminUser>(`/api/admin/users/${encodeURIComponent(id)}/reactivate`, { method: 'POST' }),
    updateUser: (id: string, patch: { role?: string; plan?: string }) => call<AdminUser>(`/api/admin/users/${encodeURIComponent(id)}`, json('PUT', patch)),
    plans: async () => (await call<{ data: Plan[] }>('/api/admin/plans')).data,
    savePlan: (id: string, fields: Partial<Plan>) => call<Plan>(`/api/admin/plans/${encodeURIComponent(id)}`, json('PUT', fields)),
    invites: async () => (await call<{ data: Invite[] }>('/api/admin/invites')).data,
    createInvite: (plan: string, maxUses: number, expiresInDays: number | null) => call<Invite>('/api/admin/invites', json('POST', { plan, max_uses: maxUses, ...(expiresInDays ? { expires_in_days: expiresInDays } : {}) })),
    revokeInvite: (code: string) => call<Invite>(`/api/admin/invites/${encodeURIComponent(code)}/revoke`, { method: 'POST' }),
    pauses: async () => (await call<{ data: Pause[] }>('/api/admin/pauses')).data,
    pause: (engine: string, message: string) => call<Pause>('/api/admin/pauses', json('POST', { engine, message })),
    resume: (engine: string) => call<{ ok: true }>(`/api/admin/pauses/${encodeURIComponent(engine)}`, { method: 'DELETE' }),
    audit: (after?: string) => call<Page<AuditEvent>>(`/api/admin/audit?limit=50${after ? `&after=${encodeURIComponent(after)}` : ''}`),
  },
  /** The server's sharing settings; null on a server without publishing (it answers 404). */
  sharing: () => call<Sharing>('/api/sharing').catch((err: unknown) => {
    if (err instanceof ApiFailure && err.status === 404) return null;
    throw err;
  }),
  /** My public name; the server picks a first handle from the email when there is none yet. */
  myProfile: () => call<Profile>('/api/profile'),
  saveProfile: (fields: { handle?: string; display_name?: string }) => call<Profile>('/api/profile', json('PUT', fields)),
  publish: (id: string, p: PublishInput) => call<Publication>(`/api/videos/${enc(id)}/publish`, json('POST', p)),
  /** The video's publication, or null when it was never published (or was unpublished). */
  publication: (id: string) => call<Publication>(`/api/videos/${enc(id)}/publication`).catch((err: unknown) => {
    if (err instanceof ApiFailure && err.status === 404) return null;
    throw err;
  }),
  unpublish: (id: string) => call<null>(`/api/videos/${enc(id)}/publication`, { method: 'DELETE' }),
  feed(sort: FeedSort, after: string | null, opts: { author?: string; limit?: number } = {}): Promise<FeedPage> {
    const q = new URLSearchParams({ sort, limit: String(opts.limit ?? 24) });
    if (after) q.set('after', after);
    if (opts.author) q.set('author', opts.author);
    return call<FeedPage>(`/api/feed?${q}`);
  },
  publicVideo: (id: string) => call<PublicVideoDetail>(`/api/public/videos/${enc(id)}`),
  profile: (handle: string) => call<PublicProfile>(`/api/users/${enc(handle)}`),
  report: (id: string, reason: string) => call<{ id: string; status: 'open' }>(`/api/public/videos/${enc(id)}/report`, json('POST', { reason })),
  notifications: () => call<Notifications>('/api/notifications'),
  markRead: (ids?: string[]) => call<unknown>('/api/notifications/read', json('POST', ids ? { ids } : {})),
  verify(file: File): Promise<VerifyResult> {
    const form = new FormData();
    form.append('file', file, file.name);
    return call<VerifyResult>('/api/verify', { method: 'POST', body: form });
  },
  moderation: {
    sharing: () => call<{ publish_policy: PublishPolicy }>('/api/admin/sharing'),
    setPolicy: (policy: PublishPolicy) => call<{ publish_policy: PublishPolicy }>('/api/admin/sharing', json('PUT', { publish_policy: policy })),
    queue: async () => (await call<{ data: ReviewItem[] }>('/api/admin/publications?status=pending_review')).data,
    approve: (id: string) => call<Publication>(`/api/admin/publications/${enc(id)}/approve`, { method: 'POST' }),
    reject: (id: string, reason: string) => call<Publication>(`/api/admin/publications/${enc(id)}/reject`, json('POST', { reason })),
    reports: async () => (await call<{ data: Report[] }>('/api/admin/reports?status=open')).data,
    dismiss: (id: string) => call<unknown>(`/api/admin/reports/${enc(id)}/dismiss`, { method: 'POST' }),
    takedown: (videoId: string, reason: string) => call<unknown>(`/api/admin/videos/${enc(videoId)}/takedown`, json('POST', { reason })),
  },
  batches: {
    /** The list as a file part (its name tells CSV, JSONL or text), with every row's defaults. */
    preview: (list: File, defaults: Record<string, string>) => call<BatchPreview>('/api/batches/preview', { method: 'POST', body: batchForm(list, defaults) }),
    create: (list: File, defaults: Record<string, string>, allowPartial: boolean) =>
      call<Batch>('/api/batches', { method: 'POST', body: batchForm(list, { ...defaults, ...(allowPartial ? { allow_partial: 'true' } : {}) }) }),
    get: (id: string) => call<Batch>(`/api/batches/${enc(id)}`),
    recent: async (limit = 5) => (await call<{ data: Batch[] }>(`/api/batches?limit=${limit}`)).data,
    cancel: (id: string) => call<Batch>(`/api/batches/${enc(id)}/cancel`, { method: 'POST' }),
    eventsUrl: (id: string) => `/api/batches/${enc(id)}/events`,
    downloadUrl: (id: string) => `/api/batches/${enc(id)}/download`,
  },
  characters: {
    list: async () => (await call<{ data: Character[] }>('/api/characters')).data,
    /** An image or a short clip; `consent` confirms the person shown is the uploader, or that they consented. */
    create: (name: string, file: File, sharing: CharacterSharing, consent: 'self' | 'consent') => {
      const form = new FormData();
      form.append('name', name);
      form.append('sharing', sharing);
      form.append('consent', consent);
      form.append(file.type.startsWith('video/') ? 'video' : 'image', file, file.name);
      return call<{ id: string; name: string; status: Character['status'] }>('/v1/videos/characters', { method: 'POST', body: form });
    },
    get: (id: string) => call<Character>(`/api/characters/${enc(id)}`),
    share: (id: string, sharing: CharacterSharing) => call<Character>(`/api/characters/${enc(id)}`, json('PATCH', { sharing })),
    grant: (id: string, user: string) => call<Character>(`/api/characters/${enc(id)}/grants`, json('POST', { user })),
    revoke: (id: string) => call<Character>(`/api/characters/${enc(id)}/revoke`, { method: 'POST' }),
    remove: (id: string) => call<unknown>(`/api/characters/${enc(id)}`, { method: 'DELETE' }),
  },
  webhooks: {
    list: async () => (await call<{ data: WebhookEndpoint[] }>('/api/webhooks')).data,
    create: (url: string, events: string[], description?: string) => call<WebhookEndpoint & { secret: string }>('/api/webhooks', json('POST', { url, events, ...(description ? { description } : {}) })),
    update: (id: string, patch: { url?: string; events?: string[]; description?: string; enabled?: boolean }) => call<WebhookEndpoint>(`/api/webhooks/${enc(id)}`, json('PATCH', patch)),
    remove: (id: string) => call<null>(`/api/webhooks/${enc(id)}`, { method: 'DELETE' }),
    rotate: (id: string) => call<{ secret: string }>(`/api/webhooks/${enc(id)}/rotate`, { method: 'POST' }),
    test: (id: string) => call<{ delivery_id: string }>(`/api/webhooks/${enc(id)}/test`, { method: 'POST' }),
    deliveries: async (id: string) => (await call<{ data: WebhookDelivery[] }>(`/api/webhooks/${enc(id)}/deliveries`)).data,
  },
  models: async () => (await call<{ data: ModelCard[] }>('/v1/models')).data,
  /** Operators only: each engine's servers, GPUs and queues. */
  engines: () => call<EnginesOverview>('/api/engines'),

  create(p: CreateParams): Promise<Video> {
    const fields: Record<string, string> = { model: p.model, prompt: p.prompt, seconds: String(p.seconds), size: p.size, fps: String(p.fps) };
    if (p.seed !== undefined) fields.seed = String(p.seed);
    if (p.negativePrompt) fields.negative_prompt = p.negativePrompt;
    const characters = p.characters?.length ? p.characters : null;
    if (!p.image && !p.lastFrame) return call<Video>('/v1/videos', json('POST', { ...fields, fps: p.fps, ...(p.seed !== undefined ? { seed: p.seed } : {}), ...(characters ? { characters: characters.map((id) => ({ id })) } : {}) }));
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const id of characters ?? []) form.append('characters[][id]', id);
    if (p.image) form.append('input_reference', p.image, p.image.name);
    if (p.lastFrame) form.append('last_frame', p.lastFrame, p.lastFrame.name);
    return call<Video>('/v1/videos', { method: 'POST', body: form });
  },

  remix: (id: string, prompt: string) => call<Video>(`/v1/videos/${encodeURIComponent(id)}/remix`, json('POST', { prompt })),
  extend: (id: string, prompt: string, seconds: number) => call<Video>('/v1/videos/extensions', json('POST', { video: { id }, prompt, seconds: String(seconds) })),
  edit: (id: string, prompt: string, model?: string) => call<Video>('/v1/videos/edits', json('POST', { video: { id }, prompt, ...(model ? { model } : {}) })),
  /** An extension (with `seconds`) or an edit of an MP4 from the user's disk, sent as the `video` file part. */
  fromClip(clip: File, p: { prompt: string; model: string; seconds?: number }): Promise<Video> {
    const form = new FormData();
    form.append('prompt', p.prompt);
    form.append('model', p.model);
    if (p.seconds !== undefined) form.append('seconds', String(p.seconds));
    form.append('video', clip, clip.name);
    return call<Video>(p.seconds !== undefined ? '/v1/videos/extensions' : '/v1/videos/edits', { method: 'POST', body: form });
  },
  remove: (id: string) => call<{ deleted: boolean }>(`/v1/videos/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  cancel: (id: string) => call<Video>(`/api/videos/${encodeURIComponent(id)}/cancel`, { method: 'POST' }),
  favorite: (id: string, favorite: boolean) => call<Video>(`/api/videos/${encodeURIComponent(id)}/favorite`, json('PUT', { favorite })),
  detail: (id: string) => call<VideoDetail>(`/api/videos/${encodeURIComponent(id)}`),
  /** My queue: waiting videos in order, and whether it is paused (issue 15 §7). */
  queue: () => call<QueueView>('/api/queue'),
  pauseQueue: () => call<QueueView>('/api/queue/pause', { method: 'POST' }),
  resumeQueue: () => call<QueueView>('/api/queue/resume', { method: 'POST' }),
  moveToTop: (id: string) => call<QueueView>(`/api/videos/${encodeURIComponent(id)}/move-to-top`, { method: 'POST' }),
  setPriority: (id: string, priority: number) => call<QueueView>(`/api/videos/${encodeURIComponent(id)}/priority`, json('PUT', { priority })),
  /** One video as /v1 shows it, with its queue position while queued. */
  video: (id: string) => call<Video>(`/v1/videos/${encodeURIComponent(id)}`),

  library(filters: LibraryFilters, after?: string, limit = 48): Promise<Page<Video>> {
    const q = new URLSearchParams({ limit: String(limit) });
    if (filters.status) q.set('status', filters.status);
    if (filters.model) q.set('model', filters.model);
    if (filters.favorite) q.set('favorite', 'true');
    if (filters.q?.trim()) q.set('q', filters.q.trim());
    if (after) q.set('after', after);
    return call<Page<Video>>(`/api/videos?${q}`);
  },
};

export const contentUrl = (id: string, variant: 'video' | 'thumbnail' | 'spritesheet' = 'video') =>
  `/v1/videos/${encodeURIComponent(id)}/content${variant === 'video' ? '' : `?variant=${variant}`}`;
