// Notifications: a bell in the header with the unread count (read again on every page change, so
// it never needs a stream of its own), and a page listing them with "mark read".
import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../lib/api';
import { authorName, dateText, notificationHref, unreadLabel } from '../lib/sharing';
import type { Notification } from '../lib/types';
import { go } from './public-parts';

/** The unread count, re-read whenever `key` changes (the current path). */
export function useUnread(enabled: boolean, key: string): [number, (n: number) => void] {
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api.notifications().then((n) => { if (live) setUnread(n.unread); }, () => { /* the bell stays as it was */ });
    return () => { live = false; };
  }, [enabled, key]);
  return [unread, setUnread];
}

export function NotificationBell({ unread, current }: { unread: number; current: boolean }) {
  return (
    <a href="/notifications" onClick={go('/notifications')} aria-current={current ? 'page' : undefined} aria-label={unreadLabel(unread)} className="bell">
      {/* Drawn here, not an emoji: not every system has an emoji font, and no external image is allowed. */}
      <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" /><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>{unread > 0 && <span className="count" aria-hidden="true">{unread}</span>}
    </a>
  );
}

export function NotificationsPage({ onUnread }: { onUnread(n: number): void }) {
  const [items, setItems] = useState<Notification[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const n = await api.notifications();
      setItems(n.data);
      onUnread(n.unread);
    } catch (err) { setError(errorText(err)); }
  }, [onUnread]);
  useEffect(() => { document.title = 'Notifications · Méliès'; void load(); }, [load]);
  const mark = async (ids?: string[]) => {
    setError(null);
    try { await api.markRead(ids); await load(); } catch (err) { setError(errorText(err)); }
  };
  const unread = items?.filter((n) => !n.read).length ?? 0;
  return (
    <section className="panel notifications" aria-labelledby="notes-h">
      <div className="library-head">
        <h1 id="notes-h">Notifications</h1>
        {unread > 0 && <button type="button" onClick={() => mark()}>Mark all read</button>}
      </div>
      {error && <p className="error-box" role="alert">{error}</p>}
      {items === null && !error && <p className="state" role="status">Loading notifications…</p>}
      {items && items.length === 0 && <p className="empty">Nothing yet. You hear here when someone remixes your work or a moderator decides on it.</p>}
      {items && items.length > 0 && (
        <ul className="plain note-list">
          {items.map((n) => {
            const href = notificationHref(n);
            return (
              <li key={n.id} className={n.read ? 'read' : 'unread'} data-kind={n.kind}>
                <span className="note-text">
                  {!n.read && <span className="sr-only">Unread: </span>}
                  {href ? <a href={href} onClick={go(href)}>{n.message}</a> : n.message}
                  {n.actor && <span className="hint"> — {authorName(n.actor)}</span>}
                </span>
                <span className="hint">{dateText(n.created_at)}</span>
                {!n.read && <button type="button" onClick={() => mark([n.id])} aria-label={`Mark read: ${n.message}`}>Mark read</button>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
