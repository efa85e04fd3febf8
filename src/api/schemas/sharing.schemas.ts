// Sharing as the /api wire shows it (issue 14): publications, the public feed and video pages,
// profiles, reports, notifications, and the moderators' routes. services/sharing/ makes the data.
import { PUBLICATION_STATUSES, PUBLISH_POLICIES, REMIX_LICENCES, TRAINING_LICENCES } from '../../domain/sharing.js';
import {
  OK, bool, error, int, json, jsonBody, nullable, object, optionalFields, pathParams, ref, str, unixSeconds,
  type RouteDoc, type Schema,
} from './common.js';

const videoId = pathParams({ id: str('The video id (`video_…`).') });
const list = (item: string, description: string) => json(description, object({ data: { type: 'array', items: ref(item) } }));
const remixLicence = str('Remixes: `allow`, `allow-with-credit` (the credit line cannot be removed), or `deny`.', { enum: [...REMIX_LICENCES] });
const trainingLicence = str('AI training and data mining: `not-allowed` or `allowed` (also in the signed manifest).', { enum: [...TRAINING_LICENCES] });
const notVisible = error('`login_required` (401): this server shares its feed with members only; sign in.');
const tooMany = error('`rate_limit_exceeded`: too many in a minute; wait for `Retry-After`.', { 'retry-after': { description: 'Seconds to wait.', schema: { type: 'integer' } } });

const publicVideoFields: Record<string, Schema> = {
  id: str('The video id.'),
  title: str('Its title, by its author.'),
  description: str('Its description (may be empty).'),
  prompt: str('The prompt that made it.'),
  model: str('The model id.'),
  engine: str('The engine id.'),
  made_with: str('The engine and model in plain words: "procedural sketch on a CPU", "Wan 2.2 TI2V 5B on your GPU", "Runway Gen-4.5".'),
  seconds: str('Length in seconds.'),
  size: str('`WIDTHxHEIGHT`.'),
  published_at: nullable(unixSeconds('Published')),
  author: ref('Author'),
  remix: remixLicence,
  training: trainingLicence,
  remix_count: int('Published remixes that credit it.'),
  credit: { type: 'array', items: ref('Credit'), description: 'What it remixes: the credit line, which its author cannot remove.' },
  signed: bool('The file carries a signed C2PA manifest (check it at /verify).'),
  content_url: str('The MP4 (Range supported).'),
  thumbnail_url: str('A WebP still.'),
};

const publicationFields: Record<string, Schema> = {
  video_id: str('The video id.'),
  title: str('Title.'),
  description: str('Description.'),
  remix: remixLicence,
  training: trainingLicence,
  status: str('`published`, `pending_review` (a moderator decides), `rejected` or `taken_down` (see `reason`).', { enum: [...PUBLICATION_STATUSES] }),
  reason: nullable(str("A moderator's (or the moderation check's) reason.")),
  published_at: nullable(unixSeconds('Public since')),
  author: ref('Author'),
  credit: { type: 'array', items: ref('Credit') },
  remix_count: int('Published remixes that credit it.'),
};

const reportFields: Record<string, Schema> = {
  id: str('Report id (`rpt_…`).'),
  video_id: str('The reported video.'),
  reason: str("The reporter's reason."),
  status: str('`open`, `dismissed` or `actioned` (taken down).', { enum: ['open', 'dismissed', 'actioned'] }),
  created_at: unixSeconds('Reported'),
};

export const sharingComponents: Record<string, Schema> = {
  Author: object({ handle: str('Public handle (`@handle`); emails are never shown.'), display_name: nullable(str('The name they chose.')) }),
  Credit: object({
    video_id: nullable(str('The parent video while it is public; null once it is gone or private (the credit stays).')),
    title: str("The parent's title when it was remixed."),
    author: ref('Author'),
    deleted: bool('The parent video was deleted (a tombstone credit).'),
  }),
  Publication: object(publicationFields),
  ModerationItem: object({ ...publicationFields, video: ref('PublicVideo') }),
  PublicVideo: object(publicVideoFields),
  PublicVideoPage: object({ ...publicVideoFields, remixes: { type: 'array', items: ref('PublicVideo'), description: 'Published remixes of it, newest first.' } }),
  Profile: object({
    handle: str('Public handle.'),
    display_name: nullable(str('The name they chose.')),
    published_count: int('Videos they published.'),
    remixed_count: int("Published remixes of their work by other people."),
  }),
  Report: object(reportFields),
  ReportItem: object({ ...reportFields, reporter: ref('Author'), video: nullable(ref('PublicVideo')) }),
  Notification: object({
    id: str('Notification id (`ntf_…`).'),
    kind: str('What happened.', { enum: ['video.remixed', 'publication.approved', 'publication.rejected', 'publication.taken_down'] }),
    message: str('For a person to read.'),
    created_at: unixSeconds('When'),
    read: bool('Marked read.'),
    video_id: nullable(str('The video it is about.')),
    actor: nullable(ref('Author')),
  }),
  Sharing: object({
    publish_policy: str("The operator's publish policy.", { enum: [...PUBLISH_POLICIES] }),
    public_feed: bool('The feed and public pages are open without signing in.'),
    signed_in: bool('This request came with valid credentials.'),
  }),
};

