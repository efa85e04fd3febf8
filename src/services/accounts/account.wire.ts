// Accounts as the /api wire shows them: snake_case, Unix seconds, dollars. Never a password
// hash, a key's hash or secret (the secret is added once, by the create route), or a session token.
import type { ApiKeyRecord, AuditEvent, Invite, Plan, User } from '../../domain/account.js';
import type { SessionRow } from '../../db/session.repo.js';
import type { UsageSummary } from './quota.js';

const sec = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

export const wireUser = (u: User) => ({ id: u.id, email: u.email, role: u.role, plan: u.planId, status: u.status, created_at: sec(u.createdAt) });

export const wireKey = (k: ApiKeyRecord) => ({
  id: k.id, name: k.name, prefix: k.prefix, scopes: k.scopes, created_at: sec(k.createdAt), expires_at: sec(k.expiresAt),
  last_used_at: sec(k.lastUsedAt), revoked_at: sec(k.revokedAt),
});

export const wirePlan = (p: Plan) => ({
  id: p.id, label: p.label, seconds_per_day: p.secondsPerDay, seconds_per_month: p.secondsPerMonth, max_concurrent: p.maxConcurrent,
  max_seconds: p.maxSeconds, max_pixels: p.maxPixels, allowed_models: p.allowedModels, priority: p.priority,
  usd_budget_month: p.usdBudgetMonthMicros === null ? null : p.usdBudgetMonthMicros / 1e6,
  watermark: p.watermark ?? null,
  max_file_bytes: p.maxFileBytes ?? null,
});

export const wireUsage = (u: UsageSummary) => ({
  plan: u.plan ? wirePlan(u.plan) : null,
  day: { used_seconds: u.day.usedSeconds, limit_seconds: u.day.limitSeconds, resets_at: sec(u.day.resetsAt) },
  month: { used_seconds: u.month.usedSeconds, limit_seconds: u.month.limitSeconds, resets_at: sec(u.month.resetsAt) },
  concurrent: { active: u.concurrent.active, limit: u.concurrent.limit },
  usd_month: { used: u.usdMonth.usedMicros / 1e6, limit: u.usdMonth.limitMicros === null ? null : u.usdMonth.limitMicros / 1e6 },
  files: { used_bytes: u.files?.usedBytes ?? 0, limit_bytes: u.files?.limitBytes ?? null },
});

export const wireInvite = (i: Invite) => ({
  code: i.code, plan: i.planId, max_uses: i.maxUses, uses: i.uses, expires_at: sec(i.expiresAt), revoked_at: sec(i.revokedAt), created_at: sec(i.createdAt),
});

export const wireSession = (s: SessionRow, currentId?: string) => ({
  id: s.publicId, current: s.id === currentId, created_at: sec(s.createdAt), last_seen_at: sec(s.lastSeenAt), user_agent: s.userAgent,
});

/** An audit event; emails ride along when the event was read with them (AuditRepo's view). */
export const wireAudit = (e: AuditEvent & { actorEmail?: string | null; targetEmail?: string | null }) => ({
  id: e.id, at: sec(e.at),
  actor: e.actorUserId === null ? null : { user_id: e.actorUserId, key_id: e.actorKeyId, email: e.actorEmail ?? null },
  action: e.action,
  target: e.targetType === null ? null : { type: e.targetType, id: e.targetId, ...(e.targetType === 'user' ? { email: e.targetEmail ?? null } : {}) },
  details: e.details, ip: e.ip,
});
