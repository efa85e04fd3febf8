// Signing in, registering with an invite, and creating the first admin from the one-time setup
// link. Shown only in multi-user mode; the server's messages are shown as written.
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, type Session, type SignedIn, errorText } from '../lib/api';
import { navigate } from '../lib/router';

function AuthForm({ title, intro, submit, children, onDone, button }: {
  title: string; intro?: ReactNode; button: string; children: ReactNode; submit(): Promise<SignedIn>; onDone(s: SignedIn): void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const go = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await submit());
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="auth panel" aria-labelledby="auth-h">
      <h1 id="auth-h">{title}</h1>
      {intro}
      <form onSubmit={go} className="stack">
        {children}
        <button type="submit" className="primary" disabled={busy}>{busy ? 'One moment…' : button}</button>
        {error && <p className="error-box" role="alert">{error}</p>}
      </form>
    </section>
  );
}

function Field({ id, label, type = 'text', value, set, autoComplete, hint }: { id: string; label: string; type?: string; value: string; set(v: string): void; autoComplete?: string; hint?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type={type} value={value} onChange={(e) => set(e.target.value)} autoComplete={autoComplete} required aria-describedby={hint ? `${id}-hint` : undefined} />
      {hint && <p id={`${id}-hint`} className="hint">{hint}</p>}
    </div>
  );
}

export function LoginPage({ session, onSignedIn }: { session: Session; onSignedIn(s: SignedIn): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  return (
    <AuthForm title="Sign in" button="Sign in" submit={() => api.login(email, password)} onDone={onSignedIn}
      intro={session.registration !== 'closed' && (
        <p className="hint">No account yet? <a href="/register" onClick={(e) => { e.preventDefault(); navigate('/register'); }}>Register{session.registration === 'invite' ? ' with an invite code' : ''}</a>.</p>
      )}>
      <Field id="login-email" label="Email" type="email" value={email} set={setEmail} autoComplete="username" />
      <Field id="login-password" label="Password" type="password" value={password} set={setPassword} autoComplete="current-password" />
    </AuthForm>
  );
}

export function RegisterPage({ session, onSignedIn }: { session: Session; onSignedIn(s: SignedIn): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState(() => new URLSearchParams(location.search).get('invite') ?? '');
  if (session.registration === 'closed') {
    return <section className="auth panel state"><h1>Registration is closed</h1><p>Ask the operator of this server for an account.</p></section>;
  }
  return (
    <AuthForm title="Create your account" button="Create account" submit={() => api.register(email, password, code)} onDone={onSignedIn}
      intro={<p className="hint">Already registered? <a href="/login" onClick={(e) => { e.preventDefault(); navigate('/login'); }}>Sign in</a>.</p>}>
      <Field id="reg-email" label="Email" type="email" value={email} set={setEmail} autoComplete="username" />
      <Field id="reg-password" label="Password" type="password" value={password} set={setPassword} autoComplete="new-password" hint="At least 10 characters." />
      {(session.registration === 'invite' || code) && <Field id="reg-invite" label="Invite code" value={code} set={setCode} />}
    </AuthForm>
  );
}

export function SetupPage({ onSignedIn }: { onSignedIn(s: SignedIn): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  if (!token) {
    return <section className="auth panel state"><h1>Setup link needed</h1><p>Open the one-time link the server printed when it started (it ends with <code>#token=…</code>).</p></section>;
  }
  return (
    <AuthForm title="Create the admin account" button="Create admin account" submit={() => api.setup(token, email, password)} onDone={onSignedIn}
      intro={<p className="hint">This link works once. The admin can invite people, set plans, and stop anyone who misuses the server.</p>}>
      <Field id="setup-email" label="Email" type="email" value={email} set={setEmail} autoComplete="username" />
      <Field id="setup-password" label="Password" type="password" value={password} set={setPassword} autoComplete="new-password" hint="At least 10 characters." />
    </AuthForm>
  );
}
