// The result-file route every fake serves: signed-style URLs (/<prefix>/<task>/<token>.mp4) that
// work without credentials, as providers' CDN links do. A URL whose token was rotated answers like
// an expired signed URL; an `expired_output` fault expires the current one.
import type { FakeRoute } from './fake-server.js';
import { EXPIRED_URL } from './fake-server.js';
import { fakeMp4, type ClipShape } from './mp4.js';
import type { FakeTask, TaskBook } from './task-book.js';

export function resultUrl(origin: string, prefix: string, t: FakeTask<any>): string {
  return `${origin}/${prefix}/${t.id}/${t.token}.mp4`;
}

export function resultRoute<P>(prefix: string, book: TaskBook<P>, shape: (t: FakeTask<P>) => ClipShape, opts: { public?: boolean } = {}): FakeRoute {
  return {
    name: 'download', method: 'GET', path: new RegExp(`^/${prefix}/(?<id>[^/]+)/(?<token>[^/]+)\\.mp4$`), public: opts.public ?? true,
    async handle(req, p) {
      const t = book.get(p.id!);
      if (!t || t.token !== p.token) return EXPIRED_URL;
      if (req.fault?.kind === 'expired_output') {
        book.expire(t);
        return EXPIRED_URL;
      }
      t.downloads++;
      return { file: await fakeMp4(shape(t)) };
    },
  };
}
