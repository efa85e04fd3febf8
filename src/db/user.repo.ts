// Users and the one-time setup tokens that create the first admin. Emails are stored lower-cased,
// so lookups are case-insensitive on both databases.
import type { Selectable } from 'kysely';
import type { Role, User, UserStatus } from '../domain/account.js';
import type { Database } from './database.js';
import type { UsersTable } from './schema.js';

const toUser = (r: Selectable<UsersTable>): User => ({
  id: r.id, email: r.email, role: r.role as Role, planId: r.plan_id, status: r.status as UserStatus,
  createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
});

export class UserRepo {
  constructor(private readonly db: Database, private readonly now: () => number = Date.now) {}

  /** Inserts a user; returns false when the email is already taken. */
  async insert(user: User, passwordHash: string | null): Promise<boolean> {
    const res = await this.db.insertInto('users').values({
      id: user.id, email: user.email.toLowerCase(), password_hash: passwordHash, role: user.role, plan_id: user.planId,
      status: user.status, created_at: user.createdAt, updated_at: user.updatedAt,
    }).onConflict((oc) => oc.column('email').doNothing()).executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(id: string): Promise<User | null> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  async getByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | null> {
    const r = await this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    return r ? { user: toUser(r), passwordHash: r.password_hash } : null;
  }

  async list(): Promise<User[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('created_at').execute()).map(toUser);
  }

  async countAdmins(): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async update(id: string, patch: Partial<{ role: Role; planId: string; status: UserStatus; passwordHash: string }>): Promise<User | null> {
    const set: Partial<UsersTable> = { updated_at: this.now() };
    if (patch.role) set.role = patch.role;
    if (patch.planId) set.plan_id = patch.planId;
    if (patch.status) set.status = patch.status;
    if (patch.passwordHash) set.password_hash = patch.passwordHash;
    const r = await this.db.updateTable('users').set(set).where('id', '=', id).returningAll().executeTakeFirst();
    return r ? toUser(r) : null;
  }

  /**
   * Takes the user's row lock for the rest of the transaction (PostgreSQL), so two creates of one
   * user cannot both pass the quota check; on SQLite the transaction itself is exclusive.
   */
  async lock(id: string): Promise<void> {
    await this.db.updateTable('users').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', id).execute();
  }

  async insertSetupToken(hash: string, expiresAt: number): Promise<void> {
    await this.db.insertInto('setup_tokens').values({ hash, expires_at: expiresAt, used_at: null }).execute();
  }

  /** Marks a setup token used; false if it does not exist, expired or was used already. */
  async useSetupToken(hash: string): Promise<boolean> {
    const now = this.now();
    const res = await this.db.updateTable('setup_tokens').set({ used_at: now })
      .where('hash', '=', hash).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }
}
