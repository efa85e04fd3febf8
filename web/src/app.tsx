// The studio shell: loads the session and model cards, holds the composer's draft (so "reuse
// settings" can fill it from any page) and the live job store, and shows one page. In multi-user
// mode it shows the sign-in page until there is a session; in local mode there is no login.
// Create and Library are two parts of one page: the navigation marks whichever is in view, so
// exactly one item is current.
import { useCallback, useEffect, useState, useSyncExternalStore, type MouseEvent } from 'react';
import { api, setCsrfToken, UNAUTHORIZED_EVENT, type Session, type SignedIn, errorText } from './lib/api';
import type { Draft } from './lib/card-controls';
import { JobStore } from './lib/job-store';
import { navigate, useRoute, type Route } from './lib/router';
import type { ModelCard } from './lib/types';
import { AdminPage } from './components/admin-page';
import { LoginPage, RegisterPage, SetupPage } from './components/auth-pages';
import { Composer } from './components/composer';
import { JobTray } from './components/job-tray';
import { Library } from './components/library';
import { SettingsPage } from './components/settings-page';
import { VideoPage } from './components/video-page';

type Boot =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'signed-out'; session: Session }
  | { state: 'ready'; session: Session; models: ModelCard[] };

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

export function App() {
  const route = useRoute();
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [store, setStore] = useState(() => new JobStore());
  const jobs = useSyncExternalStore(store.subscribe, store.snapshot);

  const load = useCallback(async () => {
    try {
      const session = await api.session();
      setCsrfToken(session.csrf_token);
      if (session.login_required) return setBoot({ state: 'signed-out', session });
      const [models, active] = await Promise.all([api.models(), api.library({ status: 'active' }, undefined, 100)]);
      for (const v of active.data) store.track(v);
      setBoot({ state: 'ready', session, models });
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
    navigate('/');
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
  const current = (item: 'create' | 'library' | 'settings' | 'admin') =>
    (page === 'studio' ? section === item : page === item) ? 'page' as const : undefined;
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
            <a href="/settings" aria-current={current('settings')} onClick={link('/settings')}>Settings</a>
            {isAdmin && <a href="/admin" aria-current={current('admin')} onClick={link('/admin')}>Admin</a>}
            {user && <span className="who" title={user.email}>{user.email}</span>}
            {user && <button type="button" className="linkish" onClick={() => void signOut()}>Sign out</button>}
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
          page === 'setup' ? <SetupPage onSignedIn={signedIn} />
            : page === 'register' ? <RegisterPage session={boot.session} onSignedIn={signedIn} />
              : <LoginPage session={boot.session} onSignedIn={signedIn} />
        )}
        {boot.state === 'ready' && (
          <>
            {page === 'studio' && (
              <>
                <Composer models={boot.models} draft={draft} onDraftUsed={() => setDraft(null)} onCreated={(vs) => vs.forEach((v) => store.track(v))} />
                <JobTray jobs={jobs} store={store} onReuse={reuse} />
                <Library models={boot.models} store={store} />
              </>
            )}
            {route.page === 'video' && <VideoPage key={route.id} id={route.id} models={boot.models} store={store} onReuse={reuse} />}
            {page === 'settings' && <SettingsPage session={boot.session} onSignedOut={() => { setCsrfToken(null); restart(); navigate('/login'); }} />}
            {page === 'admin' && (isAdmin ? <AdminPage models={boot.models} selfId={user?.id ?? null} mode={boot.session.mode} /> : <p className="state">Only admins can see this page.</p>)}
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
