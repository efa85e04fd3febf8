// Sign-up, sign-in, sessions and API keys for multi-user mode, and turning a request's credentials
// into a Principal. A revoked key or an ended session fails on the very next request: principals are
// kept in memory only while the database says nothing they are made from changed (principal-cache.ts).
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../domain/errors.js';
import {
  DEFAULT_KEY_SCOPES, LOCAL_USER_ID, SCOPES, type ApiKeyRecord, type Principal, type RegistrationMode, type Role, type Scope, type User,
} from '../../domain/account.js';
import type { ApiKeyRepo } from '../../db/api-key.repo.js';
import type { InviteRepo } from '../../db/invite.repo.js';
import type { PlanRepo } from '../../db/plan.repo.js';
import type { SessionRepo, SessionRow } from '../../db/session.repo.js';
import type { UserRepo } from '../../db/user.repo.js';
import type { VideoRepo } from '../../db/video.repo.js';
import type { AuditLog } from './audit-log.js';
import type { FailureThrottle } from './failure-throttle.js';
import type { CachedPrincipal, PrincipalCache } from './principal-cache.js';
import { hashPassword, isWellFormedApiKey, newApiKey, randomToken, sha256Hex, verifyPassword } from './secrets.js';

export interface AuthServiceDeps {
  users: UserRepo;
  sessions: SessionRepo;
  keys: ApiKeyRepo;
  invites: InviteRepo;
  plans: PlanRepo;
  videos: VideoRepo;
  audit: AuditLog;
  registration: RegistrationMode;
  defaultPlan: string;
  sessionDays: number;
  /** Failed sign-ins, per account and per address. */
  throttle: FailureThrottle;
  /** Principals kept while their rows are unchanged; only where that can be known (app/stack.ts). */
  principals?: PrincipalCache;
  now?: () => number;
}

/** Where a request came from, for the audit log and the session list. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  user: User;
  /** The cookie value: shown to the browser once, stored only as a hash. */
  token: string;
  session: SessionRow;
}

const badInvite = () => new ApiError(403, 'That invite code is not valid: it may be mistyped, expired, revoked or used up.', { code: 'invalid_invite', param: 'invite_code' });
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;
const ROLE_SCOPES: Record<Role, readonly Scope[]> = { admin: SCOPES, member: DEFAULT_KEY_SCOPES };
const TOUCH_MS = 60_000;

function checkEmail(email: unknown): string {
  if (typeof email !== 'string' || !EMAIL.test(email.trim())) throw ApiError.badRequest('Enter a valid email address, like ada@example.com.', 'email');
  return email.trim().toLowerCase();
}

function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < 10) throw ApiError.badRequest('Choose a password of at least 10 characters.', 'password');
  if (password.length > 200) throw ApiError.badRequest('That password is too long (at most 200 characters).', 'password');
  return password;
}

export class AuthService {
  private readonly now: () => number;