export const sharingSchemas = {
  sharing: {
    summary: 'How this server shares', tags: ['Sharing'], operationId: 'getSharing',
    response: { 200: json('The publish policy and who may see the feed.', ref('Sharing')) },
  },
  profile: {
    summary: 'Choose your handle and display name', tags: ['Sharing'], operationId: 'updateProfile',
    body: jsonBody(optionalFields({ handle: str('3 to 30 of `a-z`, `0-9`, `_`.'), display_name: nullable(str('At most 60 characters; null clears it.')) })),
    response: {
      200: json('Your public name.', ref('Author')),
      400: error('`invalid_handle` or `invalid_value`.'),
      409: error('`handle_taken`: someone else has it.'),
    },
  },
  myProfile: {
    summary: 'Your public name', tags: ['Sharing'], operationId: 'getMyProfile',
    response: { 200: json('Your handle and display name (one is made from your email the first time).', ref('Author')) },
  },
  publish: {
    summary: 'Publish a video',
    description: "Under the operator's `open` policy it is public at once; under `review` a moderator approves it first. An optional moderation hook may hold or refuse it.",
    tags: ['Sharing'], operationId: 'publishVideo', params: videoId,
    body: jsonBody(optionalFields({ title: str('1 to 120 characters.'), description: str('At most 2000 characters.'), remix: remixLicence, training: trainingLicence }, ['title'])),
    response: {
      201: json('The publication.', ref('Publication')),
      400: error('`video_not_ready`, `missing_required_parameter` or `invalid_value`.'),
      403: error('`publishing_off`: the operator turned publishing off; `taken_down`: a moderator took it down.'),
      404: error('`not_found`: no such video of yours.'),
      429: tooMany,
    },
  },
  publication: {
    summary: "A video's publication", tags: ['Sharing'], operationId: 'getPublication', params: videoId,
    response: { 200: json('Its status, licence and credit.', ref('Publication')), 404: error('`not_found`: not published, or not yours.') },
  },
  unpublish: {
    summary: 'Unpublish a video', description: 'Gone from the feed, its page and its public files at once. Its remixes keep their credit.',
    tags: ['Sharing'], operationId: 'unpublishVideo', params: videoId,
    response: { 204: { description: 'Unpublished.' }, 403: error('`taken_down`: a moderator took it down.'), 404: error('`not_found`.') },
  },
  feed: {
    summary: 'The public feed', tags: ['Sharing'], operationId: 'listFeed',
    querystring: optionalFields({
      sort: str('`newest` (default) or `remixed`.', { enum: ['newest', 'remixed'] }),
      limit: int('1 to 50 (default 24).', { minimum: 1, maximum: 50 }),
      after: str('The `next_cursor` of the previous page.'),
      author: str("Only this handle's videos."),
    }),
    response: {
      200: json('A page of published videos.', object({ data: { type: 'array', items: ref('PublicVideo') }, next_cursor: nullable(str('Pass as `after` for the next page.')) })),
      400: error('`invalid_value`: bad `sort`, `limit` or `after`.'),
      401: notVisible,
      404: error('`not_found`: no such author.'),
      429: tooMany,
    },
  },
  publicVideo: {
    summary: 'A published video', tags: ['Sharing'], operationId: 'getPublicVideo', params: videoId,
    response: { 200: json('The video, its credit and its remixes.', ref('PublicVideoPage')), 401: notVisible, 404: error('`not_found`: not published (or no longer).') },
  },
  publicContent: {
    summary: "A published video's MP4", tags: ['Sharing'], operationId: 'getPublicVideoContent', params: videoId,
    response: {
      200: { description: 'The MP4.', content: { 'video/mp4': { schema: { type: 'string', format: 'binary' } } } },
      206: { description: 'The requested range.', content: { 'video/mp4': { schema: { type: 'string', format: 'binary' } } } },
      401: notVisible, 404: error('`not_found`.'), 416: error('`range_not_satisfiable`.'),
    },
  },
  publicThumbnail: {
    summary: "A published video's thumbnail", tags: ['Sharing'], operationId: 'getPublicVideoThumbnail', params: videoId,
    response: { 200: { description: 'WebP.', content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } } }, 401: notVisible, 404: error('`not_found`.') },
  },
  user: {
    summary: "An author's profile", tags: ['Sharing'], operationId: 'getProfile', params: pathParams({ handle: str('Their handle.') }),
    response: { 200: json('Their public name and counts (their videos: the feed with `author=`).', ref('Profile')), 401: notVisible, 404: error('`not_found`.') },
  },
  report: {
    summary: 'Report a public video', tags: ['Sharing'], operationId: 'reportVideo', params: videoId,
    body: jsonBody(optionalFields({ reason: str('What is wrong, 1 to 1000 characters.') }, ['reason'])),
    response: {
      201: json('The report, queued for the moderators.', ref('Report')),
      400: error('`missing_required_parameter`.'), 404: error('`not_found`: not a public video.'), 409: error('`already_reported`.'), 429: tooMany,
    },
  },
  notifications: {
    summary: 'Your notifications', tags: ['Sharing'], operationId: 'listNotifications',
    response: { 200: json('Newest first.', object({ data: { type: 'array', items: ref('Notification') }, unread: int('Not yet read.') })) },
  },
  readNotifications: {
    summary: 'Mark notifications read', tags: ['Sharing'], operationId: 'readNotifications',
    body: jsonBody(optionalFields({ ids: { type: 'array', items: { type: 'string' }, description: 'These; all when left out.' } }), 'Which to mark read.'),
    response: { 200: json('Done.', OK), 400: error('`invalid_value`.') },
  },
} satisfies Record<string, RouteDoc>;


