// Webhooks in Settings: the endpoints this account registered, adding one (URL and events), its
// signing secret shown once (on creation and on rotation) with a copy button, a test event,
// enable/disable, delete, and each endpoint's delivery log (time, status, latency). A server
// without webhooks (404) shows nothing.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { when } from '../lib/account';
import { api, errorText } from '../lib/api';
import { deliveryStatus, WEBHOOK_EVENTS } from '../lib/webhooks';
import type { WebhookDelivery, WebhookEndpoint } from '../lib/types';
import { TableWrap } from './table-wrap';
import { useOptionalList } from './use-optional-list';

export function WebhooksPanel() {
  const { list: endpoints, error, load, run } = useOptionalList(api.webhooks.list);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);

  if (endpoints === null) return null;
  return (
    <section className="panel" aria-labelledby="hooks-h">
      <h2 id="hooks-h">Webhooks</h2>
      <p className="hint">Méliès calls your URL when something happens to your videos. Each call is signed (Standard Webhooks): check it with the endpoint’s secret.</p>
      <AddEndpoint onCreated={(e) => { setSecret({ url: e.url, secret: e.secret }); void load(); }} />
      {secret && <SecretBox url={secret.url} secret={secret.secret} onDone={() => setSecret(null)} />}
      {error && <p className="error-box" role="alert">{error}</p>}
      {endpoints === undefined ? <p className="state" role="status">Loading webhooks…</p> : endpoints.length === 0 ? <p className="empty">No endpoints yet.</p> : (
        <ul className="plain endpoints">
          {endpoints.map((e) => (
            <EndpointItem key={e.id} endpoint={e} run={run} onSecret={(s) => setSecret({ url: e.url, secret: s })} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AddEndpoint({ onCreated }: { onCreated(e: WebhookEndpoint & { secret: string }): void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['video.completed', 'video.failed']);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (events.length === 0) return setError('Pick at least one event.');
    try {
      onCreated(await api.webhooks.create(url.trim(), events, description.trim() || undefined));
      setUrl('');
      setDescription('');
    } catch (err) { setError(errorText(err)); }
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Add a webhook endpoint">
      <div className="field wide">
        <label htmlFor="hook-url">Endpoint URL</label>
        <input id="hook-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.org/hooks/melies" required />
      </div>
      <div className="field wide">
        <label htmlFor="hook-desc">Description <span className="optional">(optional)</span></label>
        <input id="hook-desc" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={200} />
      </div>
      <fieldset className="field">
        <legend>Events</legend>
        <div className="checks">
          {WEBHOOK_EVENTS.map((ev) => (
            <label key={ev.type} className="check" title={ev.help}>
              <input type="checkbox" checked={events.includes(ev.type)} onChange={(e) => setEvents((cur) => (e.target.checked ? [...cur, ev.type] : cur.filter((x) => x !== ev.type)))} />
              {ev.type}
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" className="primary">Add endpoint</button>
      {error && <p className="error-box" role="alert">{error}</p>}
    </form>
  );
}

function SecretBox({ url, secret, onDone }: { url: string; secret: string; onDone(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="secret" role="status">
      <p><strong>Signing secret for {url}.</strong> Copy it now: you will not see it again.</p>
      <code id="hook-secret" tabIndex={0}>{secret}</code>
      <div className="row">
        <button type="button" onClick={() => navigator.clipboard.writeText(secret).then(() => setCopied(true), () => setCopied(false))}>{copied ? 'Copied' : 'Copy secret'}</button>
        <button type="button" onClick={onDone}>Done</button>
      </div>
    </div>
  );
}

function EndpointItem({ endpoint: e, run, onSecret }: { endpoint: WebhookEndpoint; run(fn: () => Promise<unknown>): Promise<void>; onSecret(s: string): void }) {
  const [confirming, setConfirming] = useState(false);
  const [log, setLog] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const active = e.status === 'active';
  return (
    <li className="endpoint" data-endpoint={e.id}>
      <p className="endpoint-head">
        <code className="invite-link">{e.url}</code>
        <span className={`badge${active ? ' ok' : ''}`}>{active ? 'active' : 'disabled'}</span>
      </p>
      {e.description && <p className="hint">{e.description}</p>}
      <p className="hint">Events: {e.events.join(', ')} · added {when(e.created_at)}</p>
      {!active && e.disabled_reason && <p className="hint warn">Disabled: {e.disabled_reason}</p>}
      <span className="row">
        <button type="button" onClick={() => run(async () => { await api.webhooks.test(e.id); setNote('Test event queued: see the delivery log.'); setLog(true); })} aria-label={`Send test to ${e.url}`}>Send test</button>
        <button type="button" onClick={() => run(async () => onSecret((await api.webhooks.rotate(e.id)).secret))} aria-label={`Rotate secret of ${e.url}`}>Rotate secret</button>
        <button type="button" onClick={() => run(() => api.webhooks.update(e.id, { enabled: !active }))} aria-label={`${active ? 'Disable' : 'Enable'} ${e.url}`}>{active ? 'Disable' : 'Enable'}</button>
        <button type="button" aria-expanded={log} onClick={() => setLog((v) => !v)}>Delivery log</button>
        {confirming ? (
          <span className="confirm" role="group" aria-label="Confirm delete">
            <button type="button" className="danger" onClick={() => run(() => api.webhooks.remove(e.id))} aria-label={`Confirm deleting ${e.url}`}>Delete</button>
            <button type="button" onClick={() => setConfirming(false)}>Keep</button>
          </span>
        ) : <button type="button" className="danger" onClick={() => setConfirming(true)} aria-label={`Delete ${e.url}`}>Delete…</button>}
      </span>
      {note && <p className="hint" role="status">{note}</p>}
      {log && <DeliveryLog id={e.id} url={e.url} />}
    </li>
  );
}

function DeliveryLog({ id, url }: { id: string; url: string }) {
  const [rows, setRows] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => api.webhooks.deliveries(id).then(setRows, (err: unknown) => setError(errorText(err))), [id]);
  useEffect(() => { void load(); }, [load]);
  return (
    <div className="deliveries">
      <span className="row"><strong>Deliveries</strong><button type="button" onClick={() => void load()}>Refresh</button></span>
      {error && <p className="error-box" role="alert">{error}</p>}
      {rows === null ? <p className="state" role="status">Loading deliveries…</p> : rows.length === 0 ? <p className="empty">Nothing delivered yet.</p> : (
        <TableWrap label={`Deliveries to ${url}`}>
          <table>
            <thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Latency</th><th scope="col">Attempts</th></tr></thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} data-delivery={d.id}>
                  <td>{when(d.created_at)}</td>
                  <td><code>{d.event_type}</code></td>
                  <td>{deliveryStatus(d)}</td>
                  <td>{d.last_latency_ms === null ? '—' : `${d.last_latency_ms} ms`}</td>
                  <td>{d.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  );
}
