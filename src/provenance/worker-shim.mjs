// Runs a TypeScript worker when Méliès runs from source (tests, `npm run dev`): registers tsx in
// the worker thread, then loads the real entry. The built code (dist/) starts its .js workers directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
