// Publishing on the artists' terms (issue 14): an owner publishes a completed video with a licence;
// the operator's policy (open | review | off, plus an optional moderation hook) decides whether it
// is public at once; remixes of someone else's work obey its licence and carry a credit that the
// remixer cannot remove. What moderators do lives in moderation.service.ts.
import type { Principal } from '../../domain/account.js';
import { ApiError } from '../../domain/errors.js';
import { isVideoId } from '../../domain/ids.js';
import {
  newPrefixedId, PUBLISH_POLICIES, REMIX_LICENCES, TRAINING_LICENCES, type Credit, type Publication, type PublishPolicy,
  type RemixLicence, type TrainingLicence,
} from '../../domain/sharing.js';
import type { Video } from '../../domain/video.js';
import type { NotificationKind, NotificationRepo, SettingsRepo } from '../../db/community.repo.js';
import type { PublicationRepo } from '../../db/publication.repo.js';
import type { VideoRepo } from '../../db/video.repo.js';
import type { AuditLog } from '../accounts/audit-log.js';
import type { ModerationHook } from './moderation-hook.js';
import type { ProfileService } from './profile.service.js';

/** What else happens when a video becomes public or is remixed: webhooks, re-signing (wired in app/). */
export interface SharingListeners {
  published?(video: Video, publication: Publication): Promise<void>;
  /** A published remix of `parent`, someone else's work (remixing one's own tells no one). */
  remixed?(parent: { videoId: string; ownerId: string }, remix: Video, publication: Publication): Promise<void>;
  /** The author chose an AI-training licence: the signed manifest must say the same. */
  licenceChosen?(video: Video, training: TrainingLicence): Promise<void>;
}

export interface PublishingDeps {
  publications: PublicationRepo;
  videos: VideoRepo;
  notifications: NotificationRepo;
  settings: SettingsRepo;
  profiles: ProfileService;
  audit: AuditLog;
  /** The configured policy; the Admin page's choice (settings) overrides it. */
  defaultPolicy: PublishPolicy;
  moderationHook?: ModerationHook | null;
  listeners?: SharingListeners;
  log?: (msg: string, extra: Record<string, unknown>) => void;
  now?: () => number;
}

const POLICY_SETTING = 'publish_policy';

const actorOf = (who: Principal) => (who.via === 'local' ? null : who);

function text(body: Record<string, unknown>, name: string, opts: { max: number; required?: boolean }): string {
  const v = body[name];
  if (v === undefined || v === null) {
    if (opts.required) throw ApiError.badRequest(`'${name}' is required.`, name, 'missing_required_parameter');
    return '';
  }
  if (typeof v !== 'string') throw ApiError.badRequest(`'${name}' must be text.`, name);
  const t = v.trim();
  if (opts.required && !t) throw ApiError.badRequest(`'${name}' cannot be empty.`, name);
  if (t.length > opts.max) throw ApiError.badRequest(`'${name}' is too long (at most ${opts.max} characters).`, name);
  return t;
}

function oneOf<T extends string>(body: Record<string, unknown>, name: string, allowed: readonly T[], fallback: T): T {
  const v = body[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw ApiError.badRequest(`Invalid value for '${name}': expected one of ${allowed.map((a) => `'${a}'`).join(', ')}.`, name);
  }
  return v as T;
}

export class PublishingService {
  private readonly now: () => number;
  constructor(private readonly deps: PublishingDeps) {
    this.now = deps.now ?? Date.now;
  }

  async policy(): Promise<PublishPolicy> {
    const chosen = await this.deps.settings.get(POLICY_SETTING);
    return chosen && PUBLISH_POLICIES.includes(chosen as PublishPolicy) ? chosen as PublishPolicy : this.deps.defaultPolicy;
  }

