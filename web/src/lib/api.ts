// The studio's HTTP client: /v1 (OpenAI-compatible) and /api (studio routes). Errors arrive in
// OpenAI's envelope; ApiFailure carries the server's message so the UI can show it as written.
import type { ModelCard, Page, Video, VideoDetail } from './types';

export class ApiFailure extends Error {
  constructor(message: string, readonly status: number, readonly param: string | null = null, readonly code: string | null = null) {
    super(message);
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch {
    throw new ApiFailure('The Méliès server cannot be reached. Is it still running?', 0);
  }
  const text = await res.text();
  let body: unknown = null;
  try { body = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
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

export const api = {
  session: () => call<{ mode: string; login_required: boolean; user: unknown }>('/api/session'),
  models: async () => (await call<{ data: ModelCard[] }>('/v1/models')).data,

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
