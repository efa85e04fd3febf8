// Accounts as every room sees them: users, roles, plans, API key scopes, and the principal a
// request acts as. The local single-user mode acts as LOCAL_USER_ID with every scope and no plan.

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['videos:read', 'videos:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];
export const DEFAULT_KEY_SCOPES: readonly Scope[] = ['videos:read', 'videos:write'];

export type UserStatus = 'active' | 'suspended';
export type RegistrationMode = 'open' | 'invite' | 'closed';

export const LOCAL_USER_ID = 'usr_local';

export interface User {
  id: string;
  email: string;
  role: Role;
  planId: string;
  status: UserStatus;
  createdAt: number;
  updatedAt: number;
}

/** What a plan allows; null means no limit. Money in micro-dollars. */
export interface Plan {
  id: string;
  label: string;
  secondsPerDay: number | null;
  secondsPerMonth: number | null;
  maxConcurrent: number | null;
  maxSeconds: number | null;
  maxPixels: number | null;
  allowedModels: string[] | null;
  priority: number;
  usdBudgetMonthMicros: number | null;
  updatedAt: number;
  /** Visible text the operator burns into this plan's videos (a freemium mark); null or absent = none. */
  watermark?: string | null;
  /** Bytes of uploaded files (/v1/files) a user may keep; null = unlimited, absent = unlimited. */
  maxFileBytes?: number | null;
}

export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface Invite {
  code: string;
  planId: string;
  maxUses: number;
  uses: number;
  expiresAt: number | null;
  revokedAt: number | null;
  createdBy: string | null;
  createdAt: number;
}

export interface AuditEvent {
  id: string;
  at: number;
  actorUserId: string | null;
  actorKeyId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

/** Who a request acts as. `plan` null means no limits (the local user). */
export interface Principal {
  userId: string;
  role: Role;
  scopes: readonly Scope[];
  plan: Plan | null;
  via: 'local' | 'session' | 'key';
  keyId?: string;
  /** The session's id (hash) and CSRF token, for cookie-authenticated requests. */
  sessionId?: string;
  csrfToken?: string;
}

export function hasScope(p: Pick<Principal, 'scopes'>, scope: Scope): boolean {
  return p.scopes.includes(scope);
}

/**
 * An operator of this server: the one test for everything only operators see (engine details,
 * configuration errors). An admin acting through a key without the admin scope is not one.
 */
export function isOperator(p: Pick<Principal, 'scopes'>): boolean {
  return hasScope(p, 'admin');
}
