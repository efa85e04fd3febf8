// Accounts as the /api wire shows them (services/accounts/account.wire.ts), and the schemas of the
// routes that serve them: the signed-in user's own account (auth.routes.ts) and the operators'
// controls (admin.routes.ts).
import { ROLES, SCOPES } from '../../domain/account.js';
import {
  OK, bool, error, int, json, jsonBody, nullable, num, object, optionalFields, pathParams, ref, str, unixSeconds,
  type RouteDoc, type Schema,
} from './common.js';

const limit = (what: string) => nullable(int(`${what}; null = no limit.`, { minimum: 0 }));
const scopes = { type: 'array', items: { enum: [...SCOPES] }, description: 'What the key may do: `videos:read` (GET), `videos:write` (everything else), `admin` (operators).' };
const planFields: Record<string, Schema> = {
  id: str('Plan id (lower-case letters, digits, `-`, `_`).'),
  label: str('Its name for people.'),
  seconds_per_day: limit('Seconds of video a day (UTC)'),
  seconds_per_month: limit('Seconds of video a month'),
  max_concurrent: limit('Videos queued or rendering at once'),
  max_seconds: limit('Longest video'),
  max_pixels: limit('Largest frame, in pixels'),
  allowed_models: nullable({ type: 'array', items: { type: 'string' }, description: 'Models it may use; null = all.' }),
  priority: int('Queue priority, -100 to 100 (higher goes first).'),
  usd_budget_month: nullable(num('Cloud spend a month, in US dollars; null = no budget limit.')),
  watermark: nullable(str('Visible text burned into the corner of this plan\'s videos (1 to 80 characters); null = none.')),
  max_file_bytes: limit('Bytes of uploaded files (`/v1/files`) a user may keep'),
};
const userFields: Record<string, Schema> = {
  id: str('User id (`usr_…`).'),
  email: str('Sign-in email (lower case).'),
  role: str('`admin` runs the server.', { enum: [...ROLES] }),
  plan: str('Plan id.'),
  status: str('Suspended users cannot sign in; their keys stop working.', { enum: ['active', 'suspended'] }),
};
const window = object({ used_seconds: int('Used.'), limit_seconds: limit('Allowed'), resets_at: unixSeconds('When it resets') });
const pause = object({
  engine: str('The paused engine, or `*` for all generation.'),
  message: str("The operator's message, shown to people whose requests are refused."),
  created_at: unixSeconds('Since when'),
});

export const accountComponents: Record<string, Schema> = {
  User: object({ ...userFields, created_at: unixSeconds('Joined') }),
  SessionInfo: object({
    mode: str('`local`: one implicit user, no sign-in; `multi`: accounts and API keys.', { enum: ['local', 'multi'] }),
    login_required: bool('Sign in before anything else.'),
    setup_required: bool('No admin exists yet: the first one is created with the setup link the server printed.'),
    registration: str('Who may create an account.', { enum: ['open', 'invite', 'closed'] }),
    user: nullable(object(userFields)),
    csrf_token: nullable(str('Send it as `x-csrf-token` on every cookie-authenticated write.')),
  }),
  SignedIn: object({ user: ref('User'), csrf_token: str('Send it as `x-csrf-token` on every write made with the session cookie.') }, {
    description: 'A new session: the answer also sets the session cookie.',
  }),
  Session: object({
    id: str('Session id (`ses_…`).'),
    current: bool('The session this request came with.'),
    created_at: unixSeconds('Signed in'),
    last_seen_at: unixSeconds('Last used'),
    user_agent: nullable(str('The browser that signed in.')),
  }),
  Key: object({
    id: str('Key id (`key_…`).'),
    name: str('Its name.'),
    prefix: str('The start of the secret, to recognise it.'),
    scopes,
    created_at: unixSeconds('Created'),
    expires_at: nullable(unixSeconds('Stops working; null = never')),
    last_used_at: nullable(unixSeconds('Last used')),
    revoked_at: nullable(unixSeconds('Revoked')),
  }, { description: 'An API key. Its secret is shown once, when it is created.' }),
  Plan: object(planFields, { description: 'What a plan allows.' }),
  Usage: object({
    plan: nullable(ref('Plan')),
    day: window,
    month: window,
    concurrent: object({ active: int('Queued or rendering now.'), limit: limit('At once') }),
    usd_month: object({ used: num('Cloud spend this month, US dollars.'), limit: nullable(num('Budget; null = none.')) }),
    files: object({ used_bytes: int('Bytes of uploaded files kept (`/v1/files`).'), limit_bytes: limit('Allowed') }),
  }, { description: 'What the caller used against their plan.' }),
  Invite: object({
    code: str('The code to register with (`inv_…`).'),
    plan: str('The plan new accounts get.'),
    max_uses: int('How many accounts it can make.'),
    uses: int('How many it made.'),
    expires_at: nullable(unixSeconds('Stops working; null = never')),
    revoked_at: nullable(unixSeconds('Revoked')),
    created_at: unixSeconds('Created'),
  }),
  Pause: pause,
  AuditEvent: object({
    id: str('Event id.'),
    at: unixSeconds('When'),
    actor: nullable(object({ user_id: str('Who.'), key_id: nullable(str('Through which API key.')), email: nullable(str('Their email, when the user still exists.')) })),
    action: str('What, e.g. `auth.login`, `key.create`, `admin.user_suspend`, `video.delete`.'),
    target: nullable({
      ...optionalFields({ type: str('What kind of thing.'), id: nullable(str('Which.')), email: nullable(str('When the target is a user: their email, when they still exist.')) }, ['type', 'id']),
    }),
    details: nullable({ type: 'object', additionalProperties: true, description: 'Action-specific facts.' }),
    ip: nullable(str('The client address.')),
  }),
};

