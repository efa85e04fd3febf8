// What operators do: see users and their usage, suspend one (their running and queued videos are
// cancelled and refunded, their sessions end) without touching anyone else, change roles and
// plans, edit plans, issue invites, pause an engine or all generation, read the audit log.
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../domain/errors.js';
import { ROLES, type Invite, type Plan, type Principal, type Role, type User } from '../../domain/account.js';
import type { ApiKeyRepo } from '../../db/api-key.repo.js';
import type { InviteRepo } from '../../db/invite.repo.js';
import type { Pause, PauseRepo } from '../../db/pause.repo.js';
import type { PlanRepo } from '../../db/plan.repo.js';
import type { SessionRepo } from '../../db/session.repo.js';
import type { UserRepo } from '../../db/user.repo.js';
import type { VideoRepo } from '../../db/video.repo.js';
import type { AuditLog } from './audit-log.js';
import type { RequestContext } from './auth.service.js';
import { usageSummary, type UsageSummary } from './quota.js';
import type { FileRepo } from '../../db/file.repo.js';

export interface AdminServiceDeps {
  users: UserRepo;
  sessions: SessionRepo;
  plans: PlanRepo;
  invites: InviteRepo;
  pauses: PauseRepo;
  videos: VideoRepo;
  keys: ApiKeyRepo;
  audit: AuditLog;
  /** Uploaded files (/v1/files), for the storage line of usage; absent = none shown. */
  files?: Pick<FileRepo, 'bytesOf'>;
  /** Cancels (and so refunds) every queued or running video of a user. */
  cancelVideosOf: (userId: string, reason: string) => Promise<number>;
  now?: () => number;
}

const PLAN_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

function nullableInt(v: unknown, name: string, min: number, max: number): number | null {
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw ApiError.badRequest(`'${name}' must be a whole number from ${min} to ${max}, or null for no limit.`, name);
  return v;
}

export class AdminService {
  private readonly now: () => number;

