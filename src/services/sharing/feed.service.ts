// The public side (issue 14): the feed, a public video's page data, an author's profile and the
// public files. Who may look is the operator's choice: anyone when MELIES_PUBLIC_FEED=true, else
// signed-in members. Everything here reads published rows only, so unpublishing, a takedown or a
// delete hides a video from the next request on.
import type { Principal } from '../../domain/account.js';
import { ApiError } from '../../domain/errors.js';
import { isVideoId } from '../../domain/ids.js';
import { madeWith, type Publication } from '../../domain/sharing.js';
import type { ModelCard } from '../../domain/model-card.js';
import type { Video } from '../../domain/video.js';
import type { FeedCursor, FeedSort, PublicationRepo, PublishedVideo } from '../../db/publication.repo.js';
import type { VideoRepo } from '../../db/video.repo.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { videoContent, type ContentVariant, type VideoContent } from '../video-content.js';
import type { Author, ProfileService } from './profile.service.js';

export interface FeedDeps {
  publications: PublicationRepo;
  videos: VideoRepo;
  profiles: ProfileService;
  storage: BlobStore;
  card: (model: string) => ModelCard | null;
  publicFeed: boolean;
  /** Whether the video's file carries a signed manifest (provenance); false until it is known. */
  isSigned?: (video: Video) => boolean;
}

const sec = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));
const wireAuthor = (a: Author) => ({ handle: a.handle, display_name: a.displayName });

export interface CreditView { video_id: string | null; title: string; author: ReturnType<typeof wireAuthor>; deleted: boolean }

function encodeCursor(c: FeedCursor): string {
  return Buffer.from(JSON.stringify([c.remixCount, c.publishedAt, c.videoId])).toString('base64url');
}

function decodeCursor(text: string): FeedCursor {
  try {
    const [remixCount, publishedAt, videoId] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(remixCount) && Number.isSafeInteger(publishedAt) && typeof videoId === 'string' && isVideoId(videoId)) {
      return { remixCount: remixCount as number, publishedAt: publishedAt as number, videoId };
    }
  } catch { /* answered below */ }
  throw ApiError.badRequest("Invalid value for 'after': pass the 'next_cursor' of the previous page as it came.", 'after');
}

export class FeedService {
  constructor(private readonly deps: FeedDeps) {}

  /** Anyone when the operator opened the feed, else members; a 401 that says so. */
  assertCanLook(who: Principal | null | undefined): void {
    if (!this.deps.publicFeed && !who) {
      throw new ApiError(401, 'Sign in to see what people published here: this server shares it with its members only.', { code: 'login_required', type: 'invalid_request_error' });
    }
  }

  async feed(who: Principal | null | undefined, q: { sort?: string; limit?: string; after?: string; author?: string }) {
    this.assertCanLook(who);
    const sort = (q.sort ?? 'newest') as FeedSort;
    if (sort !== 'newest' && sort !== 'remixed') throw ApiError.badRequest("Invalid value for 'sort': expected 'newest' or 'remixed'.", 'sort');
    const limit = q.limit === undefined ? 24 : Number(q.limit);
    if (!/^\d+$/.test(q.limit ?? '24') || limit < 1 || limit > 50) throw ApiError.badRequest("Invalid value for 'limit': expected a whole number from 1 to 50.", 'limit');
    const ownerId = q.author ? (await this.deps.profiles.byHandle(q.author)).userId : undefined;
    const page = await this.deps.publications.feed({ sort, limit, after: q.after ? decodeCursor(q.after) : undefined, ownerId });
    return { data: await this.wireMany(page.data), next_cursor: page.next ? encodeCursor(page.next) : null };
  }

  async video(who: Principal | null | undefined, id: string) {
    this.assertCanLook(who);
    const found = await this.published(id);
    const [view] = await this.wireMany([found]);
    const remixes = await this.wireMany(await this.deps.publications.publishedRemixesOf(found.video.id));
    return { ...view!, remixes };
  }

  async profile(who: Principal | null | undefined, handle: string) {
    this.assertCanLook(who);
    const p = await this.deps.profiles.byHandle(handle);
    return {
      handle: p.handle, display_name: p.displayName,
      published_count: await this.deps.publications.countPublishedBy(p.userId),
      remixed_count: await this.deps.publications.countRemixesOfWorkBy(p.userId),
    };
  }