const localMode = '`local_mode` when the server runs in local single-user mode (there are no accounts).';
const credentials = optionalFields({ email: str('Sign-in email.'), password: str('At least 10 characters.', { minLength: 10, maxLength: 200 }) }, ['email', 'password']);
const signedIn = json('Signed in: the session cookie is set (`__Host-melies_session` behind TLS, `melies_session` on plain-http loopback).', ref('SignedIn'), {
  'set-cookie': { description: 'The session cookie (HttpOnly, SameSite=Lax, Path=/).', schema: { type: 'string' } },
});
const list = (item: string, description: string) => json(description, object({ data: { type: 'array', items: ref(item) } }));

export const authSchemas = {
  session: {
    summary: 'Who is signed in, and how this server runs',
    description: 'Public: the studio reads it first to choose between the sign-in page, the setup page and the studio.',
    tags: ['Account'], operationId: 'getSession',
    response: { 200: json('The mode and the signed-in user, if any.', ref('SessionInfo')) },
  },
  setup: {
    summary: 'Create the first admin',
    description: 'With the one-time token from the setup link the server prints at first start (valid 24 h).',
    tags: ['Account'], operationId: 'setup',
    body: jsonBody(optionalFields({ token: str('From the setup link (`/setup#token=…`).'), email: str('Sign-in email.'), password: str('At least 10 characters.') }, ['token', 'email', 'password'])),
    response: { 200: signedIn, 400: error('`invalid_value`: the email or the password is not acceptable.'), 403: error('`invalid_setup_token`; `csrf_failed` for a cross-site request.'), 404: error(localMode) },
  },
  register: {
    summary: 'Create an account',
    description: 'When registration is `open`, or `invite` with a valid invite code (the account gets the invite\'s plan).',
    tags: ['Account'], operationId: 'register',
    body: jsonBody(optionalFields({ email: str('Sign-in email.'), password: str('At least 10 characters.'), invite_code: str('Required when registration is `invite`.') }, ['email', 'password'])),
    response: {
      200: signedIn,
      400: error('`invalid_value`: the email or the password is not acceptable.'),
      403: error('`registration_closed`, `invite_required`, `invalid_invite`; `csrf_failed` for a cross-site request.'),
      404: error(localMode),
      409: error('`email_taken`: sign in instead.'),
    },
  },
  login: {
    summary: 'Sign in',
    tags: ['Account'], operationId: 'login',
    body: jsonBody(credentials),
    response: {
      200: signedIn,
      401: error('`invalid_credentials`: wrong email or password.'),
      403: error('`account_suspended`; `csrf_failed` for a cross-site request.'),
      404: error(localMode),
      429: error('`rate_limited`: too many failed sign-ins for this account or from this address (`Retry-After`).'),
    },
  },
  logout: {
    summary: 'Sign out', tags: ['Account'], operationId: 'logout',
    response: { 200: json('Signed out; the cookie is cleared.', OK), 404: error(localMode) },
  },
  logoutAll: {
    summary: 'Sign out everywhere',
    description: "Ends every session of this user, this one included.",
    tags: ['Account'], operationId: 'logoutAll',
    response: { 200: json('How many sessions ended.', object({ ok: { const: true }, ended: int('Sessions ended.') })), 404: error(localMode) },
  },
  sessions: {
    summary: 'List my sessions', tags: ['Account'], operationId: 'listSessions',
    response: { 200: list('Session', 'Signed-in browsers, most recently used first.'), 404: error(localMode) },
  },
  keys: {
    summary: 'List my API keys', tags: ['Account'], operationId: 'listKeys',
    response: { 200: list('Key', 'The keys, revoked ones included.'), 404: error(localMode) },
  },
  createKey: {
    summary: 'Create an API key',
    description: 'The answer carries the secret (`key`, `mls_…`) this once only: use it as the openai SDK\'s `apiKey`.',
    tags: ['Account'], operationId: 'createKey',
    body: jsonBody(optionalFields({
      name: str('1 to 100 characters, e.g. "laptop".', { minLength: 1, maxLength: 100 }),
      scopes: { ...scopes, description: `${scopes.description} Default: \`videos:read\` and \`videos:write\`; \`admin\` for admins only.` },
      expires_in_days: nullable(int('1 to 3650; null or left out = never.', { minimum: 1, maximum: 3650 })),
    }, ['name'])),
    response: {
      200: json('The key and its secret.', object({ ...(accountComponents.Key!.properties as Record<string, Schema>), key: str('The secret, `mls_…`: shown this once.') })),
      400: error('`invalid_value`: `name`, `scopes` or `expires_in_days`.'),
      403: error("`forbidden`: only admins can make keys with the `admin` scope."),
      404: error(localMode),
    },
  },
  revokeKey: {
    summary: 'Revoke one of my API keys',
    description: 'The next request with it gets a 401.',
    tags: ['Account'], operationId: 'revokeKey',
    params: pathParams({ id: str('The key id (`key_…`).') }),
    response: { 200: json('The key, with `revoked_at`.', ref('Key')), 404: error(`\`not_found\`: no such key of yours; ${localMode}`) },
  },
  usage: {
    summary: 'My usage against my plan', tags: ['Account'], operationId: 'getUsage',
    response: { 200: json('Seconds used today and this month, jobs running, cloud spend.', ref('Usage')) },
  },
} satisfies Record<string, RouteDoc>;

