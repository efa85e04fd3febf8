// ComfyUI settings (issue 6): the servers (one per GPU) and the workflow templates offered as
// `comfyui/<template>` models. Part of the one Config schema (config.ts); nothing else parses it.
import { z } from 'zod';
import { num, toBool, toList } from './parse.js';

/**
 * Without trailing slashes, so the URL is the server's one identity: the engine joins paths to it
 * and finds a stored job's server by it.
 */
const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+/i, 'must be an http:// or https:// URL').transform((url) => url.replace(/\/+$/, ''));

/**
 * One ComfyUI server; a plain URL string is `{ url }` (concurrency 1, no label). A preprocess rather
 * than a union, so a mistyped key in the object form is reported by name, not as "invalid input".
 */
export const ComfyuiServerSchema = z.preprocess((v) => (typeof v === 'string' ? { url: v } : v), z.strictObject({
  url: httpUrl,
  /** Shown in the engines panel and in error messages, e.g. the GPU's name. */
  label: z.string().min(1).max(60).nullable().default(null),
  /**
   * Prompts Méliès keeps on this server at once. 1 (the default) keeps the queue in Méliès, where
   * it is durable, fair and cancellable; raise it only for a server with several GPUs behind it.
   */
  concurrency: num(z.number().int().min(1).max(16)).default(1),
  /** Limits this server to these template ids (e.g. a small GPU that only fits LTX-Video). */
  templates: z.array(z.string().min(1)).nullable().default(null),
}));

export const ComfyuiConfigSchema = z.strictObject({
  /** ComfyUI base URLs (COMFYUI_URLS=url1,url2); none means the engine is off. */
  servers: z.preprocess(toList, z.array(ComfyuiServerSchema)).default([]),
  /** The templates shipped with Méliès (Wan 2.2 TI2V 5B, LTX-Video). */
  bundledTemplates: z.preprocess(toBool, z.boolean()).default(true),
  /** A folder of your own templates: `<id>.workflow.json` (API format) + `<id>.mapping.json` each. */
  templatesDir: z.string().min(1).nullable().default(null),
  /** Templates anywhere on disk, as pairs of files. */
  templates: z.array(z.strictObject({ workflow: z.string().min(1), mapping: z.string().min(1) })).default([]),
  /** Health checks (GET /system_stats) of every server. */
  healthIntervalMs: num(z.number().int().min(50).max(600_000)).default(10_000),
  /** Per HTTP request to a server (uploads, submits, history); downloads get `downloadTimeoutMs`. */
  requestTimeoutMs: num(z.number().int().min(100).max(600_000)).default(15_000),
  downloadTimeoutMs: num(z.number().int().min(1000).max(3_600_000)).default(600_000),
  /** How often a running prompt is checked over HTTP when its WebSocket says nothing. */
  historyPollMs: num(z.number().int().min(20).max(60_000)).default(2000),
  /** A server unreachable this long while running a job: the job moves to another server. */
  rescheduleAfterMs: num(z.number().int().min(0).max(3_600_000)).default(30_000),
  /** No server able to run a job for this long: the job fails with `engine_unavailable`. */
  unavailableAfterMs: num(z.number().int().min(0).max(86_400_000)).default(300_000),
  /** Object info is fetched again this often, so models installed meanwhile show up. */
  revalidateMs: num(z.number().int().min(1000).max(86_400_000)).default(300_000),
}).prefault({});

export type ComfyuiConfig = z.infer<typeof ComfyuiConfigSchema>;
export type ComfyuiServerConfig = z.infer<typeof ComfyuiServerSchema>;