  constructor(private readonly deps: AuthServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  get registration(): RegistrationMode {
    return this.deps.registration;
  }

  async needsSetup(): Promise<boolean> {
    return (await this.deps.users.countAdmins()) === 0;
  }

  /** A one-time token for creating the first admin (valid 24 h), or null once an admin exists. */
  async issueSetupToken(): Promise<string | null> {
    if (!(await this.needsSetup())) return null;
    const token = randomToken(24);
    await this.deps.users.insertSetupToken(sha256Hex(token), this.now() + 24 * 3600_000);
    return token;
  }

  async setup(input: { token?: unknown; email?: unknown; password?: unknown }, ctx: RequestContext): Promise<SignedIn> {
    const email = checkEmail(input.email);
    const password = checkPassword(input.password);
    if (typeof input.token !== 'string' || !(await this.deps.users.useSetupToken(sha256Hex(input.token)))) {
      throw new ApiError(403, 'This setup link is invalid, expired or already used. Restart the server to print a new one, or create an admin with `melies users create --admin`.', { code: 'invalid_setup_token' });
    }
    const user = await this.createUser({ email, password, role: 'admin', planId: 'pro' });
    // Videos made in local mode before accounts existed become the first admin's.
    await this.deps.videos.reassignOwner(LOCAL_USER_ID, user.id);
    await this.deps.audit.record({ actor: { userId: user.id }, action: 'auth.setup', target: { type: 'user', id: user.id }, ip: ctx.ip });
    return this.startSession(user, ctx);
  }

  async register(input: { email?: unknown; password?: unknown; invite_code?: unknown }, ctx: RequestContext): Promise<SignedIn> {
    const mode = this.deps.registration;
    if (mode === 'closed') throw new ApiError(403, 'Registration is closed on this server. Ask its operator for an account.', { code: 'registration_closed' });
    const email = checkEmail(input.email);
    const password = checkPassword(input.password);
    // The invite is checked before the email, so without a valid code nobody learns which emails have accounts.
    const code = typeof input.invite_code === 'string' ? input.invite_code.trim() : '';
    const needsInvite = mode === 'invite' || code !== '';
    if (needsInvite) {
      if (!code) throw new ApiError(403, 'This server is invite-only: enter the invite code you were given.', { code: 'invite_required', param: 'invite_code' });
      const invite = await this.deps.invites.get(code);
      const now = this.now();
      if (!invite || invite.revokedAt !== null || (invite.expiresAt !== null && invite.expiresAt <= now) || invite.uses >= invite.maxUses) throw badInvite();
    }
    if (await this.deps.users.getByEmail(email)) {
      throw new ApiError(409, 'An account with this email already exists. Sign in instead.', { code: 'email_taken', param: 'email' });
    }
    let planId = this.deps.defaultPlan;
    if (needsInvite) {
      const invite = await this.deps.invites.consume(code); // atomic: two sign-ups cannot take the last use
      if (!invite) throw badInvite();
      planId = invite.planId;
    }
    const inviteCode = needsInvite ? code : null;
    const user = await this.createUser({ email, password, role: 'member', planId });
    await this.deps.audit.record({ actor: { userId: user.id }, action: 'auth.register', target: { type: 'user', id: user.id }, details: { plan: planId, invite: inviteCode }, ip: ctx.ip });
    return this.startSession(user, ctx);
  }

  async createUser(input: { email: string; password: string | null; role: Role; planId: string }): Promise<User> {
    const email = checkEmail(input.email);
    if (!(await this.deps.plans.get(input.planId))) throw ApiError.badRequest(`There is no plan '${input.planId}'.`, 'plan');
    const now = this.now();
    const user: User = { id: `usr_${randomBytes(12).toString('hex')}`, email, role: input.role, planId: input.planId, status: 'active', createdAt: now, updatedAt: now };
    const created = await this.deps.users.insert(user, input.password === null ? null : await hashPassword(checkPassword(input.password)));
    if (!created) throw new ApiError(409, 'An account with this email already exists.', { code: 'email_taken', param: 'email' });
    return user;
  }

  async login(input: { email?: unknown; password?: unknown }, ctx: RequestContext): Promise<SignedIn> {
    const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
    const password = typeof input.password === 'string' ? input.password : '';
    const attempt = await this.deps.throttle.begin({ account: email.slice(0, 254), address: ctx.ip }, 'failed sign-ins for this account or from this address');
    const found = email ? await this.deps.users.getByEmail(email) : null;
    const ok = await verifyPassword(password, found?.passwordHash ?? null);
    if (!found || !ok) {
      await this.deps.audit.record({ actor: found ? { userId: found.user.id } : null, action: 'auth.login_failed', details: { email: email.slice(0, 254) }, ip: ctx.ip });
      throw new ApiError(401, 'Wrong email or password.', { code: 'invalid_credentials' });
    }
    await attempt.succeeded();
    if (found.user.status !== 'active') throw new ApiError(403, 'This account is suspended. Contact the operator of this server.', { code: 'account_suspended' });
    await this.deps.audit.record({ actor: { userId: found.user.id }, action: 'auth.login', target: { type: 'user', id: found.user.id }, ip: ctx.ip });
    return this.startSession(found.user, ctx);
  }

  private async startSession(user: User, ctx: RequestContext): Promise<SignedIn> {
    const token = randomToken(32);
    const now = this.now();
    const session: SessionRow = {
      id: sha256Hex(token), publicId: `ses_${randomBytes(8).toString('hex')}`, userId: user.id, csrfToken: randomToken(24),
      userAgent: ctx.userAgent?.slice(0, 300) ?? null, createdAt: now, lastSeenAt: now, expiresAt: now + this.deps.sessionDays * 86400_000,
    };
    await this.deps.sessions.insert(session);
    return { user, token, session };
  }

  async logout(p: Principal): Promise<void> {
    if (p.sessionId) await this.deps.sessions.delete(p.sessionId);
  }

  async logoutEverywhere(p: Principal, ctx: RequestContext): Promise<number> {
    const ended = await this.deps.sessions.deleteForUser(p.userId);
    await this.deps.audit.record({ actor: p, action: 'auth.logout_all', target: { type: 'user', id: p.userId }, details: { ended }, ip: ctx.ip });
    return ended;
  }

  listSessions(userId: string): Promise<SessionRow[]> {
    return this.deps.sessions.listForUser(userId);
  }

  /** The principal behind a session cookie, or null (unknown, expired, or the user is suspended). */
  authenticateSession(token: string): Promise<Principal | null> {
    const hash = sha256Hex(token);
    return this.principalFor(`s:${hash}`, () => this.readSession(hash), (_, now) => this.deps.sessions.touch(hash, now));
  }

  /** The principal behind an API key, or null (malformed, unknown, revoked, expired, or its user is suspended). */
  authenticateKey(secret: string): Promise<Principal | null> {
    const hash = sha256Hex(secret);
    // A key found in memory was well formed when it was read: its checksum is checked on a miss only.
    return this.principalFor(`k:${hash}`, async (now) => (isWellFormedApiKey(secret) ? this.readKey(hash, now) : null), (p, now) => this.deps.keys.touch(p.keyId!, now));
  }

  /**
   * A credential's principal from memory or, on a miss, from its rows (kept under the version taken
   * before reading: see principal-cache.ts). Its last-used or last-seen time is written at most once
   * a minute, so a busy key or session costs no statement for it (bench/api.ts).
   */
  private async principalFor(slot: string, read: (now: number) => Promise<CachedPrincipal | null>, touch: (p: Principal, now: number) => Promise<void>): Promise<Principal | null> {
    const cache = this.deps.principals;
    const now = this.now();
    let found = cache?.get(slot, now) ?? null;
    if (!found) {
      const version = cache?.version();
      found = await read(now);
      if (found && version !== undefined) cache!.set(slot, version, found);
    }
    if (!found) return null;
    if (found.touchedAt === null || now - found.touchedAt > TOUCH_MS) {
      await touch(found.principal, now);
      cache?.touched(slot, now);
    }
    return found.principal;
  }

  private async readSession(hash: string): Promise<CachedPrincipal | null> {
    const session = await this.deps.sessions.get(hash);
    if (!session) return null;
    const user = await this.deps.users.get(session.userId);
    if (!user || user.status !== 'active') return null;
    return {
      principal: { userId: user.id, role: user.role, scopes: ROLE_SCOPES[user.role], plan: await this.deps.plans.get(user.planId), via: 'session', sessionId: session.id, csrfToken: session.csrfToken },
      expiresAt: session.expiresAt,
      touchedAt: session.lastSeenAt,
    };
  }

  private async readKey(hash: string, now: number): Promise<CachedPrincipal | null> {
    const key = await this.deps.keys.getByHash(hash);
    if (!key || key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt <= now)) return null;
    const user = await this.deps.users.get(key.userId);
    if (!user || user.status !== 'active') return null;
    // A key never grants more than its user's role allows today (an admin demoted keeps no admin key).
    const scopes = key.scopes.filter((s) => ROLE_SCOPES[user.role].includes(s));
    return {
      principal: { userId: user.id, role: user.role, scopes, plan: await this.deps.plans.get(user.planId), via: 'key', keyId: key.id },
      expiresAt: key.expiresAt,
      touchedAt: key.lastUsedAt,
    };
  }