  constructor(private readonly deps: AdminServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async usage(userId: string, plan: Plan | null): Promise<UsageSummary> {
    const now = this.now();
    const summary = await usageSummary(this.deps, userId, plan, now);
    return { ...summary, files: { usedBytes: (await this.deps.files?.bytesOf(userId, now)) ?? 0, limitBytes: plan?.maxFileBytes ?? null } };
  }

  /** The signed-in user as the studio shows them, or null if they no longer exist. */
  async userView(id: string): Promise<{ id: string; email: string; role: string; plan: string; status: string } | null> {
    const u = await this.deps.users.get(id);
    return u ? { id: u.id, email: u.email, role: u.role, plan: u.planId, status: u.status } : null;
  }

  /** A user by id or email (command-line tools take either). */
  async findUser(idOrEmail: string): Promise<User> {
    const u = idOrEmail.includes('@') ? (await this.deps.users.getByEmail(idOrEmail))?.user : await this.deps.users.get(idOrEmail);
    if (!u) throw ApiError.notFound(`No user '${idOrEmail.slice(0, 100)}'.`, 'user');
    return u;
  }

  async listUsers(): Promise<{ user: User; usage: UsageSummary }[]> {
    const users = await this.deps.users.list();
    return Promise.all(users.map(async (user) => ({ user, usage: await this.usage(user.id, await this.deps.plans.get(user.planId)) })));
  }

  private async user(id: string): Promise<User> {
    const u = await this.deps.users.get(id);
    if (!u) throw ApiError.notFound(`No user with id '${id}'.`, 'id');
    return u;
  }

  async suspend(actor: Principal, id: string, ctx: RequestContext): Promise<User> {
    const target = await this.user(id);
    if (target.id === actor.userId) throw ApiError.badRequest('You cannot suspend yourself.', 'id', 'invalid_target');
    const user = (await this.deps.users.update(id, { status: 'suspended' }))!;
    const sessions = await this.deps.sessions.deleteForUser(id);
    // Revoked for good, not merely refused while suspended: reactivating the account must not bring
    // back keys that may have leaked (the usual reason for a suspension). The user makes new ones.
    const keys = await this.deps.keys.revokeAllOf(id);
    const cancelled = await this.deps.cancelVideosOf(id, 'Cancelled because the account was suspended; its quota was refunded.');
    await this.deps.audit.record({ actor, action: 'admin.user_suspend', target: { type: 'user', id }, details: { sessions, keys, cancelled }, ip: ctx.ip });
    return user;
  }

  async reactivate(actor: Principal, id: string, ctx: RequestContext): Promise<User> {
    await this.user(id);
    const user = (await this.deps.users.update(id, { status: 'active' }))!;
    await this.deps.audit.record({ actor, action: 'admin.user_reactivate', target: { type: 'user', id }, ip: ctx.ip });
    return user;
  }

  async updateUser(actor: Principal, id: string, body: { role?: unknown; plan?: unknown }, ctx: RequestContext): Promise<User> {
    const before = await this.user(id);
    const patch: { role?: Role; planId?: string } = {};
    if (body.role !== undefined) {
      if (!(ROLES as readonly unknown[]).includes(body.role)) throw ApiError.badRequest(`'role' must be one of: ${ROLES.join(', ')}.`, 'role');
      if (id === actor.userId && body.role !== 'admin') throw ApiError.badRequest('You cannot remove your own admin role.', 'role', 'invalid_target');
      patch.role = body.role as Role;
    }
    if (body.plan !== undefined) {
      if (typeof body.plan !== 'string' || !(await this.deps.plans.get(body.plan))) throw ApiError.badRequest(`There is no plan '${String(body.plan).slice(0, 40)}'.`, 'plan');
      patch.planId = body.plan;
    }
    const user = (await this.deps.users.update(id, patch))!;
    await this.deps.audit.record({ actor, action: 'admin.user_update', target: { type: 'user', id }, details: { from: { role: before.role, plan: before.planId }, to: patch }, ip: ctx.ip });
    return user;
  }

  listPlans(): Promise<Plan[]> {
    return this.deps.plans.list();
  }

  async upsertPlan(actor: Principal, id: string, body: Record<string, unknown>, ctx: RequestContext): Promise<Plan> {
    if (!PLAN_ID.test(id)) throw ApiError.badRequest('A plan id is 1 to 40 lower-case letters, digits, - or _.', 'id');
    const base: Plan = (await this.deps.plans.get(id)) ?? {
      id, label: id, secondsPerDay: 0, secondsPerMonth: 0, maxConcurrent: 1, maxSeconds: 10, maxPixels: 1280 * 720, allowedModels: null, priority: 0, usdBudgetMonthMicros: 0, updatedAt: 0,
      maxFileBytes: 0,
    };
    const next: Plan = { ...base, updatedAt: this.now() };
    const has = (k: string) => Object.prototype.hasOwnProperty.call(body, k);
    if (has('label')) {
      if (typeof body.label !== 'string' || !body.label.trim() || body.label.length > 60) throw ApiError.badRequest("'label' must be 1 to 60 characters.", 'label');
      next.label = body.label.trim();
    }
    if (has('seconds_per_day')) next.secondsPerDay = nullableInt(body.seconds_per_day, 'seconds_per_day', 0, 10_000_000);
    if (has('seconds_per_month')) next.secondsPerMonth = nullableInt(body.seconds_per_month, 'seconds_per_month', 0, 100_000_000);
    if (has('max_concurrent')) next.maxConcurrent = nullableInt(body.max_concurrent, 'max_concurrent', 1, 1000);
    if (has('max_seconds')) next.maxSeconds = nullableInt(body.max_seconds, 'max_seconds', 1, 3600);
    if (has('max_pixels')) next.maxPixels = nullableInt(body.max_pixels, 'max_pixels', 1, 100_000_000);
    if (has('max_file_bytes')) next.maxFileBytes = nullableInt(body.max_file_bytes, 'max_file_bytes', 0, Number.MAX_SAFE_INTEGER);
    if (has('priority')) next.priority = nullableInt(body.priority, 'priority', -100, 100) ?? 0;
    if (has('usd_budget_month')) {
      const v = body.usd_budget_month;
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1_000_000)) throw ApiError.badRequest("'usd_budget_month' must be a number of dollars from 0 to 1000000, or null for no budget limit.", 'usd_budget_month');
      next.usdBudgetMonthMicros = v === null ? null : Math.round((v as number) * 1e6);
    }
    if (has('allowed_models')) {
      const v = body.allowed_models;
      if (v !== null && (!Array.isArray(v) || !v.every((m) => typeof m === 'string' && m.length > 0 && m.length <= 200))) {
        throw ApiError.badRequest("'allowed_models' must be a list of model ids, or null for every model.", 'allowed_models');
      }
      next.allowedModels = v === null ? null : [...new Set(v as string[])];
    }
    if (has('watermark')) {
      const v = body.watermark;
      if (v !== null && (typeof v !== 'string' || !v.trim() || v.length > 80 || /[\u0000-\u001f]/.test(v))) {
        throw ApiError.badRequest("'watermark' must be 1 to 80 characters on one line, or null for no watermark.", 'watermark');
      }
      next.watermark = v === null ? null : (v as string).trim();
    }
    const saved = await this.deps.plans.upsert(next);
    await this.deps.audit.record({ actor, action: 'admin.plan_update', target: { type: 'plan', id }, details: { before: base.updatedAt ? base : null, after: saved }, ip: ctx.ip });
    return saved;
  }

  listInvites(): Promise<Invite[]> {
    return this.deps.invites.list();
  }

  async createInvite(actor: Principal, body: { plan?: unknown; max_uses?: unknown; expires_in_days?: unknown }, ctx: RequestContext): Promise<Invite> {
    const planId = typeof body.plan === 'string' ? body.plan : 'free';
    if (!(await this.deps.plans.get(planId))) throw ApiError.badRequest(`There is no plan '${planId.slice(0, 40)}'.`, 'plan');
    const maxUses = body.max_uses === undefined ? 1 : Number(body.max_uses);
    if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 10_000) throw ApiError.badRequest("'max_uses' must be a whole number from 1 to 10000.", 'max_uses');
    const days = body.expires_in_days === undefined || body.expires_in_days === null ? null : Number(body.expires_in_days);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 365)) throw ApiError.badRequest("'expires_in_days' must be a whole number from 1 to 365.", 'expires_in_days');
    const now = this.now();
    const invite: Invite = {
      code: `inv_${randomBytes(12).toString('base64url')}`, planId, maxUses, uses: 0, expiresAt: days === null ? null : now + days * 86400_000,
      revokedAt: null, createdBy: actor.userId, createdAt: now,
    };
    await this.deps.invites.insert(invite);
    await this.deps.audit.record({ actor, action: 'admin.invite_create', target: { type: 'invite', id: invite.code }, details: { plan: planId, max_uses: maxUses, expires_at: invite.expiresAt }, ip: ctx.ip });
    return invite;
  }

  async revokeInvite(actor: Principal, code: string, ctx: RequestContext): Promise<Invite> {
    const invite = await this.deps.invites.revoke(code);
    if (!invite) throw ApiError.notFound(`No invite with code '${code.slice(0, 60)}'.`, 'code');
    await this.deps.audit.record({ actor, action: 'admin.invite_revoke', target: { type: 'invite', id: code }, ip: ctx.ip });
    return invite;
  }

  listPauses(): Promise<Pause[]> {
    return this.deps.pauses.list();
  }

  async pause(actor: Principal, body: { engine?: unknown; message?: unknown }, knownEngines: string[], ctx: RequestContext): Promise<Pause> {
    const engine = typeof body.engine === 'string' && body.engine ? body.engine : '*';
    if (engine !== '*' && !knownEngines.includes(engine)) throw ApiError.badRequest(`Unknown engine '${engine.slice(0, 60)}'. Engines: ${knownEngines.join(', ')}, or '*' for all generation.`, 'engine');
    const message = typeof body.message === 'string' && body.message.trim() ? body.message.trim().slice(0, 500) : 'Paused by the operator.';
    const pause: Pause = { engine, message, createdBy: actor.userId, createdAt: this.now() };
    await this.deps.pauses.set(pause);
    await this.deps.audit.record({ actor, action: 'admin.pause', target: { type: 'engine', id: engine }, details: { message }, ip: ctx.ip });
    return pause;
  }

  async resume(actor: Principal, engine: string, ctx: RequestContext): Promise<boolean> {
    const cleared = await this.deps.pauses.clear(engine);
    if (cleared) await this.deps.audit.record({ actor, action: 'admin.resume', target: { type: 'engine', id: engine }, ip: ctx.ip });
    return cleared;
  }

  pauseFor(engine: string): Promise<Pause | null> {
    return this.deps.pauses.forEngine(engine);
  }

  audit(): AuditLog {
    return this.deps.audit;
  }
}
