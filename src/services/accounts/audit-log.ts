// Writes and reads the audit log: who did what, from where. Ids sort by time, so the log pages
// with a plain cursor and exports in order.
import { randomBytes } from 'node:crypto';
import type { Principal } from '../../domain/account.js';
import type { AuditEventView, AuditRepo } from '../../db/audit.repo.js';

export interface AuditEntry {
  actor: Pick<Principal, 'userId' | 'keyId'> | null;
  action: string;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
  ip?: string | null;
}

export class AuditLog {
  constructor(private readonly repo: AuditRepo, private readonly now: () => number = Date.now) {}

  async record(e: AuditEntry): Promise<void> {
    const at = this.now();
    await this.repo.append({
      id: `aud_${String(at).padStart(14, '0')}_${randomBytes(6).toString('hex')}`, at,
      actorUserId: e.actor?.userId ?? null, actorKeyId: e.actor?.keyId ?? null, action: e.action,
      targetType: e.target?.type ?? null, targetId: e.target?.id ?? null, details: e.details ?? null, ip: e.ip ?? null,
    });
  }

  list(opts: { after?: string; limit: number }): Promise<{ data: AuditEventView[]; hasMore: boolean }> {
    return this.repo.list(opts);
  }

  all(): AsyncGenerator<AuditEventView> {
    return this.repo.all();
  }
}
