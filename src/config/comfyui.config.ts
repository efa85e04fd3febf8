// ComfyUI settings (issue 6): the servers (one per GPU) and the workflow templates offered as
// `comfyui/<template>` models. Part of the one Config schema (config.ts); nothing else parses it.
import { z } from 'zod';

export const ComfyuiConfigSchema = z.object({}).prefault({});
