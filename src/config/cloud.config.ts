// Cloud engine settings (issue 7): which adapters are on, prices, fallbacks, spend caps, limits.
// Part of the one Config schema (config.ts); provider keys stay in `providerKeys`.
import { z } from 'zod';

export const CloudConfigSchema = z.object({}).prefault({});
