// The studio's HTTP client: /v1 (OpenAI-compatible) and /api (studio routes). Errors arrive in
// OpenAI's envelope; ApiFailure carries the server's message so the UI can show it as written.
import type { EnginesOverview } from './engines';
import { humanMessage } from './errors';
import type { AdminUser, ApiKey, AuditEvent, Invite, ModelCard, Page, Pause, Plan, SessionInfo, Usage, Video, VideoDetail } from './types';

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
}

export interface LibraryFilters {
  status?: string;
  model?: string;
  favorite?: boolean;
  q?: string;
}

export interface SessionUser { id: string; email: string; role: 'admin' | 'member'; plan: string; status: string }
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
  models: async () => (await call<{ data: ModelCard[] }>('/v1/models')).data,
  /** Operators only: each engine's servers, GPUs and queues. */
  engines: () => call<EnginesOverview>('/api/engines'),

  create(p: CreateParams): Promise<Video> {
    const fields: Record<string, string> = { model: p.model, prompt: p.prompt, seconds: String(p.seconds), size: p.size, fps: String(p.fps) };
    if (p.seed !== undefined) fields.seed = String(p.seed);
    if (p.negativePrompt) fields.negative_prompt = p.negativePrompt;
    if (!p.image) return call<Video>('/v1/videos', json('POST', { ...fields, fps: p.fps, ...(p.seed !== undefined ? { seed: p.seed } : {}) }));
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('input_reference', p.image, p.image.name);
    return call<Video>('/v1/videos', { method: 'POST', body: form });
  },

  remix: (id: string, prompt: string) => call<Video>(`/v1/videos/${encodeURIComponent(id)}/remix`, json('POST', { prompt })),
  remove: (id: string) => call<{ deleted: boolean }>(`/v1/videos/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  cancel: (id: string) => call<Video>(`/api/videos/${encodeURIComponent(id)}/cancel`, { method: 'POST' }),
  favorite: (id: string, favorite: boolean) => call<Video>(`/api/videos/${encodeURIComponent(id)}/favorite`, json('PUT', { favorite })),
  detail: (id: string) => call<VideoDetail>(`/api/videos/${encodeURIComponent(id)}`),
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
