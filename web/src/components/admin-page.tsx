// The operator's pages: users (suspend one without touching anyone else, change role and plan),
// invites, plans, pausing engines, and the audit log. Everything goes through /api/admin. In local
// single-user mode there are no accounts, so only what works there is shown (pauses, engines, the
// audit log), with a sentence saying why the rest is absent. With sharing, a second tab
// (/admin/moderation) holds the publish policy, the review queue and the reports.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { inviteLink, parseModelList, when } from '../lib/account';
import { api, errorText } from '../lib/api';
import { TableWrap } from './table-wrap';
import { navigate } from '../lib/router';
import type { AdminUser, AuditEvent, Invite, ModelCard, Pause, Plan, Sharing } from '../lib/types';
import { EnginesPanel } from './engines-panel';
import { ModerationPanels } from './moderation-panel';


/** Runs an admin action, then reloads; the server's refusal is shown as written. */
function useAction(reload: () => Promise<unknown>) {
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try { await fn(); await reload(); } catch (err) { setError(errorText(err)); }
  };
  return { error, run };
}

type AdminTab = 'accounts' | 'moderation';

/** Two pages of one admin area, as links (each has its own address), the current one marked. */
function AdminTabs({ tab }: { tab: AdminTab }) {
  const to = (path: string) => (e: { preventDefault(): void }) => { e.preventDefault(); navigate(path); };
  return (
    <nav className="tabs" aria-label="Admin sections">
      <a href="/admin" aria-current={tab === 'accounts' ? 'page' : undefined} onClick={to('/admin')}>Accounts and engines</a>
      <a href="/admin/moderation" aria-current={tab === 'moderation' ? 'page' : undefined} onClick={to('/admin/moderation')}>Moderation</a>
    </nav>
  );
}

export function AdminPage({ models, selfId, mode, sharing = null, tab = 'accounts' }: {
  models: ModelCard[]; selfId: string | null; mode: 'local' | 'multi'; sharing?: Sharing | null; tab?: AdminTab;
}) {
  if (sharing && tab === 'moderation') {
    return (
      <div className="page-stack">
        <h1>Admin</h1>
        <AdminTabs tab={tab} />
        <ModerationPanels />
      </div>
    );
  }
  if (mode === 'local') {
    return (
      <div className="page-stack">
        <h1>Admin</h1>
        {sharing && <AdminTabs tab="accounts" />}
        <p className="panel hint" role="note">
          This server runs in local single-user mode: there are no accounts, so users, invites and plans do not apply and are not shown.
          Start it with <code>MELIES_AUTH=multi</code> to share it with others.
        </p>
        <PausesPanel models={models} />
        <EnginesPanel />
        <AuditPanel />
      </div>
    );
  }
  return <SharedAdmin models={models} selfId={selfId} tabs={sharing !== null} />;
}

function SharedAdmin({ models, selfId, tabs }: { models: ModelCard[]; selfId: string | null; tabs: boolean }) {
  const [plans, setPlans] = useState<Plan[]>([]);
  const loadPlans = useCallback(() => api.admin.plans().then(setPlans), []);
  useEffect(() => { void loadPlans(); }, [loadPlans]);
  return (
    <div className="page-stack">
      <h1>Admin</h1>
      {tabs && <AdminTabs tab="accounts" />}
      <UsersPanel plans={plans} selfId={selfId} />
      <InvitesPanel plans={plans} />
      <PlansPanel plans={plans} reload={loadPlans} />
      <PausesPanel models={models} />
      <EnginesPanel />
      <AuditPanel />
    </div>
  );
}

