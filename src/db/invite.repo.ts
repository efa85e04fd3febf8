// Invite codes: an early-access program done fairly — each code carries a plan, an expiry and a
// use count, and is consumed with a guarded UPDATE so two sign-ups cannot both take the last use.
import type { Selectable } from 'kysely';
import type { Invite } from '../domain/account.js';
import type { Database } from './database.js';
import type { InvitesTable } from './schema.js';

const toInvite = (r: Selectable<InvitesTable>): Invite => ({
  code: r.code, planId: r.plan_id, maxUses: r.max_uses, uses: r.uses, expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at), createdBy: r.created_by, createdAt: Number(r.created_at),
});

export class InviteRepo {
  constructor(private readonly db: Database, private readonly now: () => number = Date.now) {}

  async insert(i: Invite): Promise<void> {
    await this.db.insertInto('invites').values({
      code: i.code, plan_id: i.planId, max_uses: i.maxUses, uses: 0, expires_at: i.expiresAt, revoked_at: null, created_by: i.createdBy, created_at: i.createdAt,
    }).execute();
  }

  async get(code: string): Promise<Invite | null> {
    const r = await this.db.selectFrom('invites').selectAll().where('code', '=', code).executeTakeFirst();
    return r ? toInvite(r) : null;
  }

  async list(): Promise<Invite[]> {
    return (await this.db.selectFrom('invites').selectAll().orderBy('created_at', 'desc').execute()).map(toInvite);
  }

  /** Takes one use of a live invite; null if it is unknown, revoked, expired or used up. */
  async consume(code: string): Promise<Invite | null> {
    const now = this.now();
    const res = await this.db.updateTable('invites').set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('code', '=', code).where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .where((eb) => eb('uses', '<', eb.ref('max_uses')))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0 ? this.get(code) : null;
  }

  async revoke(code: string): Promise<Invite | null> {
    await this.db.updateTable('invites').set({ revoked_at: this.now() }).where('code', '=', code).where('revoked_at', 'is', null).execute();
    return this.get(code);
  }
}
