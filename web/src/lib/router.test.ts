import { describe, expect, it } from 'vitest';
import { parseRoute } from './router';

describe('studio routes', () => {
  it('knows its pages, and calls anything else not found instead of showing the composer', () => {
    expect(parseRoute('/')).toEqual({ page: 'studio' });
    expect(parseRoute('/admin/')).toEqual({ page: 'admin' });
    expect(parseRoute('/videos/video_abc')).toEqual({ page: 'video', id: 'video_abc' });
    expect(parseRoute('/no/such/page')).toEqual({ page: 'not-found', path: '/no/such/page' });
    expect(parseRoute('/videos/')).toEqual({ page: 'not-found', path: '/videos/' });
    expect(parseRoute('/settingsx')).toEqual({ page: 'not-found', path: '/settingsx' });
  });
});

describe('public routes', () => {
  it('knows the feed, public video, profile and verify pages', () => {
    expect(parseRoute('/explore')).toEqual({ page: 'explore' });
    expect(parseRoute('/v/video_abc')).toEqual({ page: 'public-video', id: 'video_abc' });
    expect(parseRoute('/u/ada_99')).toEqual({ page: 'profile', handle: 'ada_99' });
    expect(parseRoute('/u/Ada')).toEqual({ page: 'not-found', path: '/u/Ada' });
    expect(parseRoute('/verify/')).toEqual({ page: 'verify' });
    expect(parseRoute('/admin/moderation')).toEqual({ page: 'moderation' });
  });
});
