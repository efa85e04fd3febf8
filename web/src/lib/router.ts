// A handful of pages need no router library: the studio at /, one video at /videos/{id}, the
// account pages (/settings, /admin, /login, /register, /setup), and the public side (/explore,
// /v/{id}, /u/{handle}, /verify, /notifications, /admin/moderation); anything else is not found. The browser's
// history API keeps back/forward and reloads working (the server answers every page with index.html).
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'studio' }
  | { page: 'video'; id: string }
  | { page: 'settings' | 'admin' | 'moderation' | 'login' | 'register' | 'setup' | 'explore' | 'verify' | 'notifications' }
  | { page: 'public-video'; id: string }
  | { page: 'profile'; handle: string }
  | { page: 'not-found'; path: string };

const NAMED: Record<string, Route['page']> = {
  '': 'studio', '/index.html': 'studio', '/settings': 'settings', '/admin': 'admin', '/login': 'login', '/register': 'register', '/setup': 'setup',
  '/explore': 'explore', '/verify': 'verify', '/notifications': 'notifications', '/admin/moderation': 'moderation',
};

/** Pages anyone may see without an account when the operator opens the feed (and /verify always). */
export const PUBLIC_PAGES: ReadonlySet<Route['page']> = new Set(['explore', 'public-video', 'profile', 'verify']);

/** The page for a path; an address the studio does not have is a not-found page, not the composer. */
export function parseRoute(path: string): Route {
  const m = /^\/videos\/([A-Za-z0-9_-]{1,100})\/?$/.exec(path);
  if (m) return { page: 'video', id: m[1]! };
  const pub = /^\/v\/([A-Za-z0-9_-]{1,100})\/?$/.exec(path);
  if (pub) return { page: 'public-video', id: pub[1]! };
  const user = /^\/u\/([a-z0-9_]{1,30})\/?$/.exec(path);
  if (user) return { page: 'profile', handle: user[1]! };
  const named = NAMED[path.replace(/\/$/, '')];
  return named ? { page: named } as Route : { page: 'not-found', path };
}

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  return route;
}
