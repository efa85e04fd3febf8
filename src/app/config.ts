// Configuration for a process: environment and MELIES_CONFIG, with command-line flags on top
// (flags mirror the environment names: --port is MELIES_PORT, --data-dir is MELIES_DATA_DIR).
import { loadConfig, type Config, type ConfigInput } from '../config/config.js';

export type { Config };

export interface ConfigFlags {
  host?: string;
  port?: number;
  dataDir?: string;
}

export function configFromFlags(flags: ConfigFlags): Config {
  const overrides: ConfigInput = {};
  if (flags.host !== undefined) overrides.host = flags.host;
  if (flags.port !== undefined) overrides.port = flags.port;
  if (flags.dataDir !== undefined) overrides.dataDir = flags.dataDir;
  return loadConfig({ overrides });
}
