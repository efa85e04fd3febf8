// What VideoService (and the extension and edit use cases beside it) is given: the model catalog,
// storage, queue, quotas and the optional sharing rules. Kept apart so the service file holds only
// the use cases.
import type { Principal } from '../domain/account.js';
import type { ModelCard } from '../domain/model-card.js';
import type { Video } from '../domain/video.js';
import type { VideoRepo } from '../db/video.repo.js';
import type { QuotaRepos } from './accounts/quota.js';
import type { AuditLog } from './accounts/audit-log.js';
import type { EventBus } from '../events/event-bus.js';
import type { RequestShape } from '../engines/request-shape.js';
import type { SpendCaps } from './spend-caps.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { FileService } from './file.service.js';
import type { CharacterService } from './character.service.js';
import type { ClipInspector } from './source-clip.js';

export interface ModelCatalog {
  cards(): ModelCard[];
  card(model: string): ModelCard | null;
  /** What the model's engine makes of a request (stored with the video), or null. */
  plan(model: string, params: { prompt: string; seconds: number }): unknown;
  /** The source's plan carried on by the model's engine for an extension (sketch), or null. */
  continuePlan?(model: string, sourcePlan: unknown, params: { prompt: string; seconds: number; sourceSeconds: number }): unknown;
  /** The source's plan with an edit's change (sketch), or null. */
  editPlan?(model: string, sourcePlan: unknown, params: { prompt: string }): unknown;
  /** Set when the model's provider no longer offers it; new requests are refused, naming alternatives. */
  retirement?(model: string): { message: string; alternatives: string[] } | null;
  /** A combination the card cannot express but the engine refuses (e.g. 1080p only at 8 s). */
  requestProblem?(model: string, shape: RequestShape): { message: string; param: string } | null;
  /** The model, then the operator's fallbacks that can honour this request. */
  routes?(model: string, shape: RequestShape): Array<{ card: ModelCard }>;
}

export interface VideoServiceDeps {
  videos: VideoRepo;
  queue: JobQueue;
  storage: BlobStore;
  models: ModelCatalog;
  events: EventBus;
  /** Fetches an input_reference URL (http(s) or data:); throws an Error whose message completes "image_url …". */
  fetchImage: (url: string) => Promise<{ data: Buffer }>;
  defaultModel: string;
  /** Runs `fn` in one database transaction (quota check + video row + debit). */
  transact: <T>(fn: (tx: QuotaRepos) => Promise<T>) => Promise<T>;
  /** An operator's pause covering this engine, if any. */
  pauseFor: (engine: string) => Promise<{ message: string } | null>;
  audit: AuditLog;
  /** Per-provider daily USD caps; absent means none are enforced. */
  spendCaps?: SpendCaps;
  /** Why the server cannot store another video now (its disk is nearly full), or null. */
  storageProblem?: () => Promise<string | null>;
  /** Warnings about work left for later (files a store refused to delete). */
  log?: (msg: string, extra: Record<string, unknown>) => void;
  /**
   * The server's own caps on a reference image (uploads.maxPixels, uploads.maxBytes): refused at
   * create beyond them, and shown on every card's image limits. Default 4096x4096 and 20 MiB.
   */
  imageLimits?: { maxPixels: number; maxBytes: number };
  /** Uploaded files (/v1/files): input_reference {file_id}. Without it, file ids are refused. */
  files?: Pick<FileService, 'input' | 'bytes'>;
  /**
   * Reads an uploaded clip (media/inspect-clip.ts) when `video` of an extension or edit is a file
   * upload or `{file_id}`; without it, only ids of videos made here are taken.
   */
  inspectClip?: ClipInspector;
  /** Characters (issue 15 §3): `characters: [{id}]` on create. Without it, characters are refused. */
  characters?: Pick<CharacterService, 'forCreate' | 'recordUse' | 'forgetUse' | 'usedBy'>;
  /**
   * Sharing (issue 14): which video a caller may remix (their own, or someone's published one whose
   * licence allows it) and the credit the remix owes; what to unpublish when a video is deleted.
   * Without it, people remix only their own videos.
   */
  sharing?: RemixSharing;
  now?: () => number;
}

export interface RemixSharing {
  remixSource(who: Principal, id: string): Promise<{ video: Video; credit: { parentVideoId: string; parentOwnerId: string; parentTitle: string } | null }>;
  recordCredit(remixId: string, credit: { parentVideoId: string; parentOwnerId: string; parentTitle: string }): Promise<void>;
  forgetDeleted(videoId: string): Promise<void>;
}
