// Words for the public side: licences in plain language, the credit line a remix carries, a
// publication's status, why a video cannot be remixed, what a verification found; and the feed's
// cursor paging as a pure reducer. Pure functions, so they are tested without a browser.
import type {
  Author, Credit, FeedPage, Notification, PublicVideo, Publication, PublishPolicy, RemixLicence, TrainingLicence, VerifyResult,
} from './types';

export const REMIX_CHOICES: { value: RemixLicence; label: string }[] = [
  { value: 'allow-with-credit', label: 'Allow, with credit' },
  { value: 'allow', label: 'Allow' },
  { value: 'deny', label: 'Do not allow' },
];
export const TRAINING_CHOICES: { value: TrainingLicence; label: string }[] = [
  { value: 'not-allowed', label: 'Not allowed' },
  { value: 'allowed', label: 'Allowed' },
];

export function remixWords(remix: RemixLicence): string {
  switch (remix) {
    case 'allow': return 'Anyone may remix this video.';
    case 'allow-with-credit': return 'Anyone may remix this video; every remix credits the author, and the credit cannot be removed.';
    case 'deny': return 'The author does not allow remixes of this video.';
  }
}

export function trainingWords(training: TrainingLicence): string {
  return training === 'allowed'
    ? 'The author allows using this video to train AI models.'
    : 'The author does not allow using this video to train AI models.';
}

export const atHandle = (a: Author) => `@${a.handle}`;

/** A manifest's author in words: "Ada L. (@ada)", "@ada", "Ada L.", or null when it names nobody. */
export function manifestAuthor(a: { handle: string | null; display_name: string | null } | null): string | null {
  if (!a) return null;
  const name = a.display_name?.trim();
  if (name && a.handle) return `${name} (@${a.handle})`;
  return name || (a.handle ? `@${a.handle}` : null);
}

/** The IPTC digital source type in plain words (the manifest's own term stays beside it). */
export function sourceTypeWords(uri: string | null | undefined): string | null {
  if (!uri) return null;
  const term = uri.split('/').pop()!;
  const words: Record<string, string> = {
    trainedAlgorithmicMedia: 'made by a trained AI model',
    algorithmicMedia: 'made by an algorithm (no trained model)',
    compositeWithTrainedAlgorithmicMedia: 'partly made by a trained AI model',
    digitalCapture: 'captured by a camera',
  };
  return words[term] ? `${words[term]} (${term})` : term;
}
/** The name to show: the display name the person chose, else their handle. */
export const authorName = (a: Author) => a.display_name?.trim() || atHandle(a);

export interface CreditLine {
  handle: string;
  title: string;
  /** The parent's public page; null when the parent is gone (a tombstone, never a broken link). */
  href: string | null;
  deleted: boolean;
}

export function creditLine(c: Credit): CreditLine {
  const gone = c.deleted || c.video_id === null;
  return { handle: atHandle(c.author), title: c.title, href: gone ? null : `/v/${c.video_id}`, deleted: gone };
}

/** The credit as one sentence: "Remixed from @ada — Paper boats (deleted)". */
export function creditText(c: Credit): string {
  const l = creditLine(c);
  return `Remixed from ${l.handle} — ${l.title}${l.deleted ? ' (deleted)' : ''}`;
}

export function publicationStatus(p: Publication): { label: string; detail: string | null; live: boolean } {
  switch (p.status) {
    case 'published': return { label: 'Published', detail: 'Anyone who can see this server’s feed can watch it.', live: true };
    case 'pending_review': return { label: 'Pending review', detail: 'A moderator of this server will approve or reject it.', live: false };
    case 'rejected': return { label: 'Rejected', detail: p.reason ? `Reason: ${p.reason}` : 'No reason was given.', live: false };
    case 'taken_down': return { label: 'Taken down', detail: p.reason ? `Reason: ${p.reason}` : 'No reason was given.', live: false };
  }
}