  async setPolicy(who: Principal, body: Record<string, unknown>): Promise<PublishPolicy> {
    const policy = oneOf(body, 'publish_policy', PUBLISH_POLICIES, 'open');
    if (body.publish_policy === undefined) throw ApiError.badRequest("'publish_policy' is required: 'open', 'review' or 'off'.", 'publish_policy', 'missing_required_parameter');
    await this.deps.settings.set(POLICY_SETTING, policy, this.now());
    await this.deps.audit.record({ actor: actorOf(who), action: 'sharing.policy', target: { type: 'setting', id: POLICY_SETTING }, details: { publish_policy: policy } });
    return policy;
  }

  /** The caller's own video, whatever its state; anyone else's is a 404 (as everywhere). */
  private async own(who: Principal, id: string): Promise<Video> {
    const video = isVideoId(id) ? await this.deps.videos.get(id) : null;
    if (!video || video.ownerId !== who.userId) throw ApiError.notFound(`No video found with id '${id}'.`, 'video_id');
    return video;
  }

  async publication(who: Principal, id: string): Promise<Publication> {
    const video = await this.own(who, id);
    const pub = await this.deps.publications.get(video.id);
    if (!pub) throw ApiError.notFound(`Video ${video.id} is not published.`, 'video_id');
    return pub;
  }

  async publish(who: Principal, id: string, body: Record<string, unknown>): Promise<Publication> {
    const policy = await this.policy();
    if (policy === 'off') throw new ApiError(403, 'Publishing is turned off on this server by its operator.', { code: 'publishing_off', type: 'invalid_request_error' });
    const video = await this.own(who, id);
    if (video.status !== 'completed' || !video.output) {
      throw new ApiError(400, `Video ${video.id} is ${video.status}; only a completed video can be published.`, { param: 'video_id', code: 'video_not_ready' });
    }
    const title = text(body, 'title', { max: 120, required: true });
    const description = text(body, 'description', { max: 2000 });
    const remix = oneOf<RemixLicence>(body, 'remix', REMIX_LICENCES, 'allow-with-credit');
    const training = oneOf<TrainingLicence>(body, 'training', TRAINING_LICENCES, 'not-allowed');
    const current = await this.deps.publications.get(video.id);
    if (current?.status === 'taken_down') {
      throw new ApiError(403, `A moderator took this video down (${current.reason ?? 'no reason given'}); it cannot be published again.`, { code: 'taken_down', param: 'video_id' });
    }
    await this.deps.profiles.ensure(who.userId);

    // Under review, any change goes back to the moderators; a hook may hold or refuse it either way.
    let status: Publication['status'] = policy === 'open' ? 'published' : 'pending_review';
    let reason: string | null = null;
    // A licence change alone (same title and description) needs no moderator again.
    if (current?.status === 'published' && current.title === title && current.description === description) status = 'published';
    const hook = this.deps.moderationHook ? await this.deps.moderationHook.check({ video, title, description }) : null;
    if (hook?.decision === 'reject') { status = 'rejected'; reason = hook.reason; }
    else if (hook?.decision === 'review') { status = 'pending_review'; reason = hook.reason; }

    // First, so a failure leaves nothing half-done: the file's signed licence matches the chosen one.
    if (this.deps.listeners?.licenceChosen) await this.deps.listeners.licenceChosen(video, training);
    const now = this.now();
    const pub = await this.deps.publications.upsert({
      videoId: video.id, ownerId: video.ownerId, title, description, remix, training, status, reason,
      publishedAt: status === 'published' ? (current?.status === 'published' ? current.publishedAt : now) : null,
      remixCount: current?.remixCount ?? 0, createdAt: current?.createdAt ?? now, updatedAt: now,
    });
    if (pub.status === 'taken_down') {
      throw new ApiError(403, `A moderator took this video down (${pub.reason ?? 'no reason given'}); it cannot be published again.`, { code: 'taken_down', param: 'video_id' });
    }
    await this.deps.audit.record({ actor: actorOf(who), action: 'video.publish', target: { type: 'video', id: video.id }, details: { status, remix, training, hook: hook?.decision ?? null } });
    if (status === 'published' && current?.status !== 'published') await this.becamePublic(video, pub);
    return pub;
  }

