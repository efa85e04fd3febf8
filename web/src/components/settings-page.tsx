// Settings: usage against the plan, the public profile (handle and display name, when the server
// has sharing), API keys (the secret shown once), webhooks, and sessions with "sign out
// everywhere". In local mode there are no keys or sessions to manage: the page says so.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ALL_SCOPES, keyState, usageLines, when } from '../lib/account';
import { api, type Session, errorText } from '../lib/api';
import { handleProblem } from '../lib/sharing';
import { TableWrap } from './table-wrap';
import type { ApiKey, SessionInfo, Sharing, Usage } from '../lib/types';
import { CharactersPanel } from './characters-panel';
import { WebhooksPanel } from './webhooks-panel';


export function SettingsPage({ session, sharing = null, onSignedOut }: { session: Session; sharing?: Sharing | null; onSignedOut(): void }) {
  return (
    <div className="page-stack">
      <h1>Settings</h1>
      <UsagePanel />
      {sharing && <ProfilePanel />}
      {session.mode === 'multi' ? (
        <>
          <KeysPanel isAdmin={session.user?.role === 'admin'} />
          <CharactersPanel />
          <WebhooksPanel />
          <SessionsPanel onSignedOut={onSignedOut} />
        </>
      ) : (
        <>
          <section className="panel"><h2>API keys</h2><p className="hint">This server runs in local single-user mode: any API key works (the openai SDK needs one, e.g. <code>local</code>). Start it with <code>MELIES_AUTH=multi</code> to give each person their own key.</p></section>
          <CharactersPanel />
          <WebhooksPanel />
        </>
      )}
    </div>
  );
}