export function policyWords(policy: PublishPolicy): string {
  switch (policy) {
    case 'open': return 'Published videos appear in the feed at once.';
    case 'review': return 'A moderator reviews each video before it appears in the feed.';
    case 'off': return 'Publishing is turned off on this server.';
  }
}

/**
 * Why the viewer cannot remix a public video, or null when they can. `remixable` is whether the
 * engine that made it can remix (its model card), when known.
 */
export function remixBlock(v: Pick<PublicVideo, 'remix' | 'model'>, remixable: boolean | undefined): string | null {
  if (v.remix === 'deny') return 'The author does not allow remixes of this video.';
  if (remixable === false) return `The engine that made it (${v.model}) cannot remix videos on this server.`;
  return null;
}

const HANDLE = /^[a-z0-9_]{3,30}$/;
/** What is wrong with a handle as typed, or null when the server will take it. */
export function handleProblem(text: string): string | null {
  if (HANDLE.test(text)) return null;
  if (text.length < 3 || text.length > 30) return 'A handle is 3 to 30 characters long.';
  return 'A handle uses only lower-case letters, digits and _.';
}

/**
 * Where to go after signing in: the `next` of the address when it is a page of this site (a path,
 * never another origin), else the studio.
 */
export function nextAfterSignIn(search: string): string {
  const next = new URLSearchParams(search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  return next;
}

export const signInHref = (path: string) => `/login?next=${encodeURIComponent(path)}`;

export function unreadLabel(unread: number): string {
  return unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`;
}

/** Where a notification leads: the public page of the video it is about, when it is public. */
export function notificationHref(n: Notification): string | null {
  if (!n.video_id) return null;
  return n.kind === 'video.remixed' || n.kind === 'publication.approved' ? `/v/${n.video_id}` : `/videos/${n.video_id}`;
}

export function verifyHeadline(r: VerifyResult): { title: string; tone: 'ok' | 'bad' | 'none' } {
  switch (r.state) {
    case 'trusted': return { title: 'Valid provenance from a trusted signer', tone: 'ok' };
    case 'valid': return { title: 'Valid provenance', tone: 'ok' };
    case 'invalid': return { title: 'Provenance does not verify', tone: 'bad' };
    case 'no_manifest': return { title: 'No provenance found in this file', tone: 'none' };
  }
}

/** Unix seconds or an ISO date, as a local date and time; "unknown" when absent. */
export function dateText(at: number | string | null | undefined): string {
  if (at === null || at === undefined || at === '') return 'unknown';
  const d = typeof at === 'number' ? new Date(at * 1000) : new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : d.toLocaleString();
}

// The feed's list: pages appended by cursor, never a video twice (a video published between two
// page loads can shift the next page), and a stale answer (the sort changed meanwhile) ignored.
export interface FeedState {
  items: PublicVideo[];
  cursor: string | null;
  /** Whether another page can be asked for. */
  more: boolean;
  loading: boolean;
  error: string | null;
  /** Bumped on every reset, so an answer for an older list is dropped. */
  generation: number;
}

export type FeedAction =
  | { type: 'reset' }
  | { type: 'loading' }
  | { type: 'loaded'; generation: number; page: FeedPage }
  | { type: 'failed'; generation: number; error: string };

export const emptyFeed: FeedState = { items: [], cursor: null, more: true, loading: false, error: null, generation: 0 };

export function feedReducer(s: FeedState, a: FeedAction): FeedState {
  switch (a.type) {
    case 'reset': return { ...emptyFeed, generation: s.generation + 1, loading: true };
    case 'loading': return { ...s, loading: true, error: null };
    case 'loaded': {
      if (a.generation !== s.generation) return s;
      const seen = new Set(s.items.map((v) => v.id));
      return { ...s, items: [...s.items, ...a.page.data.filter((v) => !seen.has(v.id))], cursor: a.page.next_cursor, more: a.page.next_cursor !== null, loading: false, error: null };
    }
    case 'failed': return a.generation !== s.generation ? s : { ...s, loading: false, error: a.error };
  }
}