export const moderationSchemas = {
  policy: {
    summary: 'The publish policy', tags: ['Moderation'], operationId: 'adminGetSharing',
    response: { 200: json('The policy in force.', object({ publish_policy: str('open, review or off.', { enum: [...PUBLISH_POLICIES] }) })) },
  },
  setPolicy: {
    summary: 'Set the publish policy', tags: ['Moderation'], operationId: 'adminSetSharing',
    body: jsonBody(optionalFields({ publish_policy: str('`open`, `review` or `off`.', { enum: [...PUBLISH_POLICIES] }) }, ['publish_policy'])),
    response: { 200: json('The policy in force.', object({ publish_policy: str('open, review or off.', { enum: [...PUBLISH_POLICIES] }) })), 400: error('`invalid_value`.') },
  },
  queue: {
    summary: 'Publications by status', description: 'The review queue by default (`pending_review`), oldest first.', tags: ['Moderation'], operationId: 'adminListPublications',
    querystring: optionalFields({ status: str('`pending_review` (default), `published`, `rejected` or `taken_down`.') }),
    response: { 200: json('Publications and their videos.', object({ data: { type: 'array', items: ref('ModerationItem') } })), 400: error('`invalid_value`.') },
  },
  approve: {
    summary: 'Approve a publication', tags: ['Moderation'], operationId: 'adminApprovePublication', params: videoId,
    response: { 200: json('Now public.', ref('Publication')), 404: error('`not_found`.'), 409: error('`not_pending`.') },
  },
  reject: {
    summary: 'Reject a publication', tags: ['Moderation'], operationId: 'adminRejectPublication', params: videoId,
    body: jsonBody(optionalFields({ reason: str('Shown to the author.') }, ['reason'])),
    response: { 200: json('Rejected.', ref('Publication')), 400: error('`missing_required_parameter`.'), 404: error('`not_found`.'), 409: error('`not_pending`.') },
  },
  takedown: {
    summary: 'Take a video down', description: 'Hidden at once; its open reports are closed as actioned; the audit log records it.', tags: ['Moderation'], operationId: 'adminTakedown', params: videoId,
    body: jsonBody(optionalFields({ reason: str('Shown to the author.') }, ['reason'])),
    response: { 200: json('Taken down.', ref('Publication')), 400: error('`missing_required_parameter`.'), 404: error('`not_found`.'), 409: error('`taken_down`: already.') },
  },
  reports: {
    summary: 'Reports', description: 'Open ones by default, oldest first.', tags: ['Moderation'], operationId: 'adminListReports',
    querystring: optionalFields({ status: str('`open` (default), `dismissed` or `actioned`.') }),
    response: {
      200: json('Reports with their videos.', object({ data: { type: 'array', items: ref('ReportItem') } })),
      400: error('`invalid_value`.'),
    },
  },
  dismiss: {
    summary: 'Dismiss a report', tags: ['Moderation'], operationId: 'adminDismissReport', params: pathParams({ id: str('The report id (`rpt_…`).') }),
    response: { 200: json('Dismissed.', ref('Report')), 404: error('`not_found`.'), 409: error('`report_closed`.') },
  },
} satisfies Record<string, RouteDoc>;

export { list as sharingList };
