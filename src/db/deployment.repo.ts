// Facts every process of one deployment must agree on (where files live), recorded by the first
// process that starts and by `melies migrate`; see app/deployment.ts for what is compared.
import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

export interface DeploymentFact {
  value: string;
  recordedBy: string;
  updatedAt: number;
}

export class DeploymentRepo {
  constructor(private readonly db: Kysely<DB>) {}

  async get(name: string): Promise<DeploymentFact | null> {
    const row = await this.db.selectFrom('deployment_facts').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? { value: row.value, recordedBy: row.recorded_by, updatedAt: Number(row.updated_at) } : null;
  }

  /** Records `value` unless a value is already there; returns what is recorded now (the first writer wins a race). */
  async recordIfAbsent(name: string, value: string, recordedBy: string): Promise<DeploymentFact> {
    await this.db.insertInto('deployment_facts')
      .values({ name, value, recorded_by: recordedBy, updated_at: Date.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return (await this.get(name))!;
  }

  /** Replaces the recorded value: an operator's deliberate change (`melies migrate` with new settings). */
  async set(name: string, value: string, recordedBy: string): Promise<void> {
    await this.db.insertInto('deployment_facts')
      .values({ name, value, recorded_by: recordedBy, updated_at: Date.now() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value, recorded_by: recordedBy, updated_at: Date.now() }))
      .execute();
  }
}
