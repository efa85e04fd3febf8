// Wires outgoing webhooks (issue 14 §5): the endpoint service, the delivery loop, and the video
// repository every part of the stack shares, which emits video.completed / video.failed right
// after a row reaches either state. That is the one place every path to a finished video goes
// through (the job, onExhausted, the owner's cancel, an admin suspending a user), so no path can
// forget to emit.
//
// A crash between the row's update and the insert of its delivery rows loses nothing: the
// delivery loop's recovery sweep (at start and every 10 minutes) finds finished videos of the
// retry window with no delivery for a subscribed endpoint and emits them, under the same event id
// (derived from the video), so the two can never make two events.
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { AuditRepo } from '../db/audit.repo.js';
import { VideoRepo, type MadeBy } from '../db/video.repo.js';
import { WebhookRepo } from '../db/webhook.repo.js';
import type { Video, VideoError, VideoOutput } from '../domain/video.js';
import { makeWebhookDelivery, type WebhookDelivery } from '../jobs/deliver-webhook.job.js';
import { refuseWebhookUrl, safePost } from '../net/safe-post.js';
import { AuditLog } from '../services/accounts/audit-log.js';
import { WebhookService } from '../services/webhook.service.js';

type Log = (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;

/** A VideoRepo that tells the webhook service when a video finishes (the update has already happened). */
class EmittingVideoRepo extends VideoRepo {
  constructor(db: Database, private readonly finished: (video: Video) => Promise<void>) {
    super(db);
  }

  override async complete(id: string, output: VideoOutput, opts: { expiresAt: number | null; madeBy?: MadeBy }): Promise<Video | null> {
    const done = await super.complete(id, output, opts);
    if (done) await this.finished(done);
    return done;
  }

  override async fail(id: string, error: VideoError): Promise<Video | null> {
    const failed = await super.fail(id, error);
    if (failed) await this.finished(failed);
    return failed;
  }
}

export interface WebhookWiring {
  service: WebhookService;
  delivery: WebhookDelivery;
  videoRepo: VideoRepo;
}

export function wireWebhooks(config: Config, db: Database, deps: { log: Log }): WebhookWiring {
  const repo = new WebhookRepo(db);
  const allowPrivate = config.fetch.allowPrivateNetworks;
  const retryWindowMs = config.webhooks.retryHours * 3600_000;
  let delivery: WebhookDelivery | null = null;
  const service = new WebhookService({
    repo,
    audit: new AuditLog(new AuditRepo(db)),
    checkUrl: (url) => refuseWebhookUrl(url, { allowPrivate }),
    log: deps.log,
    wake: () => delivery?.wake(),
    retryWindowMs,
  });
  const timeoutMs = Math.round(config.webhooks.timeoutSeconds * 1000);
  delivery = makeWebhookDelivery({
    repo,
    post: (url, body, headers, signal) => safePost(url, body, headers, { allowPrivateNetworks: allowPrivate, timeoutMs, signal }),
    onDisabled: (id, reason) => service.endpointDisabled(id, reason),
    recoverMissed: () => service.recoverMissed(),
    log: deps.log,
    timeoutMs,
    concurrency: config.webhooks.concurrency,
    pollIntervalMs: config.webhooks.pollIntervalMs,
    retryBaseMs: config.webhooks.retryBaseMs,
    retryWindowMs,
  });
  return { service, delivery, videoRepo: new EmittingVideoRepo(db, (v) => service.videoFinished(v)) };
}
