import { runQueueContract } from '../queue.contract.js';
import { testDatabases } from '../../db/test-databases.js';
import { EmbeddedQueue } from './embedded.queue.js';

for (const target of await testDatabases()) {
  runQueueContract(`embedded on ${target.name}`, async () => {
    const { db, close } = await target.open();
    return {
      create: (t) => new EmbeddedQueue(db, { ...t, pollIntervalMs: 25 }),
      crash: (q) => (q as EmbeddedQueue).abandon(),
      close,
    };
  });
}
