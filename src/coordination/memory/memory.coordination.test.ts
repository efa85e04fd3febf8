import { runCoordinationContract } from '../coordination.contract.js';
import { MemoryCoordination } from './memory.coordination.js';

// One process: both handles are the same object, and time is the test's.
let clock = 1_700_000_000_000;
runCoordinationContract('memory', {
  async open() {
    const c = new MemoryCoordination(() => clock);
    return { a: c, b: c, close: () => c.close() };
  },
  async advance(ms) { clock += ms; },
});