function UsersPanel({ plans, selfId }: { plans: Plan[]; selfId: string | null }) {
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const load = useCallback(() => api.admin.users().then(setUsers), []);
  const { error, run } = useAction(load);
  useEffect(() => { load().catch(() => setUsers([])); }, [load]);
  return (
    <section className="panel" aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      {error && <p className="error-box" role="alert">{error}</p>}
      {users === null ? <p className="state" role="status">Loading users…</p> : users.length === 0 ? <p className="empty">No accounts yet: create an invite below.</p> : (
        <TableWrap label="Users table">
          <table>
            <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Plan</th><th scope="col">Today</th><th scope="col">Running</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-user={u.email}>
                  <td>{u.email}</td>
                  <td>
                    <select aria-label={`Role of ${u.email}`} value={u.role} disabled={u.id === selfId} onChange={(e) => run(() => api.admin.updateUser(u.id, { role: e.target.value }))}>
                      <option value="member">member</option><option value="admin">admin</option>
                    </select>
                  </td>
                  <td>
                    <select aria-label={`Plan of ${u.email}`} value={u.plan} onChange={(e) => run(() => api.admin.updateUser(u.id, { plan: e.target.value }))}>
                      {plans.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
                    </select>
                  </td>
                  <td>{u.usage_today_seconds ?? 0} s</td>
                  <td>{u.active_jobs ?? 0}</td>
                  <td>{u.status}</td>
                  <td>
                    {u.id !== selfId && (u.status === 'active'
                      ? <button type="button" className="danger" onClick={() => run(() => api.admin.suspend(u.id))} aria-label={`Suspend ${u.email}`}>Suspend</button>
                      : <button type="button" onClick={() => run(() => api.admin.reactivate(u.id))} aria-label={`Reactivate ${u.email}`}>Reactivate</button>)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <p className="hint">Suspending ends the user's sessions, stops their keys and cancels (and refunds) their queued and running videos. Nobody else is affected.</p>
    </section>
  );
}

function InvitesPanel({ plans }: { plans: Plan[] }) {
  const [invites, setInvites] = useState<Invite[] | null>(null);
  const [plan, setPlan] = useState('free');
  const [uses, setUses] = useState('30');
  const [days, setDays] = useState('14');
  const load = useCallback(() => api.admin.invites().then(setInvites), []);
  const { error, run } = useAction(load);
  useEffect(() => { load().catch(() => setInvites([])); }, [load]);
  const create = (e: FormEvent) => { e.preventDefault(); void run(() => api.admin.createInvite(plan, Number(uses), days ? Number(days) : null)); };
  const now = Date.now() / 1000;
  return (
    <section className="panel" aria-labelledby="invites-h">
      <h2 id="invites-h">Invites</h2>
      <form className="inline-form" onSubmit={create}>
        <div className="field"><label htmlFor="inv-plan">Plan</label>
          <select id="inv-plan" value={plan} onChange={(e) => setPlan(e.target.value)}>{plans.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}</select></div>
        <div className="field"><label htmlFor="inv-uses">Uses</label><input id="inv-uses" inputMode="numeric" value={uses} onChange={(e) => setUses(e.target.value.replace(/\D/g, ''))} /></div>
        <div className="field"><label htmlFor="inv-days">Valid for (days)</label><input id="inv-days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value.replace(/\D/g, ''))} /></div>
        <button type="submit" className="primary">Create invite</button>
      </form>
      {error && <p className="error-box" role="alert">{error}</p>}
      {invites && invites.length === 0 && <p className="empty">No invites yet.</p>}
      {invites && invites.length > 0 && (
        <ul className="plain invites">
          {invites.map((i) => {
            const live = i.revoked_at === null && (i.expires_at === null || i.expires_at > now) && i.uses < i.max_uses;
            const link = inviteLink(location.origin, i.code);
            return (
              <li key={i.code} data-invite={i.code}>
                <code className="invite-link">{link}</code>
                <span className="hint">{i.plan} · used {i.uses} of {i.max_uses} · {i.revoked_at ? 'revoked' : i.expires_at ? `until ${when(i.expires_at)}` : 'no expiry'}</span>
                {live && <button type="button" onClick={() => navigator.clipboard.writeText(link).catch(() => {})}>Copy link</button>}
                {live && <button type="button" onClick={() => run(() => api.admin.revokeInvite(i.code))}>Revoke</button>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

const PLAN_FIELDS: { key: keyof Plan; label: string }[] = [
  { key: 'seconds_per_day', label: 'Seconds / day' }, { key: 'seconds_per_month', label: 'Seconds / month' }, { key: 'max_concurrent', label: 'At once' },
  { key: 'max_seconds', label: 'Max seconds' }, { key: 'max_pixels', label: 'Max pixels' }, { key: 'priority', label: 'Priority' }, { key: 'usd_budget_month', label: 'USD / month' },
];

function PlansPanel({ plans, reload }: { plans: Plan[]; reload(): Promise<unknown> }) {
  const { error, run } = useAction(reload);
  return (
    <section className="panel" aria-labelledby="plans-h">
      <h2 id="plans-h">Plans</h2>
      <p className="hint">Empty means no limit. Models: comma-separated ids, empty for every model.{plans.some((p) => 'watermark' in p) && ' Watermark: text drawn on the plan’s videos, empty for none.'}</p>
      {error && <p className="error-box" role="alert">{error}</p>}
      {plans.map((p) => <PlanRow key={`${p.id}-${JSON.stringify(p)}`} plan={p} save={(fields) => run(() => api.admin.savePlan(p.id, fields))} />)}
    </section>
  );
}

function PlanRow({ plan, save }: { plan: Plan; save(fields: Partial<Plan>): void }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(PLAN_FIELDS.map((f) => [f.key, plan[f.key] == null ? '' : String(plan[f.key])])));
  const [models, setModels] = useState((plan.allowed_models ?? []).join(', '));
  // Only servers that know watermarks send the field; the editor shows it only then.
  const hasWatermark = 'watermark' in plan;
  const [watermark, setWatermark] = useState(plan.watermark ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, unknown> = { allowed_models: parseModelList(models) };
    if (hasWatermark) fields.watermark = watermark.trim() || null;
    for (const f of PLAN_FIELDS) fields[f.key] = values[f.key] === '' ? (f.key === 'priority' ? 0 : null) : Number(values[f.key]);
    save(fields as Partial<Plan>);
  };
  return (
    <form className="plan-row" onSubmit={submit} aria-label={`Plan ${plan.label}`} data-plan={plan.id}>
      <h3>{plan.label} <code>{plan.id}</code></h3>
      <div className="inline-form">
        {PLAN_FIELDS.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`plan-${plan.id}-${f.key}`}>{f.label}</label>
            <input id={`plan-${plan.id}-${f.key}`} inputMode="decimal" value={values[f.key]} onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value.replace(/[^\d.]/g, '') }))} />
          </div>
        ))}
        <div className="field wide"><label htmlFor={`plan-${plan.id}-models`}>Models</label><input id={`plan-${plan.id}-models`} value={models} onChange={(e) => setModels(e.target.value)} placeholder="every model" /></div>
        {hasWatermark && (
          <div className="field wide"><label htmlFor={`plan-${plan.id}-watermark`}>Watermark</label><input id={`plan-${plan.id}-watermark`} value={watermark} onChange={(e) => setWatermark(e.target.value)} maxLength={80} placeholder="none" /></div>
        )}
        <button type="submit">Save {plan.label}</button>
      </div>
    </form>
  );
}

function PausesPanel({ models }: { models: ModelCard[] }) {
  const engines = [...new Set(models.map((m) => m.owned_by))];
  // null until loaded; a load failure is shown, never read as "nothing is paused".
  const [pauses, setPauses] = useState<Pause[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [engine, setEngine] = useState('*');
  const [text, setText] = useState('');
  const load = useCallback(() => api.admin.pauses().then((p) => { setPauses(p); setLoadError(null); }, (err: unknown) => setLoadError(errorText(err))), []);
  const { error, run } = useAction(load);
  useEffect(() => { void load(); }, [load]);
  return (
    <section className="panel" aria-labelledby="pauses-h">
      <h2 id="pauses-h">Pause generation</h2>
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void run(() => api.admin.pause(engine, text)); }}>
        <div className="field"><label htmlFor="pause-engine">Engine</label>
          <select id="pause-engine" value={engine} onChange={(e) => setEngine(e.target.value)}>
            <option value="*">All generation</option>
            {engines.map((e) => <option key={e} value={e}>{e}</option>)}
          </select></div>
        <div className="field wide"><label htmlFor="pause-msg">Message to users</label><input id="pause-msg" value={text} onChange={(e) => setText(e.target.value)} placeholder="Back at noon." /></div>
        <button type="submit" className="danger">Pause</button>
      </form>
      {error && <p className="error-box" role="alert">{error}</p>}
      {loadError ? (
        <div className="error-box" role="alert">
          <p>The pauses could not be read, so whether anything is paused is unknown: {loadError}</p>
          <button type="button" onClick={() => void load()}>Try again</button>
        </div>
      ) : pauses === null ? <p className="state" role="status">Loading pauses…</p> : pauses.length === 0 ? <p className="empty">Everything is running.</p> : (
        <ul className="plain">
          {pauses.map((p) => (
            <li key={p.engine}><strong>{p.engine === '*' ? 'All generation' : p.engine}</strong> paused: {p.message} <button type="button" onClick={() => run(() => api.admin.resume(p.engine))}>Resume</button></li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AuditPanel() {
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async (after?: string) => {
    try {
      const page = await api.admin.audit(after);
      setEvents((cur) => (after ? [...cur, ...page.data] : page.data));
      setCursor(page.last_id);
      setMore(page.has_more);
    } catch (err) { setError(errorText(err)); }
  }, []);
  useEffect(() => { void load(); }, [load]);
  return (
    <section className="panel" aria-labelledby="audit-h">
      <h2 id="audit-h">Audit log</h2>
      <p><a className="button" href="/api/admin/audit.jsonl" download>Download JSONL</a></p>
      {error && <p className="error-box" role="alert">{error}</p>}
      <TableWrap label="Audit log table">
        <table>
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Target</th></tr></thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{when(e.at)}</td>
                <td>{e.actor ? <Person email={e.actor.email} id={e.actor.user_id} /> : '—'}{e.actor?.key_id ? ' (API key)' : ''}</td>
                <td>{e.action}</td>
                <td>{e.target ? (e.target.type === 'user' ? <Person email={e.target.email ?? null} id={e.target.id} /> : <>{e.target.type} <code>{e.target.id}</code></>) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {more && cursor && <button type="button" onClick={() => load(cursor)}>Load more</button>}
    </section>
  );
}

/** Someone in the log: their email with the id beside it, or the id alone when the email is unknown. */
function Person({ email, id }: { email: string | null | undefined; id: string }) {
  if (id === 'usr_local' && !email) return <>local user</>;
  return email ? <><span className="person">{email}</span> <code className="id">{id}</code></> : <code>{id}</code>;
}
