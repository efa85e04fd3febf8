// The studio shell: loads the session and model cards, holds the composer's draft (so "reuse
// settings" can fill it from any page) and the live job store, and shows one page. In multi-user
// mode it shows the sign-in page until there is a session; in local mode there is no login.
// Create and Library are two parts of one page: the navigation marks whichever is in view, so
// exactly one item is current. The public pages (/explore, /v/…, /u/…) show without an account
// when the operator opens the feed (GET /api/sharing); /verify always does.
import { useCallback, useEffect, useState, useSyncExternalStore, type MouseEvent } from 'react';
import { api, setCsrfToken, UNAUTHORIZED_EVENT, type Session, type SignedIn, errorText } from './lib/api';
import type { Draft } from './lib/card-controls';
import { JobStore } from './lib/job-store';
import { navigate, PUBLIC_PAGES, useRoute, type Route } from './lib/router';
import { nextAfterSignIn, signInHref } from './lib/sharing';
import type { ModelCard, Sharing } from './lib/types';
import { AdminPage } from './components/admin-page';
import { BatchPanel } from './components/batch-panel';
import { ClipPanel } from './components/clip-panel';
import { LoginPage, RegisterPage, SetupPage } from './components/auth-pages';
import { Composer } from './components/composer';
import { JobTray } from './components/job-tray';
import { ExplorePage } from './components/explore-page';
import { Library } from './components/library';
import { NotificationBell, NotificationsPage, useUnread } from './components/notifications';
import { ProfilePage } from './components/profile-page';
import { PublicVideoPage, type Viewer } from './components/public-video-page';
import { VerifyPage } from './components/verify-page';
import { SettingsPage } from './components/settings-page';
import { VideoPage } from './components/video-page';

type Boot =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'signed-out'; session: Session; sharing: Sharing | null }
  | { state: 'ready'; session: Session; models: ModelCard[]; sharing: Sharing | null };

const link = (path: string) => (e: MouseEvent) => { e.preventDefault(); navigate(path); };

type Section = 'create' | 'library';

/**
 * Which part of the studio page is in view: the library once its top passes the upper third of the
 * window (or the page is scrolled to its end), else the composer. `pin` sets it after a click, for
 * a page too short to scroll the library up.
 */
function useStudioSection(active: boolean): [Section, (s: Section) => void] {
  const [section, setSection] = useState<Section>('create');
  useEffect(() => {
    if (!active) return;
    const onScroll = () => {
      const lib = document.getElementById('library');
      if (!lib) return;
      const atEnd = scrollY > 0 && innerHeight + scrollY >= document.documentElement.scrollHeight - 2;
      setSection(lib.getBoundingClientRect().top < innerHeight / 3 || atEnd ? 'library' : 'create');
    };
    addEventListener('scroll', onScroll, { passive: true });
    return () => removeEventListener('scroll', onScroll);
  }, [active]);
  return [section, setSection];
}

function NotFound({ route }: { route: Extract<Route, { page: 'not-found' }> }) {
  useEffect(() => { document.title = 'Page not found · Méliès'; }, []);
  return (
    <section className="panel state" aria-labelledby="nf-h">
      <h1 id="nf-h">Page not found</h1>
      <p>The studio has no page at <code>{route.path}</code>. The link may be old or mistyped.</p>
      <p><a href="/" onClick={link('/')}>Back to the studio</a></p>
    </section>
  );
}

function MembersOnly() {
  useEffect(() => { document.title = 'Members only · Méliès'; }, []);
  return (
    <section className="panel state" aria-labelledby="members-h">
      <h1 id="members-h">For members of this server</h1>
      <p>Published videos on this server are shown to its members only.</p>
      <p><a href={signInHref(location.pathname)} onClick={link(signInHref(location.pathname))}>Sign in to see them</a></p>
    </section>
  );
}

