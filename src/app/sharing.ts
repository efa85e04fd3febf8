// Wires sharing (issue 14): profiles, publishing under the operator's policy (and its optional
// moderation hook), the feed, moderation, notifications. Publications and remixes of others' work
// reach their authors' webhooks; the signed licence follows the published one (set by the stack
// once provenance exists, through `listeners.licenceChosen`).
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { NotificationRepo, ProfileRepo, ReportRepo, SettingsRepo } from '../db/community.repo.js';
import { PublicationRepo } from '../db/publication.repo.js';
import type { VideoRepo } from '../db/video.repo.js';
import type { ModelCard } from '../domain/model-card.js';
import type { Coordination } from '../coordination/coordination.js';
import type { SharingRouteDeps } from '../api/routes/sharing.routes.js';
import type { ModerationRouteDeps } from '../api/routes/moderation.routes.js';
import type { AuditLog } from '../services/accounts/audit-log.js';
import { FeedService } from '../services/sharing/feed.service.js';
import { ModerationService } from '../services/sharing/moderation.service.js';
import { httpModerationHook } from '../services/sharing/moderation-hook.js';
import { ProfileService } from '../services/sharing/profile.service.js';
import { PublishingService, type SharingListeners } from '../services/sharing/publishing.service.js';
import type { WebhookService } from '../services/webhook.service.js';
import type { BlobStore } from '../storage/blob-store.js';

export type Sharing = SharingRouteDeps & ModerationRouteDeps & { listeners: SharingListeners };

export function wireSharing(config: Config, db: Database, deps: {
  videos: VideoRepo; storage: BlobStore; audit: AuditLog; webhooks: WebhookService; coordination: Coordination;
  card: (model: string) => ModelCard | null; warn: (msg: string, extra: Record<string, unknown>) => void;
}): Sharing {
  const c = config.sharing;
  const publications = new PublicationRepo(db);
  const notifications = new NotificationRepo(db);
  const profiles = new ProfileService({ profiles: new ProfileRepo(db) });
  // Durable webhook rows, sent by the delivery loop.
  const listeners: SharingListeners = {
    published: async (video) => { await deps.webhooks.emit(video.ownerId, 'video.published', { id: video.id }); },
    remixed: async (parent, remix) => { await deps.webhooks.emit(parent.ownerId, 'video.remixed', { id: parent.videoId, remix_id: remix.id }); },
  };
  const publishing = new PublishingService({
    publications, videos: deps.videos, notifications, settings: new SettingsRepo(db), profiles, audit: deps.audit, defaultPolicy: c.publishPolicy,
    listeners, log: deps.warn,
    moderationHook: c.moderationHookUrl
      ? httpModerationHook({ url: c.moderationHookUrl, timeoutMs: c.moderationHookTimeoutMs, failure: c.moderationHookFailure, storage: deps.storage, log: deps.warn })
      : null,
  });
  const feed = new FeedService({
    publications, videos: deps.videos, profiles, storage: deps.storage, card: deps.card, publicFeed: c.publicFeed,
    isSigned: (video) => Boolean(video.provenance),
  });
  const moderation = new ModerationService({ publications, reports: new ReportRepo(db), publishing, audit: deps.audit });
  return {
    profiles, publishing, feed, moderation, notifications, publications, listeners,
    publicFeed: c.publicFeed, actionsPerMinute: c.actionsPerMinute, coordination: deps.coordination,
  };
}
