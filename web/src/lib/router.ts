// Two pages need no router library: the studio at / and one video at /videos/{id}. The browser's
// history API keeps back/forward and reloads working (the server answers every page with index.html).
import { useEffect, useState } from 'react';

export type Route = { page: 'studio' } | { page: 'video'; id: string };

export function parseRoute(path: string): Route {
  const m = /^\/videos\/([A-Za-z0-9_-]{1,100})\/?$/.exec(path);
  return m ? { page: 'video', id: m[1]! } : { page: 'studio' };
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
