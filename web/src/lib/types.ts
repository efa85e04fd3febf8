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
  error: { code: string; message: string } | null;
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