  async createKey(owner: Principal, input: { name?: unknown; scopes?: unknown; expires_in_days?: unknown }, ctx: RequestContext): Promise<{ key: ApiKeyRecord; secret: string }> {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name || name.length > 100) throw ApiError.badRequest('Give the key a name of 1 to 100 characters, e.g. "laptop" or "class project".', 'name');
    let scopes: Scope[] = [...DEFAULT_KEY_SCOPES];
    if (input.scopes !== undefined) {
      if (!Array.isArray(input.scopes) || input.scopes.length === 0 || !input.scopes.every((s) => (SCOPES as readonly unknown[]).includes(s))) {
        throw ApiError.badRequest(`'scopes' must be a non-empty list of: ${SCOPES.join(', ')}.`, 'scopes');
      }
      scopes = [...new Set(input.scopes as Scope[])];
    }
    if (scopes.includes('admin') && owner.role !== 'admin') throw new ApiError(403, "Only admins can create keys with the 'admin' scope.", { code: 'forbidden', param: 'scopes' });
    let expiresAt: number | null = null;
    if (input.expires_in_days !== undefined && input.expires_in_days !== null) {
      const days = Number(input.expires_in_days);
      if (!Number.isInteger(days) || days < 1 || days > 3650) throw ApiError.badRequest("'expires_in_days' must be a whole number from 1 to 3650.", 'expires_in_days');
      expiresAt = this.now() + days * 86400_000;
    }
    const made = newApiKey();
    const key: ApiKeyRecord = { id: `key_${randomBytes(8).toString('hex')}`, userId: owner.userId, name, prefix: made.prefix, scopes, createdAt: this.now(), expiresAt, lastUsedAt: null, revokedAt: null };
    await this.deps.keys.insert(key, made.hash);
    await this.deps.audit.record({ actor: owner, action: 'key.create', target: { type: 'api_key', id: key.id }, details: { name, scopes, expires_at: expiresAt }, ip: ctx.ip });
    return { key, secret: made.secret };
  }

  listKeys(userId: string): Promise<ApiKeyRecord[]> {
    return this.deps.keys.listForUser(userId);
  }

  /** Revokes a key of the caller's (or anyone's, for admins acting as such). */
  async revokeKey(actor: Principal, id: string, opts: { asAdmin?: boolean }, ctx: RequestContext): Promise<ApiKeyRecord> {
    const key = await this.deps.keys.get(id);
    if (!key || (key.userId !== actor.userId && !opts.asAdmin)) throw ApiError.notFound(`No API key with id '${id}'.`, 'id');
    const revoked = (await this.deps.keys.revoke(key.id))!;
    await this.deps.audit.record({ actor, action: 'key.revoke', target: { type: 'api_key', id: key.id }, details: { owner: key.userId }, ip: ctx.ip });
    return revoked;
  }
}
