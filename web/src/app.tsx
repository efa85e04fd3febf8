// The studio shell: loads the session and model cards once, holds the composer's draft (so "reuse
// settings" can fill it from any page) and the live job store, and shows one of two pages.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { api, ApiFailure } from './lib/api';
import type { Draft } from './lib/card-controls';
import { JobStore } from './lib/job-store';
import { navigate, useRoute } from './lib/router';
import type { ModelCard } from './lib/types';
import { Composer } from './components/composer';
import { JobTray } from './components/job-tray';
import { Library } from './components/library';
import { VideoPage } from './components/video-page';

type Boot = { state: 'loading' } | { state: 'error'; message: string } | { state: 'login' } | { state: 'ready'; models: ModelCard[] };

export function App() {
  const route = useRoute();
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [draft, setDraft] = useState<Draft | null>(null);
  const store = useMemo(() => new JobStore(), []);
  const jobs = useSyncExternalStore(store.subscribe, store.snapshot);

  const load = useCallback(async () => {
    setBoot({ state: 'loading' });
    try {
      const session = await api.session();
      if (session.login_required) return setBoot({ state: 'login' });
      const [models, active] = await Promise.all([api.models(), api.library({ status: 'active' }, undefined, 100)]);
      for (const v of active.data) store.track(v);
      setBoot({ state: 'ready', models });
    } catch (err) {
      setBoot({ state: 'error', message: err instanceof ApiFailure ? err.message : String(err) });
    }
  }, [store]);

  useEffect(() => {
    void load();
    return () => store.close();
  }, [load, store]);

  const reuse = useCallback((d: Draft) => {
    setDraft({ ...d });
    navigate('/');
    requestAnimationFrame(() => document.getElementById('prompt')?.focus());
  }, []);

  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="top">
        <a className="brand" href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>Méliès <span>studio</span></a>
        <nav aria-label="Main">
          <a href="/" aria-current={route.page === 'studio' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate('/'); }}>Create</a>
          <a href="/#library" onClick={(e) => { e.preventDefault(); navigate('/'); requestAnimationFrame(() => document.getElementById('library')?.scrollIntoView()); }}>Library</a>
          <a href="/v1/models">API</a>
        </nav>
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
        {boot.state === 'login' && (
          <div className="state">
            <h1>Sign in required</h1>
            <p>This server shares its engines with several people, so it needs to know who you are. Ask its operator for an account or an invite.</p>
          </div>
        )}
        {boot.state === 'ready' && route.page === 'studio' && (
          <>
            <Composer models={boot.models} draft={draft} onDraftUsed={() => setDraft(null)} onCreated={(vs) => vs.forEach((v) => store.track(v))} />
            <JobTray jobs={jobs} store={store} />
            <Library models={boot.models} store={store} />
          </>
        )}
        {boot.state === 'ready' && route.page === 'video' && (
          <VideoPage key={route.id} id={route.id} models={boot.models} store={store} onReuse={reuse} />
        )}
      </main>
    </>
  );
}
