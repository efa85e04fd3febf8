// What moderators do (issue 14): the review queue (approve, reject with a reason the author sees),
// reports from signed-in viewers, and takedowns, which hide a video at once and go to the audit log.
import type { Principal } from '../../domain/account.js';
import { ApiError } from '../../domain/errors.js';
import { isVideoId } from '../../domain/ids.js';
import { newPrefixedId, type Publication } from '../../domain/sharing.js';
import type { Report, ReportRepo, ReportStatus } from '../../db/community.repo.js';
import type { PublicationRepo, PublishedVideo } from '../../db/publication.repo.js';
import type { AuditLog } from '../accounts/audit-log.js';
import type { PublishingService } from './publishing.service.js';

export interface ModerationDeps {
  publications: PublicationRepo;
  reports: ReportRepo;
  publishing: PublishingService;
  audit: AuditLog;
  now?: () => number;
}

const actorOf = (who: Principal) => (who.via === 'local' ? null : who);

function reasonFrom(body: Record<string, unknown>, required: boolean): string {
  const v = body.reason;
  if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) {
    if (required) throw ApiError.badRequest("Give a 'reason': the author reads it.", 'reason', 'missing_required_parameter');
    return '';
  }
  if (typeof v !== 'string') throw ApiError.badRequest("'reason' must be text.", 'reason');
  if (v.trim().length > 1000) throw ApiError.badRequest("'reason' is too long (at most 1000 characters).", 'reason');
  return v.trim();
}

export class ModerationService {
  private readonly now: () => number;
  constructor(private readonly deps: ModerationDeps) {
    this.now = deps.now ?? Date.now;
  }

  async queue(status: string | undefined): Promise<PublishedVideo[]> {
    const s = status ?? 'pending_review';
    if (!['pending_review', 'published', 'rejected', 'taken_down'].includes(s)) {
      throw ApiError.badRequest("Invalid value for 'status': expected 'pending_review', 'published', 'rejected' or 'taken_down'.", 'status');
    }
    return this.deps.publications.listByStatus(s as Publication['status']);
  }

  private async pending(id: string): Promise<Publication> {
    const pub = isVideoId(id) ? await this.deps.publications.get(id) : null;
    if (!pub) throw ApiError.notFound(`No publication for video '${id}'.`, 'video_id');
    return pub;
  }

  async approve(who: Principal, id: string): Promise<Publication> {
    const pub = await this.pending(id);
    const done = await this.deps.publications.setStatus(pub.videoId, ['pending_review', 'rejected'], 'published', { reason: null, publishedAt: this.now(), now: this.now() });
    if (!done) throw new ApiError(409, `This publication is ${pub.status}; only one waiting for review (or rejected) can be approved.`, { code: 'not_pending', param: 'video_id' });
    await this.deps.audit.record({ actor: actorOf(who), action: 'video.publication.approve', target: { type: 'video', id: pub.videoId }, details: {} });
    await this.deps.publishing.notify(pub.ownerId, 'publication.approved', pub.videoId, null, `“${pub.title}” is now public.`);
    const published = await this.deps.publications.published(pub.videoId);
    if (published) await this.deps.publishing.becamePublic(published.video, done);
    return done;
  }

  async reject(who: Principal, id: string, body: Record<string, unknown>): Promise<Publication> {
    const reason = reasonFrom(body, true);
    const pub = await this.pending(id);
    const done = await this.deps.publications.setStatus(pub.videoId, ['pending_review'], 'rejected', { reason, now: this.now() });
    if (!done) throw new ApiError(409, `This publication is ${pub.status}; only one waiting for review can be rejected (take a public one down instead).`, { code: 'not_pending', param: 'video_id' });
    await this.deps.audit.record({ actor: actorOf(who), action: 'video.publication.reject', target: { type: 'video', id: pub.videoId }, details: { reason } });
    await this.deps.publishing.notify(pub.ownerId, 'publication.rejected', pub.videoId, null, `“${pub.title}” was not published: ${reason}`);
    return done;
  }

  /** Hides a public (or waiting) video at once; its open reports are answered with it. */
  async takedown(who: Principal, id: string, body: Record<string, unknown>): Promise<Publication> {
    const reason = reasonFrom(body, true);
    const pub = await this.pending(id);
    const done = await this.deps.publications.setStatus(pub.videoId, ['published', 'pending_review', 'rejected'], 'taken_down', { reason, now: this.now() });
    if (!done) throw new ApiError(409, 'This video is already taken down.', { code: 'taken_down', param: 'video_id' });
    await this.deps.reports.resolve({ videoId: pub.videoId }, 'actioned', who.userId, this.now());
    await this.deps.publishing.recountParentsOf(pub.videoId);
    await this.deps.audit.record({ actor: actorOf(who), action: 'video.takedown', target: { type: 'video', id: pub.videoId }, details: { reason, was: pub.status } });
    await this.deps.publishing.notify(pub.ownerId, 'publication.taken_down', pub.videoId, null, `A moderator took “${pub.title}” down: ${reason}`);
    return done;
  }

  /** A signed-in viewer reports a public video; the same person reporting it twice is one report. */
  async report(who: Principal, id: string, body: Record<string, unknown>): Promise<Report> {
    const reason = reasonFrom(body, true);
    const published = isVideoId(id) ? await this.deps.publications.published(id) : null;
    if (!published) throw ApiError.notFound(`No public video with id '${id}'.`, 'video_id');
    if (await this.deps.reports.countOpenBy(who.userId, id) > 0) {
      throw new ApiError(409, 'You already reported this video; a moderator will look at it.', { code: 'already_reported', param: 'video_id' });
    }
    const report: Report = { id: newPrefixedId('rpt'), videoId: id, reporterId: who.userId, reason, status: 'open', createdAt: this.now(), resolvedBy: null, resolvedAt: null };
    await this.deps.reports.insert(report);
    await this.deps.audit.record({ actor: actorOf(who), action: 'video.report', target: { type: 'video', id }, details: { report: report.id } });
    return report;
  }

  async reports(status: string | undefined): Promise<Report[]> {
    const s = (status ?? 'open') as ReportStatus;
    if (!['open', 'dismissed', 'actioned'].includes(s)) throw ApiError.badRequest("Invalid value for 'status': expected 'open', 'dismissed' or 'actioned'.", 'status');
    return this.deps.reports.list(s);
  }

  async dismiss(who: Principal, reportId: string): Promise<Report> {
    const report = await this.deps.reports.get(reportId);
    if (!report) throw ApiError.notFound(`No report '${reportId.slice(0, 40)}'.`, 'report_id');
    if (!(await this.deps.reports.resolve({ id: reportId }, 'dismissed', who.userId, this.now()))) {
      throw new ApiError(409, `This report is already ${report.status}.`, { code: 'report_closed', param: 'report_id' });
    }
    await this.deps.audit.record({ actor: actorOf(who), action: 'video.report.dismiss', target: { type: 'video', id: report.videoId }, details: { report: reportId } });
    return (await this.deps.reports.get(reportId))!;
  }
}