  async content(who: Principal | null | undefined, id: string, variant: ContentVariant): Promise<VideoContent> {
    this.assertCanLook(who);
    // Moderators watch what waits for their review (or was reported and taken down) before deciding.
    const { video } = who?.role === 'admin' ? await this.anyPublication(id) : await this.published(id);
    return videoContent(video, variant, this.deps.storage, async () => ApiError.notFound(`No public video with id '${id}'.`, 'video_id'));
  }

  /** Whether this caller may see this video as the public does (the provenance sidecar asks). */
  async isVisible(who: Principal | null | undefined, id: string): Promise<boolean> {
    if (!this.deps.publicFeed && !who) return false;
    return isVideoId(id) && Boolean(await this.deps.publications.published(id));
  }

  private async anyPublication(id: string): Promise<{ video: Video }> {
    const pub = isVideoId(id) ? await this.deps.publications.get(id) : null;
    const video = pub ? await this.deps.videos.get(id) : null;
    if (!video || video.status !== 'completed' || !video.output) throw ApiError.notFound(`No published or submitted video with id '${id}'.`, 'video_id');
    return { video };
  }

  private async published(id: string): Promise<PublishedVideo> {
    const found = isVideoId(id) ? await this.deps.publications.published(id) : null;
    if (!found || found.video.status !== 'completed' || !found.video.output) throw ApiError.notFound(`No public video with id '${id}'.`, 'video_id');
    return found;
  }

  /** Credit lines: the parent's title and author as recorded, linked only while the parent is public. */
  async credits(videoId: string): Promise<CreditView[]> {
    return (await this.creditsOfMany([videoId])).get(videoId)!;
  }

  /** Credit lines of a whole page in three queries (credits, parents' states, authors), not per item. */
  private async creditsOfMany(videoIds: string[]): Promise<Map<string, CreditView[]>> {
    const credits = await this.deps.publications.creditsOfMany(videoIds);
    const all = [...credits.values()].flat();
    const [states, authors] = await Promise.all([
      this.deps.publications.parentStates(all.map((c) => c.parentVideoId)),
      this.deps.profiles.authors(all.map((c) => c.parentOwnerId)),
    ]);
    return new Map([...credits].map(([id, list]) => [id, list.map((c) => ({
      video_id: states.published.has(c.parentVideoId) ? c.parentVideoId : null, title: c.parentTitle,
      author: wireAuthor(authors.get(c.parentOwnerId)!), deleted: !states.live.has(c.parentVideoId),
    }))]));
  }

  /** A publication as its author and the moderators see it. */
  async publicationView(p: Publication) {
    return {
      video_id: p.videoId, title: p.title, description: p.description, remix: p.remix, training: p.training, status: p.status, reason: p.reason,
      published_at: sec(p.publishedAt), author: wireAuthor(await this.deps.profiles.author(p.ownerId)), credit: await this.credits(p.videoId), remix_count: p.remixCount,
    };
  }

  /** The public view of videos (published or not: the moderators look at waiting ones too). */
  async wireMany(items: PublishedVideo[]) {
    const [authors, credits] = await Promise.all([
      this.deps.profiles.authors(items.map((i) => i.publication.ownerId)),
      this.creditsOfMany(items.map((i) => i.video.id)),
    ]);
    return items.map(({ video, publication: p }) => ({
      id: video.id, title: p.title, description: p.description, prompt: video.prompt, model: video.model, engine: video.engine,
      made_with: madeWith(this.deps.card(video.model), video.model), seconds: String(video.seconds), size: `${video.width}x${video.height}`,
      published_at: sec(p.publishedAt), author: wireAuthor(authors.get(p.ownerId)!), remix: p.remix, training: p.training,
      remix_count: p.remixCount, credit: credits.get(video.id)!, signed: this.deps.isSigned?.(video) ?? false,
      content_url: `/api/public/videos/${video.id}/content`, thumbnail_url: `/api/public/videos/${video.id}/thumbnail`,
    }));
  }
}

export { wireAuthor };
