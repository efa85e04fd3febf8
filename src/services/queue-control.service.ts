// Control of one's own queue (issue 15 §7): see it in order, pause and resume it, move a queued
// video to the top, set its priority up to what the plan allows. Operators do the same for anyone.
// The queue's group is the owner's user id (video.service enqueues with `group: ownerId`), so an
// owner's queue is exactly their group, across every engine lane.
import { isOperator, type Plan, type Principal, type User } from '../domain/account.js';
import { ApiError } from '../domain/errors.js';
import { isVideoId } from '../domain/ids.js';
import type { Video } from '../domain/video.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { AuditLog } from './accounts/audit-log.js';

/** The range plans are given (account.schemas: -100 to 100); operators set any value in it. */
export const PRIORITY_MIN = -100;
export const PRIORITY_MAX = 100;

export interface QueueControlDeps {
  queue: JobQueue;
  videos: { get(id: string): Promise<Video | null> };
  users: { get(id: string): Promise<User | null> };
  audit: AuditLog;
}

export interface QueueEntry {
  video: Video;
  /** Jobs ahead of it in the whole queue (0 = next); null while the queue is paused. */
  position: number | null;
  priority: number;
}

export interface QueueView {
  ownerId: string;
  paused: boolean;
  /** Waiting videos, in the order they will start. */
  entries: QueueEntry[];
}

export class QueueControlService {
  constructor(private readonly deps: QueueControlDeps) {}

  /**
   * Whose queue a call acts on: the caller's own, or, for an operator, anyone's who exists. A
   * member naming someone else gets the same 404 as a user who does not exist.
   */
  private async owner(who: Principal, ownerId?: string): Promise<string> {
    if (ownerId === undefined || ownerId === who.userId) return who.userId;
    if (!isOperator(who) || !(await this.deps.users.get(ownerId))) throw ApiError.notFound(`No user with id '${ownerId.slice(0, 100)}'.`, 'id');
    return ownerId;
  }

  async view(who: Principal, ownerId?: string): Promise<QueueView> {
    const owner = await this.owner(who, ownerId);
    const entries: QueueEntry[] = [];
    for (const w of await this.deps.queue.waitingOf(owner)) {
      const video = await this.deps.videos.get(w.videoId);
      // A job the worker has claimed but not yet marked started is no longer waiting for the owner.
      if (video && video.ownerId === owner && video.status === 'queued') entries.push({ video, position: w.position, priority: w.priority });
    }
    return { ownerId: owner, paused: await this.deps.queue.isPaused(owner), entries };
  }

  async pause(who: Principal, ownerId?: string): Promise<QueueView> {
    const owner = await this.owner(who, ownerId);
    await this.deps.queue.pauseGroup(owner, who.userId);
    await this.record(who, 'queue.pause', { type: 'user', id: owner });
    return this.view(who, owner);
  }

  async resume(who: Principal, ownerId?: string): Promise<QueueView> {
    const owner = await this.owner(who, ownerId);
    await this.deps.queue.resumeGroup(owner);
    await this.record(who, 'queue.resume', { type: 'user', id: owner });
    return this.view(who, owner);
  }

  async moveToTop(who: Principal, videoId: string, ownerId?: string): Promise<QueueView> {
    const { video, owner } = await this.queued(who, videoId, ownerId);
    if (!(await this.deps.queue.moveToTop(video.id))) throw notWaiting(video.id);
    await this.record(who, 'queue.move_to_top', { type: 'video', id: video.id });
    return this.view(who, owner);
  }

  /**
   * A member sets at most their plan's priority (the one their videos are queued at): a higher one
   * is a 403 naming the ceiling. Operators set any priority in the range, for anyone.
   */
  async setPriority(who: Principal, videoId: string, priority: unknown, ownerId?: string): Promise<QueueView> {
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < PRIORITY_MIN || priority > PRIORITY_MAX) {
      throw ApiError.badRequest(`'priority' must be a whole number from ${PRIORITY_MIN} to ${PRIORITY_MAX}.`, 'priority');
    }
    const { video, owner } = await this.queued(who, videoId, ownerId);
    const ceiling = planCeiling(who);
    if (ceiling && priority > ceiling.priority) {
      throw new ApiError(403, `Your plan (${ceiling.label}) allows a queue priority up to ${ceiling.priority}; ${priority} is above it.`, { param: 'priority', code: 'priority_above_plan' });
    }
    if (!(await this.deps.queue.setPriority(video.id, priority))) throw notWaiting(video.id);
    await this.record(who, 'queue.set_priority', { type: 'video', id: video.id }, { priority });
    return this.view(who, owner);
  }

  /** A queued video in this owner's queue; anyone else's is a 404 exactly like a missing one. */
  private async queued(who: Principal, videoId: string, ownerId?: string): Promise<{ video: Video; owner: string }> {
    const owner = await this.owner(who, ownerId);
    const video = isVideoId(videoId) ? await this.deps.videos.get(videoId) : null;
    if (!video || video.ownerId !== owner) throw ApiError.notFound(`No video found with id '${videoId.slice(0, 100)}'.`, 'video_id');
    if (video.status !== 'queued') throw notWaiting(video.id, video.status);
    return { video, owner };
  }

  private record(who: Principal, action: string, target: { type: string; id: string }, details?: Record<string, unknown>): Promise<void> {
    return this.deps.audit.record({ actor: who.via === 'local' ? null : who, action, target, details });
  }
}

/** Operators and the local user (no plan) have no ceiling. */
function planCeiling(who: Principal): Plan | null {
  return isOperator(who) ? null : who.plan;
}

function notWaiting(id: string, status = 'starting'): ApiError {
  return new ApiError(400, `Video ${id} is ${status === 'in_progress' ? 'rendering' : status}; only a video waiting in the queue can be moved or given another priority.`, { param: 'video_id', code: 'video_not_queued' });
}
