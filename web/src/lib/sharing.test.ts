import { describe, expect, it } from 'vitest';
import {
  creditLine, creditText, emptyFeed, feedReducer, handleProblem, manifestAuthor, nextAfterSignIn, publicationStatus, remixBlock, remixWords,
  sourceTypeWords, trainingWords, unreadLabel, verifyHeadline, type FeedState,
} from './sharing';
import type { Publication, PublicVideo, VerifyResult } from './types';

const video = (id: string): PublicVideo => ({
  id, title: `t ${id}`, description: null, prompt: 'p', model: 'sketch', engine: 'sketch', made_with: 'procedural sketch on a CPU', seconds: 2, size: '640x360',
  published_at: 1, author: { handle: 'ada', display_name: null }, remix: 'allow-with-credit', training: 'not-allowed', remix_count: 0, credit: [], signed: true,
  content_url: `/api/public/videos/${id}/content`, thumbnail_url: `/api/public/videos/${id}/thumbnail`,
});

describe('licence words', () => {
  it('says each remix licence in plain words', () => {
    expect(remixWords('allow')).toBe('Anyone may remix this video.');
    expect(remixWords('allow-with-credit')).toMatch(/credits the author/);
    expect(remixWords('deny')).toMatch(/does not allow remixes/);
    expect(trainingWords('not-allowed')).toMatch(/does not allow using this video to train AI/);
    expect(trainingWords('allowed')).toMatch(/allows using this video to train AI/);
  });

  it('names why a video cannot be remixed', () => {
    expect(remixBlock({ remix: 'deny', model: 'sketch' }, true)).toMatch(/does not allow remixes/);
    expect(remixBlock({ remix: 'allow', model: 'runway/gen4' }, false)).toMatch(/runway\/gen4.*cannot remix/);
    expect(remixBlock({ remix: 'allow-with-credit', model: 'sketch' }, undefined)).toBeNull();
  });
});

describe('credit line', () => {
  it('links to the parent while it exists', () => {
    const c = { video_id: 'video_1', title: 'Paper boats', author: { handle: 'ada', display_name: 'Ada' }, deleted: false };
    expect(creditLine(c)).toEqual({ handle: '@ada', title: 'Paper boats', href: '/v/video_1', deleted: false });
    expect(creditText(c)).toBe('Remixed from @ada — Paper boats');
  });

  it('leaves a tombstone, not a link, when the parent is gone', () => {
    const c = { video_id: null, title: 'Paper boats', author: { handle: 'ada', display_name: null }, deleted: true };
    expect(creditLine(c).href).toBeNull();
    expect(creditText(c)).toBe('Remixed from @ada — Paper boats (deleted)');
  });
});

describe('publication status', () => {
  const pub = (over: Partial<Publication>): Publication => ({
    video_id: 'v', title: 't', description: null, remix: 'allow', training: 'allowed', status: 'published', reason: null, published_at: 1,
    author: { handle: 'ada', display_name: null }, credit: [], remix_count: 0, ...over,
  });
  it('shows the reason of a rejection or a takedown', () => {
    expect(publicationStatus(pub({ status: 'rejected', reason: 'Not ours to share' }))).toMatchObject({ label: 'Rejected', detail: 'Reason: Not ours to share', live: false });
    expect(publicationStatus(pub({ status: 'taken_down', reason: 'Reported' })).label).toBe('Taken down');
    expect(publicationStatus(pub({ status: 'pending_review' })).label).toBe('Pending review');
    expect(publicationStatus(pub({})).live).toBe(true);
  });
});

describe('small words', () => {
  it('checks handles as the server does', () => {
    expect(handleProblem('ada_99')).toBeNull();
    expect(handleProblem('ad')).toMatch(/3 to 30/);
    expect(handleProblem('Ada')).toMatch(/lower-case/);
  });
  it('returns to a page of this site after sign-in, never elsewhere', () => {
    expect(nextAfterSignIn('?next=%2Fv%2Fvideo_1')).toBe('/v/video_1');
    expect(nextAfterSignIn('?next=//evil.example')).toBe('/');
    expect(nextAfterSignIn('?next=https://evil.example')).toBe('/');
    expect(nextAfterSignIn('')).toBe('/');
  });
  it('labels the bell with the unread count', () => {
    expect(unreadLabel(0)).toBe('Notifications');
    expect(unreadLabel(3)).toBe('Notifications, 3 unread');
  });
  it('heads a verification with what it found', () => {
    const r = { state: 'invalid' } as VerifyResult;
    expect(verifyHeadline(r).tone).toBe('bad');
    expect(verifyHeadline({ ...r, state: 'no_manifest' }).title).toMatch(/No provenance/);
  });
});

describe('feed paging', () => {
  it('appends pages by cursor without repeating a video', () => {
    let s: FeedState = feedReducer(emptyFeed, { type: 'reset' });
    s = feedReducer(s, { type: 'loaded', generation: s.generation, page: { data: [video('a'), video('b')], next_cursor: 'c1' } });
    expect(s).toMatchObject({ cursor: 'c1', more: true, loading: false });
    s = feedReducer(s, { type: 'loading' });
    s = feedReducer(s, { type: 'loaded', generation: s.generation, page: { data: [video('b'), video('c')], next_cursor: null } });
    expect(s.items.map((v) => v.id)).toEqual(['a', 'b', 'c']);
    expect(s.more).toBe(false);
  });
  it('drops an answer for a list that was reset meanwhile', () => {
    const first = feedReducer(emptyFeed, { type: 'reset' });
    const second = feedReducer(first, { type: 'reset' });
    const late = feedReducer(second, { type: 'loaded', generation: first.generation, page: { data: [video('old')], next_cursor: null } });
    expect(late.items).toEqual([]);
    expect(feedReducer(second, { type: 'failed', generation: first.generation, error: 'x' }).error).toBeNull();
  });
});

describe('manifest words', () => {
  it('names a manifest author with what it has', () => {
    expect(manifestAuthor({ handle: 'ada', display_name: 'Ada L.' })).toBe('Ada L. (@ada)');
    expect(manifestAuthor({ handle: null, display_name: 'Ada L.' })).toBe('Ada L.');
    expect(manifestAuthor({ handle: null, display_name: null })).toBeNull();
    expect(sourceTypeWords('http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia')).toBe('made by a trained AI model (trainedAlgorithmicMedia)');
    expect(sourceTypeWords('http://cv.iptc.org/newscodes/digitalsourcetype/somethingNew')).toBe('somethingNew');
  });
});
