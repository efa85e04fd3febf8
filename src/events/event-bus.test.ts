import { runEventBusContract } from './event-bus.contract.js';
import { MemoryEventBus } from './event-bus.js';

runEventBusContract('memory', async () => new MemoryEventBus());
