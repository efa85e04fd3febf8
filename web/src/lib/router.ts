// A handful of pages need no router library: the studio at /, one video at /videos/{id}, and the
// account pages (/settings, /admin, /login, /register, /setup); anything else is not found. The browser's
// history API keeps back/forward and reloads working (the server answers every page with index.html).
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'studio' }
  | { page: 'video'; id: string }
  | { page: 'settings' | 'admin' | 'login' | 'register' | 'setup' }
  | { page: 'not-found'; path: string };

const NAMED: Record<string, Route['page']> = {
  '': 'studio', '/index.html': 'studio', '/settings': 'settings', '/admin': 'admin', '/login': 'login', '/register': 'register', '/setup': 'setup',
};

/** The page for a path; an address the studio does not have is a not-found page, not the composer. */
export function parseRoute(path: string): Route {
  const m = /^\/videos\/([A-Za-z0-9_-]{1,100})\/?$/.exec(path);
  if (m) return { page: 'video', id: m[1]! };
  const named = NAMED[path.replace(/\/$/, '')];
  return named ? { page: named } as Route : { page: 'not-found', path };
}

export function navigate(path: string): void {
  if (path === location.pathname) return;
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