const userId = pathParams({ id: str('The user id (`usr_…`).') });
const noUser = error('`not_found`: no such user.');

export const adminSchemas = {
  users: {
    summary: 'List users', tags: ['Admin'], operationId: 'adminListUsers',
    response: { 200: json('Every user, with today\'s usage.', object({ data: { type: 'array', items: object({ ...userFields, created_at: unixSeconds('Joined'), usage_today_seconds: int('Seconds used today.'), active_jobs: int('Videos queued or rendering.') }) } })) },
  },
  suspend: {
    summary: 'Suspend a user',
    description: 'Their sessions end, their keys are revoked, their queued and running videos are cancelled and refunded.',
    tags: ['Admin'], operationId: 'adminSuspendUser',
    params: userId,
    response: { 200: json('The user, `suspended`.', ref('User')), 400: error('`invalid_target`: you cannot suspend yourself.'), 404: noUser },
  },
  reactivate: {
    summary: 'Reactivate a user', tags: ['Admin'], operationId: 'adminReactivateUser',
    params: userId,
    response: { 200: json('The user, `active`.', ref('User')), 404: noUser },
  },
  updateUser: {
    summary: "Change a user's role or plan", tags: ['Admin'], operationId: 'adminUpdateUser',
    params: userId,
    body: jsonBody(optionalFields({ role: str('New role.', { enum: [...ROLES] }), plan: str('A plan id.') })),
    response: { 200: json('The user.', ref('User')), 400: error('`invalid_value` (unknown role or plan); `invalid_target`: you cannot remove your own admin role.'), 404: noUser },
  },
  plans: {
    summary: 'List plans', tags: ['Admin'], operationId: 'adminListPlans',
    response: { 200: list('Plan', 'Every plan.') },
  },
  upsertPlan: {
    summary: 'Create or change a plan',
    description: 'Fields left out keep their value (a new plan starts closed: no seconds, one job, 10 s, 1280×720).',
    tags: ['Admin'], operationId: 'adminUpsertPlan',
    params: pathParams({ id: str('The plan id: 1 to 40 lower-case letters, digits, `-` or `_`.', { pattern: '^[a-z0-9_-]{1,40}$' }) }),
    body: jsonBody(optionalFields(Object.fromEntries(Object.entries(planFields).filter(([k]) => k !== 'id')))),
    response: { 200: json('The plan.', ref('Plan')), 400: error('`invalid_value`: a field is out of range; `param` names it.') },
  },
  invites: {
    summary: 'List invites', tags: ['Admin'], operationId: 'adminListInvites',
    response: { 200: list('Invite', 'Every invite.') },
  },
  createInvite: {
    summary: 'Create an invite', tags: ['Admin'], operationId: 'adminCreateInvite',
    body: jsonBody(optionalFields({
      plan: str('The plan new accounts get (default `free`).'),
      max_uses: int('1 to 10000 (default 1).', { minimum: 1, maximum: 10_000 }),
      expires_in_days: nullable(int('1 to 365; null or left out = never.', { minimum: 1, maximum: 365 })),
    })),
    response: { 200: json('The invite and its code.', ref('Invite')), 400: error('`invalid_value`: unknown plan, or a number out of range.') },
  },
  revokeInvite: {
    summary: 'Revoke an invite', tags: ['Admin'], operationId: 'adminRevokeInvite',
    params: pathParams({ code: str('The invite code (`inv_…`).') }),
    response: { 200: json('The invite, with `revoked_at`.', ref('Invite')), 404: error('`not_found`: no such invite.') },
  },
  pauses: {
    summary: 'List pauses', tags: ['Admin'], operationId: 'adminListPauses',
    response: { 200: list('Pause', 'Engines whose new requests are refused (503 `generation_paused`).') },
  },
  pause: {
    summary: 'Pause generation',
    description: 'New requests for the engine (or all, `*`) are refused with a 503 carrying the message; queued jobs wait.',
    tags: ['Admin'], operationId: 'adminPause',
    body: jsonBody(optionalFields({ engine: str('An engine id, or `*` (default) for all generation.'), message: str('Shown to people (at most 500 characters).') })),
    response: { 200: json('The pause.', ref('Pause')), 400: error('`invalid_value`: unknown engine.') },
  },
  resume: {
    summary: 'Resume generation', tags: ['Admin'], operationId: 'adminResume',
    params: pathParams({ engine: str('The paused engine, or `*`.') }),
    response: { 200: json('Resumed.', OK), 404: error('`not_found`: that engine is not paused.') },
  },
  revokeKey: {
    summary: "Revoke anyone's API key", tags: ['Admin'], operationId: 'adminRevokeKey',
    params: pathParams({ id: str('The key id (`key_…`).') }),
    response: { 200: json('The key, with `revoked_at`.', ref('Key')), 404: error(`\`not_found\`: no such key; ${localMode}`) },
  },
  audit: {
    summary: 'Read the audit log', description: 'Newest first; page with `after=<last_id>` while `has_more`.', tags: ['Admin'], operationId: 'adminAudit',
    querystring: optionalFields({ limit: int('1 to 500 (default 50).', { minimum: 1, maximum: 500, default: 50 }), after: str('An event id: the events before it.') }),
    response: {
      200: json('A page of events.', object({ data: { type: 'array', items: ref('AuditEvent') }, has_more: bool('More events follow.'), last_id: nullable(str('Pass as `after` for the next page.')) })),
      400: error('`invalid_value`: `limit` is out of range.'),
    },
  },
  auditExport: {
    summary: 'Export the audit log', description: 'Every event, oldest first, one AuditEvent JSON object a line.', tags: ['Admin'], operationId: 'adminAuditExport',
    response: {
      200: {
        description: 'JSON Lines, as a download (`melies-audit.jsonl`).',
        content: { 'application/x-ndjson': { schema: { type: 'string', description: 'One AuditEvent JSON object a line.' } } },
      },
    },
  },
} satisfies Record<string, RouteDoc>;