export function App() {
  const route = useRoute();
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [store, setStore] = useState(() => new JobStore());
  const jobs = useSyncExternalStore(store.subscribe, store.snapshot);

  const load = useCallback(async () => {
    try {
      // A server without publishing (or one failing to say) still runs the studio.
      const [session, sharing] = await Promise.all([api.session(), api.sharing().catch(() => null)]);
      setCsrfToken(session.csrf_token);
      if (session.login_required) return setBoot({ state: 'signed-out', session, sharing });
      const [models, active] = await Promise.all([api.models(), api.library({ status: 'active' }, undefined, 100)]);
      for (const v of active.data) store.track(v);
      setBoot({ state: 'ready', session, models, sharing });
    } catch (err) {
      setBoot({ state: 'error', message: errorText(err) });
    }
  }, [store]);

  useEffect(() => {
    void load();
    return () => store.close();
  }, [load, store]);

  // A new job store restarts the studio: the effect above closes the old one (its live streams)
  // and loads the session again, which shows the sign-in page or the studio as the server says.
  const restart = useCallback(() => setStore(new JobStore()), []);

  // A 401 anywhere means the session is gone (signed out elsewhere, suspended): back to sign-in.
  useEffect(() => {
    addEventListener(UNAUTHORIZED_EVENT, restart);
    return () => removeEventListener(UNAUTHORIZED_EVENT, restart);
  }, [restart]);

  const signedIn = useCallback((s: SignedIn) => {
    setCsrfToken(s.csrf_token);
    restart();
    navigate(nextAfterSignIn(location.search));
  }, [restart]);
  const signOut = useCallback(async () => {
    await api.logout().catch(() => {});
    setCsrfToken(null);
    restart();
    navigate('/login');
  }, [restart]);

  const reuse = useCallback((d: Draft) => {
    setDraft({ ...d });
    navigate('/');
    requestAnimationFrame(() => document.getElementById('prompt')?.focus());
  }, []);

  const session = boot.state === 'ready' || boot.state === 'signed-out' ? boot.session : null;
  const user = session?.user ?? null;
  const isAdmin = boot.state === 'ready' && (session?.mode === 'local' || user?.role === 'admin');
  const page = route.page;
  const [section, pinSection] = useStudioSection(page === 'studio');
  const sharing = boot.state === 'ready' || boot.state === 'signed-out' ? boot.sharing : null;
  const [unread, setUnread] = useUnread(boot.state === 'ready' && sharing !== null && user !== null, location.pathname);
  const current = (item: 'create' | 'library' | 'settings' | 'admin' | 'explore' | 'verify') =>
    (page === 'studio' ? section === item : page === item || (item === 'admin' && page === 'moderation')) ? 'page' as const : undefined;
  const publicOpen = sharing?.public_feed === true;
  const viewer: Viewer = boot.state === 'ready' ? { signedIn: true, models: boot.models, store } : { signedIn: false };
  const publicPage = (r: Route) => (
    r.page === 'explore' ? <ExplorePage />
      : r.page === 'public-video' ? <PublicVideoPage key={r.id} id={r.id} viewer={viewer} />
        : r.page === 'profile' ? <ProfilePage key={r.handle} handle={r.handle} />
          : r.page === 'verify' ? <VerifyPage /> : null
  );
  const goTo = (target: Section) => (e: MouseEvent) => {
    e.preventDefault();
    navigate('/');
    pinSection(target);
    requestAnimationFrame(() => {
      if (target === 'library') document.getElementById('library')?.scrollIntoView();
      else window.scrollTo(0, 0);
    });
  };

  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="top">
        <a className="brand" href="/" onClick={link('/')}>Méliès <span>studio</span></a>
        {boot.state === 'ready' && (
          <nav aria-label="Main">
            <a href="/" aria-current={current('create')} onClick={goTo('create')}>Create</a>
            <a href="/#library" aria-current={current('library')} onClick={goTo('library')}>Library</a>
            {sharing && <a href="/explore" aria-current={current('explore')} onClick={link('/explore')}>Explore</a>}
            <a href="/settings" aria-current={current('settings')} onClick={link('/settings')}>Settings</a>
            {isAdmin && <a href="/admin" aria-current={current('admin')} onClick={link('/admin')}>Admin</a>}
            {sharing && user && <NotificationBell unread={unread} current={page === 'notifications'} />}
            {user && <span className="who" title={user.email}>{user.email}</span>}
            {user && <button type="button" className="linkish" onClick={() => void signOut()}>Sign out</button>}
          </nav>
        )}
        {boot.state === 'signed-out' && (
          <nav aria-label="Main">
            {publicOpen && <a href="/explore" aria-current={current('explore')} onClick={link('/explore')}>Explore</a>}
            {sharing && <a href="/verify" aria-current={current('verify')} onClick={link('/verify')}>Verify</a>}
            {page !== 'login' && <a href={signInHref(location.pathname)} onClick={link(signInHref(location.pathname))}>Sign in</a>}
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {boot.state === 'loading' && <p className="state" role="status">Loading the studio…</p>}
        {boot.state === 'error' && (
          <div className="state error" role="alert">
            <h1>The studio could not start</h1>
            <p>{boot.message}</p>
            <button type="button" onClick={() => void load()}>Try again</button>
          </div>
        )}
        {boot.state === 'signed-out' && (
          PUBLIC_PAGES.has(page) && (publicOpen || page === 'verify') ? publicPage(route)
            : PUBLIC_PAGES.has(page) ? <MembersOnly />
          : page === 'setup' ? <SetupPage onSignedIn={signedIn} />
            : page === 'register' ? <RegisterPage session={boot.session} onSignedIn={signedIn} />
              : <LoginPage session={boot.session} onSignedIn={signedIn} />
        )}
        {boot.state === 'ready' && (
          <>
            {page === 'studio' && (
              <>
                {/* A video-to-video model (no text input) only edits: it is offered on a video's page. */}
                <Composer models={boot.models.filter((m) => m.inputs.includes('text'))} draft={draft} onDraftUsed={() => setDraft(null)} onCreated={(vs) => vs.forEach((v) => store.track(v))} />
                <JobTray jobs={jobs} store={store} onReuse={reuse} />
                <BatchPanel />
                <ClipPanel models={boot.models} store={store} />
                <Library models={boot.models} store={store} />
              </>
            )}
            {route.page === 'video' && <VideoPage key={route.id} id={route.id} models={boot.models} store={store} onReuse={reuse} sharing={boot.sharing} />}
            {page === 'settings' && <SettingsPage session={boot.session} sharing={boot.sharing} onSignedOut={() => { setCsrfToken(null); restart(); navigate('/login'); }} />}
            {(page === 'admin' || page === 'moderation') && (isAdmin
              ? <AdminPage models={boot.models} selfId={user?.id ?? null} mode={boot.session.mode} sharing={boot.sharing} tab={page === 'moderation' ? 'moderation' : 'accounts'} />
              : <p className="state">Only admins can see this page.</p>)}
            {PUBLIC_PAGES.has(page) && publicPage(route)}
            {page === 'notifications' && (user && boot.sharing ? <NotificationsPage onUnread={setUnread} /> : <p className="state">There are no notifications on this server.</p>)}
            {route.page === 'not-found' && <NotFound route={route} />}
            {(page === 'login' || page === 'register' || page === 'setup') && (
              <section className="panel state"><h1>You are signed in</h1><p><a href="/" onClick={link('/')}>Go to the studio</a></p></section>
            )}
          </>
        )}
      </main>
    </>
  );
}