/** The name others see on published videos: a handle (@name) and a display name, never the email. */
function ProfilePanel() {
  const [handle, setHandle] = useState('');
  const [name, setName] = useState('');
  // The form waits for the saved values, so nothing typed before they arrive is overwritten.
  const [loaded, setLoaded] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const problem = handle ? handleProblem(handle) : null;
  useEffect(() => {
    let live = true;
    api.myProfile().then((p) => {
      if (!live) return;
      setHandle(p.handle ?? '');
      setName(p.display_name ?? '');
      setLoaded(true);
    }, (err: unknown) => { if (live) setError(errorText(err)); });
    return () => { live = false; };
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(null);
    if (problem) return setError(problem);
    try {
      const p = await api.saveProfile({ ...(handle ? { handle } : {}), display_name: name.trim() });
      setHandle(p.handle ?? '');
      setName(p.display_name ?? '');
      setSaved(p.handle ? `Saved. Your public page is /u/${p.handle}.` : 'Saved.');
    } catch (err) { setError(errorText(err)); }
  };
  return (
    <section className="panel" aria-labelledby="profile-h">
      <h2 id="profile-h">Public profile</h2>
      <p className="hint">What others see on the videos you publish and in their signed provenance. Your email is never shown.</p>
      {!loaded && !error && <p className="state" role="status">Loading your profile…</p>}
      {loaded && <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="profile-handle">Handle</label>
          <input id="profile-handle" value={handle} onChange={(e) => setHandle(e.target.value.toLowerCase())} maxLength={30} autoComplete="off" spellCheck={false}
            aria-describedby="profile-handle-hint" aria-invalid={problem ? true : undefined} />
          <p id="profile-handle-hint" className="hint">{problem ?? '3 to 30 lower-case letters, digits or _.'}</p>
        </div>
        <div className="field">
          <label htmlFor="profile-name">Display name</label>
          <input id="profile-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={60} autoComplete="nickname" />
          <p className="hint">&nbsp;</p>
        </div>
        <button type="submit">Save profile</button>
      </form>}
      {saved && <p className="hint" role="status">{saved}</p>}
      {error && <p className="error-box" role="alert">{error}</p>}
    </section>
  );
}

export function UsagePanel() {
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { api.usage().then(setUsage, (e) => setError(errorText(e))); }, []);
  return (
    <section className="panel" aria-labelledby="usage-h">
      <h2 id="usage-h">Usage{usage?.plan ? ` — ${usage.plan.label} plan` : ''}</h2>
      {error && <p className="error-box" role="alert">{error}</p>}
      {!usage && !error && <p className="state" role="status">Loading usage…</p>}
      {usage && !usage.plan && <p className="hint">No plan limits apply to this account.</p>}
      {usage && (
        <dl className="usage">
          {usageLines(usage, Date.now() / 1000).map((l) => (
            <div key={l.label}>
              <dt>{l.label}</dt>
              <dd>
                <span>{l.value}</span>
                <span className="meter" role="meter" aria-label={l.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(l.fraction * 100)}><span style={{ transform: `scaleX(${l.fraction})` }} /></span>
                {l.note && <span className="hint">{l.note}</span>}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {usage?.plan && (
        <p className="hint">
          Per video: up to {usage.plan.max_seconds ?? '∞'} s{usage.plan.max_pixels ? `, ${usage.plan.max_pixels.toLocaleString()} pixels per frame` : ''}
          {usage.plan.allowed_models ? `; models: ${usage.plan.allowed_models.join(', ')}` : ''}.
        </p>
      )}
    </section>
  );
}

function KeysPanel({ isAdmin }: { isAdmin: boolean }) {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['videos:read', 'videos:write']);
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const load = useCallback(() => api.keys().then(setKeys, (e) => setError(errorText(e))), []);
  useEffect(() => { void load(); }, [load]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const k = await api.createKey(name.trim(), scopes, days ? Number(days) : null);
      setCreated(k);
      setCopied(false);
      setName('');
      await load();
    } catch (err) { setError(errorText(err)); }
  };
  const revoke = async (id: string) => {
    setError(null);
    try { await api.revokeKey(id); setConfirming(null); await load(); } catch (err) { setError(errorText(err)); }
  };
  const now = Date.now() / 1000;

  return (
    <section className="panel" aria-labelledby="keys-h">
      <h2 id="keys-h">API keys</h2>
      <p className="hint">Use a key as the openai SDK's <code>apiKey</code> with <code>baseURL: '{location.origin}/v1'</code>. Revoking one stops it on its very next request.</p>
      <form className="inline-form" onSubmit={create}>
        <div className="field">
          <label htmlFor="key-name">Name</label>
          <input id="key-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="laptop, class project…" required maxLength={100} />
        </div>
        <fieldset className="field">
          <legend>Permissions</legend>
          <div className="checks">
            {ALL_SCOPES.filter((s) => s !== 'admin' || isAdmin).map((s) => (
              <label key={s} className="check">
                <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))} />
                {s}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="key-days">Expires after (days)</label>
          <input id="key-days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value.replace(/\D/g, '').slice(0, 4))} placeholder="never" />
        </div>
        <button type="submit" className="primary">Create key</button>
      </form>
      {created && (
        <div className="secret" role="status">
          <p><strong>Your new key “{created.name}”.</strong> Copy it now: you will not see it again.</p>
          <code id="new-key" tabIndex={0}>{created.key}</code>
          <div className="row">
            <button type="button" onClick={() => navigator.clipboard.writeText(created.key).then(() => setCopied(true), () => setCopied(false))}>{copied ? 'Copied' : 'Copy key'}</button>
            <button type="button" onClick={() => setCreated(null)}>Done</button>
          </div>
        </div>
      )}
      {error && <p className="error-box" role="alert">{error}</p>}
      {keys === null ? <p className="state" role="status">Loading keys…</p> : keys.length === 0 ? <p className="empty">No keys yet.</p> : (
        <TableWrap label="API keys table">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Permissions</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {keys.map((k) => {
                const state = keyState(k, now);
                return (
                  <tr key={k.id} data-key-id={k.id}>
                    <td>{k.name}</td>
                    <td><code>{k.prefix}…</code></td>
                    <td>{k.scopes.join(', ')}</td>
                    <td>{when(k.last_used_at)}</td>
                    <td>{state === 'active' ? (k.expires_at ? `expires ${when(k.expires_at)}` : 'active') : state}</td>
                    <td>
                      {state === 'active' && (confirming === k.id ? (
                        <span className="row">
                          <button type="button" className="danger" onClick={() => revoke(k.id)} aria-label={`Confirm revoking ${k.name}`}>Revoke</button>
                          <button type="button" onClick={() => setConfirming(null)}>Keep</button>
                        </span>
                      ) : <button type="button" onClick={() => setConfirming(k.id)} aria-label={`Revoke ${k.name}`}>Revoke…</button>)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function SessionsPanel({ onSignedOut }: { onSignedOut(): void }) {
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { api.sessions().then(setSessions, (e) => setError(errorText(e))); }, []);
  const everywhere = async () => {
    try { await api.logoutAll(); onSignedOut(); } catch (err) { setError(errorText(err)); }
  };
  return (
    <section className="panel" aria-labelledby="sessions-h">
      <h2 id="sessions-h">Signed-in browsers</h2>
      {error && <p className="error-box" role="alert">{error}</p>}
      {sessions && (
        <ul className="plain">
          {sessions.map((s) => <li key={s.id}>{s.current ? <strong>This browser</strong> : (s.user_agent ?? 'Unknown browser').slice(0, 80)} — last seen {when(s.last_seen_at)}</li>)}
        </ul>
      )}
      <button type="button" onClick={everywhere}>Sign out everywhere</button>
    </section>
  );
}
