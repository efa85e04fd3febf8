// Characters in Settings (issue 15 §3): make one from a photo or a short clip, confirming that the
// person shown is you or that you have their consent (required here: the studio never uploads an
// unconfirmed likeness); choose who may use it (only me, people I approve, everyone here); grant
// it by email or handle; revoke it (for good: waiting videos made with it fail at once); see every
// video made with it. Characters others let you use are listed too. A server without characters
// (404) shows nothing.
import { useState, type FormEvent } from 'react';
import { api, errorText } from '../lib/api';
import { useOptionalList } from './use-optional-list';
import type { Character, CharacterSharing } from '../lib/types';

export const SHARING_LABELS: Record<CharacterSharing, string> = { only_me: 'Only me', approved: 'People I approve', everyone: 'Everyone here' };

export function CharactersPanel() {
  const { list, error, load, run } = useOptionalList(api.characters.list);

  if (list === null) return null;
  const mine = list?.filter((c) => c.mine) ?? [];
  const shared = list?.filter((c) => !c.mine) ?? [];
  return (
    <section className="panel" aria-labelledby="characters-h">
      <h2 id="characters-h">Characters</h2>
      <p className="hint">A character keeps a look (a person, a pet, a figure) across videos, on models whose card says so. It is yours: you choose who may use it, and you can revoke it at any time.</p>
      <NewCharacter onCreated={load} />
      {error && <p className="error-box" role="alert">{error}</p>}
      {list === undefined ? <p className="state" role="status">Loading characters…</p> : (
        <>
          {mine.length === 0 ? <p className="empty">No characters yet.</p> : (
            <ul className="plain endpoints" aria-label="Your characters">
              {mine.map((c) => <MyCharacter key={c.id} character={c} run={run} />)}
            </ul>
          )}
          {shared.length > 0 && (
            <>
              <h3>Shared with you</h3>
              <ul className="plain" aria-label="Characters shared with you">
                {shared.map((c) => <li key={c.id}><img src={c.look_url} alt="" width={48} height={48} className="look" /> {c.name} <code>{c.id}</code></li>)}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

function NewCharacter({ onCreated }: { onCreated(): void }) {
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [sharing, setSharing] = useState<CharacterSharing>('only_me');
  const [consent, setConsent] = useState<'self' | 'consent' | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || !consent) return;
    setBusy(true);
    setError(null);
    try {
      await api.characters.create(name, file, sharing, consent);
      setName('');
      setFile(null);
      setConsent('');
      setSharing('only_me');
      (e.target as HTMLFormElement).reset();
      onCreated();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="New character">
      <div className="field">
        <label htmlFor="char-name">Character name</label>
        <input id="char-name" value={name} maxLength={80} required onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field wide">
        <label htmlFor="char-file">A photo (PNG, JPEG, WebP) or a clip of a few seconds (MP4, MOV, WebM)</label>
        <input id="char-file" type="file" accept="image/png,image/jpeg,image/webp,video/mp4,video/quicktime,video/webm" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <div className="field">
        <label htmlFor="char-sharing">Who may use it</label>
        <select id="char-sharing" value={sharing} onChange={(e) => setSharing(e.target.value as CharacterSharing)}>
          {(Object.keys(SHARING_LABELS) as CharacterSharing[]).map((s) => <option key={s} value={s}>{SHARING_LABELS[s]}</option>)}
        </select>
      </div>
      <fieldset className="field wide">
        <legend>Consent (required)</legend>
        <div className="checks">
          <label className="check"><input type="radio" name="char-consent" value="self" checked={consent === 'self'} onChange={() => setConsent('self')} /> The person shown is me</label>
          <label className="check"><input type="radio" name="char-consent" value="consent" checked={consent === 'consent'} onChange={() => setConsent('consent')} /> I have the consent of everyone shown (or it shows no real person)</label>
        </div>
      </fieldset>
      <button type="submit" className="primary" disabled={busy || !name.trim() || !file || !consent}>{busy ? 'Uploading…' : 'Make character'}</button>
      {error && <p className="error-box" role="alert">{error}</p>}
    </form>
  );
}

function MyCharacter({ character: c, run }: { character: Character; run(fn: () => Promise<unknown>): Promise<void> }) {
  const [who, setWho] = useState('');
  const [detail, setDetail] = useState<Character | null>(null);
  const [confirming, setConfirming] = useState(false);
  const revoked = c.status === 'revoked';
  return (
    <li className="endpoint" aria-label={`Character ${c.name}`}>
      <p><img src={c.look_url} alt={`The look of ${c.name}`} width={64} height={64} className="look" /> <strong>{c.name}</strong> <code>{c.id}</code> · {revoked ? 'revoked' : c.status === 'pending_consent' ? 'waiting for your consent confirmation' : SHARING_LABELS[c.sharing]}</p>
      {!revoked && (
        <div className="row-actions">
          <label>Who may use it{' '}
            <select value={c.sharing} onChange={(e) => void run(() => api.characters.share(c.id, e.target.value as CharacterSharing))}>
              {(Object.keys(SHARING_LABELS) as CharacterSharing[]).map((s) => <option key={s} value={s}>{SHARING_LABELS[s]}</option>)}
            </select>
          </label>
          {c.sharing === 'approved' && (
            <form onSubmit={(e) => { e.preventDefault(); void run(async () => { await api.characters.grant(c.id, who.trim()); setWho(''); }); }}>
              <label>Allow someone (email or handle){' '}<input value={who} required onChange={(e) => setWho(e.target.value)} /></label>
              <button type="submit">Allow</button>
            </form>
          )}
          {!confirming ? <button type="button" className="danger" onClick={() => setConfirming(true)}>Revoke…</button> : (
            <span className="confirm" role="group" aria-label={`Confirm revoking ${c.name}`}>
              <span>Revoke for good? Videos waiting to be made with it fail now.</span>
              <button type="button" className="danger" onClick={() => void run(() => api.characters.revoke(c.id))}>Revoke</button>
              <button type="button" onClick={() => setConfirming(false)}>Keep it</button>
            </span>
          )}
        </div>
      )}
      <details onToggle={(e) => { if ((e.target as HTMLDetailsElement).open) void api.characters.get(c.id).then(setDetail, () => {}); }}>
        <summary>Videos made with it, and who may use it</summary>
        {detail?.grants && detail.grants.length > 0 && <p>Allowed: {detail.grants.map((g) => g.handle ? `@${g.handle}` : g.user_id).join(', ')}</p>}
        {detail?.videos && (detail.videos.length === 0 ? <p className="empty">No videos yet.</p> : (
          <ul className="plain">{detail.videos.map((v) => <li key={v.id}><code>{v.id}</code> · {v.mine ? 'yours' : 'someone else\u2019s'} · {v.status}</li>)}</ul>
        ))}
      </details>
    </li>
  );
}