  async unpublish(who: Principal, id: string): Promise<void> {
    const video = await this.own(who, id);
    const pub = await this.deps.publications.get(video.id);
    if (!pub) throw ApiError.notFound(`Video ${video.id} is not published.`, 'video_id');
    if (pub.status === 'taken_down') throw new ApiError(403, 'A moderator took this video down; it stays down.', { code: 'taken_down', param: 'video_id' });
    await this.deps.publications.delete(video.id);
    await this.recountParentsOf(video.id);
    await this.deps.audit.record({ actor: actorOf(who), action: 'video.unpublish', target: { type: 'video', id: video.id }, details: {} });
  }

  /** A deleted video leaves the feed with its row; its remixes keep their (tombstone) credit. */
  async forgetDeleted(videoId: string): Promise<void> {
    if (await this.deps.publications.delete(videoId)) await this.recountParentsOf(videoId);
  }

  /**
   * Called by moderation (approve) and by publish under `open`: counts, notifications and
   * webhooks that follow a video becoming public.
   */
  async becamePublic(video: Video, pub: Publication): Promise<void> {
    const credits = await this.deps.publications.creditsOf(video.id);
    await this.deps.publications.recountRemixes(credits.map((c) => c.parentVideoId));
    await this.deps.listeners?.published?.(video, pub).catch((err) => this.deps.log?.('could not announce a publication', { videoId: video.id, err: String(err) }));
    const author = await this.deps.profiles.author(video.ownerId);
    for (const c of credits) {
      if (c.parentOwnerId === video.ownerId) continue; // remixing one's own work tells no one
      // Unpublishing and publishing again is not a new remix: its author hears of it once.
      if (await this.deps.notifications.exists(c.parentOwnerId, 'video.remixed', video.id)) continue;
      await this.notify(c.parentOwnerId, 'video.remixed', video.id, video.ownerId, `@${author.handle} remixed your video “${c.parentTitle}” as “${pub.title}”.`);
      await this.deps.listeners?.remixed?.({ videoId: c.parentVideoId, ownerId: c.parentOwnerId }, video, pub)
        .catch((err) => this.deps.log?.('could not announce a remix', { videoId: video.id, err: String(err) }));
    }
  }

  async recountParentsOf(videoId: string): Promise<void> {
    const credits = await this.deps.publications.creditsOf(videoId);
    await this.deps.publications.recountRemixes(credits.map((c) => c.parentVideoId));
  }

  async notify(userId: string, kind: NotificationKind, videoId: string | null, actorId: string | null, message: string): Promise<void> {
    await this.deps.notifications.insert({ id: newPrefixedId('ntf'), userId, kind, videoId, actorId, message, createdAt: this.now(), readAt: null });
  }

  /**
   * The video a caller may remix: their own, or someone's published one whose licence allows it.
   * `deny` is a 403 that names the reason; anything the caller cannot see is a 404.
   */
  async remixSource(who: Principal, id: string): Promise<{ video: Video; credit: Omit<Credit, 'videoId' | 'createdAt'> | null }> {
    const video = isVideoId(id) ? await this.deps.videos.get(id) : null;
    const published = video ? await this.deps.publications.published(video.id) : null;
    if (!video || (video.ownerId !== who.userId && !published)) throw ApiError.notFound(`No video found with id '${id}'.`, 'video_id');
    const pub = published?.publication;
    if (pub && video.ownerId !== who.userId && pub.remix === 'deny') {
      throw new ApiError(403, `The author of “${pub.title}” does not allow remixes of it (licence: remix deny).`, { code: 'remix_not_allowed', param: 'video_id', type: 'invalid_request_error' });
    }
    return { video, credit: pub ? { parentVideoId: video.id, parentOwnerId: video.ownerId, parentTitle: pub.title } : null };
  }

  async recordCredit(remixId: string, credit: Omit<Credit, 'videoId' | 'createdAt'>): Promise<void> {
    await this.deps.publications.addCredit({ ...credit, videoId: remixId, createdAt: this.now() });
  }
}
