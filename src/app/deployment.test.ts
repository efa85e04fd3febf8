// Starting processes of one deployment, on SQLite and PostgreSQL: in distributed mode servers and
// workers never migrate, they refuse an old (or newer) schema saying what to run; every process
// must keep files where the deployment does; `melies migrate` is the one that changes both.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { makeConfig } from '../config/config.js';
import { testDatabases } from '../db/test-databases.js';
import { prepareDatabase } from './deployment.js';

const local = makeConfig({});
const s3 = makeConfig({ s3: { endpoint: 'http://127.0.0.1:9000', bucket: 'videos', accessKeyId: 'a', secretAccessKey: 'b' } });

for (const target of await testDatabases()) {
  describe(`deployment checks at start (${target.name})`, () => {
    const closers: Array<() => Promise<void>> = [];
    afterEach(async () => { for (const c of closers.splice(0)) await c(); });
    const fresh = async () => {
      const t = await target.open({ migrate: false });
      closers.push(t.close);
      return t;
    };

    it('refuses to start a server on an unmigrated database, then starts once `melies migrate` ran', async () => {
      const { db, schema } = await fresh();
      await expect(prepareDatabase(db, local, { schema, authority: false, role: 'serve' })).rejects.toThrow(/schema is out of date \(at empty; .*run `melies migrate`/);
      await prepareDatabase(db, local, { schema, authority: true, role: 'migrate' });
      await expect(prepareDatabase(db, local, { schema, authority: false, role: 'serve' })).resolves.toBeUndefined();
    });

    it('refuses a schema newer than the code, naming the migration it does not know', async () => {
      const { db, schema } = await fresh();
      await prepareDatabase(db, local, { schema, authority: true, role: 'migrate' });
      await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2027-01-01T00:00:00.000Z')`.execute(db);
      await expect(prepareDatabase(db, local, { schema, authority: false, role: 'worker' })).rejects.toThrow(/newer than this Méliès \(it has 9999_from_the_future/);
    });

    it('refuses a worker on local disk when the deployment keeps files in S3, and accepts a deliberate move', async () => {
      const { db, schema } = await fresh();
      await prepareDatabase(db, s3, { schema, authority: true, role: 'migrate' });
      await expect(prepareDatabase(db, s3, { schema, authority: false, role: 'serve' })).resolves.toBeUndefined();
      await expect(prepareDatabase(db, local, { schema, authority: false, role: 'worker' }))
        .rejects.toThrow(/this worker would store files on local disk, but this deployment stores them on S3 bucket 'videos' at http:\/\/127\.0\.0\.1:9000 \(recorded by migrate@/);
      await prepareDatabase(db, local, { schema, authority: true, role: 'migrate' });
      await expect(prepareDatabase(db, local, { schema, authority: false, role: 'worker' })).resolves.toBeUndefined();
      await expect(prepareDatabase(db, s3, { schema, authority: false, role: 'serve' })).rejects.toThrow(/stores them on local disk/);
    });
  });
}
